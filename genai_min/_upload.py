"""The resumable upload protocol of `files.upload`, as pure steps shared by sync and async.

The upload is laid out as steps that do no network I/O: a start request, a session read from its
answer, then one chunk request at a time (read from the file only when it is due), each answer
checked before the next chunk is read. `files` and `aio.files` only send. It is apart from `_files`
because it is a protocol of its own (sessions, chunk headers, offsets, upload statuses).
"""

from __future__ import annotations

import contextlib
import io
import mimetypes
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TypeAlias

from genai_min._base import ConfigModel, coerce, parse
from genai_min._errors import ConfigError, FileUploadError, ResponseError
from genai_min._files import File, file_name
from genai_min._http import JSON, HttpRequest, HttpResponse

DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024
"""Bytes per upload request, as the official SDK sends them (8 MiB)."""

UploadInput: TypeAlias = str | os.PathLike[str] | bytes | bytearray | IO[bytes]
"""What `files.upload` reads: a path, the bytes themselves, or a binary file object."""


class UploadFileConfig(ConfigModel):
    """Options of `files.upload`: the file's id (``files/abc`` or ``abc``), display name, MIME type."""

    name: str | None = None
    display_name: str | None = None
    mime_type: str | None = None


def upload_config(config: object) -> UploadFileConfig:
    """Accept an `UploadFileConfig`, a dict or None."""
    return coerce(UploadFileConfig, config or {}, what="UploadFileConfig")


@dataclass(frozen=True)
class UploadSource:
    """An open file to upload: where to read it, how many bytes, of which type, under which name."""

    reader: IO[bytes]
    size: int
    mime_type: str
    file_name: str | None = None


@contextlib.contextmanager
def open_upload(file: UploadInput, config: UploadFileConfig, chunk_size: int) -> Iterator[UploadSource]:
    """Check the arguments and open `file` for reading; a path is closed again afterwards.

    Only the size is learnt up front (the protocol declares it); nothing is read yet.
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size <= 0:
        raise ConfigError(f"chunk_size must be a positive number of bytes, not {chunk_size!r}")
    if isinstance(file, str | os.PathLike):
        path = os.fspath(file)
        if not os.path.isfile(path):
            raise ConfigError(
                f"{path!r} is not a file; pass the path of an existing file, bytes or a file object"
            )
        mime_type = _mime_type(config, path)
        with open(path, "rb") as reader:
            yield UploadSource(reader, os.fstat(reader.fileno()).st_size, mime_type, os.path.basename(path))
        return
    if isinstance(file, bytes | bytearray | memoryview):
        # BytesIO over bytes shares their buffer: reading a chunk copies only that chunk.
        data = bytes(file) if not isinstance(file, bytes) else file
        yield UploadSource(io.BytesIO(data), len(data), _mime_type(config, None))
        return
    yield _file_object(file, config)


def _file_object(file: object, config: UploadFileConfig) -> UploadSource:
    mode = getattr(file, "mode", "b")
    if isinstance(file, io.TextIOBase) or (isinstance(mode, str) and "b" not in mode):
        raise ConfigError(f"{file!r} is open in text mode; open it in binary mode ('rb')")
    if not callable(getattr(file, "read", None)):
        raise ConfigError(
            f"cannot upload {type(file).__name__} {file!r}: pass a path, bytes or a binary file object"
        )
    seekable = getattr(file, "seekable", None)
    if not callable(seekable) or not seekable():
        raise ConfigError(
            f"{file!r} is not seekable, so its size cannot be declared before the upload; "
            "save it to a file or pass its bytes"
        )
    reader: IO[bytes] = file  # type: ignore[assignment]
    start = reader.tell()
    size = reader.seek(0, os.SEEK_END) - start
    reader.seek(start)
    name = getattr(file, "name", None)
    return UploadSource(reader, size, _mime_type(config, name if isinstance(name, str) else None))


def _mime_type(config: UploadFileConfig, path: str | None) -> str:
    if config.mime_type:
        return config.mime_type
    guessed = mimetypes.guess_type(path)[0] if path else None
    if guessed is None:
        what = f"from the name {path!r}" if path else "for bytes or a file object without a name"
        raise ConfigError(
            f"cannot tell the MIME type {what}; pass it, e.g. config={{'mime_type': 'application/pdf'}}"
        )
    return guessed


def start_request(source: UploadSource, config: UploadFileConfig) -> HttpRequest:
    """Build the request that opens a resumable upload session and declares the file."""
    described: dict[str, JSON] = {"mimeType": source.mime_type, "sizeBytes": source.size}
    if config.name:
        described["name"] = file_name(config.name)
    if config.display_name:
        described["displayName"] = config.display_name
    headers = [
        ("X-Goog-Upload-Protocol", "resumable"),
        ("X-Goog-Upload-Command", "start"),
        ("X-Goog-Upload-Header-Content-Length", str(source.size)),
        ("X-Goog-Upload-Header-Content-Type", source.mime_type),
    ]
    # The SDK names the local file; httpx can only send it when it is ASCII.
    if source.file_name and source.file_name.isascii():
        headers.append(("X-Goog-Upload-File-Name", source.file_name))
    return HttpRequest("POST", "files", json={"file": described}, headers=tuple(headers), is_upload=True)


@dataclass(frozen=True)
class UploadSession:
    """Where the chunks go, and how many bytes each carries."""

    url: str
    chunk_size: int


def parse_start(response: HttpResponse, chunk_size: int) -> UploadSession:
    """Read the session URL from the start answer; round the chunk size to the server's granularity."""
    url = _header(response, "x-goog-upload-url")
    status = _header(response, "x-goog-upload-status")
    if status is not None and status != "active":
        raise FileUploadError(
            f"the service refused to open the upload session (x-goog-upload-status: {status!r}); "
            "check the file's size and MIME type and upload again",
            upload_status=status,
            offset=0,
            body=response.content,
        )
    if not url or not url.startswith(("http://", "https://")):
        raise FileUploadError(
            f"the answer to the upload start carried no usable x-goog-upload-url header ({url!r}), so "
            "there is nowhere to send the bytes; the service (or a recording of it) must return one",
            upload_status=status,
            offset=0,
            body=response.content,
        )
    granularity = _header(response, "x-goog-upload-chunk-granularity")
    if granularity and granularity.isdigit() and int(granularity) > 0:
        step = int(granularity)
        # Every chunk but the last must be a multiple of the granularity, or the service refuses it.
        chunk_size = max(step, chunk_size - chunk_size % step)
    return UploadSession(url, chunk_size)


@dataclass(frozen=True)
class UploadChunk:
    """One request of the upload: its bytes start at `offset`; `is_last` finalises the upload."""

    request: HttpRequest
    offset: int
    is_last: bool


def iter_chunks(session: UploadSession, source: UploadSource) -> Iterator[UploadChunk]:
    """Read and wrap one chunk at a time; always yields at least one chunk (the finalising one).

    Chunks go to the session URL without credentials: the session id in it authorises them.
    """
    offset = 0
    while True:
        wanted = min(session.chunk_size, source.size - offset)
        data = _read(source.reader, wanted)
        if len(data) < wanted:
            raise ConfigError(
                f"the file ended after {offset + len(data)} of the {source.size} bytes declared; "
                "it changed during the upload"
            )
        is_last = offset + wanted >= source.size
        headers = (
            ("X-Goog-Upload-Command", "upload, finalize" if is_last else "upload"),
            ("X-Goog-Upload-Offset", str(offset)),
        )
        request = HttpRequest("POST", session.url, content=data, headers=headers, is_authenticated=False)
        del data  # the request holds the only reference, so a sent chunk can be freed
        yield UploadChunk(request, offset, is_last)
        if is_last:
            return
        offset += wanted


def _read(reader: IO[bytes], size: int) -> bytes:
    """Read exactly `size` bytes unless the file ends first (raw streams may return fewer)."""
    first = reader.read(size)
    if len(first) >= size or not first:
        return first
    pieces = [first]
    missing = size - len(first)
    while missing > 0 and (piece := reader.read(missing)):
        pieces.append(piece)
        missing -= len(piece)
    return b"".join(pieces)


def check_chunk(chunk: UploadChunk, response: HttpResponse) -> None:
    """Check the service's ``x-goog-upload-status``: ``active`` after a chunk, ``final`` after the last."""
    status = _header(response, "x-goog-upload-status")
    expected = "final" if chunk.is_last else "active"
    if status == expected:
        return
    said = f"x-goog-upload-status: {status!r}" if status is not None else "no x-goog-upload-status header"
    raise FileUploadError(
        f"the answer to the upload chunk at offset {chunk.offset} had {said} where {expected!r} was "
        "expected; the file was not stored completely, upload it again",
        upload_status=status,
        offset=chunk.offset,
        body=response.content,
    )


def parse_uploaded(data: JSON) -> File:
    """Parse the finalising answer, ``{"file": {...}}``."""
    if isinstance(data, dict) and isinstance(data.get("file"), dict):
        return parse(File, data["file"])
    raise ResponseError(f"the finalised upload's answer has no 'file' object: {str(data)[:200]!r}")


def _header(response: HttpResponse, name: str) -> str | None:
    if name in response.headers:
        return response.headers[name]
    return next((v for k, v in response.headers.items() if k.lower() == name), None)
