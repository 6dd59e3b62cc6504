"""`genai-replay scrub`: sanitise again in place, atomically, and refuse to keep a credential."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from replay import Body, BodyKind, Interaction, Request, Response, load_cassette

from .conftest import GENERATE, JSON_TYPE, answer, ask, generate, run, write_cassette

FAKE_KEY = "AIza" + "1" * 35


def with_headers(interaction: Interaction, *headers: tuple[str, str]) -> Interaction:
    response = interaction.response
    return Interaction(
        interaction.request, Response(response.status, response.headers + headers, response.body)
    )


def test_sanitised_cassettes_are_left_byte_for_byte(runner: CliRunner, project: Path) -> None:
    path = write_cassette(project / "cassettes" / "a.json", generate("Hi", "Hello"))
    before = path.read_bytes()

    result = run(runner, "scrub")

    assert result.exit_code == 0
    assert result.output.splitlines() == ["cassettes/a.json: unchanged", "1 cassette: 1 unchanged"]
    assert path.read_bytes() == before


def test_current_rules_are_applied_and_reported(runner: CliRunner, project: Path) -> None:
    noisy = with_headers(generate("Hi", "Hello"), ("x-goog-request-id", "abc123"), ("server", "scaffolding"))
    leaked = Interaction(
        Request(
            "POST",
            f"{GENERATE}?key={FAKE_KEY}",
            (("x-goog-api-key", FAKE_KEY),),
            Body(BodyKind.JSON, json=ask("Yo")),
        ),
        Response(200, JSON_TYPE, Body(BodyKind.JSON, json=answer("Hey"))),
    )
    write_cassette(project / "cassettes" / "noisy.json", noisy, leaked)
    write_cassette(project / "cassettes" / "clean.json", generate("Hi", "Hello"))

    result = run(runner, "scrub")

    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "cassettes/clean.json: unchanged",
        "cassettes/noisy.json: scrubbed",
        "2 cassettes: 1 scrubbed, 1 unchanged",
    ]
    scrubbed = load_cassette(project / "cassettes" / "noisy.json")
    assert scrubbed.interactions[0].response.headers == JSON_TYPE
    assert scrubbed.interactions[1].request.url == f"{GENERATE}?key=REDACTED"
    assert scrubbed.interactions[1].request.headers == ()
    assert FAKE_KEY not in (project / "cassettes" / "noisy.json").read_text()


def test_rule_options_add_to_the_defaults(runner: CliRunner, project: Path) -> None:
    chatty = with_headers(
        generate("My email is ada@example.com", "Noted, ada@example.com"), ("x-trace", "t1")
    )
    path = write_cassette(project / "a.json", chatty)

    result = run(
        runner,
        "scrub",
        "--rule-regex", r"[a-z]+@example\.com",
        "--rule-json-path", "candidates.0.finishReason",
        "--rule-header", "x-trace",
        "a.json",
    )  # fmt: skip

    assert (result.exit_code, result.output.splitlines()[0]) == (0, "a.json: scrubbed")
    interaction = load_cassette(path).interactions[0]
    assert interaction.request.body.json == ask("My email is REDACTED")
    candidate = interaction.response.body.json["candidates"][0]
    assert candidate["finishReason"] == "REDACTED"
    assert candidate["content"]["parts"][0]["text"] == "Noted, REDACTED"
    assert ("x-trace", "t1") in interaction.response.headers


def test_a_cassette_that_keeps_a_credential_is_not_written(runner: CliRunner, project: Path) -> None:
    # A key inside a body is no place the default rules look: only a rule can remove it.
    path = write_cassette(project / "cassettes" / "leak.json", generate(f"my key is {FAKE_KEY}", "Thanks"))
    write_cassette(project / "cassettes" / "ok.json", with_headers(generate("Hi", "Hello"), ("server", "x")))
    before = path.read_bytes()

    refused = run(runner, "scrub")

    assert refused.exit_code == 1
    assert refused.output.splitlines() == [
        "cassettes/leak.json: refused, it would still hold credentials (a value shaped like "
        "'AIza[0-9A-Za-z_\\\\-]{35}' in interactions[0].request.body); nothing written. Add a --rule-regex "
        "or --rule-json-path that removes them, and revoke the credentials",
        "cassettes/ok.json: scrubbed",
        "2 cassettes: 1 scrubbed, 1 refused",
    ]
    assert path.read_bytes() == before

    fixed = run(runner, "scrub", "--rule-regex", "AIza[0-9A-Za-z_-]{35}", "cassettes/leak.json")

    assert (fixed.exit_code, fixed.output) == (0, "cassettes/leak.json: scrubbed\n1 cassette: 1 scrubbed\n")
    assert load_cassette(path).interactions[0].request.body.json == ask("my key is REDACTED")


def test_a_failed_write_leaves_the_cassette_as_it_was(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_cassette(project / "a.json", with_headers(generate("Hi", "Hello"), ("server", "x")))
    before = path.read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = run(runner, "scrub", "a.json")
    monkeypatch.undo()

    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "a.json: failed, cannot write it: [Errno 13] Permission denied"
    assert path.read_bytes() == before
    assert sorted(p.name for p in project.iterdir()) == ["a.json"]


def test_unreadable_cassettes_fail_without_stopping_the_others(runner: CliRunner, project: Path) -> None:
    (project / "cassettes").mkdir()
    (project / "cassettes" / "a.json").write_text(json.dumps({"format": "vcr"}), encoding="utf-8")
    write_cassette(project / "cassettes" / "b.json", with_headers(generate("Hi", "Hello"), ("server", "x")))

    result = run(runner, "--quiet", "scrub")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "cassettes/a.json: failed, unknown format 'vcr'; this genai-replay reads 'genai-replay/1': upgrade "
        "genai-replay, or convert foreign cassettes with `genai-replay import`",
        "cassettes/b.json: scrubbed",
    ]


def test_quiet_leaves_out_unchanged_cassettes(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "cassettes" / "a.json", generate("Hi", "Hello"))

    assert run(runner, "-q", "scrub").output == ""


def test_a_bad_regex_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "a.json", generate("Hi", "Hello"))

    result = run(runner, "scrub", "--rule-regex", "(unclosed", "a.json")

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--rule-regex': '(unclosed' is not a regular expression "
        "(missing ), unterminated subpattern at position 0); fix or quote it"
    )


def test_a_missing_path_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    result = run(runner, "scrub", "gone.json")

    assert result.exit_code == 2
    assert "Path 'gone.json' does not exist." in result.output
