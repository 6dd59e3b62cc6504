"""--genai-replay-mode: what each mode sends, what it writes, and what it refuses."""

from __future__ import annotations

import json

import pytest

ASK = """
import os
from genai_min import models

def test_ask(genai_replay):
    t = genai_replay.transport()
    for prompt in os.environ.get("PROMPTS", "Hi").split(","):
        assert models.generate_content(t, model="gemini-2.0-flash-001", contents=prompt).text
"""
UPSTREAM = "--genai-replay-upstream=emulator"


def cassette(pytester: pytest.Pytester) -> dict:
    return json.loads((pytester.path / "cassettes" / "test_ask" / "test_ask.json").read_text())


def prompts(pytester: pytest.Pytester) -> list[str]:
    return [
        i["request"]["body"]["json"]["contents"][0]["parts"][0]["text"]
        for i in cassette(pytester)["interactions"]
    ]


def test_none_is_the_default_and_fails_without_a_cassette(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_ask=ASK)
    result = downstream.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*NoMatchError: no cassette at *test_ask.json to answer POST https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent; record it with --genai-replay-mode=once"
        ]
    )
    assert not (downstream.path / "cassettes").exists()


def test_once_records_a_missing_cassette_then_only_replays(
    downstream: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    downstream.makepyfile(test_ask=ASK)
    downstream.runpytest("--genai-replay-mode=once", UPSTREAM).assert_outcomes(passed=1)
    assert prompts(downstream) == ["Hi"]
    assert cassette(downstream)["meta"]["recorded_against"] == "emulator"

    monkeypatch.setenv("PROMPTS", "Hi,Bye")
    result = downstream.runpytest("--genai-replay-mode=once", UPSTREAM)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*no recorded interaction in *test_ask.json matches POST *"])
    assert prompts(downstream) == ["Hi"]


def test_new_episodes_adds_what_is_missing_after_what_is_there(
    downstream: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    downstream.makepyfile(test_ask=ASK)
    downstream.runpytest("--genai-replay-mode=once", UPSTREAM).assert_outcomes(passed=1)
    monkeypatch.setenv("PROMPTS", "Hi,Bye")
    result = downstream.runpytest("--genai-replay-mode=new_episodes", UPSTREAM)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "genai-replay: 1 cassette; 1 interactions replayed, 1 recorded (0 new cassettes, 1 changed), 0 unplayed, 0 missing"
        ]
    )
    assert prompts(downstream) == ["Hi", "Bye"]


def test_all_re_records_quietly_when_nothing_changed(
    downstream: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    downstream.makepyfile(test_ask=ASK)
    monkeypatch.setenv("PROMPTS", "Hi,Bye")
    downstream.runpytest("--genai-replay-mode=once", UPSTREAM).assert_outcomes(passed=1)
    path = downstream.path / "cassettes" / "test_ask" / "test_ask.json"
    before = path.read_bytes()

    downstream.runpytest("--genai-replay-mode=all", UPSTREAM).assert_outcomes(passed=1)
    assert path.read_bytes() == before

    monkeypatch.setenv("PROMPTS", "Bye")
    result = downstream.runpytest("--genai-replay-mode=all", UPSTREAM)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*1 recorded (0 new cassettes, 1 changed)*"])
    assert prompts(downstream) == ["Bye"]


def test_live_sends_everything_and_writes_nothing(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_ask=ASK)
    downstream.runpytest("--genai-replay-mode=live", UPSTREAM).assert_outcomes(passed=1)
    assert not (downstream.path / "cassettes").exists()


def test_ini_sets_the_mode_and_the_marker_overrides_it(downstream: pytest.Pytester) -> None:
    downstream.makeini("[pytest]\ngenai_replay_mode = live\ngenai_replay_upstream = emulator\n")
    downstream.makepyfile(
        test_ask=ASK
        + """
import pytest

@pytest.mark.genai_replay(mode="once")
def test_marked(genai_replay):
    test_ask(genai_replay)
"""
    )
    downstream.runpytest().assert_outcomes(passed=2)
    assert [p.name for p in (downstream.path / "cassettes" / "test_ask").iterdir()] == ["test_marked.json"]
