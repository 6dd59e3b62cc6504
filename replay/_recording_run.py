"""`genai-replay record`: run a suite or a script in a recording mode, check what it wrote, replay it offline.

Three steps, each in a fresh Python process so that the recording sees exactly what a user's run
would see:

1. Record: ``python -m pytest TARGETS --genai-replay-mode=MODE --genai-replay-upstream=UPSTREAM``, or,
   for a script (a ``.py`` file that is not a test module), ``python -m replay._recording_run``,
   which runs the script inside one cassette session. The upstream is the live service when
   credentials are present and the embedded emulator when not (or when asked).
2. Check every cassette the run touched: format, schemas, credential patterns (`replay._check`).
3. Replay: the same run again in mode ``none``, with no credentials in its environment and sockets
   refused, which proves the cassettes are enough. Where ``unshare -rn`` works (Linux with user
   namespaces) that run also has a network namespace of its own, so not even a subprocess gets out.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from replay._cassette_json import load_cassette
from replay._check import Finding, check_cassettes, shown_path
from replay._config import Config, Mode, Upstream
from replay._environment import has_credentials
from replay._isolation import UNSHARE, without_network
from replay._report import Report

CREDENTIAL_VARIABLES = ("GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_APPLICATION_CREDENTIALS")
UPSTREAM_NAMES = {
    Upstream.LIVE: "the live API (credentials found)",
    Upstream.EMULATOR: "the embedded emulator (not the live API; the cassettes say so)",
    Upstream.AUTO: "the live API when credentials are found, else the emulator",
}


@dataclass(frozen=True)
class Row:
    """One cassette the recording touched."""

    path: Path
    interactions: int
    recorded: int
    is_new: bool
    is_changed: bool


@dataclass
class RecordResult:
    """What `record` did: where it recorded, the run's exit code, the cassettes, findings, the replay."""

    upstream: Upstream
    exit_code: int
    rows: list[Row] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    replay_exit_code: int | None = None
    replayed: int = 0
    is_replay_unshared: bool = False

    @property
    def is_ok(self) -> bool:
        """Whether recording, checking and replaying all succeeded."""
        return self.exit_code == 0 and not self.findings and self.replay_exit_code in (0, None)


def is_script(targets: Sequence[str]) -> bool:
    """Tell whether the targets name one script (a .py file that is not a pytest module)."""
    if len(targets) != 1 or not targets[0].endswith(".py"):
        return False
    name = Path(targets[0]).name
    return not (name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py")


def choose_upstream(*, force_emulator: bool) -> Upstream:
    """Record against the emulator when asked to or when no credentials are at hand, else live."""
    return Upstream.EMULATOR if force_emulator or not has_credentials() else Upstream.LIVE


def record_run(
    targets: Sequence[str],
    *,
    mode: Mode,
    upstream: Upstream,
    cassette_dir: Path | None,
    pytest_args: Sequence[str] = (),
    verify: bool = True,
    echo: Callable[[str], None] = print,
) -> RecordResult:
    """Record `targets` (test paths, or one script), check the cassettes, and replay them offline."""
    with tempfile.TemporaryDirectory(prefix="genai-replay-record-") as folder:
        report_path = Path(folder) / "report.json"
        command = _command(targets, mode, upstream, cassette_dir, report_path, pytest_args)
        result = RecordResult(upstream, _stream(command, os.environ.copy(), echo))
        report = Report()
        if report_path.exists():
            report.merge_json(report_path.read_text(encoding="utf-8"))
        result.rows = _rows(report)
        result.findings = check_cassettes([row.path for row in result.rows if row.path.exists()])
        if verify and result.exit_code == 0 and not result.findings:
            offline = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARIABLES}
            replay_report = Path(folder) / "replay.json"
            command = without_network(
                _command(targets, Mode.NONE, Upstream.AUTO, cassette_dir, replay_report, pytest_args)
            )
            result.is_replay_unshared = tuple(command[: len(UNSHARE)]) == UNSHARE
            result.replay_exit_code = _stream(command, offline, echo)
            replayed = Report()
            if replay_report.exists():
                replayed.merge_json(replay_report.read_text(encoding="utf-8"))
            result.replayed = sum(o.replayed for o in replayed.outcomes)
    return result


def summary_lines(result: RecordResult) -> list[str]:
    """Return the table of cassettes written, the check's findings and the replay's verdict."""
    lines: list[str] = []
    if result.rows:
        names = [shown_path(row.path) for row in result.rows]
        width = max(len(name) for name in names)
        lines.append(f"{'cassette'.ljust(width)}  interactions  recorded  status")
        for name, row in zip(names, result.rows, strict=True):
            status = "new" if row.is_new else "changed" if row.is_changed else "unchanged"
            lines.append(f"{name.ljust(width)}  {row.interactions:>12}  {row.recorded:>8}  {status}")
    recorded = sum(row.recorded for row in result.rows)
    lines.append(
        f"recorded {recorded} interactions into {len(result.rows)} cassettes against "
        f"{'the emulator' if result.upstream is Upstream.EMULATOR else 'the live API'}"
        + ("" if result.exit_code == 0 else f"; the run failed (pytest exit code {result.exit_code})")
    )
    if result.findings:
        lines.append(f"check found {len(result.findings)} problems:")
        lines.extend(f"  {finding}" for finding in result.findings)
    else:
        lines.append("check: no problems (format, schemas, credentials)")
    offline = "no credentials, sockets refused"
    if result.is_replay_unshared:
        offline += ", no network: unshare -rn"
    if result.replay_exit_code is None:
        lines.append("replay: skipped")
    elif result.replay_exit_code == 0:
        lines.append(f"replayed offline ({offline}): {result.replayed} interactions, all passed")
    else:
        lines.append(
            f"replay failed offline ({offline}; exit code {result.replay_exit_code}); see the output above"
        )
    return lines


def _command(
    targets: Sequence[str],
    mode: Mode,
    upstream: Upstream,
    cassette_dir: Path | None,
    report: Path,
    pytest_args: Sequence[str],
) -> list[str]:
    settings = [f"--genai-replay-mode={mode.value}", f"--genai-replay-upstream={upstream.value}"]
    settings.append(f"--genai-replay-report={report}")
    if cassette_dir is not None:
        settings.append(f"--genai-replay-dir={cassette_dir.resolve()}")
    if is_script(targets):
        return [sys.executable, "-m", "replay._recording_run", *settings, "--", targets[0], *pytest_args]
    return [sys.executable, "-m", "pytest", *targets, *settings, *pytest_args]


def _stream(command: list[str], env: dict[str, str], echo: Callable[[str], None]) -> int:
    """Run `command`, passing each line of its output on as it comes; return its exit code."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True, bufsize=1
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            echo(line.rstrip("\n"))
        return process.wait()


def _rows(report: Report) -> list[Row]:
    merged: dict[Path, Row] = {}
    for outcome in report.outcomes:
        if not outcome.recorded and outcome.path not in merged:
            continue
        before = merged.get(outcome.path)
        merged[outcome.path] = Row(
            outcome.path,
            len(load_cassette(outcome.path).interactions) if outcome.path.exists() else 0,
            outcome.recorded + (before.recorded if before else 0),
            outcome.is_new or bool(before and before.is_new),
            outcome.is_changed or bool(before and before.is_changed),
        )
    return sorted(merged.values(), key=lambda row: row.path)


def _run_script(argv: Sequence[str]) -> int:
    """Run a script inside one cassette session (the child process of `record` for scripts)."""
    settings: dict[str, str] = {}
    rest = list(argv)
    while rest and rest[0] != "--":
        name, _, value = rest.pop(0).removeprefix("--genai-replay-").partition("=")
        settings[name] = value
    script, *script_args = rest[1:]
    from replay._harness import Harness

    config = Config(mode=Mode(settings["mode"]), upstream=Upstream(settings["upstream"]))
    root = Path(settings["dir"]) if "dir" in settings else Path(script).resolve().parent / "cassettes"
    harness = Harness()
    try:
        with harness.running(harness.session(root / f"{Path(script).stem}.json", config)):
            sys.argv = [script, *script_args]
            runpy.run_path(script, run_name="__main__")
    except SystemExit as stop:
        if stop.code not in (0, None):
            return stop.code if isinstance(stop.code, int) else 1
    finally:
        if "report" in settings:
            Path(settings["report"]).write_text(harness.report.to_json(), encoding="utf-8")
        harness.close()
    return 0


if __name__ == "__main__":
    sys.exit(_run_script(sys.argv[1:]))
