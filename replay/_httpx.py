"""The httpx transports: replaying (never opens a socket) and recording (wraps a real transport).

Both are sync and async in one object, so one instance can be given to `genai_min.Transport` as
``transport=`` and ``async_transport=``, or to any ``httpx.Client`` / ``httpx.AsyncClient``.

The recording transport passes each response through to the caller as it arrives: the body is
written down chunk by chunk while the caller reads it, and handed to the recorder when it has been
read to the end or closed, so a server-sent-event stream reaches the caller event by event. It asks
the service for an uncompressed answer (``accept-encoding: identity``), so that what is recorded is
what the caller read.

`replay.httpx2` builds the same two transports for httpx2, the httpx fork the official SDK uses by
default: the behaviour lives in the `Replaying` and `Recording` mixins, written against the classes
named by `_Http`, and each library's transports put their own base classes after them. (The SDK
picks its HTTP library from the first httpx or httpx2 class in a transport's MRO, so the twins must
not inherit from both.)
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from typing import Any, ClassVar, Protocol

import httpx

from replay._cassette import Body, BodyKind, Request, Response
from replay._errors import NoMatchError
from replay._player import Player
from replay._recorder import Pending, Recorder


def to_request(request: Any, content: bytes) -> Request:
    """Turn an httpx (or httpx2) request into the replay core's plain value."""
    content_type = request.headers.get("content-type", "")
    return Request(
        request.method,
        str(request.url),
        tuple(request.headers.items()),
        Body.from_bytes(content, content_type),
    )


def response_headers(response: Response) -> dict[str, str]:
    """Return the headers to send with a replayed response, with a content type for its body."""
    headers = dict(response.headers)
    if response.body.kind is BodyKind.JSON:
        headers.setdefault("content-type", "application/json; charset=UTF-8")
    elif response.body.kind is BodyKind.SSE:
        headers.setdefault("content-type", "text/event-stream")
    return headers


RECORDED = "recorded"
"""``ReplayTransport(pace="recorded")`` replays streams with the delays recorded between events."""


class _Events:
    """A replayed event stream, one event per chunk, optionally paced."""

    def __init__(self, body: Body, pace: float | str) -> None:
        self._chunks = [Body(BodyKind.SSE, events=(e,)).to_bytes() for e in body.events]
        if pace == RECORDED:
            self._delays = list(body.delays) or [0.0] * len(self._chunks)
        else:
            self._delays = [0.0] + [float(pace)] * (len(self._chunks) - 1)

    def __iter__(self) -> Iterator[bytes]:
        for delay, chunk in zip(self._delays, self._chunks, strict=True):
            if delay:
                time.sleep(delay)
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        import asyncio

        for delay, chunk in zip(self._delays, self._chunks, strict=True):
            if delay:
                await asyncio.sleep(delay)
            yield chunk

    def close(self) -> None:
        """Nothing to release."""

    async def aclose(self) -> None:
        """Nothing to release."""


class _Tee:
    """Pass a response body through to the caller while keeping a copy for the recorder."""

    def __init__(self, inner: Any, done: Callable[[bytes, list[float]], None]) -> None:
        self._inner = inner
        self._done = done
        self._chunks: list[bytes] = []
        self._arrivals: list[float] = []
        self._finished = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._keep(chunk)
            yield chunk
        self._finish()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._keep(chunk)
            yield chunk
        self._finish()

    def _keep(self, chunk: bytes) -> None:
        self._chunks.append(chunk)
        self._arrivals.append(time.monotonic())

    def close(self) -> None:
        """Close the real stream and hand what was read to the recorder."""
        try:
            self._inner.close()
        finally:
            self._finish()

    async def aclose(self) -> None:
        """Close the real stream and hand what was read to the recorder."""
        try:
            await self._inner.aclose()
        finally:
            self._finish()

    def _finish(self) -> None:
        if not self._finished:
            self._finished = True
            self._done(b"".join(self._chunks), _event_times(self._chunks, self._arrivals))
            self._chunks = []


class _Http:
    """The classes of an httpx-shaped library that the transports build."""

    Response: ClassVar[Any] = httpx.Response
    SyncByteStream: ClassVar[Any] = httpx.SyncByteStream
    AsyncByteStream: ClassVar[Any] = httpx.AsyncByteStream
    HTTPTransport: ClassVar[Any] = httpx.HTTPTransport
    AsyncHTTPTransport: ClassVar[Any] = httpx.AsyncHTTPTransport


class _EventStream(_Events, httpx.SyncByteStream, httpx.AsyncByteStream):
    pass


class _TeeStream(_Tee, httpx.SyncByteStream, httpx.AsyncByteStream):
    pass


class _CassetteTransport:
    """What both transports share: building the library's responses from recorded ones."""

    _http: ClassVar[type[_Http]] = _Http
    _events: ClassVar[type[_Events]] = _EventStream
    pace: float | str = 0.0

    def _build(self, response: Response) -> Any:
        headers = response_headers(response)
        if response.body.kind is BodyKind.SSE:
            stream = self._events(response.body, self.pace)
            return self._http.Response(response.status, headers=headers, stream=stream)
        return self._http.Response(response.status, headers=headers, content=response.body.wire)


class Answering(Protocol):
    """What a replaying transport asks: a `Player`, or a fixture's session that counts what it plays."""

    def answer_wire(self, method: str, url: str, content: bytes) -> Response | None: ...

    def answer(self, request: Request) -> Response: ...


class Replaying(_CassetteTransport):
    """An httpx transport (sync and async) that answers from a cassette and never opens a socket.

    `pace` spaces replayed stream events by that many seconds (0, the default, sends them at once);
    ``pace="recorded"`` replays each stream with the delays recorded between its events (recorded with
    ``Recorder(timing=True)``; a stream recorded without them is sent at once).

    >>> t = genai_min.Transport(api_key="any", transport=ReplayTransport(player),
    ...                         async_transport=ReplayTransport(player))
    """

    def __init__(self, player: Answering, *, pace: float | str = 0.0) -> None:
        self.player = player
        self.pace = pace

    def handle_request(self, request: Any) -> Any:
        """Answer `request` from the cassette."""
        return self._respond(request, request.read())

    async def handle_async_request(self, request: Any) -> Any:
        """Answer `request` from the cassette."""
        return self._respond(request, await request.aread())

    def _respond(self, request: Any, content: bytes) -> Any:
        response = self.player.answer_wire(request.method, str(request.url), content)
        if response is None:
            response = self.player.answer(to_request(request, content))
        return self._build(response)


class Recording(_CassetteTransport):
    """An httpx transport (sync and async) that sends requests for real and records each exchange.

    `inner` and `async_inner` are the real transports (by default httpx's own). Given a `player`,
    requests it can answer are replayed and only the others are sent and recorded (recording what is
    missing from a cassette).
    """

    _tee: ClassVar[type[_Tee]] = _TeeStream

    def __init__(
        self,
        recorder: Recorder,
        *,
        inner: Any = None,
        async_inner: Any = None,
        player: Player | None = None,
    ) -> None:
        self.recorder = recorder
        self.player = player
        self._inner = inner
        self._async_inner = async_inner

    def handle_request(self, request: Any) -> Any:
        """Replay `request` if the player knows it; else send it and record the exchange."""
        core = to_request(request, request.read())
        replayed = self._replayed(core)
        if replayed is not None:
            return replayed
        if self._inner is None:
            self._inner = self._http.HTTPTransport()
        pending = self.recorder.start(core)
        request.headers["accept-encoding"] = "identity"
        response = self._inner.handle_request(request)
        return self._pass_through(response, pending)

    async def handle_async_request(self, request: Any) -> Any:
        """Replay `request` if the player knows it; else send it and record the exchange."""
        core = to_request(request, await request.aread())
        replayed = self._replayed(core)
        if replayed is not None:
            return replayed
        if self._async_inner is None:
            self._async_inner = self._http.AsyncHTTPTransport()
        pending = self.recorder.start(core)
        request.headers["accept-encoding"] = "identity"
        response = await self._async_inner.handle_async_request(request)
        return self._pass_through(response, pending)

    def close(self) -> None:
        """Close the real transport."""
        if self._inner is not None:
            self._inner.close()

    async def aclose(self) -> None:
        """Close the real transport."""
        if self._async_inner is not None:
            await self._async_inner.aclose()

    def _replayed(self, core: Request) -> Any:
        if self.player is None:
            return None
        try:
            return self._build(self.player.answer(core))
        except NoMatchError:
            return None

    def _pass_through(self, response: Any, pending: Pending) -> Any:
        status = response.status_code
        headers = list(response.headers.multi_items())
        encoding = response.headers.get("content-encoding", "identity").lower()
        content_type = response.headers.get("content-type", "")

        started = time.monotonic()

        def done(content: bytes, event_times: list[float]) -> None:
            # What was read is what the caller saw: a stream the caller left early is kept as read.
            body = Body.from_bytes(decoded(content, encoding), content_type)
            if self.recorder.timing and body.kind is BodyKind.SSE and len(event_times) == len(body.events):
                gaps = [b - a for a, b in zip([started, *event_times], event_times, strict=False)]
                body = replace(body, delays=tuple(round(max(g, 0.0), 3) for g in gaps))
            kept = tuple((k, v) for k, v in headers if k.lower() != "content-encoding")
            self.recorder.finish(pending, Response(status, kept, body))

        stream = self._tee(response.stream, done)
        return self._http.Response(status, headers=headers, stream=stream, extensions=response.extensions)


class ReplayTransport(Replaying, httpx.BaseTransport, httpx.AsyncBaseTransport):
    __doc__ = Replaying.__doc__


class RecordingTransport(Recording, httpx.BaseTransport, httpx.AsyncBaseTransport):
    __doc__ = Recording.__doc__


_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


def _event_times(chunks: list[bytes], arrivals: list[float]) -> list[float]:
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


def decoded(content: bytes, encoding: str) -> bytes:
    """Undo a gzip or deflate content encoding the service applied despite being asked not to."""
    if encoding in ("gzip", "deflate", "x-gzip") and content:
        return zlib.decompressobj(wbits=47).decompress(content)
    return content
