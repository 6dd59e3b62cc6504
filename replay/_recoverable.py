"""What a reader of a stored body can recover beyond its stored text; the final scan reads that too.

A credential need not be stored whole, or as it is, to be written down: a client joins the events of
a stream (and the parts of an answer), base64 fields and bodies decode to bytes, compressed bytes
expand. `recovered` yields each of those views of a body, saying how it was recovered, and
`replay._scan.find_credentials` searches them as it searches the stored text.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from genai_min._http import JSON
from replay._cassette import Body, BodyKind
from replay._encodings import expanded
from replay._matchers import BYTES_KEYS

DEPTH = 3
"""How many decodings deep a view goes (base64 inside decompressed bytes inside base64, say)."""
OVERLAP = 4096
"""How much of one piece of a large body is searched again with the next: a value may span two."""

_RUN = re.compile(r"[A-Za-z0-9+/_\-\r\n]{12,}={0,2}")
"""A run of base64 (either alphabet, padded or not, in lines or not) long enough to hide a value."""
_URLSAFE = str.maketrans("-_", "+/", "\r\n=")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class View:
    """One text a reader can get from a body: `how` (empty for the stored text) and the text.

    Bytes are given as latin-1 text, one character per byte. `is_text` says whether it is readable
    text, where even a short value is told apart from noise; in random bytes it is not.
    """

    how: str
    text: str
    is_text: bool = True

    @classmethod
    def of_bytes(cls, how: str, data: bytes) -> View:
        """Return the view of `data`: readable text if it is UTF-8 without control characters."""
        return cls(how, data.decode("latin-1"), is_text(data))


def is_text(data: bytes) -> bool:
    """Tell whether `data` is readable text: UTF-8 without control characters (other than line breaks)."""
    try:
        return _CONTROL.search(data.decode("utf-8")) is None
    except UnicodeDecodeError:
        return False


def recovered(body: Body) -> Iterator[View]:
    """Yield what a reader can recover from `body` beyond its stored text.

    That is: the strings of a stream's events, or of a JSON body, joined field by field as a client
    joins them (and bytes fields decoded, then joined); base64 in any string, text or bytes,
    decoded; gzip and zlib bytes decompressed; each again inside what those give, `DEPTH` deep.
    Raises `replay._encodings.ExpansionError` for compressed bytes too large to scan.
    """
    if body.kind is BodyKind.JSON:
        yield from _in_json(list(body.json) if isinstance(body.json, list) else [body.json])
    elif body.kind is BodyKind.SSE:
        yield from _in_json(list(body.events))
    elif body.kind is BodyKind.TEXT:
        yield from _in_text(body.text, "", DEPTH)
    elif body.kind is BodyKind.BYTES and body.blob is None:
        yield from inside(body.data, "", DEPTH)
    elif body.kind is BodyKind.BYTES:
        yield from _in_pieces(body)


def inside(data: bytes, how: str, depth: int = DEPTH) -> Iterator[View]:
    """Yield what `data` holds once decompressed or base64-decoded (not `data` itself)."""
    if depth <= 0:
        return
    inflated = b"".join(expanded([data]))
    if inflated:
        label = _then(how, "decompressed")
        yield View.of_bytes(label, inflated)
        yield from inside(inflated, label, depth - 1)
    if is_text(data):  # base64 is text; in binary media a run of its letters is chance
        yield from _in_text(data.decode("latin-1"), how, depth)


def _in_text(text: str, how: str, depth: int) -> Iterator[View]:
    label = _then(how, "base64-decoded")
    for run in _RUN.finditer(text):
        data = _unbase64(run.group())
        if data:
            yield View.of_bytes(label, data)
            yield from inside(data, label, depth - 1)


def _in_json(values: list[JSON]) -> Iterator[View]:
    """Views of JSON values (a stream's events, a body's items): fields joined, base64 decoded."""
    by_field: dict[tuple[str, ...], list[tuple[tuple[str | int, ...], str]]] = {}
    for value in values:
        for path, text in _strings(value, ()):
            by_field.setdefault(tuple(p for p in path if isinstance(p, str)), []).append((path, text))
    for field, found in by_field.items():
        texts = [text for _, text in found]
        for text in texts:
            yield from _in_text(text, "", DEPTH)
        if field and field[-1].replace("_", "").lower() in BYTES_KEYS:
            pieces = [_unbase64(text) for text in texts]
            if len(pieces) > 1:
                joined = b"".join(pieces)
                yield View.of_bytes("base64-decoded and joined", joined)
                yield from inside(joined, "base64-decoded and joined", DEPTH - 1)
        if len(texts) > 1:
            yield from _joined(texts, _JOINED)
            # Apart from the other items too: each candidate of a stream joined on its own.
            by_path: dict[tuple[str | int, ...], list[str]] = {}
            for path, text in found:
                by_path.setdefault(path, []).append(text)
            if 1 < len(by_path) < len(texts):
                for each in by_path.values():
                    yield from _joined(each, _JOINED)


_JOINED = "joined field by field (a stream's events, an answer's parts)"


def _joined(texts: list[str], how: str) -> Iterator[View]:
    if len(texts) > 1:
        text = "".join(texts)
        yield View(how, text)
        yield from _in_text(text, how, DEPTH)


def _strings(value: JSON, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _in_pieces(body: Body) -> Iterator[View]:
    """Views of a large body, read from its file piece by piece: decompressed, and base64 in it."""
    for window in windows(expanded(body.chunks())):
        yield View.of_bytes("decompressed", window)
    for window in windows(body.chunks()):
        if window.isascii():  # base64 is text; in binary media a run of its letters is chance
            yield from _in_text(window.decode("latin-1"), "", 1)


def windows(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Each piece with the last `OVERLAP` bytes of the one before it."""
    tail = b""
    for piece in pieces:
        window = tail + piece
        yield window
        tail = window[-OVERLAP:]


def _unbase64(run: str) -> bytes:
    text = run.translate(_URLSAFE)
    text = text[: len(text) - 1] if len(text) % 4 == 1 else text
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return b""


def _then(how: str, step: str) -> str:
    return f"{how}, then {step}" if how else step
