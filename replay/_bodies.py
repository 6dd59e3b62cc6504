"""The response bodies the httpx transports hand out: replayed from a cassette, or recorded on the way.

`Replayed` sends a recorded body in chunks (a stream one event at a time, optionally paced), then
raises the recorded cut, if the answer broke off. `Tee` passes a real body through to the caller while
keeping a copy, and hands the copy to the recorder, with the cut if the connection broke, once the
body is read or closed. Both are library-neutral: `replay._httpx` and `replay.httpx2` mix them
with each library's stream classes.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from replay._cassette import LAZY_BLOB, Blob, Body, BodyKind
from replay._staging import BlobWriter

RECORDED = "recorded"
"""``ReplayTransport(pace="recorded")`` replays streams with the delays recorded between events."""


class Replayed:
    """A replayed body in chunks: one event per chunk for a stream, optionally paced; then the cut, if any.

    `cut` is the error to raise once the chunks are sent: the recorded answer broke off there.
    """

    def __init__(self, body: Body, pace: float | str, cut: Exception | None = None) -> None:
        self._chunks = body.chunks()  # a blob is read from its file piece by piece, as it is sent
        if body.kind is not BodyKind.SSE:
            self._delays: list[float] = []
        elif pace == RECORDED and body.delays:
            self._delays = list(body.delays)
        else:
            gap = 0.0 if pace == RECORDED else float(pace)
            self._delays = [0.0] + [gap] * (len(body.events) - 1)
        self._cut = cut

    def __iter__(self) -> Iterator[bytes]:
        delays = itertools.chain(self._delays, itertools.repeat(0.0))
        for chunk in self._chunks:
            if delay := next(delays):
                time.sleep(delay)
            yield chunk
        if self._cut is not None:
            raise self._cut

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import asyncio

        delays = itertools.chain(self._delays, itertools.repeat(0.0))
        for chunk in self._chunks:
            if delay := next(delays):
                await asyncio.sleep(delay)
            yield chunk
        if self._cut is not None:
            raise self._cut

    def close(self) -> None:
        """Release the blob file a body left half-read was being sent from."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()

    async def aclose(self) -> None:
        """Release the blob file a body left half-read was being sent from."""
        self.close()


Done = Callable[["bytes | Blob", list[float], "str | None"], None]
"""What a `Tee` calls once: with the body read (or the staged file holding it), when each chunk
arrived, and the cut (if it broke off)."""


class Tee:
    """Pass a response body through to the caller while keeping a copy for the recorder.

    With `is_drained`, a body the caller closes before reading it all is read to its end first (for
    error answers: small, and what a retry skips). With `stage` (for binary bodies), a body that grows
    past `LAZY_BLOB` goes on into a staged file instead of memory, and `done` gets that file.
    """

    def __init__(
        self,
        inner: Any,
        done: Done,
        *,
        is_drained: bool = False,
        stage: Callable[[], BlobWriter] | None = None,
    ) -> None:
        self._inner = inner
        self._done = done
        self._is_drained = is_drained
        self._stage = stage
        self._writer: BlobWriter | None = None
        self._held = 0
        self._chunks: list[bytes] = []
        self._arrivals: list[float] = []
        self._cut: str | None = None
        self._is_lost = False
        self._is_started = False
        self._finished = False

    # Only a failure of the real stream is the answer breaking off. One in keeping the copy (a full
    # disk under the staging folder) is ours: it is raised as it is, and the exchange, whose copy is
    # incomplete, is never handed to the recorder (it stays pending, and is not saved).

    def __iter__(self) -> Iterator[bytes]:
        self._is_started = True
        chunks = iter(self._inner)
        while True:
            try:
                chunk = next(chunks)
            except StopIteration:
                break
            except Exception as exc:
                self._cut = cut_reason(exc)
                raise
            self._keep(chunk)
            yield chunk
        self._finish()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self._is_started = True
        chunks = aiter(self._inner)
        while True:
            try:
                chunk = await anext(chunks)
            except StopAsyncIteration:
                break
            except Exception as exc:
                self._cut = cut_reason(exc)
                raise
            self._keep(chunk)
            yield chunk
        self._finish()

    def _keep(self, chunk: bytes) -> None:
        try:
            self._hold(chunk)
        except Exception:
            self._is_lost = True  # the copy is incomplete: nothing is handed to the recorder
            raise

    def _hold(self, chunk: bytes) -> None:
        if self._writer is not None:
            self._writer.write(chunk)
            return
        self._chunks.append(chunk)
        self._arrivals.append(time.monotonic())
        self._held += len(chunk)
        if self._stage is not None and self._held > LAZY_BLOB:
            self._writer = self._stage()
            for held in self._chunks:
                self._writer.write(held)
            self._chunks, self._arrivals = [], []

    def close(self) -> None:
        """Close the real stream and hand what was read to the recorder."""
        try:
            if self._is_unread():
                with contextlib.suppress(Exception):  # a failure is noted as the cut
                    for _ in self:
                        pass
            self._inner.close()
        finally:
            self._finish()

    async def aclose(self) -> None:
        """Close the real stream and hand what was read to the recorder."""
        try:
            if self._is_unread():
                with contextlib.suppress(Exception):  # a failure is noted as the cut
                    async for _ in self:
                        pass
            await self._inner.aclose()
        finally:
            self._finish()

    def _is_unread(self) -> bool:
        """Tell whether the body is to be read before closing: drained, and the caller never read it."""
        return self._is_drained and not self._is_started and not self._finished

    def _finish(self) -> None:
        if not self._finished:
            self._finished = True
            if self._is_lost:
                if self._writer is not None:
                    self._writer.discard()
            elif self._writer is not None:
                self._done(self._writer.blob(), [], self._cut)
            else:
                self._done(b"".join(self._chunks), event_times(self._chunks, self._arrivals), self._cut)
            self._chunks = []


def cut_reason(exc: Exception) -> str:
    """Name the error that broke a body off, as the cassette keeps it: ``<class>: <message>``."""
    return f"{type(exc).__name__}: {exc}"


_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


def event_times(chunks: list[bytes], arrivals: list[float]) -> list[float]:
    """Return, for each event in the stream, when the chunk that completed it arrived."""
    times: list[float] = []
    offset = 0
    ends = iter(m.end() for m in _EVENT_END.finditer(b"".join(chunks)))
    end = next(ends, None)
    for chunk, arrival in zip(chunks, arrivals, strict=True):
        offset += len(chunk)
        while end is not None and end <= offset:
            times.append(arrival)
            end = next(ends, None)
    return times
