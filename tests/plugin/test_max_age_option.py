"""--genai-replay-max-age and --genai-replay-on-stale: what a cassette recorded too long ago does."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from replay import Cassette, Meta, save_cassette
from replay._config import Mode
from replay._report import Report, summary_lines
from replay._session import Outcome

from ._cassettes import generate

TESTS = """
import pytest
from genai_min import models

def ask(genai_replay, prompt):
    with genai_replay.transport() as t:
        return models.generate_content(t, model="gemini-2.0-flash-001", contents=prompt).text

def test_old(genai_replay):
    assert ask(genai_replay, "Hi")

def test_fresh(genai_replay):
    assert ask(genai_replay, "Hello")
"""
MAX_AGE = "--genai-replay-max-age=90d"
COUNTS = "genai-replay: 2 cassettes; 2 interactions replayed, 0 recorded (0 new cassettes, 0 changed), 0 unplayed, 0 missing"


def days_ago(days: int) -> str:
    """An RFC 3339 time `days` days (and an hour, so the count is whole) before now."""
    when = datetime.now(UTC) - timedelta(days=days, hours=1)
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def write(
    project: pytest.Pytester, name: str, prompt: str, *, recorded_at: str, against: str = "emulator"
) -> Path:
    path = project.path / "cassettes" / "test_app" / f"{name}.json"
    meta = Meta(recorded_against=against, api_version="v1beta", recorded_at=recorded_at)
    save_cassette(Cassette((generate(prompt, f"recorded answer to {prompt}"),), meta), path)
    return path


def meta_of(path: Path) -> dict[str, str]:
    return json.loads(path.read_text())["meta"]  # type: ignore[no-any-return]


@pytest.fixture
def project(downstream: pytest.Pytester) -> pytest.Pytester:
    """A project whose test_old's cassette is 400 days old and test_fresh's 10 days."""
    downstream.makepyfile(test_app=TESTS)
    write(downstream, "test_old", "Hi", recorded_at=days_ago(400))
    write(downstream, "test_fresh", "Hello", recorded_at=days_ago(10))
    return downstream


def test_without_max_age_no_cassette_is_stale(project: pytest.Pytester) -> None:
    result = project.runpytest()

    result.assert_outcomes(passed=2)
    result.stdout.no_fnmatch_line("genai-replay: *stale*")


def test_warn_replays_a_stale_cassette_and_the_report_lists_it_with_the_command(
    project: pytest.Pytester,
) -> None:
    result = project.runpytest(MAX_AGE)

    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            COUNTS,
            "genai-replay: 1 stale cassette (recorded longer ago than max_age), replayed as it is:",
            "  cassettes/test_app/test_old.json (400 days old)",
            "genai-replay: re-record stale cassettes with: pytest test_app.py::test_old --genai-replay-mode=all",
        ],
        consecutive=True,
    )


def test_fail_fails_the_test_before_it_runs_naming_cassette_age_and_command(
    project: pytest.Pytester,
) -> None:
    # max_age from the ini file, on_stale from the marker: every source works.
    project.makeini(
        "[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\ngenai_replay_max_age = 90d\n"
    )
    project.makeconftest(
        "import pytest\n\n"
        "def pytest_collection_modifyitems(items):\n"
        "    for item in items:\n"
        "        item.add_marker(pytest.mark.genai_replay(on_stale='fail'))\n"
    )
    old = project.path / "cassettes" / "test_app" / "test_old.json"
    recorded_at = meta_of(old)["recorded_at"]

    result = project.runpytest()

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR at setup of test_old _*",
            f"{old}: stale cassette: recorded {recorded_at}, 400 days ago, longer ago than max_age "
            "90d (on_stale=fail); re-record it with `pytest test_app.py::test_old --genai-replay-mode=all`, "
            "or raise max_age",
            "=*= genai-replay =*=",
        ],
        consecutive=True,
    )
    result.stdout.fnmatch_lines(
        [
            "genai-replay: 1 stale cassette (recorded longer ago than max_age) failed the tests that use it:",
            "  cassettes/test_app/test_old.json (400 days old)",
            "genai-replay: re-record stale cassettes with: pytest test_app.py::test_old --genai-replay-mode=all",
        ],
        consecutive=True,
    )
    assert meta_of(old)["recorded_at"] == recorded_at


def test_record_re_records_a_stale_cassette_against_the_emulator_without_credentials(
    project: pytest.Pytester,
) -> None:
    old = project.path / "cassettes" / "test_app" / "test_old.json"
    fresh = project.path / "cassettes" / "test_app" / "test_fresh.json"
    fresh_before = fresh.read_bytes()

    result = project.runpytest(MAX_AGE, "--genai-replay-on-stale=record")

    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "genai-replay: 2 cassettes; 1 interactions replayed, 1 recorded (0 new cassettes, 1 changed), 0 unplayed, 0 missing",
            "genai-replay: 1 stale cassette re-recorded (on_stale=record); review before committing, e.g. "
            "with `genai-replay diff --rev HEAD CASSETTE`:",
            "  cassettes/test_app/test_old.json (was 400 days old)",
        ],
        consecutive=True,
    )
    meta = meta_of(old)
    age = datetime.now(UTC) - datetime.fromisoformat(meta["recorded_at"])
    assert meta["recorded_against"] == "emulator" and age < timedelta(minutes=5)
    assert "recorded answer to Hi" not in old.read_text()  # the emulator's answer now
    assert fresh.read_bytes() == fresh_before

    again = project.runpytest(MAX_AGE, "--genai-replay-on-stale=fail")
    again.assert_outcomes(passed=2)
    again.stdout.no_fnmatch_line("genai-replay: *stale*")


def test_record_keeps_the_live_api_s_answers_when_only_the_emulator_could_record(
    project: pytest.Pytester,
) -> None:
    old = write(project, "test_old", "Hi", recorded_at=days_ago(400), against="live")
    before = old.read_bytes()

    result = project.runpytest(MAX_AGE, "--genai-replay-on-stale=record")

    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "genai-replay: 1 stale cassette (recorded longer ago than max_age), replayed as it is:",
            "  cassettes/test_app/test_old.json (400 days old; not re-recorded: it holds the live API's "
            "answers and there are no credentials to record them again; set GOOGLE_API_KEY (or "
            "application-default credentials), or pass --genai-replay-upstream=emulator to record it "
            "against the emulator)",
            "genai-replay: re-record stale cassettes with: pytest test_app.py::test_old --genai-replay-mode=all",
        ],
        consecutive=True,
    )
    assert old.read_bytes() == before

    forced = project.runpytest(MAX_AGE, "--genai-replay-on-stale=record", "--genai-replay-upstream=emulator")
    forced.assert_outcomes(passed=2)
    assert meta_of(old)["recorded_against"] == "emulator"


def test_record_re_records_a_shared_cassette_with_every_test_that_uses_it(
    downstream: pytest.Pytester,
) -> None:
    downstream.makepyfile(
        test_app="""
        import pytest
        from genai_min import models

        pytestmark = pytest.mark.genai_replay("shared", max_age="90d", on_stale="record")

        def ask(genai_replay, prompt):
            with genai_replay.transport() as t:
                return models.generate_content(t, model="gemini-2.0-flash-001", contents=prompt).text

        def test_one(genai_replay):
            assert ask(genai_replay, "Hi")

        def test_two(genai_replay):
            assert ask(genai_replay, "Hello")
        """
    )
    path = downstream.path / "cassettes" / "shared.json"
    meta = Meta(recorded_against="emulator", api_version="v1beta", recorded_at=days_ago(400))
    save_cassette(Cassette((generate("Hi", "old hi"), generate("Hello", "old hello")), meta), path)

    downstream.runpytest("-p", "no:randomly").assert_outcomes(passed=2)

    stored = json.loads(path.read_text())
    prompts = [
        i["request"]["body"]["json"]["contents"][0]["parts"][0]["text"] for i in stored["interactions"]
    ]
    assert prompts == ["Hi", "Hello"]
    assert "old hi" not in path.read_text() and "old hello" not in path.read_text()
    downstream.runpytest().assert_outcomes(passed=2)


def test_a_shared_cassette_is_re_recorded_whole_under_xdist(downstream: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    downstream.makepyfile(
        test_app="""
        import pytest
        from genai_min import models

        pytestmark = pytest.mark.genai_replay("shared", max_age="90d", on_stale="record")

        @pytest.mark.parametrize("prompt", ["Hi", "Hello", "Hey", "Yo"])
        def test_ask(genai_replay, prompt):
            with genai_replay.transport() as t:
                assert models.generate_content(t, model="gemini-2.0-flash-001", contents=prompt).text
        """
    )
    path = downstream.path / "cassettes" / "shared.json"
    meta = Meta(recorded_against="emulator", api_version="v1beta", recorded_at=days_ago(400))
    save_cassette(Cassette(tuple(generate(p, f"old {p}") for p in ("Hi", "Hello", "Hey", "Yo")), meta), path)

    result = downstream.runpytest_subprocess("-n", "2")

    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["  cassettes/shared.json (was 400 days old)"])
    stored = json.loads(path.read_text())["interactions"]
    assert sorted(i["request"]["body"]["json"]["contents"][0]["parts"][0]["text"] for i in stored) == [
        "Hello",
        "Hey",
        "Hi",
        "Yo",
    ]
    downstream.runpytest().assert_outcomes(passed=4)


@pytest.mark.parametrize("mode", ["none", "once", "new_episodes"])
def test_modes_that_replay_ask(project: pytest.Pytester, mode: str) -> None:
    result = project.runpytest(MAX_AGE, "--genai-replay-on-stale=fail", f"--genai-replay-mode={mode}")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*/test_old.json: stale cassette: recorded *, 400 days ago, *"])


@pytest.mark.parametrize("mode", ["all", "live"])
def test_modes_that_do_not_replay_never_ask(project: pytest.Pytester, mode: str) -> None:
    result = project.runpytest(
        MAX_AGE,
        "--genai-replay-on-stale=fail",
        f"--genai-replay-mode={mode}",
        "--genai-replay-upstream=emulator",
    )

    result.assert_outcomes(passed=2)
    result.stdout.no_fnmatch_line("genai-replay: *stale*")


def test_a_bad_max_age_fails_the_run_naming_the_accepted_forms(project: pytest.Pytester) -> None:
    result = project.runpytest("--genai-replay-max-age=3 months")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: genai-replay command-line options or ini keys: genai_replay max_age '3 months' is not a "
            "duration; write a whole number above zero and a unit, one of s, m, h, d, w, y (seconds, "
            "minutes, hours, days, weeks, years of 365 days), as in '90d' or '12h'; or 'none' for no limit; "
            "or pass a datetime.timedelta"
        ]
    )


def test_stale_cassettes_are_reported_once_across_xdist_workers(tmp_path: Path) -> None:
    old, gone = tmp_path / "old.json", tmp_path / "gone.json"
    stale = {"stale": "recorded 2025-01-01T00:00:00Z, 706 days ago, longer ago than max_age 90d"}
    worker = Report(
        [
            Outcome(
                old,
                Mode.NONE,
                replayed=1,
                test="test_a.py::test_x[1]",
                age="706 days old",
                on_stale="warn",
                **stale,
            ),
            Outcome(gone, Mode.NONE, test="test_a.py::test_y", age="706 days old", on_stale="fail", **stale),
        ]
    )
    report = Report(
        [
            Outcome(
                old,
                Mode.NONE,
                replayed=1,
                test="test_a.py::test_x[2]",
                age="706 days old",
                on_stale="warn",
                **stale,
            )
        ]
    )
    report.merge_json(worker.to_json())

    assert summary_lines(report, tmp_path)[1:] == [
        "genai-replay: 1 stale cassette (recorded longer ago than max_age), replayed as it is:",
        "  old.json (706 days old)",
        "genai-replay: 1 stale cassette (recorded longer ago than max_age) failed the tests that use it:",
        "  gone.json (706 days old)",
        "genai-replay: re-record stale cassettes with: pytest 'test_a.py::test_x[2]' 'test_a.py::test_x[1]' "
        "test_a.py::test_y --genai-replay-mode=all",
    ]
