"""`genai-replay record`: record a suite or a script against the emulator, check it, replay it offline."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import CREDENTIAL_VARIABLES
from replay import _isolation, _recording_run
from replay._config import Mode, Upstream
from replay._isolation import can_unshare_network
from replay._recording_run import record_run, summary_lines
from tests.cli.conftest import run

ROOT = Path(__file__).resolve().parents[2]
SUITE = """
from genai_min import models

def test_ask(genai_replay):
    with genai_replay.transport() as t:
        assert models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi").text
"""
SCRIPT = """
import genai_min
from genai_min import models

with genai_min.Transport() as t:
    print("answer:", models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi").text[:20])
"""


ISOLATION = "sockets refused, no network: unshare -rn" if can_unshare_network() else "sockets refused"


def squeezed(output: str) -> list[str]:
    """The output's lines with runs of spaces (table padding) made one."""
    return [" ".join(line.split()) for line in output.splitlines()]


@pytest.fixture
def offline(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with no credentials in the environment, so recording uses the emulator."""
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(project / "no-gcloud"))
    (project / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    return project


def test_a_suite_is_recorded_checked_and_replayed(runner: CliRunner, offline: Path) -> None:
    (offline / "test_app.py").write_text(SUITE)
    result = run(runner, "record", "test_app.py")
    assert result.exit_code == 0, result.output
    lines = squeezed(result.output)
    assert lines[0] == "recording against the embedded emulator (not the live API; the cassettes say so)"
    assert lines[-5:] == [
        "cassette interactions recorded status",
        "cassettes/test_app/test_ask.json 1 1 new",
        "recorded 1 interactions into 1 cassettes against the emulator",
        "check: no problems (format, schemas, credentials)",
        f"replayed offline (no credentials, {ISOLATION}): 1 interactions, all passed",
    ]
    meta = json.loads((offline / "cassettes" / "test_app" / "test_ask.json").read_text())["meta"]
    assert meta["recorded_against"] == "emulator"


def test_re_recording_what_is_there_changes_nothing(runner: CliRunner, offline: Path) -> None:
    (offline / "test_app.py").write_text(SUITE)
    assert run(runner, "record", "test_app.py").exit_code == 0
    cassette = offline / "cassettes" / "test_app" / "test_ask.json"
    before = cassette.read_bytes()
    result = run(runner, "-q", "record", "--mode", "all", "test_app.py")
    assert result.exit_code == 0, result.output
    assert "cassettes/test_app/test_ask.json 1 1 unchanged" in squeezed(result.output)
    assert cassette.read_bytes() == before


def test_a_script_is_recorded_into_a_cassette_beside_it(runner: CliRunner, offline: Path) -> None:
    (offline / "walk.py").write_text(SCRIPT)
    result = run(runner, "record", "walk.py")
    assert result.exit_code == 0, result.output
    assert "answer: " in result.output
    assert "cassettes/walk.json 1 1 new" in squeezed(result.output)
    assert (
        json.loads((offline / "cassettes" / "walk.json").read_text())["meta"]["recorded_against"]
        == "emulator"
    )


@pytest.mark.parametrize("can_unshare", [True, False], ids=["unshare works", "no unshare"])
def test_the_replay_has_no_network_where_unshare_works(
    can_unshare: bool, offline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands: list[list[str]] = []
    monkeypatch.setattr(_isolation, "can_unshare_network", lambda: can_unshare)
    monkeypatch.setattr(_recording_run, "_stream", lambda command, env, echo: commands.append(command) or 0)
    result = record_run(["test_app.py"], mode=Mode.ONCE, upstream=Upstream.EMULATOR, cassette_dir=None)
    recording, replaying = commands
    assert recording[:4] == [sys.executable, "-m", "pytest", "test_app.py"]
    wrapper, pytest_command = replaying[: -len(recording)], replaying[-len(recording) :]
    assert wrapper[:2] == (["unshare", "-rn"] if can_unshare else [])
    assert pytest_command[:4] == recording[:4] and "--genai-replay-mode=none" in pytest_command
    isolation = "sockets refused, no network: unshare -rn" if can_unshare else "sockets refused"
    assert (
        summary_lines(result)[-1]
        == f"replayed offline (no credentials, {isolation}): 0 interactions, all passed"
    )


def test_a_failing_suite_exits_1_and_skips_the_replay(runner: CliRunner, offline: Path) -> None:
    (offline / "test_app.py").write_text(SUITE + "\n\ndef test_broken(genai_replay):\n    assert False\n")
    result = run(runner, "record", "test_app.py")
    assert result.exit_code == 1
    assert result.output.splitlines()[-3:] == [
        "recorded 1 interactions into 1 cassettes against the emulator; the run failed (pytest exit code 1)",
        "check: no problems (format, schemas, credentials)",
        "replay: skipped",
    ]


def test_an_unknown_mode_is_a_usage_error(runner: CliRunner, offline: Path) -> None:
    result = run(runner, "record", "--mode", "sometimes")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--mode': 'sometimes' is not one of 'once', 'new_episodes', 'all'."
        in result.output
    )


def test_the_quick_start_tour_records_and_replays(runner: CliRunner, offline: Path) -> None:
    pytest.importorskip("google.genai")
    shutil.copytree(
        ROOT / "tools" / "tour", offline / "tools" / "tour", ignore=shutil.ignore_patterns("cassettes")
    )
    (offline / "conftest.py").write_text("")
    result = run(
        runner, "-q", "record", "tools/tour", "-k", "generate_text or stream_text or generate_videos"
    )
    assert result.exit_code == 0, result.output
    assert "against the emulator" in result.output and "all passed" in result.output
    recorded = sorted(p.name for p in (offline / "tools" / "tour" / "cassettes" / "test_tour").glob("*.json"))
    assert (
        "test_sdk[vertex-generate_videos].json" in recorded
        and "test_genai_min[gemini-stream_text].json" in recorded
    )
