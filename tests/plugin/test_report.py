"""The end-of-run summary: counts, then each thing to fix with the command that fixes it; right under xdist."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay._config import Mode
from replay._report import Report, summary_lines
from replay._session import Outcome

TESTS = """
import os
from genai_min import models

def ask(genai_replay, *prompts):
    with genai_replay.transport() as t:
        for prompt in prompts:
            models.generate_content(t, model="gemini-2.0-flash-001", contents=prompt)

def test_a(genai_replay):
    ask(genai_replay, *os.environ.get("A", "a1,a2").split(","))

def test_b(genai_replay):
    ask(genai_replay, "b")

def test_c(genai_replay):
    ask(genai_replay, "c")
"""


@pytest.fixture
def recorded(downstream: pytest.Pytester) -> pytest.Pytester:
    downstream.makepyfile(test_app=TESTS)
    downstream.runpytest("--genai-replay-mode=once", "--genai-replay-upstream=emulator").assert_outcomes(
        passed=3
    )
    (downstream.path / "cassettes" / "test_app" / "test_gone.json").write_text("{}")
    return downstream


SUMMARY = [
    "*= genai-replay =*",
    "genai-replay: 3 cassettes; 2 interactions replayed, 0 recorded (0 new cassettes, 0 changed), 2 unplayed, 1 missing",
    "genai-replay: 1 request had no recording; record them with --genai-replay-mode=new_episodes:",
    "  cassettes/test_app/test_c.json (1 missing)",
    "genai-replay: interactions never played in 2 cassettes; re-record them with --genai-replay-mode=all:",
    "  cassettes/test_app/test_a.json (1 unplayed)",
    "  cassettes/test_app/test_c.json (1 unplayed)",
    "genai-replay: 1 unused cassette (no test in this run uses them); delete them if their tests are gone:",
    "  cassettes/test_app/test_gone.json",
]


def test_the_summary_counts_and_says_what_to_run(
    recorded: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("A", "a1")
    (recorded.path / "cassettes" / "test_app" / "test_c.json").write_text(
        (recorded.path / "cassettes" / "test_app" / "test_b.json").read_text()
    )
    result = recorded.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(SUMMARY, consecutive=True)


@pytest.mark.parametrize(
    "selection",
    [["test_app.py::test_b"], ["-k", "test_b"], ["-m", "not slow"], ["--deselect", "test_app.py::test_a"]],
    ids=["node id", "keyword", "marker", "deselect"],
)
def test_a_partial_run_calls_no_cassette_unused(recorded: pytest.Pytester, selection: list[str]) -> None:
    # Only part of the suite ran: the cassettes of tests it did not collect are not "unused".
    result = recorded.runpytest(*selection)
    assert result.ret == pytest.ExitCode.OK
    assert not [line for line in result.stdout.lines if "unused cassette" in line]


def test_the_whole_suite_still_reports_unused_cassettes(recorded: pytest.Pytester) -> None:
    result = recorded.runpytest("test_app.py")
    result.stdout.fnmatch_lines(["genai-replay: 1 unused cassette (no test in this run uses them)*"])


def test_the_summary_is_the_same_under_xdist(
    recorded: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("xdist")
    monkeypatch.setenv("A", "a1")
    (recorded.path / "cassettes" / "test_app" / "test_c.json").write_text(
        (recorded.path / "cassettes" / "test_app" / "test_b.json").read_text()
    )
    result = recorded.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(SUMMARY, consecutive=True)


def test_nothing_is_printed_when_no_test_uses_the_fixture(downstream: pytest.Pytester) -> None:
    downstream.makepyfile("def test_plain():\n    pass\n")
    result = downstream.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("genai-replay: *")


def test_tests_sharing_a_cassette_count_only_what_none_of_them_played(tmp_path: Path) -> None:
    shared, alone = tmp_path / "shared.json", tmp_path / "alone.json"
    worker = Report(
        [
            Outcome(shared, Mode.NONE, replayed=2, unplayed=2, interactions=5, played=[0, 1]),
            Outcome(alone, Mode.NONE, replayed=1, unplayed=1, interactions=2, played=[0]),
        ]
    )
    report = Report([Outcome(shared, Mode.NONE, replayed=2, unplayed=3, interactions=5, played=[1, 3])])
    report.merge_json(worker.to_json())  # as from an xdist worker

    lines = summary_lines(report, tmp_path)

    assert lines[0].endswith(
        "5 interactions replayed, 0 recorded (0 new cassettes, 0 changed), 3 unplayed, 0 missing"
    )
    assert lines[2:] == ["  shared.json (2 unplayed)", "  alone.json (1 unplayed)"]
