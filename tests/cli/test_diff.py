"""`genai-replay diff`: what a re-recording changed, by interaction and path; exit 0, 1 or 2 like diff(1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from replay import Body, BodyKind, Interaction, Request, Response

from .conftest import GENERATE, JSON_TYPE, META, answer, generate, run, stream, write_cassette


def reverse_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: reverse_keys(v) for k, v in reversed(value.items())}
    if isinstance(value, list):
        return [reverse_keys(v) for v in value]
    return value


def test_equal_cassettes_exit_0(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "a.json", generate("Hi", "Hello"), stream("Story", "Once"))
    # The same meaning in another form: other indentation, keys in reverse order.
    document = json.loads((project / "a.json").read_text())
    (project / "b.json").write_text(json.dumps(reverse_keys(document), indent=4))

    result = run(runner, "diff", "a.json", "b.json")

    assert (result.exit_code, result.output) == (0, "no differences\n")


def test_changed_interactions_are_listed_by_path(runner: CliRunner, project: Path) -> None:
    old = generate("Hi", "Hello")
    new_response = Response(
        429, (*JSON_TYPE, ("retry-after", "3")), Body(BodyKind.JSON, json=answer("Hello there"))
    )
    write_cassette(project / "old.json", old, stream("Story", "Once", " upon"))
    write_cassette(
        project / "new.json",
        Interaction(old.request, new_response),
        stream("Story", "Once", " upon", " a time"),
    )

    result = run(runner, "diff", "old.json", "new.json")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "--- old.json",
        "+++ new.json",
        f"changed #0 POST {GENERATE}",
        "  response.status: 200 → 429",
        '  response.headers.retry-after: added "3"',
        '  response.body.candidates[0].content.parts[0].text: "Hello" → "Hello there"',
        f"changed #1 POST {GENERATE.replace(':generate', ':streamGenerate')}?alt=sse",
        '  response.body[2]: added {"candidates": [{"content": {"role": "model", "parts": [{"t…',
        "2 interactions differ: 2 changed, 0 added, 0 removed",
    ]


def test_added_and_removed_interactions_are_aligned_by_request(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "old.json", generate("One", "1"), generate("Two", "2"), generate("Three", "3"))
    write_cassette(project / "new.json", generate("One", "1"), generate("Three", "3"), generate("Four", "4"))

    result = run(runner, "diff", "old.json", "new.json")

    assert result.exit_code == 1
    assert result.output.splitlines()[2:] == [
        f"removed #1 POST {GENERATE} → 200",
        f"added #2 POST {GENERATE} → 200",
        "2 interactions differ: 0 changed, 1 added, 1 removed",
    ]


def test_a_changed_request_is_paired_with_the_old_one(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "old.json", generate("One", "1"), generate("Hi", "Hello"))
    write_cassette(project / "new.json", generate("Hi there", "Hello"))

    result = run(runner, "diff", "old.json", "new.json")

    # Within a run of differing requests, old and new are paired in order; the rest are removed or added.
    assert result.output.splitlines()[2:] == [
        f"changed #0 POST {GENERATE}",
        '  request.body.contents[0].parts[0].text: "One" → "Hi there"',
        '  response.body.candidates[0].content.parts[0].text: "1" → "Hello"',
        f"removed #1 POST {GENERATE} → 200",
        "2 interactions differ: 1 changed, 0 added, 1 removed",
    ]
    assert result.exit_code == 1


def test_body_kinds_and_metadata(runner: CliRunner, project: Path) -> None:
    old = generate("Hi", "Hello")
    as_text = Interaction(old.request, Response(200, JSON_TYPE, Body(BodyKind.TEXT, text="Hello")))
    write_cassette(project / "old.json", old)
    write_cassette(project / "new.json", as_text, meta=replace(META, recorded_against="live"))

    result = run(runner, "diff", "old.json", "new.json")

    assert result.output.splitlines()[2:] == [
        'meta.recorded_against: "emulator" → "live"',
        f"changed #0 POST {GENERATE}",
        "  response.body: a JSON body → a text body",
        "1 interaction differs: 1 changed, 0 added, 0 removed",
    ]


def test_only_metadata_differs(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "old.json", generate("Hi", "Hello"))
    write_cassette(
        project / "new.json", generate("Hi", "Hello"), meta=replace(META, recorded_at="2027-01-01T00:00:00Z")
    )

    result = run(runner, "-q", "diff", "old.json", "new.json")

    assert result.exit_code == 3  # only metadata: a re-recording that changed nothing of substance
    assert result.output.splitlines() == [
        "--- old.json",
        "+++ new.json",
        'meta.recorded_at: "2026-11-24T12:00:00Z" → "2027-01-01T00:00:00Z"',
    ]


def test_folders_pair_cassettes_by_relative_path_and_say_what_was_added_removed_and_changed(
    runner: CliRunner, project: Path
) -> None:
    for side in ("old", "new"):
        write_cassette(project / side / "same.json", generate("Hi", "Hello"))
        write_cassette(
            project / side / "deep" / "changed.json", generate("Hi", "Hello" if side == "old" else "Hey")
        )
    write_cassette(project / "old" / "gone.json", generate("Bye", "Bye"))
    write_cassette(project / "new" / "deep" / "fresh.json", generate("New", "New"))

    result = run(runner, "diff", "old", "new")

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:2] == ["removed gone.json", f"added {Path('deep/fresh.json')}"]
    assert f"--- {Path('old/deep/changed.json')}" in lines
    assert any("response.body.candidates[0].content.parts[0].text" in line for line in lines)
    assert lines[-1] == (
        "cassettes: 1 added, 1 removed, 1 with interactions changed, 0 with only metadata changed, 1 the same"
    )


@pytest.mark.parametrize(("recorded_at", "status"), [(META.recorded_at, 0), ("2027-01-01T00:00:00Z", 3)])
def test_folder_exit_statuses_tell_identical_from_metadata_only(
    runner: CliRunner, project: Path, recorded_at: str, status: int
) -> None:
    write_cassette(project / "old" / "a.json", generate("Hi", "Hello"))
    write_cassette(
        project / "new" / "a.json", generate("Hi", "Hello"), meta=replace(META, recorded_at=recorded_at)
    )
    # A blob folder is not a cassette of its own.
    (project / "old" / "blobs").mkdir()
    (project / "old" / "blobs" / "x.json").write_text("{}")

    assert run(runner, "diff", "old", "new").exit_code == status


def test_a_folder_and_a_file_are_not_compared(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "old" / "a.json", generate("Hi", "Hello"))
    result = run(runner, "diff", "old", "old/a.json")
    assert result.exit_code == 2 and "two folders, or two cassette files" in result.output


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_rev_compares_with_the_committed_version(runner: CliRunner, project: Path) -> None:
    upload = Interaction(
        Request(
            "POST",
            "https://generativelanguage.googleapis.com/upload/v1beta/files",
            (),
            Body(BodyKind.BYTES, data=os.urandom(70_000)),
        ),
        Response(200, JSON_TYPE, Body(BodyKind.JSON, json={"file": {"name": "files/a"}})),
    )
    path = write_cassette(project / "cassettes" / "a.json", upload, generate("Hi", "Hello"))
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "record")
    write_cassette(path, generate("Hi", "Hello, again"))
    shutil.rmtree(project / "cassettes" / "blobs")  # the old blob is then read from the commit

    result = run(runner, "diff", "--rev", "HEAD", "cassettes/a.json")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "--- HEAD:cassettes/a.json",
        "+++ cassettes/a.json",
        "removed #0 POST https://generativelanguage.googleapis.com/upload/v1beta/files → 200",
        "changed #0 (was #1) POST " + GENERATE,
        '  response.body.candidates[0].content.parts[0].text: "Hello" → "Hello, again"',
        "2 interactions differ: 1 changed, 0 added, 1 removed",
    ]
    assert run(runner, "diff", "--rev", "HEAD", "cassettes/a.json").exit_code == 1


@needs_git
def test_an_unknown_revision_exits_2(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "a.json", generate("Hi", "Hello"))
    git(project, "init", "-q")

    result = run(runner, "diff", "--rev", "nosuch", "a.json")

    assert result.exit_code == 2
    assert result.output.startswith("Error: nosuch:a.json: git cannot show 'nosuch:./a.json' (fatal: ")
    assert result.output.rstrip().endswith(
        "check the revision, and that the cassette was committed there (`git log --oneline -- PATH`)"
    )


def test_an_option_as_revision_is_refused(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "a.json", generate("Hi", "Hello"))

    result = run(runner, "diff", "--rev=--output=x", "a.json")

    assert result.exit_code == 2
    assert result.output == "Error: '--output=x' is not a git revision; name one such as HEAD or main~1\n"
    assert not (project / "x").exists()


def test_a_malformed_cassette_exits_2(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "a.json", generate("Hi", "Hello"))
    (project / "b.json").write_text("[]", encoding="utf-8")

    result = run(runner, "diff", "a.json", "b.json")

    assert (result.exit_code, result.output) == (2, "Error: b.json: a cassette must be a JSON object\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.json"], "Error: give two cassettes or folders (OLD NEW), or one cassette and --rev REV"),
        (
            ["a.json", "a.json", "--rev", "HEAD"],
            "Error: give two cassettes or folders (OLD NEW), or one cassette and --rev REV",
        ),
        (["a.json", "missing.json"], "Error: Invalid value for '[NEW]': Path 'missing.json' does not exist."),
        (["a.json", "a.json", "--context", "3"], "Error: No such option '--context'."),
    ],
    ids=["one-path", "two-paths-and-rev", "missing", "unknown-option"],
)
def test_bad_input_exits_2(runner: CliRunner, project: Path, args: list[str], message: str) -> None:
    write_cassette(project / "a.json", generate("Hi", "Hello"))

    result = run(runner, "diff", *args)

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message
