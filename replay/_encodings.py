"""Content encodings (gzip, deflate, br): undone before a body is stored, and again by the final scan.

A cassette keeps a body as its reader sees it: the sanitiser decodes a body sent or answered with a
``content-encoding`` (so JSON is stored as JSON, and sanitised as such), and the final scan looks
inside compressed bytes wherever they are (a ``.gz`` upload, a field of a response). Brotli is
decoded only when a ``brotli`` (or ``brotlicffi``) module can be imported; it is no dependency, so
without one a ``br`` body cannot be decoded, and the scan refuses to store it.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

EXPANSION_LIMIT = 2**28
"""How many bytes decompressing one body may give before the scan stops (and refuses the body)."""
_PIECE = 2**20


class ExpansionError(Exception):
    """Compressed bytes expand past `EXPANSION_LIMIT`: they were not scanned whole."""


def decode_content(data: bytes, encoding: str) -> bytes | None:
    """Undo the codings a ``content-encoding`` header names (the last applied first).

    Returns None when a coding cannot be undone here: an unknown one, ``br`` without a brotli
    module, or gzip bytes that do not decompress. As the importer does, the bytes are trusted over
    the header where they can tell: gzip without its magic bytes, or a deflate body that does not
    inflate, was decoded already by whoever kept the header.
    """
    for coding in reversed([c.strip().lower() for c in encoding.split(",") if c.strip()]):
        decoded: bytes | None = data
        if coding in ("gzip", "x-gzip") and data[:2] == _GZIP_MAGIC:
            decoded = _whole(data, zlib.decompressobj(wbits=31))
        elif coding == "deflate":
            decoded = _whole(data, zlib.decompressobj()) or _whole(data, zlib.decompressobj(-zlib.MAX_WBITS))
            decoded = data if decoded is None else decoded
        elif coding == "br":
            decoded = _unbrotli(data)
        elif coding not in ("identity", "gzip", "x-gzip"):
            decoded = None
        if decoded is None:
            return None
        data = decoded
    return data


def is_decodable(encoding: str) -> bool:
    """Tell whether every coding `encoding` names can be undone here (``br`` needs a brotli module)."""
    codings = {c.strip().lower() for c in encoding.split(",") if c.strip()}
    known = {"identity", "gzip", "x-gzip", "deflate"} | ({"br"} if _brotli() is not None else set())
    return codings <= known


def expanded(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Yield what compressed bytes (gzip or zlib, known by their first bytes) hold, piece by piece.

    Yields nothing for bytes that are neither. A damaged or cut stream gives what it holds up to
    the damage, as a reader would get. Raises `ExpansionError` past `EXPANSION_LIMIT`.
    """
    chunks = iter(pieces)
    first = b""
    for piece in chunks:
        first += piece
        if len(first) >= 2:
            break
    if first[:2] == _GZIP_MAGIC:
        inflater = zlib.decompressobj(wbits=47)
    elif _is_zlib_header(first[:2]):
        inflater = zlib.decompressobj()
    else:
        return
    total = 0
    for piece in _chained(first, chunks):
        try:
            out = inflater.decompress(piece, _PIECE)
            while out:
                total += len(out)
                if total > EXPANSION_LIMIT:
                    raise ExpansionError(f"expands past {EXPANSION_LIMIT:,} bytes")
                yield out
                out = inflater.decompress(inflater.unconsumed_tail, _PIECE)
        except zlib.error:
            return
        if inflater.eof:
            return


_GZIP_MAGIC = b"\x1f\x8b"


def _is_zlib_header(head: bytes) -> bool:
    # RFC 1950: deflate, a window of at most 32 KiB, and a check value that makes it a multiple of 31.
    return len(head) == 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7 and int.from_bytes(head) % 31 == 0


def _chained(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _whole(data: bytes, inflater: zlib._Decompress) -> bytes | None:
    """Return all `data` decompresses to, or None if it is damaged, cut short or followed by more."""
    try:
        out = inflater.decompress(data) + inflater.flush()
    except zlib.error:
        return None
    return out if inflater.eof and not inflater.unused_data else None


def _unbrotli(data: bytes) -> bytes | None:
    decompress = _brotli()
    if decompress is None:
        return None
    try:
        return decompress(data)
    except Exception:  # each brotli binding raises its own error class
        return None


@lru_cache(maxsize=1)
def _brotli() -> Callable[[bytes], bytes] | None:
    """The brotli decoder, if a module offers one: ``brotli`` (Google's), or ``brotlicffi``."""
    for name in ("brotli", "brotlicffi"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        decompress: Callable[[bytes], bytes] = module.decompress
        return decompress
    return None
