"""Moving from pytest-recording: the miss names the vcrpy cassette beside it, and importing it in place replays."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from replay.cli import main

from ._cassettes import GENERATE

QUESTION = json.dumps({"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]})
ANSWER = json.dumps({"candidates": [{"content": {"role": "model", "parts": [{"text": "Hello"}]}}]})

# What pytest-recording writes for a test that asks "Hi" (headers cut to what matters here).
VCRPY = f"""\
interactions:
- request:
    body: '{QUESTION}'
    headers:
      Content-Type:
      - application/json
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

TESTS = """
import genai_min
import pytest
from genai_min import models

pytestmark = pytest.mark.genai_replay

def ask(question):
    return models.generate_content(genai_min.Transport(), model="gemini-2.0-flash-001", contents=question).text

def test_hi():
    assert ask("Hi") == "Hello"

class TestChat:
    @pytest.mark.parametrize("speed", ["fast"])
    def test_reply(self, speed):
        assert ask("Hi") == "Hello"
"""

MISS = (
    "E   *NoMatchError: no cassette at {json} to answer POST {url}; {yaml} beside it looks like a vcrpy or "
    "pytest-recording cassette: convert it with `genai-replay import {command}` (or give its folder to "
    "convert them all), or record it with --genai-replay-mode=once"
)


def test_a_vcrpy_cassette_where_pytest_recording_keeps_it_is_named_then_imported(
    downstream: pytest.Pytester,
) -> None:
    downstream.mkdir("tests")  # not a package: "tests" is this suite's own, imported in this process
    (downstream.path / "tests" / "test_chat.py").write_text(TESTS)
    folder = downstream.path / "tests" / "cassettes" / "test_chat"
    folder.mkdir(parents=True)
    (folder / "test_hi.yaml").write_text(VCRPY)
    (folder / "TestChat.test_reply[fast].yml").write_text(VCRPY)

    missing = downstream.runpytest("-p", "no:randomly")
    imported = CliRunner().invoke(main, ["import", "tests/cassettes"], catch_exceptions=False)
    replayed = downstream.runpytest()

    missing.assert_outcomes(failed=2)
    base = "tests/cassettes/test_chat/"
    missing.stdout.fnmatch_lines(
        [
            MISS.format(
                json=f"{base}test_hi.json",
                url=GENERATE,
                yaml=f"{base}test_hi.yaml",
                command=f"{base}test_hi.yaml",
            ),
            MISS.format(
                json=f"{base}TestChat.test_reply[[]fast].json",
                url=GENERATE,
                yaml=f"{base}TestChat.test_reply[[]fast].yml",
                command=f"'{base}TestChat.test_reply[[]fast].yml'",
            ),
        ]
    )
    assert imported.exit_code == 0, imported.output
    replayed.assert_outcomes(passed=2)
    assert (folder / "test_hi.yaml").is_file()
