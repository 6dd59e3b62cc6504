"""Types, pure request builders and parsers of the `files` calls, shared by sync and async.

Getting, listing, deleting, downloading and waiting for a file are here; the resumable upload
protocol that `files.upload` follows is in `_upload`. `files` and `aio.files` only send.
"""

from __future__ import annotations

import contextlib
import enum
import re
from dataclasses import dataclass
from typing import Annotated, Protocol, TypeAlias
from urllib.parse import urljoin, urlsplit

from pydantic import Field, JsonValue

from genai_min._base import ConfigModel, WireModel, coerce, parse
from genai_min._endpoint import Endpoint
from genai_min._errors import (
    APIError,
    ConfigError,
    FileProcessingError,
    FileWaitTimeoutError,
    ResponseError,
    UnsupportedError,
)
from genai_min._http import JSON, HttpRequest
from genai_min._names import path_segment
from genai_min._pager import Page, page_query

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


class ListFilesConfig(ConfigModel):
    """Options of `files.list`: page size (default 10, at most 100) and page token."""

    page_size: int | None = None
    page_token: str | None = None


class DeleteFileResponse(WireModel):
    """The answer to `files.delete` (empty)."""


class HasUri(Protocol):
    """Anything that names a file by URI, such as a generated `Video`."""

    @property
    def uri(self) -> str | None: ...


class HasVideo(Protocol):
    """A generated video that wraps a `Video`."""

    @property
    def video(self) -> HasUri | None: ...


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
    query += page_query(config.page_size, page_token or config.page_token)
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
