"""How deep a cassette's JSON may nest, and where a file nests deeper: checked as a cassette is read.

Python reads and walks JSON recursively (the parser, the sanitiser, the schema check, `show`), and
runs out of stack somewhere near a thousand levels, at a depth that depends on the caller. A limit
well below that, far above anything the API sends, turns such a file into one clear error.
"""

from __future__ import annotations

import json
import re

from genai_min._http import JSON, JSONObject

MAX_DEPTH = 100
"""How many levels of objects and lists a cassette file may nest, its own envelope (five or six
levels) included: several times what the API's bodies nest, and safely inside Python's stack."""
_SHOWN_STEPS = 6
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[][{},:]')
"""The JSON tokens that say where a value is: strings (skipped whole, brackets and all) and punctuation."""


def nests_deeper(value: JSON, limit: int = MAX_DEPTH) -> bool:
    """Tell whether `value` nests objects and lists more than `limit` levels deep (without recursing)."""
    level: list[JSONObject | list[JSON]] = [value] if isinstance(value, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[JSONObject | list[JSON]] = []
        for container in level:
            items = container.values() if isinstance(container, dict) else container
            below.extend(item for item in items if isinstance(item, dict | list))
        level = below
    return False


def depth_problem(raw: bytes) -> str:
    """Say where the JSON in `raw` nests deeper than `MAX_DEPTH`, and what to do about it."""
    found = locate_depth(raw)
    if found is None:  # the parser ran out of stack on a shallower document: the caller's is deep
        return "Python ran out of stack reading its JSON; read it from a shallower call, or report it"
    where, line = found
    return (
        f"{where} (line {line}) nests deeper than {MAX_DEPTH} levels of objects and lists, more than a "
        "cassette may hold and far more than any API body: flatten or remove that value by hand, "
        "restore the file from version control, or record it again"
    )


def locate_depth(raw: bytes, limit: int = MAX_DEPTH) -> tuple[str, int] | None:
    """Return where the JSON in `raw` first nests deeper than `limit`, as a path and a line number.

    The path is the keys and indexes down to there, cut after a few steps
    (``interactions[2].response.body.json[0]…``); None when it never does.
    """
    text = raw.decode(json.detect_encoding(raw), "replace")
    steps: list[str] = []
    kinds: list[str] = []
    counts: list[int] = []
    last = key = ""
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark[0] == '"':
            last = mark[1:-1]
        elif mark == ":":
            key = last
        elif mark == ",":
            if counts:
                counts[-1] += 1
        elif mark in "[{":
            steps.append("" if not kinds else f"[{counts[-1]}]" if kinds[-1] == "[" else f".{key}")
            kinds.append(mark)
            counts.append(0)
            if len(kinds) > limit:
                shown = "".join(steps[1 : _SHOWN_STEPS + 1]).lstrip(".")
                more = "…" if len(steps) > _SHOWN_STEPS + 1 else ""
                return shown + more or "the top level", text.count("\n", 0, token.start()) + 1
        elif kinds:
            del steps[-1], kinds[-1], counts[-1]
    return None
