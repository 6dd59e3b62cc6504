"""What a reader of a stored body can recover: joined events, decoded base64, expanded bytes."""

from __future__ import annotations

import base64
import gzip
import json
import os
from pathlib import Path

from replay._cassette import Blob, Body, BodyKind
from replay._recoverable import recovered


def texts(body: Body) -> list[tuple[str, str]]:
    return [(view.how, view.text) for view in recovered(body)]


def test_the_strings_of_a_stream_are_joined_field_by_field() -> None:
    events = tuple({"candidates": [{"content": {"parts": [{"text": t}]}}], "id": "r1"} for t in "abc")
    joined = {text: how for how, text in texts(Body(BodyKind.SSE, events=events))}
    assert joined["abc"].startswith("joined field by field")
    assert "r1r1r1" in joined  # every field: a reader may join any of them


def test_base64_is_decoded_in_any_string_and_inside_what_it_gives() -> None:
    inner = base64.b64encode(b"the innermost secret").decode()
    outer = base64.urlsafe_b64encode(gzip.compress(json.dumps({"data": inner}).encode())).decode()
    body = Body(BodyKind.JSON, json={"note": f"see data:application/gzip;base64,{outer}"})
    found = dict(texts(body))
    assert found["base64-decoded, then decompressed, then base64-decoded"] == "the innermost secret"


def test_a_text_body_of_base64_lines_is_decoded() -> None:
    encoded = base64.encodebytes(b"line one of a long file, line two of a long file").decode()
    assert ("base64-decoded", "line one of a long file, line two of a long file") in texts(
        Body(BodyKind.TEXT, text=encoded)
    )


def test_random_bytes_give_nothing_to_decode() -> None:
    assert texts(Body(BodyKind.BYTES, data=os.urandom(50_000))) == []


def test_a_compressed_blob_is_expanded_piece_by_piece(tmp_path: Path) -> None:
    folder = tmp_path
    data = gzip.compress(os.urandom(3_000_000) + b"needle in the middle" + os.urandom(3_000_000))
    (folder / "blob").write_bytes(data)
    body = Body(BodyKind.BYTES, blob=Blob(folder / "blob", "0" * 64, len(data)))
    assert any("needle in the middle" in text for how, text in texts(body) if how == "decompressed")
