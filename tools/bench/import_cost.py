"""What a script pays to start: importing the client and building it, in a fresh interpreter.

Ours runs ``import genai_min`` and builds ``genai_min.Transport(api_key=...)``; the baseline runs
``from google import genai`` and builds ``genai.Client(api_key=...)``. Each is a whole fresh
process (interpreter start included, as a user's script pays it), timed from spawn to exit, with
its peak resident memory as the process reports it on exit (``VmHWM``). The two take turns,
after one untimed run each to write the bytecode caches; figures are medians. For information,
the same less what an interpreter that does nothing (``pass``) takes, the share neither can avoid.

Targets: at most 0.4x the time and 0.7x the memory of the official SDK.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _result import Row, Unit

FIGURE = "import cost"
ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = {
    "ours": "import genai_min\ngenai_min.Transport(api_key='benchmark-key')",
    "google-genai": "from google import genai\ngenai.Client(api_key='benchmark-key')",
    "python": "pass",
}
# Linux's ``VmHWM``: the peak of this process's own memory. (The kernel's ``ru_maxrss`` for a child
# starts from its parent's peak, carried across fork and exec, so it would report this benchmark.)
HIGH_WATER = "\nwith open('/proc/self/status') as s:\n    print(next(l for l in s if l.startswith('VmHWM:')))"


def clean_environment() -> dict[str, str]:
    """Return the environment without the variables that steer either client or the interpreter's start."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOOGLE_", "GEMINI_", "PYTHON")) or k in ("PYTHONPATH", "PYTHONHASHSEED")
    }


def run_once(program: str) -> tuple[float, int]:
    """Run `program` in a fresh interpreter; return its wall time (seconds) and peak RSS (bytes)."""
    report = HIGH_WATER if Path("/proc/self/status").exists() else ""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", program + report],
        cwd=ROOT,
        env=clean_environment(),
        stdout=subprocess.PIPE,
        text=True,
    )
    out, _ = process.communicate()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{program!r} exited with {process.returncode}")
    if report:
        return elapsed, int(out.split()[-2]) * 1024
    # Elsewhere the children's ru_maxrss is the best there is (macOS counts it in bytes).
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak if sys.platform == "darwin" else peak * 1024


def measure(quick: bool) -> list[Row]:
    """Measure start-up time and memory of ours and the official SDK; return the rows."""
    repetitions = 1 if quick else 9
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in PROGRAMS}
    if not quick:
        for program in PROGRAMS.values():
            run_once(program)
    for _ in range(repetitions):
        for name, program in PROGRAMS.items():
            samples[name].append(run_once(program))
    time_of = {name: statistics.median(t for t, _ in runs) for name, runs in samples.items()}
    rss_of = {name: statistics.median(m for _, m in runs) for name, runs in samples.items()}
    sdk = "google-genai"
    return [
        Row(
            FIGURE,
            "import + client: time",
            time_of["ours"],
            time_of[sdk],
            sdk,
            Unit.SECONDS,
            "<= 0.4x",
            time_of["ours"] <= 0.4 * time_of[sdk],
        ),
        Row(
            FIGURE,
            "import + client: peak RSS",
            rss_of["ours"],
            rss_of[sdk],
            sdk,
            Unit.BYTES,
            "<= 0.7x",
            rss_of["ours"] <= 0.7 * rss_of[sdk],
        ),
        Row(
            FIGURE,
            "import + client beyond the interpreter: time",
            time_of["ours"] - time_of["python"],
            time_of[sdk] - time_of["python"],
            sdk,
            Unit.SECONDS,
        ),
        Row(
            FIGURE,
            "import + client beyond the interpreter: peak RSS",
            rss_of["ours"] - rss_of["python"],
            rss_of[sdk] - rss_of["python"],
            sdk,
            Unit.BYTES,
        ),
    ]
