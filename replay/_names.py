"""Where a test's cassette lives: a safe file name made from the test's id.

``tests/test_chat.py::TestChat::test_reply[gemini-stream]`` becomes
``tests/cassettes/test_chat/TestChat.test_reply[gemini-stream].json``: the folder ``cassettes``
beside the test module, one folder per module, one file per test. Characters that some file
systems forbid become ``_``, and a name too long for them is cut and ended with a hash of the
whole, so two long names never share a file.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

MAX_NAME_BYTES = 150  # well under the 255 bytes most file systems allow, leaving room for suffixes
SUFFIX = ".json"
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_name(name: str) -> str:
    """Return `name` as one portable file name (without suffix): no forbidden characters, not too long."""
    cleaned = _FORBIDDEN.sub("_", name).strip(" .") or "_"
    encoded = cleaned.encode("utf-8")
    if len(encoded) <= MAX_NAME_BYTES:
        return cleaned
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    head = encoded[: MAX_NAME_BYTES - len(digest) - 1].decode("utf-8", errors="ignore")
    return f"{head}-{digest}"


def node_part(nodeid: str) -> str:
    """Return the part of a pytest node id after the module: ``Class.test[param]``."""
    parts = nodeid.split("::")
    return ".".join(parts[1:]) if len(parts) > 1 else parts[0]


def cassette_path(module_path: Path, nodeid: str, *, name: str | None, root: Path | None) -> Path:
    """Return the cassette file for a test.

    `name` (from the marker or config) replaces the name made from the test id, so tests can share a
    cassette; it may contain ``/`` to pick a sub-folder. `root` replaces the ``cassettes`` folder
    beside the test module.
    """
    base = root if root is not None else module_path.parent / "cassettes"
    if name is not None:
        pieces = [safe_name(piece) for piece in name.removesuffix(SUFFIX).split("/") if piece]
        return base.joinpath(*pieces[:-1], pieces[-1] + SUFFIX) if pieces else base / f"_{SUFFIX}"
    return base / safe_name(module_path.stem) / (safe_name(node_part(nodeid)) + SUFFIX)
