"""Run every benchmark figure and print one table: ours, the baseline beside it, their ratio, the target.

Usage::

    python tools/bench/run.py               # the full run, a few minutes
    python tools/bench/run.py --quick       # a smoke run of a few seconds (tiny sizes, few rounds)
    python tools/bench/run.py --markdown    # the table as Markdown, for the README
    python tools/bench/run.py --only memory --only load

Each figure is a module here with a ``measure(quick) -> list[Row]`` function; adding a figure is
adding its function to `FIGURES`. Progress and diagnostics go to standard error, the table to
standard output. The exit status is 0 whatever the figures say: benchmarks report, tests assert.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import downstream_suite
import import_cost
import load
import memory
import plugin_cost
import replay_cost
import sdk_paths
import stream_first_event
from _result import Row, format_holds, format_ratio, format_value

Measure = Callable[[bool], list[Row]]

FIGURES: list[Measure] = [
    replay_cost.measure,
    sdk_paths.measure,
    load.measure,
    stream_first_event.measure,
    import_cost.measure,
    plugin_cost.measure,
    memory.measure,
    downstream_suite.measure,
]

HEADER = ("figure", "measured", "ours", "baseline", "vs", "ratio", "target", "holds")


def figure_name(measure: Measure) -> str:
    """Return the name `--only` selects a figure by: its module's name."""
    return measure.__module__


def cells(row: Row) -> tuple[str, ...]:
    """Return the printed cells of a row, in the order of `HEADER`."""
    return (
        row.figure,
        row.measured,
        format_value(row.ours, row.unit),
        format_value(row.baseline, row.unit),
        row.baseline_name,
        format_ratio(row.ratio),
        row.target,
        format_holds(row.holds),
    )


def machine() -> str:
    """Describe the machine the figures were measured on."""
    system = f"{platform.system()} {platform.machine()}"
    return f"Python {platform.python_version()} on {system}, {os.cpu_count()} CPUs"


def render_text(rows: list[Row]) -> str:
    """Return the table as aligned plain text."""
    table = [HEADER, *(cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def render_markdown(rows: list[Row]) -> str:
    """Return the table as Markdown, with the machine it was measured on."""
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
        *("| " + " | ".join(cells(r)) + " |" for r in rows),
        "",
        f"Measured on {machine()}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the figures asked for and print the table; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--only",
        action="append",
        choices=[figure_name(m) for m in FIGURES],
        help="run only this figure (repeatable)",
    )
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for measure in FIGURES:
        if args.only and figure_name(measure) not in args.only:
            continue
        started = time.perf_counter()
        print(f"running {figure_name(measure)}...", file=sys.stderr, flush=True)
        rows.extend(measure(args.quick))
        print(f"  done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print(render_markdown(rows) if args.markdown else render_text(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
