"""Compare two JSON values path by path (with deepdiff), for the miss report and `genai-replay diff`.

Both print a path the same way: ``.contents[0].parts[0].text``, with ``["a key"]`` for a key that
is not a plain name.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from genai_min._http import JSON

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class JsonChange:
    """One difference: where it is, deepdiff's name for it (``values_changed``), and both values.

    `old` is meaningless for an addition and `new` for a removal (`is_added`, `is_removed`).
    """

    path: tuple[str | int, ...]
    kind: str
    old: JSON
    new: JSON

    @property
    def is_added(self) -> bool:
        """Tell whether the value is only in the new JSON."""
        return self.kind.endswith("_added")

    @property
    def is_removed(self) -> bool:
        """Tell whether the value is only in the old JSON."""
        return self.kind.endswith("_removed")


def preload() -> None:
    """Import deepdiff now, so that the first `json_changes` reads nothing from disk.

    Inside an event loop that reading would block it: the async adapters call this outside the loop,
    before a miss there needs it (`replay._httpx.prepare_misses`).
    """
    import deepdiff  # noqa: F401


def is_loaded() -> bool:
    """Tell whether deepdiff is imported, so that `json_changes` reads nothing from disk."""
    return "deepdiff" in sys.modules


def json_changes(old: JSON, new: JSON) -> list[JsonChange]:
    """List the differences from `old` to `new`, the deepest that changed, in path order."""
    from deepdiff import DeepDiff

    # Without the threshold, deepdiff reports a whole object as replaced when few of its keys are
    # shared; a reader wants the paths that changed.
    diff = DeepDiff(old, new, view="tree", threshold_to_diff_deeper=0)
    changes = [
        JsonChange(tuple(level.path(output_format="list")), kind, level.t1, level.t2)
        for kind, levels in diff.items()
        for level in levels
    ]
    changes.sort(key=lambda change: [(isinstance(p, str), p) for p in change.path])
    return changes


def render_path(parts: Iterable[str | int]) -> str:
    """Write a path as ``.contents[0].text``, quoting keys that are not plain names: ``["a b"]``."""
    rendered = ""
    for part in parts:
        if isinstance(part, int):
            rendered += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            rendered += f".{part}"
        else:
            rendered += f"[{json.dumps(part)}]"
    return rendered
