"""What a miss can teach: differences that are generated values, and fields a cassette predates.

Two causes account for most misses in a suite moved over from vcrpy: the code sends values it makes
up each run (``call_<uuid4>`` tool-call ids, timestamps), and the code sends fields it did not send
when the cassette was recorded. The first is fixed by one `ignore_json_paths` line, the second by
re-recording; `lessons` says which, with the exact line or command.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from genai_min._http import JSON
from replay._cassette import BodyKind, Request
from replay._json_diff import JsonChange

_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)
_PREFIXED = re.compile(r"(?P<prefix>(?:[A-Za-z]+[_-])+)(?P<tail>[A-Za-z0-9-]{8,})")
_HEX = re.compile(r"[0-9a-f]{12,}", re.IGNORECASE)
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?", re.IGNORECASE
)
_EPOCH_RANGE = (946_684_800, 4_102_444_800)  # 2000-01-01 .. 2100-01-01, in seconds


def generated_kind(value: JSON) -> str | None:
    """Say what kind of generated value `value` looks like (``uuid``, ``id:call_``, ``time``), or None.

    An id with a prefix keeps its prefix in the kind, so ``call_…`` and ``pyd_ai_…`` are not taken
    for one another.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > _EPOCH_RANGE[1] else value
        return "time" if _EPOCH_RANGE[0] <= seconds <= _EPOCH_RANGE[1] else None
    if not isinstance(value, str):
        return None
    if _UUID.fullmatch(value):
        return "uuid"
    if _TIMESTAMP.fullmatch(value):
        return "time"
    prefixed = _PREFIXED.fullmatch(value)
    if prefixed and _looks_random(prefixed.group("tail")):
        return f"id:{prefixed.group('prefix')}"
    if _HEX.fullmatch(value) and _looks_random(value):
        return "hex"
    return None


def _looks_random(text: str) -> bool:
    # Random ids mix digits and letters; words ("call_get_weather") and counters ("call_1") do not.
    digits = sum(c.isdigit() for c in text)
    letters = sum(c.isalpha() for c in text)
    return _UUID.search(text) is not None or (digits >= 2 and letters >= 2 and len(text) >= 8)


def lessons(
    recorded: Request, new: Request, changes: Sequence[JsonChange], *, rerun: str | None, has_url_change: bool
) -> list[str]:
    """Return what the miss of `new` against the closest recording `recorded` teaches (maybe nothing).

    `changes` are the body differences matching sees; `has_url_change` says whether the method or
    URL differ too (then no body lesson is the whole story).
    """
    if not changes or has_url_change:
        return []
    generated = [c for c in changes if _is_generated_change(c)]
    added = [c for c in changes if c.is_added and c not in generated]
    if len(generated) + len(added) != len(changes):
        return []
    lines: list[str] = []
    if generated:
        paths = sorted({wire_path(new, c.path) for c in generated})
        lines.append(
            "the request differs only in values the client generates (random ids, times); to leave "
            "them out of matching, add to pytest.ini / pyproject's [tool.pytest.ini_options]:"
        )
        lines.append("  genai_replay_ignore_json_paths =")
        lines.extend(f"      {path}" for path in paths)
        shown = ", ".join(repr(path) for path in paths)
        lines.append(f"  or for this test: @pytest.mark.genai_replay(ignore_json_paths=[{shown}])")
    if added:
        paths = sorted({wire_path(new, c.path) for c in added})
        command = rerun or "pytest <this test> --genai-replay-mode=all"
        lines.append(
            f"the closest recording lacks {', '.join(paths)}, which the request now sends: the "
            f"cassette predates that change in the code; re-record it: {command}"
        )
    return lines


def _is_generated_change(change: JsonChange) -> bool:
    if change.kind not in ("values_changed", "type_changes"):
        return False
    kind = generated_kind(change.old)
    return kind is not None and kind == generated_kind(change.new)


def wire_path(request: Request, path: Sequence[str | int]) -> str:
    """Write a path of folded keys (``functioncall``) as the request spells it, lists as ``*``.

    The result is an `ignore_json_paths` entry: ``contents.*.parts.*.functionCall.id``.
    """
    value: JSON = request.body.json if request.body.kind is BodyKind.JSON else None
    steps: list[str] = []
    for step in path:
        if isinstance(step, int):
            steps.append("*")
            value = value[step] if isinstance(value, list) and step < len(value) else None
            continue
        spelled = step
        if isinstance(value, dict):
            spelled = next((k for k in value if k.replace("_", "").lower() == step), step)
            value = value.get(spelled)
        else:
            value = None
        steps.append(spelled)
    return ".".join(steps)
