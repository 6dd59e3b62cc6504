"""The benchmarks run: `tools/bench/run.py --quick` exits 0 and prints a row for every figure.

Only that they run is checked, never what they measure: timings belong in the benchmark's table,
not in assertions.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = (
    "replay cost",
    "sdk paths",
    "cassette load",
    "stream first event",
    "import cost",
    "memory",
    "downstream suite",
)


def test_quick_run_prints_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "bench" / "run.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # the quick run takes well under a minute, more on a machine shared with other jobs
    )
    assert done.returncode == 0, done.stderr
    printed = {line.split("  ", 1)[0] for line in done.stdout.splitlines()}
    assert set(FIGURES) <= printed, done.stdout
