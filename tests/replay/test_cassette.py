"""Cassettes round-trip, save atomically and stably, and refuse bad files with clear errors."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from genai_min._sse import SseDecoder
from replay._cassette import (
    BLOB_THRESHOLD,
    FORMAT,
    LAZY_BLOB,
    Body,
    BodyKind,
    Cassette,
    Interaction,
    Meta,
    Request,
    Response,
)
from replay._cassette_json import load_cassette, save_cassette
from replay._errors import CassetteError
from replay._store import STALE_AFTER

URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"
EVENT_1 = {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hel"}]}}]}
EVENT_2 = {"candidates": [{"content": {"role": "model", "parts": [{"text": "lo"}]}, "finishReason": "STOP"}]}


def exchange(response_body: Body, request_body: Body | None = None) -> Interaction:
    return Interaction(
        Request(
            "POST",
            URL,
            (("content-type", "application/json"),),
            request_body or Body(BodyKind.JSON, json={"contents": []}),
        ),
        Response(200, (("content-type", "application/json; charset=UTF-8"),), response_body),
    )


META = Meta("emulator", "gemini", "v1beta", "genai-min", "0.1.0", "2026-11-24T12:00:00Z")


@pytest.mark.parametrize(
    "body",
    [
        Body(),
        Body(BodyKind.JSON, json={"candidates": [], "usageMetadata": {"totalTokenCount": 3}}),
        Body(BodyKind.SSE, events=(EVENT_1, EVENT_2)),
        Body(BodyKind.TEXT, text="plain text ünïcode"),
        Body(BodyKind.BYTES, data=bytes(range(256))),
        Body(BodyKind.BYTES, data=os.urandom(BLOB_THRESHOLD + 1)),
    ],
    ids=["empty", "json", "sse", "text", "small-bytes", "blob"],
)
def test_round_trip(tmp_path: Path, body: Body) -> None:
    cassette = Cassette((exchange(body),), META)
    save_cassette(cassette, tmp_path / "c.json")
    assert load_cassette(tmp_path / "c.json") == cassette


def test_large_bodies_become_content_addressed_blobs(tmp_path: Path) -> None:
    data = os.urandom(BLOB_THRESHOLD + 10)
    save_cassette(Cassette((exchange(Body(BodyKind.BYTES, data=data)),), META), tmp_path / "c.json")
    document = json.loads((tmp_path / "c.json").read_text())
    ref = document["interactions"][0]["response"]["body"]["blob"]
    assert ref["size"] == len(data)
    assert (tmp_path / "blobs" / ref["sha256"]).read_bytes() == data
    assert len((tmp_path / "c.json").read_text()) < 2000


def test_file_is_versioned_pretty_stable_and_keeps_body_key_order(tmp_path: Path) -> None:
    cassette = Cassette((exchange(Body(BodyKind.JSON, json={"b": 1, "a": 2})),), META)
    save_cassette(cassette, tmp_path / "c.json")
    first = (tmp_path / "c.json").read_bytes()
    save_cassette(load_cassette(tmp_path / "c.json"), tmp_path / "c.json")
    assert (tmp_path / "c.json").read_bytes() == first
    text = first.decode()
    assert text.endswith("}\n")
    assert text.startswith('{\n  "format": "genai-replay/1",\n')
    # A body keeps its keys in wire order, so a client sending it again sends the indexed bytes;
    # the envelope around it is sorted, so diffs between recordings stay small.
    assert text.index('"b": 1') < text.index('"a": 2')
    assert load_cassette(tmp_path / "c.json").interactions[0].response.body.wire == b'{"b":1,"a":2}'
    assert text.index('"interactions"') < text.index('"meta"')
    assert text.index('"body"') < text.index('"headers"') < text.index('"method"') < text.index('"url"')
    assert json.loads(text)["meta"]["recorded_against"] == "emulator"


def test_event_streams_are_stored_as_events_and_rebuilt_with_crlf() -> None:
    wire = f"data: {json.dumps(EVENT_1)}\r\n\r\ndata: {json.dumps(EVENT_2)}\r\n\r\n".encode()
    body = Body.from_bytes(wire, "text/event-stream")
    assert body == Body(BodyKind.SSE, events=(EVENT_1, EVENT_2))
    rebuilt = body.to_bytes()
    assert rebuilt.count(b"\r\n\r\n") == 2
    decoder = SseDecoder()
    events = [e for line in rebuilt.decode().split("\r\n") if (e := decoder.feed(line)) is not None]
    assert events == [EVENT_1, EVENT_2]


def test_a_stream_we_cannot_rebuild_is_kept_as_text() -> None:
    wire = b'data: {}\r\n\r\n{\n  "error": {"code": 429}\n}\n'
    assert Body.from_bytes(wire, "text/event-stream").kind is BodyKind.TEXT


@pytest.mark.parametrize(
    ("content", "content_type", "kind"),
    [
        (b"", "application/json", BodyKind.EMPTY),
        (b'{"a": 1}', "application/json; charset=UTF-8", BodyKind.JSON),
        (b"not json", "application/json", BodyKind.TEXT),
        (b"<html></html>", "text/html", BodyKind.TEXT),
        (b"\x89PNG\r\n\x1a\n\xff", "image/png", BodyKind.BYTES),
        (b"abc", "video/mp4", BodyKind.BYTES),
    ],
)
def test_body_classification(content: bytes, content_type: str, kind: BodyKind) -> None:
    body = Body.from_bytes(content, content_type)
    assert body.kind is kind
    if kind is not BodyKind.JSON:
        assert body.to_bytes() == content


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document))
    return path


def valid_document() -> dict[str, object]:
    return {
        "format": FORMAT,
        "meta": {"recorded_against": "live"},
        "interactions": [
            {
                "request": {"method": "POST", "url": URL, "headers": {}, "body": None},
                "response": {"status": 200, "headers": {}, "body": {"json": {}}},
            }
        ],
    }


def test_missing_cassette(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="no such cassette; record it first") as caught:
        load_cassette(tmp_path / "absent.json")
    assert caught.value.cassette_path == tmp_path / "absent.json"


def test_malformed_json(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"format": "genai-replay/1", "interactions": [')
    with pytest.raises(CassetteError, match=r"c\.json: not valid JSON .*record it again"):
        load_cassette(path)


def test_a_cassette_cut_short_anywhere_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    save_cassette(Cassette((exchange(Body(BodyKind.SSE, events=(EVENT_1, EVENT_2))),), META), path)
    whole = path.read_bytes()
    for cut in range(1, len(whole) - 2, 7):  # every 7th byte: inside keys, strings, events, meta
        path.write_bytes(whole[:cut])
        with pytest.raises(CassetteError) as caught:
            load_cassette(path)
        assert caught.value.cassette_path == path
        assert "record it again" in str(caught.value)


def test_unknown_format_version(tmp_path: Path) -> None:
    path = write(tmp_path, {**valid_document(), "format": "genai-replay/9"})
    with pytest.raises(CassetteError, match=r"unknown format 'genai-replay/9'.*upgrade genai-replay"):
        load_cassette(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["interactions"][0]["response"].update(status="200"), "integer status"),
        (
            lambda d: d["interactions"][0]["response"].update(body={"sse": "data: x"}),
            "event stream must be a list",
        ),
        (lambda d: d["interactions"][0]["response"].update(body={"weird": 1}), "unknown body form"),
        (lambda d: d["interactions"][0]["response"].update(body={"base64": "!!"}), "does not decode"),
        (
            lambda d: d["interactions"][0]["request"].update(headers={"x": 1}),
            "headers values must be strings",
        ),
        (lambda d: d.update(interactions={}), "interactions must be a list"),
        (lambda d: d["meta"].update(recorded_against="staging"), "recorded_against"),
    ],
)
def test_structural_problems_name_the_file(tmp_path: Path, change: object, message: str) -> None:
    document = valid_document()
    change(document)  # type: ignore[operator]
    path = write(tmp_path, document)
    with pytest.raises(CassetteError, match=message) as caught:
        load_cassette(path)
    assert str(path) in str(caught.value)
    assert "record it again" in str(caught.value)


def test_missing_and_corrupted_blobs(tmp_path: Path) -> None:
    data = os.urandom(BLOB_THRESHOLD + 1)
    path = tmp_path / "c.json"
    save_cassette(Cassette((exchange(Body(BodyKind.BYTES, data=data)),), META), path)
    blob = next((tmp_path / "blobs").iterdir())
    blob.write_bytes(data[:-1] + b"\x00")
    with pytest.raises(CassetteError, match="does not match its hash"):
        load_cassette(path)
    blob.unlink()
    with pytest.raises(CassetteError, match=f"blob {blob.name} .* is missing"):
        load_cassette(path)


def test_a_failed_save_leaves_the_old_cassette_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.json"
    save_cassette(Cassette((exchange(Body(BodyKind.JSON, json={"v": 1})),), META), path)
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save_cassette(Cassette((exchange(Body(BodyKind.JSON, json={"v": 2})),), META), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]


def test_saving_removes_temporary_files_that_killed_writers_left_long_ago(tmp_path: Path) -> None:
    blob = Body(BodyKind.BYTES, data=b"\x00" * (BLOB_THRESHOLD + 1))
    path = tmp_path / "c.json"
    (tmp_path / "blobs").mkdir()
    old = [
        tmp_path / ".c.json.0123456789abcdef.tmp",
        tmp_path / "blobs" / f".{'a' * 64}.0123456789abcdef.tmp",
    ]
    recent = [
        tmp_path / ".c.json.fedcba9876543210.tmp",
        tmp_path / "blobs" / f".{'b' * 64}.fedcba9876543210.tmp",
    ]
    others = [tmp_path / ".d.json.0123456789abcdef.tmp", tmp_path / "notes.tmp"]
    long_ago = time.time() - 2 * STALE_AFTER
    for file in (*old, *recent, *others):
        file.write_bytes(b"half")
    for file in (*old, *others):
        os.utime(file, (long_ago, long_ago))

    save_cassette(Cassette((exchange(blob),), META), path)

    assert not any(file.exists() for file in old)
    # A recent one may be another writer's, at work now; another cassette's is swept by its own save.
    assert all(file.exists() for file in (*recent, *others))
    assert load_cassette(path).interactions[0].response.body == blob


def test_a_large_blob_stays_in_its_file_when_loaded(tmp_path: Path) -> None:
    data = os.urandom(8 * LAZY_BLOB)
    in_memory = Body(BodyKind.BYTES, data=data)
    save_cassette(Cassette((exchange(in_memory),), META), tmp_path / "a" / "c.json")

    tracemalloc.start()
    try:
        loaded = load_cassette(tmp_path / "a" / "c.json").interactions[0].response.body
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 3 * LAZY_BLOB, f"loading held {peak:,} bytes of an {len(data):,}-byte blob"
    assert loaded.blob is not None and loaded.data == b""
    assert (loaded.size, loaded.sha256) == (len(data), in_memory.sha256)
    assert loaded == in_memory and in_memory == loaded
    assert loaded.content == data == loaded.wire == b"".join(loaded.chunks())
    assert loaded != Body(BodyKind.BYTES, data=data[:-1] + b"\x00")
    # Saved elsewhere, the blob is copied there piece by piece.
    save_cassette(Cassette((exchange(loaded),), META), tmp_path / "b" / "c.json")
    assert (tmp_path / "b" / "blobs" / in_memory.sha256).read_bytes() == data
    assert load_cassette(tmp_path / "b" / "c.json").interactions[0].response.body == in_memory


def test_a_cut_answer_keeps_its_cut_and_a_bad_cut_is_refused(tmp_path: Path) -> None:
    cut = Response(200, (), Body(BodyKind.SSE, events=(EVENT_1,)), cut="ReadError: connection reset")
    path = tmp_path / "c.json"
    save_cassette(Cassette((Interaction(Request("POST", URL), cut),), META), path)
    assert load_cassette(path).interactions[0].response == cut
    document = json.loads(path.read_text())
    document["interactions"][0]["response"]["cut"] = 1
    path.write_text(json.dumps(document))
    with pytest.raises(CassetteError, match="cut must be a string"):
        load_cassette(path)
