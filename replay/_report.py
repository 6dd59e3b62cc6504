"""The end-of-run report: what every test's cassette did, merged across pytest-xdist workers.

Each process (the only one, or each xdist worker) keeps a `Report`; workers send theirs to the
controller as JSON, which merges them. A cassette counts as unused when no collected test would
use it and no test used it, in every process; a run of part of the suite (node ids, ``-k``, ``-m``,
``--lf``, deselected tests, a shard) calls none unused, since it cannot know the others' tests.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from replay._config import Mode
from replay._session import Outcome


@dataclass
class Report:
    """The outcomes of the tests one process ran, and the cassettes it found no test for."""

    outcomes: list[Outcome] = field(default_factory=list)
    unused: set[Path] | None = None

    def to_json(self) -> str:
        """Serialise for the trip from an xdist worker to the controller."""
        rows = [{**asdict(o), "path": str(o.path), "mode": o.mode.value} for o in self.outcomes]
        unused = None if self.unused is None else sorted(map(str, self.unused))
        return json.dumps({"outcomes": rows, "unused": unused})

    def merge_json(self, text: str) -> None:
        """Add what a worker's `to_json` wrote; a cassette stays unused only if no process used it."""
        data = json.loads(text)
        for row in data["outcomes"]:
            self.outcomes.append(Outcome(**{**row, "path": Path(row["path"]), "mode": Mode(row["mode"])}))
        if data["unused"] is not None:
            theirs = {Path(p) for p in data["unused"]}
            self.unused = theirs if self.unused is None else self.unused & theirs


def unused_cassettes(folders: Iterable[Path], expected: set[Path], used: set[Path]) -> set[Path]:
    """Return the cassettes in `folders` that are neither expected by a collected test nor used."""
    found = {path for folder in folders if folder.is_dir() for path in folder.glob("*.json")}
    return found - expected - used


def summary_lines(report: Report, root: Path) -> list[str]:
    """Return the lines the terminal summary shows: counts, then each thing to fix with its command."""
    outcomes = report.outcomes
    if not outcomes and not report.unused:
        return []
    cassettes = {o.path for o in outcomes}
    replayed = sum(o.replayed for o in outcomes)
    recorded = sum(o.recorded for o in outcomes)
    new = sum(o.is_new for o in outcomes)
    changed = sum(o.is_changed for o in outcomes)
    unplayed = _unplayed(outcomes)
    missed = [o for o in outcomes if o.missed]
    lines = [
        f"genai-replay: {_count(len(cassettes), 'cassette')}; {replayed} interactions replayed, "
        f"{recorded} recorded ({new} new cassettes, {changed} changed), "
        f"{sum(unplayed.values())} unplayed, {sum(o.missed for o in missed)} missing"
    ]
    loosened = sum(1 for o in outcomes if o.is_loosened and o.replayed)
    if loosened:
        lines.append(
            f"genai-replay: {_count(loosened, 'test')} matched with a loosened policy (match_on, "
            "ignore_json_paths, custom matchers, ignore_host or ignore_api_version): what it leaves out "
            "is not compared"
        )
    if missed:
        lines.append(
            f"genai-replay: {_count(sum(o.missed for o in missed), 'request')} had no recording; "
            "record them with --genai-replay-mode=new_episodes:"
        )
        lines.extend(f"  {_shown(o.path, root)} ({o.missed} missing)" for o in missed)
    if unplayed:
        lines.append(
            f"genai-replay: interactions never played in {_count(len(unplayed), 'cassette')}; "
            "re-record them with --genai-replay-mode=all:"
        )
        lines.extend(f"  {_shown(path, root)} ({count} unplayed)" for path, count in unplayed.items())
    lines.extend(_stale_lines(outcomes, root))
    if report.unused:
        lines.append(
            f"genai-replay: {_count(len(report.unused), 'unused cassette')} (no test in this run uses "
            "them); delete them if their tests are gone:"
        )
        lines.extend(f"  {_shown(path, root)}" for path in sorted(report.unused))
    return lines


def _unplayed(outcomes: list[Outcome]) -> dict[Path, int]:
    """Count, per cassette, the interactions no test played; tests sharing one each play part of it."""
    by_path: dict[Path, list[Outcome]] = {}
    for outcome in outcomes:
        by_path.setdefault(outcome.path, []).append(outcome)
    counts: dict[Path, int] = {}
    for path, group in by_path.items():
        sizes = {o.interactions for o in group if o.interactions}
        if len(sizes) == 1:  # the same cassette everywhere: what none of the tests played
            played = set().union(*(o.played for o in group if o.interactions))
            count = sizes.pop() - len(played)
        else:  # none replayed from it, or it changed during the run: the least any test left
            count = min(o.unplayed for o in group)
        if count:
            counts[path] = count
    return counts


def _stale_lines(outcomes: list[Outcome], root: Path) -> list[str]:
    """List the stale cassettes (`max_age`) by what became of them, then the command that re-records
    those still stale."""
    by_path: dict[Path, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.on_stale:
            by_path.setdefault(outcome.path, []).append(outcome)
    kept: dict[str, list[str]] = {"warn": [], "fail": [], "record": []}
    tests: list[str] = []
    for path, group in by_path.items():
        age = next((o.age for o in group if o.age), "")
        blocker = next((o.not_refreshed for o in group if o.not_refreshed), "")
        action = "record" if any(o.on_stale == "record" for o in group) else group[0].on_stale
        if action == "record":
            kept[action].append(f"  {_shown(path, root)}" + (f" (was {age})" if age else ""))
            continue
        note = f"; not re-recorded: {blocker}" if blocker else ""
        kept[action].append(f"  {_shown(path, root)} ({age}{note})")
        tests.extend(o.test for o in group if o.test and o.test not in tests)
    lines = []
    if kept["warn"]:
        count = len(kept["warn"])
        lines.append(
            f"genai-replay: {_count(count, 'stale cassette')} (recorded longer ago than max_age), "
            f"replayed as {'it is' if count == 1 else 'they are'}:"
        )
        lines.extend(kept["warn"])
    if kept["fail"]:
        count = len(kept["fail"])
        lines.append(
            f"genai-replay: {_count(count, 'stale cassette')} (recorded longer ago than max_age) failed "
            f"the tests that use {'it' if count == 1 else 'them'}:"
        )
        lines.extend(kept["fail"])
    if kept["warn"] or kept["fail"]:
        if tests:
            command = " ".join(["pytest", *map(shlex.quote, tests), "--genai-replay-mode=all"])
            lines.append(f"genai-replay: re-record stale cassettes with: {command}")
        else:
            lines.append(
                "genai-replay: re-record stale cassettes by running their tests with --genai-replay-mode=all"
            )
    if kept["record"]:
        lines.append(
            f"genai-replay: {_count(len(kept['record']), 'stale cassette')} re-recorded (on_stale=record); "
            "review before committing, e.g. with `genai-replay diff --rev HEAD CASSETTE`:"
        )
        lines.extend(kept["record"])
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
