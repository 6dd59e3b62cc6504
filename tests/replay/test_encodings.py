"""Content encodings are undone before a body is stored, and compressed bytes expand for the final scan."""

from __future__ import annotations

import gzip
import os
import zlib

import pytest

from replay import _encodings
from replay._encodings import ExpansionError, decode_content, expanded, is_decodable

TEXT = b'{"candidates": [{"content": {"parts": [{"text": "Paris"}]}}]}'


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("gzip", gzip.compress(TEXT)),
        ("x-gzip", gzip.compress(TEXT)),
        ("GZIP", gzip.compress(TEXT)),
        ("deflate", zlib.compress(TEXT)),
        ("deflate", raw_deflate(TEXT)),
        ("gzip, deflate", zlib.compress(gzip.compress(TEXT))),
        ("identity", TEXT),
        ("gzip", TEXT),  # a tool kept the header after decoding: the bytes are trusted
        ("deflate", TEXT),
    ],
    ids=[
        "gzip",
        "x-gzip",
        "GZIP",
        "deflate",
        "raw deflate",
        "two codings",
        "identity",
        "gzip on plain",
        "deflate on plain",
    ],
)
def test_each_coding_is_undone_last_applied_first(encoding: str, data: bytes) -> None:
    assert decode_content(data, encoding) == TEXT


@pytest.mark.parametrize(
    ("encoding", "data"),
    [("compress", TEXT), ("gzip", gzip.compress(TEXT)[:-12]), ("gzip", gzip.compress(TEXT) + b"more")],
    ids=["unknown coding", "gzip cut short", "gzip with bytes after it"],
)
def test_what_cannot_be_undone_whole_is_none(encoding: str, data: bytes) -> None:
    assert decode_content(data, encoding) is None


def test_brotli_is_decoded_only_with_a_module_that_decodes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_encodings, "_brotli", lambda: None)
    assert decode_content(b"\x0b\x02\x80hi\x03", "br") is None
    assert not is_decodable("gzip, br")
    monkeypatch.setattr(_encodings, "_brotli", lambda: {b"\x0b\x02\x80hi\x03": b"hi"}.__getitem__)
    assert decode_content(b"\x0b\x02\x80hi\x03", "br") == b"hi"
    assert decode_content(b"garbage", "br") is None  # the decoder's own error means: cannot
    assert is_decodable("gzip, br")


def test_compressed_bytes_expand_in_pieces_even_cut_short() -> None:
    data = gzip.compress(TEXT * 1000)
    pieces = [data[i : i + 100] for i in range(0, len(data), 100)]
    assert b"".join(expanded(pieces)) == TEXT * 1000
    assert b"".join(expanded([zlib.compress(TEXT)])) == TEXT
    cut = b"".join(expanded([gzip.compress(os.urandom(5000) + TEXT)[:-20]]))
    assert len(cut) > 4000  # a reader gets what came before the cut
    assert list(expanded([TEXT])) == []
    assert list(expanded([])) == []


def test_a_body_that_expands_too_far_is_not_scanned_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_encodings, "EXPANSION_LIMIT", 10_000)
    with pytest.raises(ExpansionError):
        b"".join(expanded([gzip.compress(bytes(100_000))]))
