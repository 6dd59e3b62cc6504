"""`genai-replay show`: a cassette for reading, with bodies shortened and binary named by size."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from replay import Body, BodyKind, Interaction, Request, Response

from .conftest import GENERATE, META, generate, run, stream, write_cassette

UPLOAD = "https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=REDACTED"


def test_meta_then_each_interaction(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "a.json", generate("Hi", "Hello"), stream("Story", "Once", " upon"))

    result = run(runner, "show", "a.json")

    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "a.json: gemini v1beta, recorded against the emulator by genai-min 0.1.0 at 2026-11-24T12:00:00Z "
        "(13 days ago); 2 interactions",
        f"#0 POST {GENERATE} → 200",
        "  request:",
        "    content-type: application/json",
        '    {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}',
        "  response:",
        "    content-type: application/json; charset=UTF-8",
        "    {",
        '      "candidates": [',
        '        {"content": {"role": "model", "parts": [{"text": "Hello"}]}, "finishReason": "STOP"}',
        "      ]",
        "    }",
        "#1 POST https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:"
        "streamGenerateContent?alt=sse → 200",
        "  request:",
        "    content-type: application/json",
        '    {"contents": [{"role": "user", "parts": [{"text": "Story"}]}]}',
        "  response:",
        "    content-type: text/event-stream",
        "    2 events:",
        '    [0] {"candidates": [{"content": {"role": "model", "parts": [{"text": "Once"}]}}]}',
        '    [1] {"candidates": [{"content": {"role": "model", "parts": [{"text": " upon"}]}}]}',
    ]


def test_binary_text_and_empty_bodies(runner: CliRunner, project: Path) -> None:
    big = bytes(range(256)) * 300
    upload = Interaction(
        Request(
            "POST", UPLOAD, (("x-goog-upload-command", "upload, finalize"),), Body(BodyKind.BYTES, data=big)
        ),
        Response(200, (), Body(BodyKind.BYTES, data=b"\x89PNG\r\n")),
    )
    deleted = Interaction(
        Request("DELETE", "https://generativelanguage.googleapis.com/v1beta/files/abc"),
        Response(404, (("content-type", "text/plain"),), Body(BodyKind.TEXT, text="Not found\nat all")),
    )
    meta = replace(
        META, recorded_against="live", api_version="", client="", client_version="", recorded_at=""
    )
    write_cassette(project / "a.json", upload, deleted, meta=meta)

    result = run(runner, "show", "a.json")

    assert result.output.splitlines() == [
        "a.json: gemini, recorded against the live API; 2 interactions",
        f"#0 POST {UPLOAD} → 200",
        "  request:",
        "    x-goog-upload-command: upload, finalize",
        f"    <blob sha256:{hashlib.sha256(big).hexdigest()[:12]}… 76,800 bytes>",
        "  response:",
        "    <6 bytes>",
        "#1 DELETE https://generativelanguage.googleapis.com/v1beta/files/abc → 404",
        "  request:",
        "    (no body)",
        "  response:",
        "    content-type: text/plain",
        "    Not found",
        "    at all",
    ]


def test_long_values_are_shortened_unless_full(runner: CliRunner, project: Path) -> None:
    long_text = "word " * 40
    many = {"contents": [{"role": "user", "parts": [{"text": str(n)} for n in range(8)]}]}
    write_cassette(project / "a.json", generate(long_text, "ok"), generate("", "ok", request=many))

    short = run(runner, "show", "a.json").output
    full = run(runner, "show", "--full", "a.json").output

    assert f'"{long_text[:80]}… (200 characters)"' in short
    assert '            {"text": "4"},\n            "… 3 more"\n' in short
    assert long_text in full and '{"text": "7"}' in full and "more" not in full


def test_a_missing_cassette_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    result = run(runner, "show", "gone.json")

    assert result.exit_code == 2
    assert (
        result.output.splitlines()[-1]
        == "Error: Invalid value for 'CASSETTE': File 'gone.json' does not exist."
    )


def test_a_malformed_cassette_is_an_error(runner: CliRunner, project: Path) -> None:
    (project / "a.json").write_text('{"format": "genai-replay/1", "interactions": {}}', encoding="utf-8")

    result = run(runner, "show", "a.json")

    assert result.exit_code == 1
    assert result.output == (
        "Error: a.json: interactions must be a list, found dict; restore it from version control or record it again\n"
    )


def test_a_folder_is_not_a_cassette(runner: CliRunner, project: Path) -> None:
    (project / "cassettes").mkdir()

    result = run(runner, "show", "cassettes")

    assert result.exit_code == 2
    assert "File 'cassettes' is a directory." in result.output


def test_an_imported_cassette_says_what_it_was_imported_from(runner: CliRunner, project: Path) -> None:
    meta = replace(META, recorded_against="imported", client="imported from vcrpy", client_version="1")
    write_cassette(project / "a.json", generate("Hi", "Hello"), meta=meta)

    header = run(runner, "show", "a.json").output.splitlines()[0]

    assert (
        header
        == "a.json: gemini v1beta, imported from a vcrpy recording (format 1) at 2026-11-24T12:00:00Z (13 days ago); 1 interaction"
    )


@pytest.mark.parametrize(
    ("recorded_at", "shown"),
    [
        ("2026-12-07T23:59:30Z", "at 2026-12-07T23:59:30Z (just now)"),
        ("2026-12-07T19:00:00Z", "at 2026-12-07T19:00:00Z (5 hours ago)"),
        ("2026-12-07T00:00:00Z", "at 2026-12-07T00:00:00Z (1 day ago)"),
        ("2025-12-08T00:00:00+00:00", "at 2025-12-08T00:00:00+00:00 (365 days ago)"),
        ("2026-12-10T00:00:00Z", "at 2026-12-10T00:00:00Z (2 days from now)"),
        ("last tuesday", "at last tuesday (not an RFC 3339 time)"),
    ],
)
def test_the_recording_time_comes_with_the_age(
    runner: CliRunner, project: Path, recorded_at: str, shown: str
) -> None:
    write_cassette(project / "a.json", generate("Hi", "Hello"), meta=replace(META, recorded_at=recorded_at))

    header = run(runner, "show", "a.json").output.splitlines()[0]

    assert (
        header
        == f"a.json: gemini v1beta, recorded against the emulator by genai-min 0.1.0 {shown}; 1 interaction"
    )
