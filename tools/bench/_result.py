"""Result rows and timing helpers shared by the benchmark figures; `run.py` prints the rows.

Every row is a figure of ours beside a baseline measured in the same run, so the ratio is what
counts: absolute numbers change from machine to machine, ratios much less.
"""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Unit(Enum):
    """What a row's numbers measure: seconds or bytes."""

    SECONDS = "s"
    BYTES = "B"


@dataclass(frozen=True)
class Row:
    """One measurement: ours against a baseline, the target for their ratio, and whether it holds.

    `holds` is None for rows given for information (no target). `target` is the text shown, the
    test behind `holds` is computed by the figure that made the row.
    """

    figure: str
    measured: str
    ours: float
    baseline: float
    baseline_name: str
    unit: Unit
    target: str = "-"
    holds: bool | None = None

    @property
    def ratio(self) -> float:
        """Return ours divided by the baseline (infinity when the baseline is zero)."""
        return self.ours / self.baseline if self.baseline else float("inf")


def format_value(value: float, unit: Unit) -> str:
    """Render a duration or an amount of memory with a unit a reader takes in at once."""
    if unit is Unit.BYTES:
        return f"{value / 2**20:.1f} MiB"
    magnitude = abs(value)
    if magnitude >= 1:
        return f"{value:.2f} s"
    if magnitude >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.1f} µs"


def format_ratio(ratio: float) -> str:
    """Render a ratio with two decimals, or two significant digits when it is small."""
    return f"{ratio:.2f}x" if abs(ratio) >= 0.1 else f"{ratio:.2g}x"


def format_holds(holds: bool | None) -> str:
    """Render whether a target holds: yes, NO, or '-' for a row without a target."""
    if holds is None:
        return "-"
    return "yes" if holds else "NO"


def interleaved(rounds: Mapping[str, Callable[[], float]], *, count: int, budget: float) -> dict[str, float]:
    """Run one round of each contestant in turn, up to `count` times; return each one's median.

    A round returns its own measurement (seconds per request, say) and does its own untimed
    set-up. Taking turns spreads any drift of the machine over all contestants alike. A contestant
    stops taking rounds once it has spent `budget` seconds, so slow baselines get fewer (at least one).
    """
    results: dict[str, list[float]] = {name: [] for name in rounds}
    spent = dict.fromkeys(rounds, 0.0)
    for _ in range(count):
        for name, run_round in rounds.items():
            if results[name] and spent[name] >= budget:
                continue
            gc.collect()
            start = time.perf_counter()
            results[name].append(run_round())
            spent[name] += time.perf_counter() - start
    return {name: statistics.median(values) for name, values in results.items()}


def peak_rss() -> int:
    """Return the peak resident memory of this process, in bytes.

    On Linux this is ``VmHWM``, the high-water mark of the process's own memory: ``ru_maxrss`` is
    no use there for a child process, because the kernel carries the parent's peak over into the
    child across fork and exec, so a small child reports its large parent's peak.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def per_call(fn: Callable[[], object], calls: int) -> float:
    """Return the mean seconds per call over `calls` calls of `fn`."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls
