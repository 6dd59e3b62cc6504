"""Run every conformance check over the corpus and lay the results out as tables.

`build_report` runs the checks (and the emulator comparison, given an emulator); `render` prints
the tables as text or Markdown: per backend and operation, how many exchanges import, validate,
parse and replay; every exception with its cause; and the emulator's shapes, per operation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from replay.emulator import Emulator
from tools.conformance._allowances import EMULATOR_ALLOWANCES, allowance_for, is_below
from tools.conformance._corpus import Corpus, Exchange
from tools.conformance._emulating import compare_with_emulator
from tools.conformance._outcome import Outcome, Verdict, not_applicable
from tools.conformance._parsing import parse_exchange
from tools.conformance._replaying import replay_file
from tools.conformance._shapes import OperationShapes
from tools.conformance._validation import validate

CHECKS = ("imported", "valid", "parsed", "replayed")
SHOWN_NAMES = 3


@dataclass
class Tally:
    """How many exchanges a check passed, of those it applies to."""

    passed: int = 0
    applicable: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        if outcome.verdict is not Verdict.NOT_APPLICABLE:
            self.applicable += 1
            self.passed += outcome.verdict is Verdict.PASSED

    def __str__(self) -> str:
        if not self.applicable:
            return "-"
        share = 100 * self.passed / self.applicable
        # Never round a shortfall up to 100%.
        shown = "100%" if self.passed == self.applicable else f"{min(share, 99.9):.1f}%"
        return f"{self.passed}/{self.applicable} ({shown})"


@dataclass
class Row:
    """One backend and operation: how many exchanges it has, and each check's tally."""

    backend: str
    label: str
    exchanges: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {check: Tally() for check in CHECKS})


@dataclass
class Report:
    """The outcome of every check on every exchange, and the emulator's shapes by operation."""

    rows: list[Row]
    outcomes: dict[str, dict[str, Outcome]]
    """Check name, then exchange name: each outcome."""
    shapes: dict[tuple[str, str], OperationShapes]


def build_report(corpus: Corpus, emulator: Emulator | None = None) -> Report:
    """Run every check on every exchange of `corpus`; compare with `emulator` when one is given."""
    replayed: dict[tuple[str, int], Outcome] = {}
    for file in corpus.imported:
        for index, outcome in enumerate(replay_file(file)):
            replayed[file.source, index] = outcome
    checks: dict[str, Callable[[Exchange], Outcome]] = {
        "imported": lambda x: Outcome(Verdict.PASSED),
        "valid": validate,
        "parsed": parse_exchange,
        "replayed": lambda x: replayed.get((x.source, x.index), not_applicable("not replayed")),
    }
    rows: dict[tuple[str, str], Row] = {}
    outcomes: dict[str, dict[str, Outcome]] = defaultdict(dict)
    for exchange in corpus.exchanges:
        row = rows.setdefault((exchange.backend, exchange.label), Row(exchange.backend, exchange.label))
        row.exchanges += 1
        for check, run in checks.items():
            outcome = run(exchange)
            outcomes[check][exchange.name] = outcome
            row.tallies[check].add(outcome)
    for file in corpus.files:
        if file.cassette is None:
            # A file that does not import counts once: its "interactions" may be no HTTP exchanges
            # at all (a websocket session's messages), and how many there are says nothing here.
            label = file.operations or "unknown"
            row = rows.setdefault((file.backend or "other", label), Row(file.backend or "other", label))
            row.exchanges += 1
            row.tallies["imported"].applicable += 1
            cause = f"{file.interactions} interactions ({file.operations}): {file.reason}"
            outcomes["imported"][file.name] = Outcome(Verdict.FAILED, cause)
    shapes = compare_with_emulator(corpus, emulator) if emulator is not None else {}
    ordered = sorted(rows.values(), key=lambda r: (r.backend == "other", r.backend, r.label))
    return Report(ordered, dict(outcomes), shapes)


def render(report: Report, *, is_markdown: bool = False) -> str:
    """Lay the report out: the checks table, the exceptions, the emulator's shapes."""
    lines = ["Real exchanges per backend and operation: passed / applicable (n/a left out)", ""]
    header = ("backend", "operation", "exchanges", *CHECKS)
    body = [
        (row.backend, row.label, str(row.exchanges), *(str(row.tallies[c]) for c in CHECKS))
        for row in report.rows
    ]
    backends = sorted({row.backend for row in report.rows}, key=lambda b: (b == "other", b))
    for backend in (*backends, "all"):
        total = _total([row for row in report.rows if backend in ("all", row.backend)])
        body.append((backend, "all", str(total.exchanges), *(str(total.tallies[c]) for c in CHECKS)))
    lines += _table(header, body, is_markdown)
    lines += ["", "Exceptions (failures one by one; n/a grouped by cause)", ""]
    lines += list(_exceptions(report))
    if report.shapes:
        lines += ["", "Emulator against real answers, same requests: key paths by operation", ""]
        lines += _shape_table(report.shapes, is_markdown)
        lines += ["", *_shape_details(report.shapes)]
    return "\n".join(lines) + "\n"


def _total(rows: list[Row]) -> Row:
    total = Row("", "")
    for row in rows:
        total.exchanges += row.exchanges
        for check in CHECKS:
            total.tallies[check].passed += row.tallies[check].passed
            total.tallies[check].applicable += row.tallies[check].applicable
    return total


def _exceptions(report: Report) -> Iterable[str]:
    found = False
    for check in CHECKS:
        grouped: dict[str, list[str]] = defaultdict(list)
        for name, outcome in report.outcomes.get(check, {}).items():
            if outcome.is_failure:
                found = True
                yield f"- {check} FAILED {name}: {outcome.cause}"
            elif outcome.verdict is Verdict.NOT_APPLICABLE:
                grouped[outcome.cause].append(name)
        for cause, names in sorted(grouped.items(), key=lambda item: -len(item[1])):
            found = True
            shown = ", ".join(names[:SHOWN_NAMES]) + (", ..." if len(names) > SHOWN_NAMES else "")
            yield f"- {check} n/a ({len(names)}): {cause} [{shown}]"
    if not found:
        yield "- none"


def _shape_table(shapes: dict[tuple[str, str], OperationShapes], is_markdown: bool) -> list[str]:
    header = ("backend", "operation", "compared", "real paths", "missing", "allowed", "type diffs", "other")
    body = []
    for (backend, label), shape in sorted(shapes.items()):
        allowed = [p for p in shape.missing if allowance_for(backend, label, p)]
        other = len(shape.differences) + len(shape.invalid)
        missing = len(shape.missing) - len(allowed)
        counts = (len(shape.real), missing, len(allowed), len(shape.mismatched), other)
        body.append((backend, label, str(shape.compared), *(str(n) for n in counts)))
    return _table(header, body, is_markdown)


def _shape_details(shapes: dict[tuple[str, str], OperationShapes]) -> Iterable[str]:
    problems = False
    for (backend, label), shape in sorted(shapes.items()):
        for path in shape.missing:
            if allowance_for(backend, label, path) is None:
                problems = True
                yield f"- {backend} {label}: the emulator lacks {path}"
        for item in (*shape.mismatched, *shape.differences, *shape.invalid):
            problems = True
            yield f"- {backend} {label}: {item}"
    if not problems:
        yield "- the emulator's answers have every path and type of the real ones, but these:"
    for (backend, label, allowed), reason in EMULATOR_ALLOWANCES.items():
        shape = shapes.get((backend, label))
        covered = [p for p in shape.missing if is_below(p, allowed)] if shape else []
        if covered:
            yield f"  - {backend} {label}: {allowed} ({len(covered)} paths): {reason}"


def _table(header: tuple[str, ...], body: list[tuple[str, ...]], is_markdown: bool) -> list[str]:
    if is_markdown:
        rows = [header, tuple("---" for _ in header), *body]
        return ["| " + " | ".join(row) + " |" for row in rows]
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *body)
    ]
