"""Types, pure request builders and parsers of the `files` calls, shared by sync and async.

The resumable upload is laid out as steps that do no network I/O: a start request, a session read
from its answer, then one chunk request at a time (read from the file only when it is due), each
answer checked before the next chunk is read. `files` and `aio.files` only send.
"""

from __future__ import annotations

import contextlib
import enum
import io
import mimetypes
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Annotated, Protocol, TypeAlias
from urllib.parse import urljoin, urlsplit

from pydantic import Field, JsonValue

from genai_min._base import ConfigModel, WireModel, coerce, parse
from genai_min._endpoint import Endpoint
from genai_min._errors import APIError, ConfigError, GenAIError, ResponseError, UnsupportedError
from genai_min._http import JSON, HttpRequest, HttpResponse
from genai_min._names import path_segment
from genai_min._pager import Page

DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024
"""Bytes per upload request, as the official SDK sends them (8 MiB)."""

MAX_REDIRECTS = 5
"""How many redirects a download follows before it gives up."""

DEFAULT_WAIT_INTERVAL = 5.0
"""Seconds between polls of `wait_active` unless the caller says otherwise."""

DEFAULT_WAIT_TIMEOUT = 600.0
"""Seconds before `wait_active` gives up unless the caller says otherwise (None waits for ever)."""


class FileState(enum.StrEnum):
    """Where a file is in the service's processing."""

    STATE_UNSPECIFIED = "STATE_UNSPECIFIED"
    PROCESSING = "PROCESSING"
    ACTIVE = "ACTIVE"
    FAILED = "FAILED"


class FileSource(enum.StrEnum):
    """How a file came to exist."""

    SOURCE_UNSPECIFIED = "SOURCE_UNSPECIFIED"
    UPLOADED = "UPLOADED"
    GENERATED = "GENERATED"
    REGISTERED = "REGISTERED"


class FileStatus(WireModel):
    """Why processing a file failed."""

    code: int | None = None
    message: str | None = None
    details: list[dict[str, JsonValue]] | None = None


class File(WireModel):
    """A file stored by the Gemini Developer API; pass it as a part of `contents` to use it.

    `size_bytes` arrives as a string (int64) and is read as an int. `state` and `source` are
    `FileState` / `FileSource` members, or the plain string when the service sends a newer value.
    """

    name: str | None = None
    display_name: str | None = None
    mime_type: str | None = None
    size_bytes: int | None = None
    create_time: str | None = None
    update_time: str | None = None
    expiration_time: str | None = None
    sha256_hash: str | None = None
    uri: str | None = None
    download_uri: str | None = None
    state: Annotated[FileState | str | None, Field(union_mode="left_to_right")] = None
    source: Annotated[FileSource | str | None, Field(union_mode="left_to_right")] = None
    video_metadata: dict[str, JsonValue] | None = None
    error: FileStatus | None = None


class UploadFileConfig(ConfigModel):
    """Options of `files.upload`: the file's id (``files/abc`` or ``abc``), display name, MIME type."""

    name: str | None = None
    display_name: str | None = None
    mime_type: str | None = None


class ListFilesConfig(ConfigModel):
    """Options of `files.list`: page size (default 10, at most 100) and page token."""

    page_size: int | None = None
    page_token: str | None = None


class DeleteFileResponse(WireModel):
    """The answer to `files.delete` (empty)."""


class FileUploadError(ResponseError):
    """The resumable upload protocol went wrong: no session URL, or an unexpected upload status.

    `upload_status` is the ``x-goog-upload-status`` the service sent (None when absent) and
    `offset` the byte offset of the request it answered.
    """

    def __init__(self, message: str, *, upload_status: str | None, offset: int, body: bytes = b"") -> None:
        super().__init__(message, body=body)
        self.upload_status = upload_status
        self.offset = offset


class FileProcessingError(GenAIError):
    """A file did not become ACTIVE: the service's processing FAILED. `file` is its last state."""

    def __init__(self, message: str, *, file: File) -> None:
        super().__init__(message)
        self.file = file


class FileWaitTimeoutError(FileProcessingError):
    """A file was still processing when `wait_active` gave up; waiting again resumes the poll."""


class HasUri(Protocol):
    """Anything that names a file by URI, such as a generated `Video`."""

    @property
    def uri(self) -> str | None: ...


class HasVideo(Protocol):
    """A generated video that wraps a `Video`."""

    @property
    def video(self) -> HasUri | None: ...


UploadInput: TypeAlias = str | os.PathLike[str] | bytes | bytearray | IO[bytes]
"""What `files.upload` reads: a path, the bytes themselves, or a binary file object."""

DownloadTarget: TypeAlias = File | str | HasUri | HasVideo
"""What `files.download` accepts: a `File`, a name or URI, or an object with a file URI."""


# -- names ---------------------------------------------------------------------------------------

_URI_ID = re.compile(r"/files/([^/:?#]+)")


def require_gemini(endpoint: Endpoint, call: str) -> None:
    """Refuse every files call on Vertex AI, before anything is sent."""
    if endpoint.is_vertex:
        raise UnsupportedError(
            f"files.{call} is a Gemini Developer API feature; Vertex AI has no files service. "
            "Put the file in Cloud Storage and pass its gs:// URI as a part instead: "
            "types.Part.from_uri(file_uri='gs://bucket/object', mime_type=...)"
        )


def file_name(value: str) -> str:
    """Return ``files/ID`` for ``ID``, ``files/ID`` or a file URI (``https://…/files/ID:download…``)."""
    text = value.strip() if isinstance(value, str) else ""
    if text.startswith(("http://", "https://")):
        match = _URI_ID.search(urlsplit(text).path)
        if match is None:
            raise ConfigError(f"cannot find a file id in the URI {value!r}; expected …/files/ID…")
        return f"files/{match.group(1)}"
    file_id = text.removeprefix("files/")
    if not file_id or "/" in file_id:
        raise ConfigError(f"a file name looks like 'files/abc123' or 'abc123', not {value!r}")
    return f"files/{file_id}"


# -- get, list, delete, download -----------------------------------------------------------------


def get_request(name: str) -> HttpRequest:
    """Build the GET of one file."""
    return HttpRequest("GET", path_segment(file_name(name)))


def parse_file(data: JSON) -> File:
    """Parse a file."""
    return parse(File, data)


def list_config(config: object) -> ListFilesConfig:
    """Accept a `ListFilesConfig`, a dict or None."""
    return coerce(ListFilesConfig, config or {}, what="ListFilesConfig")


def list_request(config: ListFilesConfig, page_token: str | None) -> HttpRequest:
    """Build one page of ``files.list``."""
    query: list[tuple[str, str]] = []
    if config.page_size is not None:
        query.append(("pageSize", str(config.page_size)))
    token = page_token or config.page_token
    if token:
        query.append(("pageToken", token))
    return HttpRequest("GET", "files", tuple(query))


def parse_files_page(data: JSON) -> Page[File]:
    """Parse one page of files (an empty answer has no ``files`` key at all)."""
    if not isinstance(data, dict):
        raise ResponseError(f"a files page must be a JSON object, not {type(data).__name__}")
    items = data.get("files") or []
    token = data.get("nextPageToken")
    files = [parse(File, item) for item in items] if isinstance(items, list) else []
    return files, token if isinstance(token, str) and token else None


def delete_request(name: str) -> HttpRequest:
    """Build the DELETE of one file."""
    return HttpRequest("DELETE", path_segment(file_name(name)))


def parse_delete(data: JSON) -> DeleteFileResponse:
    """Parse the (empty) answer to a delete."""
    return parse(DeleteFileResponse, data)


def download_request(file: DownloadTarget) -> HttpRequest:
    """Build ``GET files/ID:download?alt=media`` for a `File`, a name, a URI or a generated video."""
    if isinstance(file, File):
        if file.download_uri is None:
            raise ConfigError(
                f"{file.name!r} has no download_uri: only generated files can be downloaded, not "
                "uploaded ones (check File.source or File.download_uri); pass the name as a string "
                "to ask the service anyway"
            )
        name = file.name or file.download_uri
    elif isinstance(file, str):
        name = file
    else:
        name = _uri_of(file)
    return HttpRequest("GET", path_segment(file_name(name)) + ":download", (("alt", "media"),))


def _uri_of(file: object) -> str:
    holder = _video_of(file)
    uri = getattr(holder, "uri", None)
    if not isinstance(uri, str) or not uri:
        raise ConfigError(
            f"cannot download {type(file).__name__} {file!r}: pass a File, a name ('files/abc'), "
            "a file URI, or an object whose uri is one"
        )
    if not uri.startswith(("http://", "https://")):
        raise ConfigError(
            f"{uri!r} is not a Gemini file URI; download Cloud Storage objects with a storage client"
        )
    return uri


def _video_of(file: object) -> object:
    """A generated video keeps its file in ``.video``; anything else is its own holder."""
    if getattr(file, "uri", None) is None and getattr(file, "video", None) is not None:
        return getattr(file, "video", None)
    return file


def store_video_bytes(file: object, data: bytes) -> None:
    """Set ``video_bytes`` on a downloaded video (or a generated video's ``video``), as the SDK does."""
    if isinstance(file, File | str):
        return
    holder = _video_of(file)
    if hasattr(holder, "video_bytes"):
        # A frozen model or a read-only property simply keeps what it had.
        with contextlib.suppress(AttributeError, TypeError, ValueError):
            setattr(holder, "video_bytes", data)  # noqa: B010 - the attribute is duck-typed


def redirect_request(endpoint: Endpoint, error: APIError, hops: int) -> HttpRequest | None:
    """Return the GET that follows a download redirect, or None when `error` is not one.

    Credentials go only to the API's own host: a redirect elsewhere (a signed storage URL)
    carries its own authorisation and must not receive the API key.
    """
    location = error.response.headers.get("location") if error.response is not None else None
    if not 300 <= error.code < 400 or not location:
        return None
    if hops >= MAX_REDIRECTS:
        raise ResponseError(
            f"the download was redirected more than {MAX_REDIRECTS} times; last to {location!r}"
        )
    url = urljoin(endpoint.base_url, location)
    is_own_host = urlsplit(url).netloc == urlsplit(endpoint.base_url).netloc
    return HttpRequest("GET", url, is_authenticated=is_own_host)


# -- upload --------------------------------------------------------------------------------------


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


# -- waiting -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessingFile:
    """A file being processed, as `genai_min._lro.wait` polls it: done once ACTIVE or FAILED."""

    file: File

    @property
    def done(self) -> bool:
        """Tell whether processing has finished, well or badly."""
        return self.file.state in (FileState.ACTIVE, FileState.FAILED)

    def poll_request(self, endpoint: Endpoint) -> HttpRequest:
        """Return the GET of the file."""
        return get_request(self.file.name or "")

    def from_poll(self, data: JSON) -> ProcessingFile:
        """Wrap the file's new state."""
        return ProcessingFile(parse_file(data))


def active_or_raise(file: File) -> File:
    """Return an ACTIVE file; raise `FileProcessingError` for a FAILED one."""
    if file.state == FileState.FAILED:
        reason = file.error.message if file.error is not None and file.error.message else "no reason given"
        raise FileProcessingError(
            f"{file.name} could not be processed ({reason}); upload it again, perhaps in another format",
            file=file,
        )
    return file


def wait_timed_out(file: File, timeout: float | None) -> FileWaitTimeoutError:
    """Build the error for a file still processing when the wait ends."""
    return FileWaitTimeoutError(
        f"{file.name} was still {file.state or 'in an unknown state'!s} after {timeout or 0:g} s; "
        "call files.wait_active again, with a longer timeout, to keep waiting",
        file=file,
    )
