"""`genai-replay check`: format, blobs, schemas and credentials, one line per finding, exit 0 or 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from replay import Body, BodyKind, Interaction, Request, Response

from .conftest import GENERATE, JSON_TYPE, META, generate, run, stream, write_cassette

FAKE_KEY = "AIza" + "0" * 35


def test_clean_cassettes_pass(runner: CliRunner, project: Path) -> None:
    write_cassette(
        project / "cassettes" / "a.json", generate("Hi", "Hello"), stream("Story", "Once", " upon")
    )
    write_cassette(project / "cassettes" / "sub" / "b.json", generate("Bye", "Goodbye"))

    result = run(runner, "check")

    assert result.exit_code == 0
    assert result.output == "no problems in 2 cassettes\n"


def test_each_finding_is_one_line_then_a_count(runner: CliRunner, project: Path) -> None:
    wrong = {"contents": [{"role": "user", "parts": [{"txt": "Hi"}]}]}
    write_cassette(
        project / "cassettes" / "a.json", generate("Hi", "Hello"), generate("", "Hello", request=wrong)
    )
    (project / "cassettes" / "broken.json").write_text("{", encoding="utf-8")
    write_cassette(project / "cassettes" / "clean.json", generate("Hi", "Hello"))

    result = run(runner, "check")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "cassettes/a.json: interactions[1].request.body.contents[0].parts[0].txt: "
        "unknown field 'txt' (did you mean 'text'?)",
        "cassettes/broken.json: not valid JSON (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)); restore it from version control or record it again",
        "2 problems in 2 of 3 cassettes",
    ]


def test_response_bodies_and_stream_events_are_checked(runner: CliRunner, project: Path) -> None:
    interaction = stream("Story", "Once")
    bad_event = {"candidates": [{"finishReason": "FINISHED"}]}
    events = (*interaction.response.body.events, bad_event)
    broken = Interaction(
        interaction.request, Response(200, interaction.response.headers, Body(BodyKind.SSE, events=events))
    )
    write_cassette(project / "s.json", broken)

    result = run(runner, "check", "s.json")

    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(
        "s.json: interactions[0].response.body[1].candidates[0].finishReason: 'FINISHED' is not"
    )


def test_error_answers_are_not_held_to_the_response_schema(runner: CliRunner, project: Path) -> None:
    envelope = {
        "error": {"code": 429, "message": "Resource has been exhausted", "status": "RESOURCE_EXHAUSTED"}
    }
    failed = Interaction(
        generate("Hi", "").request, Response(429, JSON_TYPE, Body(BodyKind.JSON, json=envelope))
    )
    write_cassette(project / "e.json", failed)

    assert run(runner, "check", "e.json").exit_code == 0


def test_credentials_are_findings(runner: CliRunner, project: Path) -> None:
    leaked = Interaction(
        Request("POST", f"{GENERATE}?key={FAKE_KEY}", (), Body(BodyKind.JSON, json={"contents": []})),
        generate("Hi", "Hello").response,
    )
    write_cassette(project / "leak.json", leaked)

    result = run(runner, "check", "leak.json")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "leak.json: interactions[0].request.url: holds a value shaped like 'AIza[0-9A-Za-z_\\\\-]{35}'; "
        "remove it with `genai-replay scrub --rule-regex PATTERN leak.json` (or record again), "
        "and revoke the credential",
        "1 problem in 1 of 1 cassette",
    ]


def test_findings_name_the_file_as_the_user_reads_it(runner: CliRunner, project: Path) -> None:
    # An absolute path below the current folder is shown relative to it, in the hint too.
    leaked = Interaction(
        Request("POST", f"{GENERATE}?key={FAKE_KEY}", (), Body(BodyKind.JSON, json={"contents": []})),
        generate("Hi", "Hello").response,
    )
    write_cassette(project / "sub" / "leak.json", leaked)

    result = run(runner, "check", str(project / "sub" / "leak.json"))

    assert result.output.splitlines()[0].startswith("sub/leak.json: interactions[0].request.url: ")
    assert "PATTERN sub/leak.json`" in result.output
    assert str(project) not in result.output


def test_missing_and_corrupted_blobs_are_findings(runner: CliRunner, project: Path) -> None:
    big = os.urandom(70 * 1024)
    upload = Interaction(
        Request(
            "POST",
            "https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=REDACTED",
            (),
            Body(BodyKind.BYTES, data=big),
        ),
        Response(200, JSON_TYPE, Body(BodyKind.JSON, json={"file": {"name": "files/abc"}})),
    )
    write_cassette(project / "cassettes" / "upload.json", upload)
    (blob,) = (project / "cassettes" / "blobs").iterdir()
    blob.write_bytes(b"tampered")

    result = run(runner, "check")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"cassettes/upload.json: interactions[0].request.body: blob {blob.name} does not match its hash and size (corrupted); "
        "restore it from version control or record it again",
        "1 problem in 1 of 1 cassette",
    ]
    blob.unlink()
    assert "is missing from cassettes/blobs" in run(runner, "check").output


def test_blob_files_given_as_paths_are_left_out(runner: CliRunner, project: Path) -> None:
    (project / "cassettes" / "blobs").mkdir(parents=True)
    blob = project / "cassettes" / "blobs" / ("a" * 64)
    blob.write_bytes(b"\x00binary")

    result = run(runner, "check", str(blob))

    assert (result.exit_code, result.output) == (0, "no problems in 0 cassettes\n")


def test_json_lists_the_findings(runner: CliRunner, project: Path) -> None:
    wrong = {"contents": [{"role": "user", "parts": [{"txt": "Hi"}]}]}
    write_cassette(project / "a.json", generate("", "Hello", request=wrong))
    write_cassette(project / "b.json", generate("Hi", "Hello"))

    failing = run(runner, "check", "--json", "a.json", "b.json")
    passing = run(runner, "check", "--json", "b.json")

    assert failing.exit_code == 1
    assert json.loads(failing.output) == [
        {
            "path": "a.json",
            "where": "interactions[0].request.body.contents[0].parts[0].txt",
            "kind": "schema",
            "message": "unknown field 'txt' (did you mean 'text'?)",
            "age_days": 13,
        }
    ]
    assert (passing.exit_code, json.loads(passing.output)) == (0, [])


def test_max_age_finds_cassettes_recorded_longer_ago(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "cassettes" / "fresh.json", generate("Hi", "Hello"))  # 13 days old
    write_cassette(
        project / "cassettes" / "old.json",
        generate("Hi", "Hello"),
        meta=replace(META, recorded_at="2025-12-01T00:00:00Z"),
    )
    write_cassette(
        project / "cassettes" / "undated.json", generate("Hi", "Hello"), meta=replace(META, recorded_at="")
    )

    result = run(runner, "check", "--max-age", "90d")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "cassettes/old.json: meta.recorded_at: stale: recorded 2025-12-01T00:00:00Z, 372 days ago, longer "
        "ago than max_age 90d; re-record it: run its tests with --genai-replay-mode=all, or "
        "`genai-replay record --mode all TESTS`",
        "cassettes/undated.json: meta.recorded_at: stale: no recorded_at, so not known to be within "
        "max_age 90d; re-record it: run its tests with --genai-replay-mode=all, or "
        "`genai-replay record --mode all TESTS`",
        "2 problems in 2 of 3 cassettes",
    ]


def test_max_age_findings_carry_the_age_in_json(runner: CliRunner, project: Path) -> None:
    meta = replace(META, recorded_at="2025-12-01T00:00:00Z")
    write_cassette(project / "old.json", generate("Hi", "Hello"), meta=meta)

    result = run(runner, "check", "--json", "--max-age", "1y", "old.json")

    assert result.exit_code == 1
    assert [(f["kind"], f["where"], f["age_days"]) for f in json.loads(result.output)] == [
        ("stale", "meta.recorded_at", 372)
    ]


def test_cassettes_within_max_age_pass_and_the_summary_says_so(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "cassettes" / "a.json", generate("Hi", "Hello"))  # 13 days old

    for limit in ("2w", "none"):
        result = run(runner, "check", "--max-age", limit)
        assert result.exit_code == 0
    assert run(runner, "check", "--max-age", "2w").output == (
        "no problems in 1 cassette, none recorded longer ago than 2w\n"
    )
    assert run(runner, "check", "--max-age", "12d").exit_code == 1


def test_a_bad_max_age_is_a_usage_error_naming_the_forms(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "cassettes" / "a.json", generate("Hi", "Hello"))

    result = run(runner, "check", "--max-age", "3 months")

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--max-age': '3 months' is not a duration; write a whole number above "
        "zero and a unit, one of s, m, h, d, w, y (seconds, minutes, hours, days, weeks, years of 365 "
        "days), as in '90d' or '12h', or 'none' for no limit"
    )


def test_quiet_prints_findings_only(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "cassettes" / "a.json", generate("Hi", "Hello"))

    result = run(runner, "--quiet", "check")

    assert (result.exit_code, result.output) == (0, "")


def test_cassettes_option_names_the_default_folder(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "recorded" / "a.json", generate("Hi", "Hello"))

    result = run(runner, "--cassettes", "recorded", "check")

    assert (result.exit_code, result.output) == (0, "no problems in 1 cassette\n")


def test_without_a_cassette_folder_it_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    result = run(runner, "check")

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: no cassette folder 'cassettes' here; pass cassette files or folders, "
        "or name the folder with --cassettes DIR"
    )


def test_a_missing_path_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    result = run(runner, "check", "nowhere.json")

    assert result.exit_code == 2
    assert "Error: Invalid value for '[PATHS]...': Path 'nowhere.json' does not exist." in result.output


def test_an_unknown_option_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    result = run(runner, "check", "--strict")

    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Usage: genai-replay check [OPTIONS] [PATHS]...",
        "Try 'genai-replay check --help' for help.",
        "",
        "Error: No such option '--strict'.",
    ]


def test_checking_loads_neither_deepdiff_nor_the_emulator(project: Path) -> None:
    write_cassette(project / "a.json", generate("Hi", "Hello"))
    code = (
        "import sys\n"
        "from replay.cli import main\n"
        "try:\n"
        "    main(['check', 'a.json'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "print(sorted(m for m in sys.modules if m.startswith(('deepdiff', 'replay.emulator', 'http.server'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=project
    )

    assert out.stdout.splitlines()[-1] == "[]"
