"""Compare two cassettes by meaning, so that a re-recording can be reviewed: `genai-replay diff`.

Interactions are aligned by their requests' matching keys (`replay._matchers.request_key`, so key
order and camelCase versus snake_case make no difference), as difflib aligns lines: an interaction
only in the old cassette is removed, only in the new one added, and a pair is compared part by part
(method, URL, status, each header, and bodies path by path: `replay._json_diff`). A cassette as it was at a
git revision is read with ``git show``, with its blobs taken from the working tree (they are
content-addressed, so equal names mean equal bytes) or else from the same revision.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from genai_min._http import JSON
from replay._cassette import BLOB_DIR, Body, BodyKind, Cassette, Interaction
from replay._cassette_json import load_cassette
from replay._errors import CassetteError
from replay._json_diff import json_changes, render_path
from replay._matchers import request_key

MAX_VALUE = 60
"""Values longer than this many characters are cut in the listing (URLs get `MAX_URL`)."""
MAX_URL = 200


@dataclass(frozen=True)
class CassetteDiff:
    """The differences between two cassettes: readable lines, and counts for the summary."""

    lines: tuple[str, ...] = ()
    changed: int = 0
    added: int = 0
    removed: int = 0

    @property
    def is_equal(self) -> bool:
        """Tell whether the two cassettes mean the same."""
        return not self.lines

    def summary(self) -> str:
        """Say in one line how much differs."""
        if self.is_equal:
            return "no differences"
        parts = [f"{self.changed} changed", f"{self.added} added", f"{self.removed} removed"]
        total = self.changed + self.added + self.removed
        counted = f"{total} interaction{' differs' if total == 1 else 's differ'}: {', '.join(parts)}"
        return counted if total else "the interactions are the same; only the metadata differs"


def diff_cassettes(old: Cassette, new: Cassette) -> CassetteDiff:
    """Compare `old` with `new` and list every difference, interaction by interaction.

    >>> for line in diff_cassettes(load_cassette(before), load_cassette(after)).lines:
    ...     print(line)
    """
    lines = [
        f"meta.{f.name}: {_value(getattr(old.meta, f.name))} → {_value(getattr(new.meta, f.name))}"
        for f in fields(old.meta)
        if getattr(old.meta, f.name) != getattr(new.meta, f.name)
    ]
    counts = {"changed": 0, "added": 0, "removed": 0}
    olds, news = old.interactions, new.interactions
    matcher = difflib.SequenceMatcher(
        None, [request_key(i.request) for i in olds], [request_key(i.request) for i in news], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        paired = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
        for offset in range(paired):
            changes = list(_interaction_changes(olds[i1 + offset], news[j1 + offset]))
            if changes:
                counts["changed"] += 1
                was = "" if i1 == j1 else f" (was #{i1 + offset})"
                lines.append(f"changed #{j1 + offset}{was} {_title(news[j1 + offset], with_status=False)}")
                lines.extend(f"  {change}" for change in changes)
        for index in range(i1 + paired, i2):
            counts["removed"] += 1
            lines.append(f"removed #{index} {_title(olds[index])}")
        for index in range(j1 + paired, j2):
            counts["added"] += 1
            lines.append(f"added #{index} {_title(news[index])}")
    return CassetteDiff(tuple(lines), **counts)


def load_revision(path: Path, revision: str) -> Cassette:
    """Load the cassette at `path` as it was committed at git `revision` (``HEAD``, ``main~2``)."""
    if revision.startswith("-"):
        raise CassetteError(f"{revision!r} is not a git revision; name one such as HEAD or main~1")
    label = Path(f"{revision}:{path}")
    with tempfile.TemporaryDirectory(prefix="genai-replay-diff-") as folder:
        copy = Path(folder) / path.name
        copy.write_bytes(_git_show(path.parent, f"{revision}:./{path.name}", label))
        (Path(folder) / BLOB_DIR).mkdir()
        for digest in _blob_digests(copy):
            _fetch_blob(path.parent, revision, digest, Path(folder) / BLOB_DIR / digest)
        try:
            return load_cassette(copy)
        except CassetteError as exc:
            message = str(exc).removeprefix(f"{copy}: ").replace(folder, str(path.parent))
            raise CassetteError(message, cassette_path=label) from None


def _interaction_changes(old: Interaction, new: Interaction) -> Iterator[str]:
    if old.request.method != new.request.method:
        yield f"request.method: {_value(old.request.method)} → {_value(new.request.method)}"
    if old.request.url != new.request.url:
        yield f"request.url: {_value(old.request.url, MAX_URL)} → {_value(new.request.url, MAX_URL)}"
    yield from _header_changes("request.headers", old.request.headers, new.request.headers)
    yield from _body_changes("request.body", old.request.body, new.request.body)
    if old.response.status != new.response.status:
        yield f"response.status: {old.response.status} → {new.response.status}"
    yield from _header_changes("response.headers", old.response.headers, new.response.headers)
    yield from _body_changes("response.body", old.response.body, new.response.body)


def _header_changes(
    where: str, old: tuple[tuple[str, str], ...], new: tuple[tuple[str, str], ...]
) -> Iterator[str]:
    before, after = dict(old), dict(new)
    for name in sorted(before.keys() | after.keys()):
        if name not in after:
            yield f"{where}.{name}: removed {_value(before[name])}"
        elif name not in before:
            yield f"{where}.{name}: added {_value(after[name])}"
        elif before[name] != after[name]:
            yield f"{where}.{name}: {_value(before[name])} → {_value(after[name])}"


def _body_changes(where: str, old: Body, new: Body) -> Iterator[str]:
    if old.kind is not new.kind:
        yield f"{where}: {_describe(old)} → {_describe(new)}"
    elif old.kind is BodyKind.JSON:
        yield from _json_changes(where, old.json, new.json)
    elif old.kind is BodyKind.SSE:
        yield from _json_changes(where, list(old.events), list(new.events))
    elif old.kind is BodyKind.TEXT and old.text != new.text:
        yield f"{where}: {_value(old.text)} → {_value(new.text)}"
    elif old.kind is BodyKind.BYTES and old != new:
        yield f"{where}: {_describe(old)} → {_describe(new)}"


def _json_changes(where: str, old: JSON, new: JSON) -> Iterator[str]:
    for change in json_changes(old, new):
        if change.is_added:
            text = f"added {_value(change.new)}"
        elif change.is_removed:
            text = f"removed {_value(change.old)}"
        else:
            text = f"{_value(change.old)} → {_value(change.new)}"
        yield f"{where}{render_path(change.path)}: {text}"


def _title(interaction: Interaction, *, with_status: bool = True) -> str:
    request = interaction.request
    title = f"{request.method} {request.url}"
    return f"{title} → {interaction.response.status}" if with_status else title


def _describe(body: Body) -> str:
    if body.kind is BodyKind.SSE:
        return f"a stream of {len(body.events)} events"
    if body.kind is BodyKind.BYTES:
        return f"<{body.size:,} bytes>"
    return {BodyKind.EMPTY: "no body", BodyKind.JSON: "a JSON body", BodyKind.TEXT: "a text body"}[body.kind]


def _value(value: object, limit: int = MAX_VALUE) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _blob_digests(copy: Path) -> set[str]:
    """Return the blob hashes a cassette file references (none if it does not parse)."""
    try:
        document = json.loads(copy.read_bytes())
    except (ValueError, RecursionError):  # the reader says what is wrong with it
        return set()
    found: set[str] = set()
    stack: list[object] = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            blob = value.get("blob")
            if isinstance(blob, dict) and isinstance(blob.get("sha256"), str):
                found.add(blob["sha256"])
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return {digest for digest in found if re.fullmatch(r"[0-9a-f]{64}", digest)}


def _fetch_blob(folder: Path, revision: str, digest: str, target: Path) -> None:
    local = folder / BLOB_DIR / digest
    if local.is_file():
        shutil.copyfile(local, target)
        return
    with contextlib.suppress(CassetteError):  # loading then reports the missing blob, naming it
        target.write_bytes(_git_show(folder, f"{revision}:./{BLOB_DIR}/{digest}", local))


def _git_show(folder: Path, spec: str, label: Path) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "show", spec], capture_output=True, check=False, timeout=60
        )
    except FileNotFoundError:
        raise CassetteError(
            "cannot read a git revision: git is not installed or not on PATH; "
            "compare two files instead (`genai-replay diff OLD NEW`)",
            cassette_path=label,
        ) from None
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CassetteError(
            f"git cannot show {spec!r} ({said[0] if said else 'no message'}); check the revision, and that "
            "the cassette was committed there (`git log --oneline -- PATH`)",
            cassette_path=label,
        )
    return result.stdout
