"""Files (Gemini Developer API only): upload, get, list, delete, download, and wait until usable.

Every function takes the shared `Transport` first::

    from genai_min import Transport, files, models

    t = Transport(api_key="...")
    report = files.upload(t, file="a11.txt")
    response = models.generate_content(
        t, model="gemini-2.0-flash-001", contents=["Could you summarise this file?", report]
    )

On Vertex AI every function raises `UnsupportedError` before sending anything: put the file in
Cloud Storage and pass its ``gs://`` URI as a part instead. The async twins, with the same
arguments and results, are in `genai_min.aio.files`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from genai_min import _files as wire
from genai_min import _upload as resumable
from genai_min._errors import APIError, ConfigError, OperationTimeoutError
from genai_min._files import (
    DEFAULT_WAIT_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    DeleteFileResponse,
    DownloadTarget,
    File,
)
from genai_min._lro import wait
from genai_min._pager import Page, Pager
from genai_min._transport import Transport
from genai_min._upload import DEFAULT_CHUNK_SIZE, UploadInput

if TYPE_CHECKING:
    from genai_min._files import ListFilesConfig
    from genai_min._resource_dicts import ListFilesConfigDict, UploadFileConfigDict
    from genai_min._upload import UploadFileConfig


def upload(
    t: Transport,
    *,
    file: UploadInput,
    config: UploadFileConfig | UploadFileConfigDict | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> File:
    """Upload a file with the resumable protocol, `chunk_size` bytes per request; return its `File`.

    `file` is a path, the bytes themselves, or a seekable binary file object (read from its
    current position; it stays open). Only one chunk is in memory at a time. `config` is an
    `UploadFileConfig` or a dict: ``name``, ``display_name`` and ``mime_type`` (guessed from the
    file name when not given; bytes need it).

    >>> report = files.upload(t, file="report.pdf", config={"display_name": "Q3 report"})
    """
    wire.require_gemini(t.endpoint, "upload")
    cfg = resumable.upload_config(config)
    with resumable.open_upload(file, cfg, chunk_size) as source:
        session = resumable.parse_start(t.send(resumable.start_request(source, cfg)), chunk_size)
        for chunk in resumable.iter_chunks(session, source):
            answer = t.send(chunk.request)
            resumable.check_chunk(chunk, answer)
    return resumable.parse_uploaded(answer.json())


def get(t: Transport, *, name: str) -> File:
    """Get a file by name: ``files/abc123`` or ``abc123``.

    >>> files.get(t, name=report.name).state
    """
    wire.require_gemini(t.endpoint, "get")
    return wire.parse_file(t.send(wire.get_request(name)).json())


def list(t: Transport, *, config: ListFilesConfig | ListFilesConfigDict | None = None) -> Pager[File]:
    """List the project's files in pages; `config` may set ``page_size`` and ``page_token``.

    >>> for f in files.list(t, config={"page_size": 10}):
    ...     print(f.name)
    """
    wire.require_gemini(t.endpoint, "list")
    cfg = wire.list_config(config)

    def fetch(token: str | None) -> Page[File]:
        return wire.parse_files_page(t.send(wire.list_request(cfg, token)).json())

    return Pager(fetch, fetch(None), cfg.page_size)


def delete(t: Transport, *, name: str) -> DeleteFileResponse:
    """Delete a file by name: ``files/abc123`` or ``abc123``."""
    wire.require_gemini(t.endpoint, "delete")
    return wire.parse_delete(t.send(wire.delete_request(name)).json())


def download(t: Transport, *, file: DownloadTarget) -> bytes:
    """Return a generated file's bytes; `file` is a `File`, a name, a file URI or a generated video.

    A video object (anything with a writable ``video_bytes``, or a generated video's ``video``)
    also gets the bytes set on it, as the official SDK does.

    >>> data = files.download(t, file=generated.video)
    """
    wire.require_gemini(t.endpoint, "download")
    request = wire.download_request(file)
    hops = 0
    while True:
        try:
            data = t.send(request).content
            break
        except APIError as error:
            follow = wire.redirect_request(t.endpoint, error, hops)
            if follow is None:
                raise
            request, hops = follow, hops + 1
    wire.store_video_bytes(file, data)
    return data


def wait_active(
    t: Transport,
    *,
    file: File | str,
    interval: float = DEFAULT_WAIT_INTERVAL,
    timeout: float | None = DEFAULT_WAIT_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
) -> File:
    """Poll a file every `interval` seconds until it is ACTIVE, and return it.

    A `File` that is already ACTIVE is returned without a request; a name is fetched first.
    Raises `FileProcessingError` when processing FAILED, and `FileWaitTimeoutError` (holding the
    last state) when `timeout` seconds pass first.

    >>> video = files.wait_active(t, file=files.upload(t, file="clip.mp4"))
    """
    wire.require_gemini(t.endpoint, "wait_active")
    if isinstance(file, str):
        file = get(t, name=file)
    if not file.name:
        raise ConfigError("wait_active needs a File with a name, as upload and get return it")
    try:
        polled = wait(
            t, wire.ProcessingFile(file), interval=interval, timeout=timeout, clock=clock, sleep=sleep
        )
    except OperationTimeoutError as exc:
        last = exc.operation.file if isinstance(exc.operation, wire.ProcessingFile) else file
        raise wire.wait_timed_out(last, timeout) from exc
    return wire.active_or_raise(polled.file)
