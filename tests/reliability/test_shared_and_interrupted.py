"""A recording is never lost: not by Ctrl-C in the middle of a test, not by tests sharing a cassette.

- A test interrupted (SIGINT, as Ctrl-C sends) after the first of its three requests, in every
  writing mode, leaves its cassette byte for byte as it was (or absent, if it was).
- Tests sharing one cassette by name, in every writing mode and under pytest-xdist too, end with
  every test's interactions in it: mode ``all`` replaces it once per run and then extends it, and
  ``once`` keeps recording into the cassette this run created. The cassette then replays offline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replay import load_cassette
from tests.reliability.conftest import LOST, Tally

INTERRUPTED_TESTS = "tests interrupted while recording"
SHARED_RUNS = "runs of tests sharing a cassette"

INTERRUPTED = """
import os
import signal

from genai_min import models


def test_three_questions(genai_replay):
    t = genai_replay.transport()
    for n, question in enumerate(["one?", "two?", "three?"]):
        if n == 1 and os.environ.get("INTERRUPT"):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, after the first request was recorded
        assert models.generate_content(t, model="gemini-2.0-flash-001", contents=question).text
"""

SHARED = """
import os

import pytest

from genai_min import models


@pytest.mark.genai_replay("shared")
@pytest.mark.parametrize("question", os.environ.get("QUESTIONS", "one?,two?,three?,four?").split(","))
def test_share(genai_replay, question):
    t = genai_replay.transport()
    assert models.generate_content(t, model="gemini-2.0-flash-001", contents=question).text
"""


def questions(path: Path) -> list[str]:
    return [
        i.request.body.json["contents"][0]["parts"][0]["text"]  # type: ignore[index, call-overload]
        for i in load_cassette(path).interactions
    ]


@pytest.mark.parametrize("mode", ["all", "new_episodes", "once"])
@pytest.mark.parametrize("is_recorded_before", [True, False], ids=["existing", "absent"])
def test_an_interrupted_test_leaves_its_cassette_as_it_was(
    downstream: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    reliability_tally: Tally,
    mode: str,
    is_recorded_before: bool,
) -> None:
    downstream.makepyfile(test_app=INTERRUPTED)
    cassette = downstream.path / "cassettes" / "test_app" / "test_three_questions.json"
    if is_recorded_before:
        downstream.runpytest_subprocess("--genai-replay-mode=once").assert_outcomes(passed=1)
    before = cassette.read_bytes() if is_recorded_before else None

    monkeypatch.setenv("INTERRUPT", "1")
    interrupted = downstream.runpytest_subprocess(f"--genai-replay-mode={mode}")

    reliability_tally[INTERRUPTED_TESTS] += 1
    assert interrupted.ret == pytest.ExitCode.INTERRUPTED
    after = cassette.read_bytes() if cassette.exists() else None
    if after != before:
        reliability_tally[LOST] += 1
    assert after == before


@pytest.mark.parametrize("mode", ["all", "once", "new_episodes"])
@pytest.mark.parametrize("workers", [0, 2])
def test_tests_sharing_a_cassette_all_keep_their_recordings(
    downstream: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    reliability_tally: Tally,
    mode: str,
    workers: int,
) -> None:
    downstream.makepyfile(test_app=SHARED)
    cassette = downstream.path / "cassettes" / "shared.json"
    parallel = ["-n", str(workers)] if workers else []
    expected = ["four?", "one?", "three?", "two?"]
    if mode != "once":  # once records only a cassette that is missing, or that this run created
        # A cassette from an earlier run, which mode all replaces and new_episodes adds to.
        monkeypatch.setenv("QUESTIONS", "zero?")
        downstream.runpytest_subprocess("--genai-replay-mode=all").assert_outcomes(passed=1)
        assert questions(cassette) == ["zero?"]
        monkeypatch.delenv("QUESTIONS")
        expected += ["zero?"] if mode == "new_episodes" else []

    downstream.runpytest_subprocess(f"--genai-replay-mode={mode}", *parallel).assert_outcomes(passed=4)

    reliability_tally[SHARED_RUNS] += 1
    recorded = questions(cassette)
    if sorted(recorded) != sorted(expected):
        reliability_tally[LOST] += 1
    assert sorted(recorded) == sorted(expected)
    assert json.loads(cassette.read_text())["meta"]["recorded_against"] == "emulator"
    downstream.runpytest_subprocess(*parallel).assert_outcomes(passed=4)
