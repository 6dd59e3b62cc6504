"""Render a cassette for people to read: what `genai-replay show` prints.

Bodies are pretty JSON with long strings and lists shortened (unless asked for in full), streams
are numbered events, and binary bodies are named by size (and hash, for blobs) rather than shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from genai_min._http import JSON
from replay._age import age_of, describe_age
from replay._cassette import BLOB_THRESHOLD, Body, BodyKind, Cassette, Meta

MAX_STRING = 80
"""Strings longer than this many characters are cut, with their length shown."""
MAX_ITEMS = 5
"""Lists longer than this show their first items and how many more there are."""
INDENT = "    "
WIDTH = 100
"""JSON that fits in this many columns stays on one line; larger values are broken up."""


def render_cassette(
    cassette: Cassette, path: Path, *, is_full: bool = False, now: datetime | None = None
) -> Iterator[str]:
    """Yield the lines that show `cassette`: a meta line (its age as of `now`, by default the current
    time), then each interaction with its bodies.

    >>> for line in render_cassette(load_cassette(path), path):
    ...     print(line)
    """
    count = len(cassette.interactions)
    yield f"{path}: {describe_meta(cassette.meta, now)}; {count} interaction{'' if count == 1 else 's'}"
    for number, interaction in enumerate(cassette.interactions):
        request, response = interaction.request, interaction.response
        yield f"#{number} {request.method} {request.url} → {response.status}"
        for side, headers, body in (
            ("request", request.headers, request.body),
            ("response", response.headers, response.body),
        ):
            yield f"  {side}:"
            yield from (f"{INDENT}{name}: {value}" for name, value in headers)
            yield from render_body(body, is_full=is_full)


def describe_meta(meta: Meta, now: datetime | None = None) -> str:
    """Say what recorded a cassette, against what, and when (and how long before `now`), leaving out
    what is not known."""
    api = " ".join(part for part in (meta.backend, meta.api_version) if part)
    if meta.recorded_against == "imported":
        # The importer names the tool in `client` ("imported from vcrpy") and its format in the version.
        tool = meta.client.removeprefix("imported from ") or "another tool"
        version = meta.client_version.strip()
        label = f"format {version}" if version.isdigit() else version
        text = f"{api}, imported from a {tool} recording" + (f" ({label})" if label else "")
    else:
        against = "the emulator" if meta.recorded_against == "emulator" else "the live API"
        text = f"{api}, recorded against {against}"
        client = " ".join(part for part in (meta.client, meta.client_version) if part)
        if client:
            text += f" by {client}"
    if meta.recorded_at:
        age = age_of(meta, now)
        shown = "not an RFC 3339 time" if age is None else describe_age(age)
        text += f" at {meta.recorded_at} ({shown})"
    return text


def render_body(body: Body, *, is_full: bool = False) -> Iterator[str]:
    """Yield the indented lines of one body."""
    if body.kind is BodyKind.EMPTY:
        yield f"{INDENT}(no body)"
    elif body.kind is BodyKind.JSON:
        yield from _json_lines(body.json, INDENT, is_full=is_full)
    elif body.kind is BodyKind.SSE:
        count = len(body.events)
        yield f"{INDENT}{count} event{'' if count == 1 else 's'}:"
        for number, event in enumerate(body.events):
            yield from _json_lines(event, INDENT, prefix=f"[{number}] ", is_full=is_full)
    elif body.kind is BodyKind.TEXT:
        text = body.text if is_full else shorten_text(body.text)
        yield from (f"{INDENT}{line}" for line in text.splitlines() or [""])
    else:
        yield f"{INDENT}{describe_bytes(body)}"


def describe_bytes(body: Body) -> str:
    """Name binary content by size, and by hash when the cassette keeps it as a blob file."""
    if body.size > BLOB_THRESHOLD:
        return f"<blob sha256:{body.sha256[:12]}… {body.size:,} bytes>"
    return f"<{body.size:,} bytes>"


def shorten(value: JSON) -> JSON:
    """Return `value` with long strings cut and long lists trimmed, for display only."""
    if isinstance(value, str):
        return shorten_text(value)
    if isinstance(value, dict):
        return {key: shorten(item) for key, item in value.items()}
    if isinstance(value, list):
        kept: list[JSON] = [shorten(item) for item in value[:MAX_ITEMS]]
        if len(value) > MAX_ITEMS:
            kept.append(f"… {len(value) - MAX_ITEMS:,} more")
        return kept
    return value


def shorten_text(text: str, limit: int = MAX_STRING) -> str:
    """Cut `text` to `limit` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def _json_lines(value: JSON, indent: str, *, prefix: str = "", is_full: bool) -> Iterator[str]:
    yield from pretty_json(value if is_full else shorten(value), indent, prefix)


def pretty_json(value: JSON, indent: str = "", prefix: str = "", suffix: str = "") -> Iterator[str]:
    """Yield `value` as indented JSON lines, keeping any part that fits in `WIDTH` on one line."""
    flat = json.dumps(value, ensure_ascii=False)
    fits = len(indent) + len(prefix) + len(flat) + len(suffix) <= WIDTH
    if fits or not isinstance(value, dict | list) or not value:
        yield f"{indent}{prefix}{flat}{suffix}"
        return
    items = (
        [(json.dumps(k, ensure_ascii=False) + ": ", v) for k, v in value.items()]
        if isinstance(value, dict)
        else [("", v) for v in value]
    )
    opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
    yield f"{indent}{prefix}{opening}"
    for position, (key, item) in enumerate(items):
        yield from pretty_json(item, indent + "  ", key, "," if position < len(items) - 1 else "")
    yield f"{indent}{closing}{suffix}"
