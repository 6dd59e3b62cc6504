"""What pytest-recording's `vcr` fixture answers, on genai_replay: play_count, all_played, recorded_requests."""

from __future__ import annotations

import pytest

from ._cassettes import GENERATE, save_answers

TESTS = f"""
from genai_min import models

def ask(genai_replay, question):
    return models.generate_content(genai_replay.transport(), model="gemini-2.0-flash-001", contents=question).text

def test_counts(genai_replay):
    recorded = genai_replay.recorded_requests
    assert [(r.method, r.url) for r in recorded] == [("POST", "{GENERATE}")] * 2
    assert [r.body.json["contents"][0]["parts"][0]["text"] for r in recorded] == ["Hi", "Bye"]
    assert (genai_replay.play_count, genai_replay.all_played) == (0, False)

    assert ask(genai_replay, "Hi") == "Hello"
    assert (genai_replay.play_count, genai_replay.all_played) == (1, False)

    assert ask(genai_replay, "Bye") == "Goodbye"
    assert (genai_replay.play_count, genai_replay.all_played) == (2, True)
    assert len(genai_replay.requests) == 2

def test_nothing_recorded(genai_replay):
    assert (genai_replay.recorded_requests, genai_replay.play_count, genai_replay.all_played) == ([], 0, True)
"""


def test_the_fixture_counts_what_was_played_of_what_was_recorded(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_counts=TESTS)
    save_answers(
        downstream.path / "cassettes" / "test_counts" / "test_counts.json",
        ("Hi", "Hello"),
        ("Bye", "Goodbye"),
    )

    downstream.runpytest().assert_outcomes(passed=2)


def test_a_re_recording_test_found_the_old_cassette_and_has_nothing_left_to_play(
    downstream: pytest.Pytester,
) -> None:
    downstream.makepyfile(
        test_again="""
        def test_again(genai_replay):
            assert [r.method for r in genai_replay.recorded_requests] == ["POST"]
            assert (genai_replay.play_count, genai_replay.all_played) == (0, True)
        """
    )
    save_answers(downstream.path / "cassettes" / "test_again" / "test_again.json", ("Hi", "Hello"))

    downstream.runpytest("--genai-replay-mode=all", "--genai-replay-upstream=emulator").assert_outcomes(
        passed=1
    )
