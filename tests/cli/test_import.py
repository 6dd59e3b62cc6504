"""`genai-replay import`: vcrpy, Ruby VCR and go-vcr cassettes become sanitised genai-replay ones."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from replay import load_cassette

from .conftest import GENERATE, answer, ask, generate, run, write_cassette

FAKE_KEY = "AIza" + "2" * 35
QUESTION = json.dumps(ask("Hi"))
ANSWER = json.dumps(answer("Hello"))

VCRPY = f"""\
interactions:
- request:
    body: '{QUESTION}'
    headers:
      Content-Type:
      - application/json
      x-goog-api-key:
      - {FAKE_KEY}
    method: POST
    uri: {GENERATE}
  response:
    body:
      string: '{ANSWER}'
    headers:
      Content-Type:
      - application/json; charset=UTF-8
    status:
      code: 200
      message: OK
version: 1
"""

GO_VCR = f"""\
---
version: 2
interactions:
- request:
    body: '{QUESTION}'
    form: {{}}
    headers:
      Content-Type:
      - application/json
    url: {GENERATE}?key={FAKE_KEY}
    method: POST
  response:
    body: '{ANSWER}'
    headers:
      Content-Type:
      - application/json; charset=UTF-8
    status: 200 OK
    code: 200
    duration: ""
"""

RUBY_VCR = f"""\
---
http_interactions:
- request:
    method: post
    uri: {GENERATE}
    body:
      encoding: UTF-8
      string: '{QUESTION}'
    headers:
      Content-Type:
      - application/json
  response:
    status:
      code: 200
      message: OK
    headers:
      Content-Type:
      - application/json; charset=UTF-8
    body:
      encoding: UTF-8
      string: '{ANSWER}'
  recorded_at: Tue, 24 Nov 2026 12:00:00 GMT
recorded_with: VCR 6.2.0
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_folder_of_each_format_is_imported(runner: CliRunner, project: Path) -> None:
    write(project / "old" / "test_vcrpy.yaml", VCRPY)
    write(project / "old" / "go" / "test_go.yaml", GO_VCR)
    write(project / "old" / "test_ruby.yml", RUBY_VCR)

    result = run(runner, "import", "old", "cassettes")

    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "imported old/test_ruby.yml → cassettes/test_ruby.json (1 interaction, ruby-vcr)",
        "imported old/test_vcrpy.yaml → cassettes/test_vcrpy.json (1 interaction, vcrpy)",
        "imported old/go/test_go.yaml → cassettes/go/test_go.json (1 interaction, go-vcr)",
    ]
    for name in ("go/test_go.json", "test_ruby.json", "test_vcrpy.json"):
        interaction = load_cassette(project / "cassettes" / name).interactions[0]
        assert (interaction.request.body.json, interaction.response.body.json) == (ask("Hi"), answer("Hello"))
        assert FAKE_KEY not in (project / "cassettes" / name).read_text()
    assert run(runner, "check").output == "no problems in 3 cassettes\n"


def test_skipped_files_are_named_with_their_reason(runner: CliRunner, project: Path) -> None:
    write(project / "old" / "test_vcrpy.yaml", VCRPY)
    write(project / "old" / "notes.txt", "not a cassette")

    result = run(runner, "-q", "import", "old", "cassettes")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "skipped old/notes.txt: not a cassette file: the importer reads .yaml, .yml and .json files "
        "and httprr traces",
    ]
    assert (project / "cassettes" / "test_vcrpy.json").is_file()


def test_a_credential_no_rule_removes_is_skipped_until_a_rule_does(runner: CliRunner, project: Path) -> None:
    leaky = VCRPY.replace('"text": "Hi"', f'"text": "my key is {FAKE_KEY}"')
    write(project / "test_leak.yaml", leaky)

    refused = run(runner, "import", "test_leak.yaml", "leak.json")
    fixed = run(runner, "import", "--rule-regex", "AIza[0-9A-Za-z_-]{35}", "test_leak.yaml", "leak.json")

    assert refused.exit_code == 1
    assert refused.output.startswith(
        "skipped test_leak.yaml: leak.json: refused to write a cassette that still"
    )
    assert fixed.exit_code == 0
    assert fixed.output == "imported test_leak.yaml → leak.json (1 interaction, vcrpy)\n"
    assert load_cassette(project / "leak.json").interactions[0].request.body.json == ask("my key is REDACTED")


def test_a_missing_source_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    result = run(runner, "import", "nowhere", "cassettes")

    assert result.exit_code == 2
    assert (
        result.output.splitlines()[-1] == "Error: Invalid value for 'SOURCE': Path 'nowhere' does not exist."
    )


def test_without_a_destination_each_cassette_is_converted_beside_itself(
    runner: CliRunner, project: Path
) -> None:
    # pytest-recording's layout: tests/cassettes/<module>/<test>.yaml, <Class.test>.yaml for a method.
    chat = project / "tests" / "cassettes" / "test_chat"
    write(chat / "test_reply.yaml", VCRPY)
    write(chat / "TestChat.test_stream[fast].yaml", VCRPY)
    write(project / "tests" / "cassettes" / "test_go" / "test_go.yml", GO_VCR)

    result = run(runner, "import", "tests/cassettes")

    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "imported tests/cassettes/test_chat/TestChat.test_stream[fast].yaml → "
        "tests/cassettes/test_chat/TestChat.test_stream[fast].json (1 interaction, vcrpy)",
        "imported tests/cassettes/test_chat/test_reply.yaml → tests/cassettes/test_chat/test_reply.json "
        "(1 interaction, vcrpy)",
        "imported tests/cassettes/test_go/test_go.yml → tests/cassettes/test_go/test_go.json "
        "(1 interaction, go-vcr)",
    ]
    assert (chat / "test_reply.yaml").read_text() == VCRPY
    assert load_cassette(chat / "TestChat.test_stream[fast].json").interactions[0].response.body.json == (
        answer("Hello")
    )


def test_one_file_is_converted_beside_itself(runner: CliRunner, project: Path) -> None:
    write(project / "cassettes" / "test_reply.yaml", VCRPY)

    result = run(runner, "import", "cassettes/test_reply.yaml")

    assert result.exit_code == 0
    assert result.output == (
        "imported cassettes/test_reply.yaml → cassettes/test_reply.json (1 interaction, vcrpy)\n"
    )


def test_converting_again_replaces_earlier_imports_and_passes_over_json_files(
    runner: CliRunner, project: Path
) -> None:
    write(project / "cassettes" / "test_reply.yaml", VCRPY)
    run(runner, "import", "cassettes")
    write_cassette(project / "cassettes" / "test_recorded.json", generate("Hi", "Hello"))
    write_cassette(project / "cassettes" / "deeper" / "test_big.json", generate("Hi", "Hello"))
    write(project / "cassettes" / "deeper" / "blobs" / "0123abcd.bin", "blob contents")

    result = run(runner, "import", "--rule-regex", "Hello", "cassettes")

    assert result.exit_code == 0
    assert result.output == (
        "imported cassettes/test_reply.yaml → cassettes/test_reply.json "
        "(1 interaction, vcrpy, replacing the earlier import)\n"
    )
    assert load_cassette(project / "cassettes" / "test_reply.json").interactions[0].response.body.json == (
        answer("REDACTED")
    )


def test_a_recorded_cassette_in_the_way_is_left_as_it_is(runner: CliRunner, project: Path) -> None:
    write(project / "cassettes" / "test_reply.yaml", VCRPY)
    recorded = write_cassette(project / "cassettes" / "test_reply.json", generate("Hi", "Recorded"))
    before = recorded.read_bytes()
    write(project / "cassettes" / "test_odd.yaml", VCRPY)
    write(project / "cassettes" / "test_odd.json", "not a cassette")

    result = run(runner, "import", "cassettes")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "skipped cassettes/test_odd.yaml: cassettes/test_odd.json already exists and is not a cassette "
        "genai-replay can read; move it away to convert cassettes/test_odd.yaml in its place, or give a "
        "DESTINATION",
        "skipped cassettes/test_reply.yaml: cassettes/test_reply.json already exists and was recorded by "
        "genai-replay, not imported; move it away to convert cassettes/test_reply.yaml "
        "in its place, or give a DESTINATION",
    ]
    assert recorded.read_bytes() == before
    assert (project / "cassettes" / "test_odd.json").read_text() == "not a cassette"


def test_a_json_file_cannot_be_converted_in_its_place(runner: CliRunner, project: Path) -> None:
    write(project / "old.json", "{}")

    result = run(runner, "import", "old.json")

    assert result.exit_code == 1
    assert result.output == "skipped old.json: would overwrite itself at old.json; give a DESTINATION\n"
