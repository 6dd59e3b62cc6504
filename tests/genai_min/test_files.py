"""`files` against a stub service: the resumable upload on the wire, the other calls, and their errors."""

from __future__ import annotations

import io
import json
import os
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

import genai_min
from genai_min import files, models
from genai_min._files import FileProcessingError, FileState, FileWaitTimeoutError
from genai_min._upload import FileUploadError, UploadFileConfig
from genai_min.aio import files as aio_files

from .conftest import FakeTime, Stub, make_transport, text_response

MODEL = "gemini-2.0-flash-001"
HOST = "https://generativelanguage.googleapis.com"
UPLOAD_QUERY = [("upload_id", "ABgVH9e5912899944ce3f443ca2bb"), ("upload_protocol", "resumable")]
UPLOAD_URL = f"{HOST}/upload/v1beta/files?upload_id=ABgVH9e5912899944ce3f443ca2bb&upload_protocol=resumable"
A11 = b"Apollo 11 transcript. " * 200  # 4400 bytes, as the README's a11.txt example sends


def file_json(file_id: str = "c2bb3ccfff6a", **fields: Any) -> dict[str, Any]:
    """A realistic File as the service describes it (int64 sizes are strings)."""
    return {
        "name": f"files/{file_id}",
        "mimeType": "text/plain",
        "sizeBytes": "4400",
        "createTime": "2025-01-15T10:00:00.123456Z",
        "updateTime": "2025-01-15T10:00:00.123456Z",
        "expirationTime": "2025-01-17T10:00:00.123456Z",
        "sha256Hash": "ZWI3ZDMyMjBjY2E3NTZlMTRmNjQ3OTBiYmUyNTQ4NTY1YWFjNzdmZTA2ODVlNzA5NTYxZTk1ODc3ZDZkNjkzYg==",
        "uri": f"{HOST}/v1beta/files/{file_id}",
        "state": "ACTIVE",
        "source": "UPLOADED",
        **fields,
    }


def queue_upload(stub: Stub, chunks: int = 1, file: dict[str, Any] | None = None) -> None:
    """Answer a start and `chunks` chunk requests as the service does."""
    stub.reply_raw(200, b"", {"x-goog-upload-url": UPLOAD_URL, "x-goog-upload-status": "active"})
    for _ in range(chunks - 1):
        stub.reply_raw(200, b"", {"x-goog-upload-status": "active"})
    stub.reply({"file": file or file_json()}, headers={"x-goog-upload-status": "final"})


@pytest.fixture
def t(stub: Stub) -> Iterator[genai_min.Transport]:
    with make_transport("gemini", stub) as transport:
        yield transport


@pytest.fixture
def a11(tmp_path: Path) -> Path:
    path = tmp_path / "a11.txt"
    path.write_bytes(A11)
    return path


# -- the README's examples -------------------------------------------------------------------------


def test_upload_sends_start_then_one_finalising_chunk(t: genai_min.Transport, stub: Stub, a11: Path) -> None:
    queue_upload(stub)
    uploaded = files.upload(t, file=a11)
    start, chunk = stub.requests
    assert (start.method, start.path, start.query) == ("POST", "/upload/v1beta/files", [])
    assert start.json == {"file": {"mimeType": "text/plain", "sizeBytes": 4400}}
    assert start.headers["content-type"] == "application/json"
    assert start.headers["x-goog-api-key"] == "test-key"
    assert [(k, v) for k, v in start.headers.items() if k.startswith("x-goog-upload")] == [
        ("x-goog-upload-protocol", "resumable"),
        ("x-goog-upload-command", "start"),
        ("x-goog-upload-header-content-length", "4400"),
        ("x-goog-upload-header-content-type", "text/plain"),
        ("x-goog-upload-file-name", "a11.txt"),
    ]
    assert (chunk.method, chunk.path, chunk.query) == ("POST", "/upload/v1beta/files", UPLOAD_QUERY)
    assert chunk.headers["x-goog-upload-command"] == "upload, finalize"
    assert chunk.headers["x-goog-upload-offset"] == "0"
    assert chunk.headers["content-length"] == "4400"
    assert "x-goog-api-key" not in chunk.headers  # the session id in the URL authorises chunks
    assert chunk.content == A11
    assert uploaded.name == "files/c2bb3ccfff6a"
    assert (uploaded.size_bytes, uploaded.state, uploaded.mime_type) == (4400, FileState.ACTIVE, "text/plain")
    assert uploaded.uri == f"{HOST}/v1beta/files/c2bb3ccfff6a"


def test_uploaded_file_is_a_part_of_generate_content(t: genai_min.Transport, stub: Stub, a11: Path) -> None:
    queue_upload(stub)
    stub.reply(text_response("A summary."))
    file = files.upload(t, file=str(a11))
    response = models.generate_content(t, model=MODEL, contents=["Could you summarize this file?", file])
    assert response.text == "A summary."
    assert stub.last.path == f"/v1beta/models/{MODEL}:generateContent"
    assert stub.last.json == {
        "contents": [
            {
                "role": "user",
                "parts": [
                    {"text": "Could you summarize this file?"},
                    {"fileData": {"fileUri": f"{HOST}/v1beta/files/c2bb3ccfff6a", "mimeType": "text/plain"}},
                ],
            }
        ]
    }


@pytest.mark.parametrize("name", ["files/abc123", "abc123", f"{HOST}/v1beta/files/abc123:download?alt=media"])
def test_get(t: genai_min.Transport, stub: Stub, name: str) -> None:
    stub.reply(file_json("abc123", state="PROCESSING", videoMetadata={"videoDuration": "1.5s"}))
    file = files.get(t, name=name)
    seen = stub.last
    assert (seen.method, seen.path, seen.query, seen.content) == ("GET", "/v1beta/files/abc123", [], b"")
    assert seen.headers["x-goog-api-key"] == "test-key"
    assert file.state == FileState.PROCESSING and file.state == "PROCESSING"
    assert file.video_metadata == {"videoDuration": "1.5s"}
    assert file.expiration_time == "2025-01-17T10:00:00.123456Z"


def test_get_keeps_unknown_states_and_fields(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(file_json(state="ARCHIVED", source="GENERATED", newField={"x": 1}))
    file = files.get(t, name="c2bb3ccfff6a")
    assert (file.state, file.source) == ("ARCHIVED", "GENERATED")
    assert file.to_wire()["newField"] == {"x": 1}


def test_list_pages(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({"files": [file_json("a"), file_json("b")], "nextPageToken": "page-2"})
    stub.reply({"files": [file_json("c")]})
    stub.reply({})
    assert [f.name for f in files.list(t)] == ["files/a", "files/b", "files/c"]
    pager = files.list(t, config={"page_size": 10})
    assert (len(pager), pager.page_size, pager.next_page_token) == (0, 10, None)
    assert [(r.method, r.path, r.query) for r in stub.requests] == [
        ("GET", "/v1beta/files", []),
        ("GET", "/v1beta/files", [("pageToken", "page-2")]),
        ("GET", "/v1beta/files", [("pageSize", "10")]),
    ]


def test_delete(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({})
    stub.reply({})
    files.delete(t, name="files/abc123")
    assert files.delete(t, name="abc123").to_wire() == {}
    assert stub.paths() == ["DELETE /v1beta/files/abc123"] * 2
    assert stub.last.content == b""


@dataclass
class Video:
    """Stands for a generated video: a URI and writable bytes."""

    uri: str | None
    mime_type: str | None = "video/mp4"
    video_bytes: bytes | None = None


@dataclass
class GeneratedVideo:
    video: Video | None


def test_download_accepts_every_form_of_file(t: genai_min.Transport, stub: Stub) -> None:
    uri = f"{HOST}/v1beta/files/abc123:download?alt=media"
    video, generated = Video(uri), GeneratedVideo(Video(uri))
    generated_file = genai_min._files.File.model_validate(file_json("abc123", downloadUri=uri))
    targets: list[Any] = ["files/abc123", "abc123", uri, generated_file, video, generated]
    for _ in targets:
        stub.reply_raw(200, b"\x00\x00\x00\x18ftypmp42", {"content-type": "video/mp4"})
    assert {files.download(t, file=target) for target in targets} == {b"\x00\x00\x00\x18ftypmp42"}
    assert {(r.method, r.path, tuple(r.query)) for r in stub.requests} == {
        ("GET", "/v1beta/files/abc123:download", (("alt", "media"),))
    }
    assert stub.last.headers["x-goog-api-key"] == "test-key"
    assert video.video_bytes == b"\x00\x00\x00\x18ftypmp42"
    assert generated.video is not None and generated.video.video_bytes == b"\x00\x00\x00\x18ftypmp42"


def test_download_fills_a_generated_video(t: genai_min.Transport, stub: Stub) -> None:
    media = pytest.importorskip("genai_min._videos")
    uri = f"{HOST}/v1beta/files/abc123:download?alt=media"
    generated = media.GeneratedVideo(video=media.Video(uri=uri, mime_type="video/mp4"))
    stub.reply_raw(200, b"mp4 bytes", {"content-type": "video/mp4"})
    assert files.download(t, file=generated) == b"mp4 bytes"
    assert generated.video.video_bytes == b"mp4 bytes"
    assert stub.paths() == ["GET /v1beta/files/abc123:download"]


def test_download_refuses_what_is_not_a_gemini_file(t: genai_min.Transport, stub: Stub) -> None:
    with pytest.raises(genai_min.ConfigError, match="only generated files can be downloaded"):
        files.download(t, file=genai_min._files.File.model_validate(file_json()))
    with pytest.raises(genai_min.ConfigError, match="not a Gemini file URI"):
        files.download(t, file=Video("gs://bucket/clip.mp4"))
    with pytest.raises(genai_min.ConfigError, match="cannot download"):
        files.download(t, file=Video(None))
    with pytest.raises(genai_min.ConfigError, match="file name looks like"):
        files.download(t, file="projects/p/files/x")
    assert stub.requests == []


def test_download_follows_redirects_without_leaking_the_key(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply_raw(302, b"", {"location": "/v1beta/files/abc123:download?alt=media&hop=1"})
    stub.reply_raw(302, b"", {"location": "https://storage.example.com/signed?sig=1"})
    stub.reply_raw(200, b"bytes")
    assert files.download(t, file="abc123") == b"bytes"
    own, other = stub.requests[1], stub.requests[2]
    assert (own.path, own.headers["x-goog-api-key"]) == ("/v1beta/files/abc123:download", "test-key")
    assert (other.path, other.query) == ("/signed", [("sig", "1")])
    assert "x-goog-api-key" not in other.headers


def test_download_error_is_an_api_error(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}}, status=404)
    with pytest.raises(genai_min.ClientError, match="NOT_FOUND"):
        files.download(t, file="abc123")


# -- chunked uploads ----------------------------------------------------------------------------------

DATA = bytes(range(256)) * 10  # 2560 bytes, every chunk different


def source_of(kind: str, data: bytes, tmp_path: Path) -> Any:
    if kind == "bytes":
        return data
    path = tmp_path / "data.bin"
    path.write_bytes(data)
    if kind == "path":
        return path
    return io.BytesIO(data)


@pytest.mark.parametrize("kind", ["path", "bytes", "file object"])
@pytest.mark.parametrize(
    ("size", "offsets"),
    [(2560, [0, 1000, 2000]), (2000, [0, 1000]), (999, [0]), (0, [0])],
)
def test_upload_in_chunks(
    t: genai_min.Transport, stub: Stub, tmp_path: Path, kind: str, size: int, offsets: list[int]
) -> None:
    data = DATA[:size]
    queue_upload(stub, chunks=len(offsets))
    config = {"mime_type": "application/octet-stream"}
    files.upload(t, file=source_of(kind, data, tmp_path), config=config, chunk_size=1000)
    start, *chunks = stub.requests
    assert start.headers["x-goog-upload-header-content-length"] == str(size)
    assert start.json == {"file": {"mimeType": "application/octet-stream", "sizeBytes": size}}
    assert [c.headers["x-goog-upload-offset"] for c in chunks] == [str(o) for o in offsets]
    assert [c.headers["x-goog-upload-command"] for c in chunks] == ["upload"] * (len(offsets) - 1) + [
        "upload, finalize"
    ]
    assert [c.content for c in chunks] == [data[o : o + 1000] for o in offsets]
    assert {(c.path, tuple(c.query)) for c in chunks} == {("/upload/v1beta/files", tuple(UPLOAD_QUERY))}


def test_upload_reads_a_file_object_from_its_position_and_leaves_it_open(
    t: genai_min.Transport, stub: Stub
) -> None:
    queue_upload(stub, chunks=2)
    stream = io.BytesIO(b"HEADER" + DATA[:1500])
    stream.seek(6)
    files.upload(t, file=stream, config=UploadFileConfig(mime_type="image/png"), chunk_size=1000)
    assert stub.requests[0].headers["x-goog-upload-header-content-length"] == "1500"
    assert b"".join(c.content for c in stub.requests[1:]) == DATA[:1500]
    assert not stream.closed


def test_upload_guesses_the_mime_type_from_a_named_file_object(
    t: genai_min.Transport, stub: Stub, tmp_path: Path
) -> None:
    queue_upload(stub)
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF-1.7")
    with path.open("rb") as stream:
        files.upload(t, file=stream)
    assert stub.requests[0].json == {"file": {"mimeType": "application/pdf", "sizeBytes": 8}}
    assert "x-goog-upload-file-name" not in stub.requests[0].headers


def test_upload_config_names_and_types_the_file(t: genai_min.Transport, stub: Stub, a11: Path) -> None:
    queue_upload(stub)
    files.upload(
        t, file=a11, config={"name": "apollo-11", "display_name": "Apollo 11", "mime_type": "text/markdown"}
    )
    start = stub.requests[0]
    assert start.json == {
        "file": {
            "name": "files/apollo-11",
            "displayName": "Apollo 11",
            "mimeType": "text/markdown",
            "sizeBytes": 4400,
        }
    }
    assert start.headers["x-goog-upload-header-content-type"] == "text/markdown"


def test_upload_rounds_the_chunk_size_to_the_server_granularity(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply_raw(
        200,
        b"",
        {
            "x-goog-upload-url": UPLOAD_URL,
            "x-goog-upload-status": "active",
            "x-goog-upload-chunk-granularity": "1024",
        },
    )
    stub.reply_raw(200, b"", {"x-goog-upload-status": "active"})
    stub.reply_raw(200, b"", {"x-goog-upload-status": "active"})
    stub.reply({"file": file_json()}, headers={"x-goog-upload-status": "final"})
    files.upload(t, file=DATA, config={"mime_type": "text/plain"}, chunk_size=1500)
    assert [len(c.content) for c in stub.requests[1:]] == [1024, 1024, 512]


def test_upload_argument_errors_send_nothing(t: genai_min.Transport, stub: Stub, tmp_path: Path) -> None:
    unknown = tmp_path / "data.unknown-extension"
    unknown.write_bytes(b"x")
    text = tmp_path / "notes.txt"
    text.write_text("x")
    with pytest.raises(genai_min.ConfigError, match="cannot tell the MIME type for bytes"):
        files.upload(t, file=b"data")
    with pytest.raises(genai_min.ConfigError, match="cannot tell the MIME type from the name"):
        files.upload(t, file=unknown)
    with pytest.raises(genai_min.ConfigError, match="is not a file"):
        files.upload(t, file=tmp_path / "missing.pdf")
    with text.open() as stream, pytest.raises(genai_min.ConfigError, match="binary mode"):
        files.upload(t, file=stream)  # type: ignore[arg-type]
    with pytest.raises(genai_min.ConfigError, match="chunk_size must be a positive"):
        files.upload(t, file=b"x", config={"mime_type": "text/plain"}, chunk_size=0)
    with pytest.raises(genai_min.ConfigError, match="UploadFileConfig"):
        files.upload(t, file=b"x", config={"mimetype": "text/plain"})
    assert stub.requests == []


# -- upload protocol errors ---------------------------------------------------------------------------


def test_start_answer_without_upload_url(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({}, headers={"x-goog-upload-status": "active"})
    with pytest.raises(FileUploadError, match="no usable x-goog-upload-url") as info:
        files.upload(t, file=DATA, config={"mime_type": "text/plain"})
    assert isinstance(info.value, genai_min.ResponseError)
    assert (info.value.upload_status, info.value.offset) == ("active", 0)
    assert len(stub.requests) == 1


def test_start_answer_refusing_the_session(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply_raw(200, b"", {"x-goog-upload-url": UPLOAD_URL, "x-goog-upload-status": "cancelled"})
    with pytest.raises(FileUploadError, match="refused to open the upload session"):
        files.upload(t, file=DATA, config={"mime_type": "text/plain"})


@pytest.mark.parametrize(
    ("statuses", "offset", "said"),
    [
        (["active", "active", "active"], 2000, "'active'"),  # the last chunk is not final
        (["final"], 0, "'final'"),  # finalised before all bytes were sent
        ([None], 0, "no x-goog-upload-status header"),
    ],
)
def test_chunk_answer_with_the_wrong_status(
    t: genai_min.Transport, stub: Stub, statuses: list[str | None], offset: int, said: str
) -> None:
    stub.reply_raw(200, b"", {"x-goog-upload-url": UPLOAD_URL, "x-goog-upload-status": "active"})
    for status in statuses:
        stub.reply_raw(200, b"{}", {"x-goog-upload-status": status} if status else {})
    with pytest.raises(FileUploadError, match=f"chunk at offset {offset} had .*{said}") as info:
        files.upload(t, file=DATA[:2500], config={"mime_type": "text/plain"}, chunk_size=1000)
    assert (info.value.upload_status, info.value.offset) == (statuses[-1], offset)
    assert len(stub.requests) == 1 + len(statuses)


def test_chunk_error_status_is_an_api_error(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply_raw(200, b"", {"x-goog-upload-url": UPLOAD_URL, "x-goog-upload-status": "active"})
    stub.reply({"error": {"code": 400, "message": "bad offset", "status": "INVALID_ARGUMENT"}}, status=400)
    with pytest.raises(genai_min.ClientError, match="bad offset"):
        files.upload(t, file=DATA, config={"mime_type": "text/plain"})


# -- waiting until a file is ACTIVE -------------------------------------------------------------------


def processing(file_id: str = "vid1") -> genai_min._files.File:
    return genai_min._files.File.model_validate(file_json(file_id, state="PROCESSING"))


def test_wait_active_polls_until_active(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(file_json("vid1", state="PROCESSING"))
    stub.reply(file_json("vid1", state="ACTIVE"))
    time = FakeTime()
    file = files.wait_active(t, file=processing(), interval=2, clock=time.clock, sleep=time.sleep)
    assert file.state == FileState.ACTIVE
    assert time.sleeps == [2, 2]
    assert stub.paths() == ["GET /v1beta/files/vid1"] * 2


def test_wait_active_returns_an_active_file_at_once_and_fetches_a_name(
    t: genai_min.Transport, stub: Stub
) -> None:
    active = genai_min._files.File.model_validate(file_json())
    assert files.wait_active(t, file=active) is active
    assert stub.requests == []
    stub.reply(file_json("vid1", state="ACTIVE"))
    assert files.wait_active(t, file="files/vid1").name == "files/vid1"
    assert stub.paths() == ["GET /v1beta/files/vid1"]


def test_wait_active_raises_when_processing_failed(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(file_json("vid1", state="FAILED", error={"code": 3, "message": "unsupported codec"}))
    time = FakeTime()
    with pytest.raises(
        FileProcessingError, match="files/vid1 could not be processed \\(unsupported codec\\)"
    ) as info:
        files.wait_active(t, file=processing(), clock=time.clock, sleep=time.sleep)
    assert info.value.file.state == FileState.FAILED
    assert not isinstance(info.value, FileWaitTimeoutError)


def test_wait_active_times_out(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(file_json("vid1", state="PROCESSING", updateTime="later"))
    stub.reply(file_json("vid1", state="PROCESSING", updateTime="latest"))
    time = FakeTime()
    with pytest.raises(FileWaitTimeoutError, match="files/vid1 was still PROCESSING after 15 s") as info:
        files.wait_active(t, file=processing(), interval=10, timeout=15, clock=time.clock, sleep=time.sleep)
    assert isinstance(info.value, FileProcessingError)
    assert info.value.file.update_time == "latest"
    assert time.sleeps == [10, 5]


def test_wait_active_needs_a_name(t: genai_min.Transport) -> None:
    with pytest.raises(genai_min.ConfigError, match="needs a File with a name"):
        files.wait_active(t, file=genai_min._files.File(state="PROCESSING"))


# -- Vertex AI -------------------------------------------------------------------------------------


SYNC_CALLS: dict[str, Callable[[genai_min.Transport], object]] = {
    "upload": lambda t: files.upload(t, file=b"x", config={"mime_type": "text/plain"}),
    "get": lambda t: files.get(t, name="files/a"),
    "list": lambda t: files.list(t),
    "delete": lambda t: files.delete(t, name="files/a"),
    "download": lambda t: files.download(t, file="files/a"),
    "wait_active": lambda t: files.wait_active(t, file="files/a"),
}


ASYNC_CALLS: dict[str, Callable[[genai_min.Transport], Any]] = {
    "upload": lambda t: aio_files.upload(t, file=b"x", config={"mime_type": "text/plain"}),
    "get": lambda t: aio_files.get(t, name="files/a"),
    "list": lambda t: aio_files.list(t),
    "delete": lambda t: aio_files.delete(t, name="files/a"),
    "download": lambda t: aio_files.download(t, file="files/a"),
    "wait_active": lambda t: aio_files.wait_active(t, file="files/a"),
}


@pytest.mark.parametrize("call", sorted(SYNC_CALLS))
def test_vertex_refuses_every_files_call(stub: Stub, call: str) -> None:
    vertex = make_transport("vertex", stub)
    with pytest.raises(
        genai_min.UnsupportedError, match=f"files.{call} is a Gemini Developer API feature.*gs://"
    ):
        SYNC_CALLS[call](vertex)
    assert stub.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize("call", sorted(ASYNC_CALLS))
async def test_vertex_refuses_every_async_files_call(stub: Stub, call: str) -> None:
    vertex = make_transport("vertex", stub)
    with pytest.raises(genai_min.UnsupportedError, match="Cloud Storage"):
        await ASYNC_CALLS[call](vertex)
    assert stub.requests == []


# -- async ----------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_upload_in_chunks(t: genai_min.Transport, stub: Stub, tmp_path: Path) -> None:
    queue_upload(stub, chunks=3)
    file = await aio_files.upload(
        t, file=source_of("path", DATA, tmp_path), config={"mime_type": "video/mp4"}, chunk_size=1000
    )
    assert file.name == "files/c2bb3ccfff6a"
    chunks = stub.requests[1:]
    assert [(c.headers["x-goog-upload-offset"], c.headers["x-goog-upload-command"]) for c in chunks] == [
        ("0", "upload"),
        ("1000", "upload"),
        ("2000", "upload, finalize"),
    ]
    assert b"".join(c.content for c in chunks) == DATA


@pytest.mark.anyio
async def test_async_get_list_delete_download(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(file_json("abc123"))
    stub.reply({"files": [file_json("a")], "nextPageToken": "page-2"})
    stub.reply({"files": [file_json("b")]})
    stub.reply({})
    stub.reply_raw(200, b"video")
    assert (await aio_files.get(t, name="abc123")).name == "files/abc123"
    assert [f.name async for f in await aio_files.list(t, config={"page_size": 1})] == ["files/a", "files/b"]
    await aio_files.delete(t, name="abc123")
    video = Video(f"{HOST}/v1beta/files/abc123:download?alt=media")
    assert await aio_files.download(t, file=video) == b"video"
    assert video.video_bytes == b"video"
    assert [(r.method, r.path, r.query) for r in stub.requests] == [
        ("GET", "/v1beta/files/abc123", []),
        ("GET", "/v1beta/files", [("pageSize", "1")]),
        ("GET", "/v1beta/files", [("pageSize", "1"), ("pageToken", "page-2")]),
        ("DELETE", "/v1beta/files/abc123", []),
        ("GET", "/v1beta/files/abc123:download", [("alt", "media")]),
    ]


@pytest.mark.anyio
async def test_async_download_follows_a_redirect(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply_raw(307, b"", {"location": "https://storage.example.com/signed"})
    stub.reply_raw(200, b"video")
    assert await aio_files.download(t, file="abc123") == b"video"
    assert "x-goog-api-key" not in stub.last.headers


@pytest.mark.anyio
async def test_async_wait_active(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(file_json("vid1", state="PROCESSING"))
    stub.reply(file_json("vid1", state="ACTIVE"))
    time = FakeTime()
    file = await aio_files.wait_active(t, file=processing(), interval=1, clock=time.clock, sleep=time.asleep)
    assert (file.state, time.sleeps) == (FileState.ACTIVE, [1, 1])
    stub.reply(file_json("vid1", state="PROCESSING"))
    with pytest.raises(FileWaitTimeoutError):
        await aio_files.wait_active(
            t, file=processing(), interval=1, timeout=1, clock=time.clock, sleep=time.asleep
        )


@pytest.mark.anyio
async def test_async_upload_protocol_error(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({})
    with pytest.raises(FileUploadError, match="x-goog-upload-url"):
        await aio_files.upload(t, file=DATA, config={"mime_type": "text/plain"})


# -- memory --------------------------------------------------------------------------------------------

MiB = 1024 * 1024


def discarding_service(received: list[int]) -> httpx.MockTransport:
    """Answer the upload protocol, keeping only the size of each chunk."""

    def handle(request: httpx.Request) -> httpx.Response:
        command = request.headers["x-goog-upload-command"]
        if command == "start":
            return httpx.Response(
                200, headers={"x-goog-upload-url": UPLOAD_URL, "x-goog-upload-status": "active"}
            )
        received.append(len(request.read()))
        if command == "upload":
            return httpx.Response(200, headers={"x-goog-upload-status": "active"})
        return httpx.Response(200, json={"file": file_json()}, headers={"x-goog-upload-status": "final"})

    return httpx.MockTransport(handle)


def upload_peak(path: Path) -> tuple[int, list[int]]:
    received: list[int] = []
    service = discarding_service(received)
    with genai_min.Transport(api_key="test-key", transport=service) as t:
        files.upload(t, file=b"warm-up", config={"mime_type": "text/plain"})  # import and connect first
        received.clear()
        tracemalloc.start()
        try:
            files.upload(t, file=path, chunk_size=MiB)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return peak, received


def sparse_file(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)  # reads back as zeros, written in no time
    return path


def test_upload_memory_does_not_grow_with_file_size(tmp_path: Path) -> None:
    small_peak, small_chunks = upload_peak(sparse_file(tmp_path / "small.bin", 4 * MiB))
    large_peak, large_chunks = upload_peak(sparse_file(tmp_path / "large.bin", 32 * MiB))
    assert (small_chunks, large_chunks) == ([MiB] * 4, [MiB] * 32)
    # A few chunk-sized buffers at most, however long the file: never the file itself.
    assert large_peak < small_peak + MiB // 4, (small_peak, large_peak)
    assert large_peak < 4 * MiB, large_peak


# -- the official SDK's captured requests -----------------------------------------------------------

CAPTURES = (
    Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "sdk-captures" / "gemini.jsonl"
)


def captured(example: str) -> list[dict[str, Any]]:
    if not CAPTURES.exists():
        pytest.skip(f"{CAPTURES} is absent: the SDK captures live in ../shared beside the repository")
    records = [json.loads(line) for line in CAPTURES.read_text().splitlines()]
    return [r for r in records if r["example"] == example]


def sdk_like_service(
    records: list[dict[str, Any]], file_id: str, seen: list[httpx.Request]
) -> httpx.MockTransport:
    upload_query = next(r["query"] for r in records if r["query"].startswith("upload_id="))
    deleted: list[bool] = []

    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        command = request.headers.get("x-goog-upload-command")
        if command == "start":
            url = f"{HOST}/upload/v1beta/files?{upload_query}"
            return httpx.Response(200, headers={"x-goog-upload-url": url, "x-goog-upload-status": "active"})
        if command == "upload":
            return httpx.Response(200, headers={"x-goog-upload-status": "active"})
        file = file_json(file_id)
        if command == "upload, finalize":
            return httpx.Response(200, json={"file": file}, headers={"x-goog-upload-status": "final"})
        if request.method == "DELETE":
            deleted.append(True)
            return httpx.Response(200, json={})
        if deleted:
            return httpx.Response(
                404, json={"error": {"code": 404, "message": "gone", "status": "NOT_FOUND"}}
            )
        if request.method == "GET":
            return httpx.Response(200, json=file)
        return httpx.Response(200, json=text_response())

    return httpx.MockTransport(handle)


def norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {k.replace("_", "").lower(): norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [norm(v) for v in value]
    return value


# The SDK repeats the start's declaration headers on every chunk; the protocol needs only these there.
CHUNK_HEADERS = ("x-goog-upload-command", "x-goog-upload-offset")
START_HEADERS = (
    "x-goog-upload-protocol",
    "x-goog-upload-command",
    "x-goog-upload-header-content-length",
    "x-goog-upload-header-content-type",
)


def run_example(example: str, tmp_path: Path) -> tuple[list[dict[str, Any]], list[httpx.Request]]:
    records = captured(example)
    seen: list[httpx.Request] = []
    if example == "generate_with_uploaded_file":
        service = sdk_like_service(records, "c2bb3ccfff6a", seen)
        with genai_min.Transport(api_key="k", transport=service) as t:
            a11 = tmp_path / "a11.txt"
            a11.write_bytes(A11)
            file = files.upload(t, file=a11)
            models.generate_content(t, model=MODEL, contents=["Could you summarize this file?", file])
    else:
        service = sdk_like_service(records, "69453e62c1ee", seen)
        with genai_min.Transport(api_key="k", transport=service) as t:
            pdf = tmp_path / "2312.11805v3.pdf"
            pdf.write_bytes(os.urandom(9437193))
            file = files.upload(t, file=pdf)
            assert file.name is not None
            files.get(t, name=file.name)
            files.delete(t, name=file.name)
            with pytest.raises(genai_min.ClientError):
                files.get(t, name=file.name)
    return records, seen


@pytest.mark.parametrize("example", ["generate_with_uploaded_file", "files_upload_get_delete"])
def test_requests_match_the_official_sdk(example: str, tmp_path: Path) -> None:
    records, seen = run_example(example, tmp_path)
    assert len(seen) == len(records)
    for ours, theirs in zip(seen, records, strict=True):
        assert (ours.method, ours.url.path, list(ours.url.params.multi_items())) == (
            theirs["method"],
            theirs["path"],
            parse_qsl(theirs["query"]),
        )
        names = START_HEADERS if theirs["headers"].get("x-goog-upload-command") == "start" else CHUNK_HEADERS
        assert {h: ours.headers.get(h) for h in names} == {h: theirs["headers"].get(h) for h in names}
        assert ("x-goog-api-key" in ours.headers) == ("x-goog-api-key" in theirs["headers"])
        if theirs["body_kind"] == "bytes":
            assert len(ours.content) == theirs["body"]["length"]
        else:
            assert norm(json.loads(ours.content) if ours.content else None) == norm(theirs["body"])
