"""What a script pays to start: importing the client and building it, in a fresh interpreter.

Each program ends ready to call ``generate_content``, and sends nothing. Ours runs ``import
genai_min``, imports the module that call lives in (``from genai_min import models``) and builds
``genai_min.Transport(api_key=...)``; the baseline runs ``from google import genai`` and builds
``genai.Client(api_key=...)``, whose ``.models`` is then at hand. Ours leaves out what such a script
never uses (the batch, tuning, cache, file, image and video types load with their own calls) and
builds its pydantic validators when a model is first used; two rows for information add the first
``generate_content`` call (answered in-process), so what each client leaves to that call counts too.

Each is a whole fresh process (interpreter start included, as a user's script pays it), timed from
spawn to exit, with its peak resident memory as the process reports it on exit (``VmHWM``). The two
take turns, after one untimed run each to write the bytecode caches; figures are medians. For
information, the same less what an interpreter that does nothing (``pass``) takes, the share
neither can avoid.

Targets: at most 0.25x the time and 0.6x the memory of the official SDK.
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
TIME_TARGET = 0.25
MEMORY_TARGET = 0.6
ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = {
    "ours": "import genai_min\nfrom genai_min import models\ngenai_min.Transport(api_key='benchmark-key')",
    "google-genai": "from google import genai\ngenai.Client(api_key='benchmark-key').models",
    "python": "pass",
}
# For information, the same followed by one generate_content call, answered in-process by an httpx
# mock transport: what each client leaves to its first call (ours builds its pydantic validators
# there) is counted too.
ANSWER = (
    "import httpx\n"
    "answer = httpx.MockTransport(lambda request: httpx.Response(200, json={'candidates': [{'content': "
    "{'role': 'model', 'parts': [{'text': 'Hello'}]}, 'finishReason': 'STOP'}]}))\n"
)
FIRST_CALL = {
    "ours, first call": ANSWER
    + "import genai_min\nfrom genai_min import models\n"
    + "t = genai_min.Transport(api_key='benchmark-key', transport=answer)\n"
    + "assert models.generate_content(t, model='gemini-2.0-flash-001', contents='Hi').text == 'Hello'",
    "google-genai, first call": ANSWER
    + "from google import genai\n"
    + "client = genai.Client(api_key='benchmark-key', http_options={'client_args': {'transport': answer}})\n"
    + "assert client.models.generate_content(model='gemini-2.0-flash-001', contents='Hi').text == 'Hello'",
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
    programs = PROGRAMS | FIRST_CALL
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in programs}
    if not quick:
        for program in programs.values():
            run_once(program)
    for _ in range(repetitions):
        for name, program in programs.items():
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
            f"<= {TIME_TARGET}x",
            time_of["ours"] <= TIME_TARGET * time_of[sdk],
        ),
        Row(
            FIGURE,
            "import + client: peak RSS",
            rss_of["ours"],
            rss_of[sdk],
            sdk,
            Unit.BYTES,
            f"<= {MEMORY_TARGET}x",
            rss_of["ours"] <= MEMORY_TARGET * rss_of[sdk],
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
        Row(
            FIGURE,
            "import + client + first generate_content: time",
            time_of["ours, first call"],
            time_of["google-genai, first call"],
            sdk,
            Unit.SECONDS,
        ),
        Row(
            FIGURE,
            "import + client + first generate_content: peak RSS",
            rss_of["ours, first call"],
            rss_of["google-genai, first call"],
            sdk,
            Unit.BYTES,
        ),
    ]
