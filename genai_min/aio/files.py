"""Async files calls: the same arguments and results as `genai_min.files`, awaited.

report = await aio.files.upload(t, file="report.pdf")
report = await aio.files.wait_active(t, file=report)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
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
from genai_min._lro import async_wait
from genai_min._pager import AsyncPager, Page
from genai_min._transport import Transport
from genai_min._upload import DEFAULT_CHUNK_SIZE, UploadInput

if TYPE_CHECKING:
    from genai_min._files import ListFilesConfig
    from genai_min._resource_dicts import ListFilesConfigDict, UploadFileConfigDict
    from genai_min._upload import UploadFileConfig


async def upload(
    t: Transport,
    *,
    file: UploadInput,
    config: UploadFileConfig | UploadFileConfigDict | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> File:
    """Upload a file in chunks with the resumable protocol; see `genai_min.files.upload`.

    Chunks are read from the file one at a time between requests (local reads are short
    compared with sending each chunk).
    """
    wire.require_gemini(t.endpoint, "upload")
    cfg = resumable.upload_config(config)
    with resumable.open_upload(file, cfg, chunk_size) as source:
        session = resumable.parse_start(await t.asend(resumable.start_request(source, cfg)), chunk_size)
        for chunk in resumable.iter_chunks(session, source):
            answer = await t.asend(chunk.request)
            resumable.check_chunk(chunk, answer)
    return resumable.parse_uploaded(answer.json())


async def get(t: Transport, *, name: str) -> File:
    """Get a file by name: ``files/abc123`` or ``abc123``."""
    wire.require_gemini(t.endpoint, "get")
    return wire.parse_file((await t.asend(wire.get_request(name))).json())


async def list(
    t: Transport, *, config: ListFilesConfig | ListFilesConfigDict | None = None
) -> AsyncPager[File]:
    """List the project's files; ``async for f in await aio.files.list(t)``."""
    wire.require_gemini(t.endpoint, "list")
    cfg = wire.list_config(config)

    async def fetch(token: str | None) -> Page[File]:
        return wire.parse_files_page((await t.asend(wire.list_request(cfg, token))).json())

    return AsyncPager(fetch, await fetch(None), cfg.page_size)


async def delete(t: Transport, *, name: str) -> DeleteFileResponse:
    """Delete a file by name: ``files/abc123`` or ``abc123``."""
    wire.require_gemini(t.endpoint, "delete")
    return wire.parse_delete((await t.asend(wire.delete_request(name))).json())


async def download(t: Transport, *, file: DownloadTarget) -> bytes:
    """Return a generated file's bytes, and set them on a video object; see `genai_min.files.download`."""
    wire.require_gemini(t.endpoint, "download")
    request = wire.download_request(file)
    hops = 0
    while True:
        try:
            data = (await t.asend(request)).content
            break
        except APIError as error:
            follow = wire.redirect_request(t.endpoint, error, hops)
            if follow is None:
                raise
            request, hops = follow, hops + 1
    wire.store_video_bytes(file, data)
    return data


async def wait_active(
    t: Transport,
    *,
    file: File | str,
    interval: float = DEFAULT_WAIT_INTERVAL,
    timeout: float | None = DEFAULT_WAIT_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> File:
    """Poll a file until it is ACTIVE, with an awaitable `sleep`; see `genai_min.files.wait_active`."""
    wire.require_gemini(t.endpoint, "wait_active")
    if isinstance(file, str):
        file = await get(t, name=file)
    if not file.name:
        raise ConfigError("wait_active needs a File with a name, as upload and get return it")
    try:
        polled = await async_wait(
            t, wire.ProcessingFile(file), interval=interval, timeout=timeout, clock=clock, sleep=sleep
        )
    except OperationTimeoutError as exc:
        last = exc.operation.file if isinstance(exc.operation, wire.ProcessingFile) else file
        raise wire.wait_timed_out(last, timeout) from exc
    return wire.active_or_raise(polled.file)
