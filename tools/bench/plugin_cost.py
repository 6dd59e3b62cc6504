"""What installing genai-replay costs a pytest run that never uses it: start-up with the plugin loaded.

pytest loads every installed plugin in every run, so ``replay.plugin`` must register its options,
ini keys and marker without loading the harness (genai_min, httpx, pydantic, vcrpy, ...). This runs
pytest on a one-test folder in a fresh process, with the plugin and with ``-p no:genai_replay``,
in turns after one untimed run each to write the bytecode caches; figures are medians.

Target: at most 1.05x the time of the run without the plugin.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _result import Row, Unit

FIGURE = "plugin cost"
TARGET = 1.05
TEST = "def test_nothing():\n    assert True\n"
BASE = ("-m", "pytest", "-q", "-p", "no:cacheprovider")
RUNS = {"with the plugin": BASE, "without": (*BASE, "-p", "no:genai_replay")}


def run_once(arguments: tuple[str, ...], folder: Path) -> float:
    """Run pytest with `arguments` in `folder`; return its wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *arguments], cwd=folder, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"pytest {' '.join(arguments)} exited with {done.returncode}")
    return elapsed


def measure(quick: bool) -> list[Row]:
    """Measure pytest's start-up with and without the plugin; return the row."""
    repetitions = 1 if quick else 15
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        (folder / "test_nothing.py").write_text(TEST, encoding="utf-8")
        samples: dict[str, list[float]] = {run: [] for run in RUNS}
        if not quick:
            for arguments in RUNS.values():
                run_once(arguments, folder)
        for _ in range(repetitions):
            for run, arguments in RUNS.items():
                samples[run].append(run_once(arguments, folder))
    ours = statistics.median(samples["with the plugin"])
    baseline = statistics.median(samples["without"])
    return [
        Row(
            FIGURE,
            "pytest start-up, plugin installed but unused: time",
            ours,
            baseline,
            "-p no:genai_replay",
            Unit.SECONDS,
            f"<= {TARGET}x",
            ours <= TARGET * baseline,
        )
    ]
