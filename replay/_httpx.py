"""The httpx transports: replaying (never opens a socket) and recording (wraps a real transport).

Both are sync and async in one object, so one instance can be given to `genai_min.Transport` as
``transport=`` and ``async_transport=``, or to any ``httpx.Client`` / ``httpx.AsyncClient``.

The recording transport passes each response through to the caller as it arrives: the body is
written down chunk by chunk while the caller reads it, and handed to the recorder when it has been
read to the end or closed, so a server-sent-event stream reaches the caller event by event. It asks
the service for an uncompressed answer (``accept-encoding: identity``), so that what is recorded is
what the caller read. A body the caller closes unread (an error answer a retry skips) is read to
its end first, when the status says it is an error, so that the cassette holds the whole answer.

A connection that breaks mid-answer (a stream cut after some events) is recorded as it was read:
the events received, then the cut, named by the error the library raised (`Response.cut`).
Replaying sends the same events and then raises the same error, as the broken connection did.

Replaying asynchronously never blocks the event loop: the session is asked inside it, where
answering from the cassette is a lookup, once what a miss reads from disk has been loaded in a worker
thread (`prepare_misses`); a blob body is read from its file in worker threads as the caller reads it.

Header values are kept exactly: a value that is not UTF-8 (latin-1, say) is stored with each
other byte as a lone surrogate (Python's ``surrogateescape``) and replayed as the same bytes.

The bodies they hand out are `replay._bodies`'s. `replay.httpx2` builds the same two transports
for httpx2, the httpx fork the official SDK uses by default: the behaviour lives in the `Replaying`
and `Recording` mixins, written against the classes named by `_Http`, and each library's transports
put their own base classes after them. (The SDK
picks its HTTP library from the first httpx or httpx2 class in a transport's MRO, so the twins must
not inherit from both.)
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import httpx

from replay import _json_diff, _schemas
from replay._bodies import RECORDED as RECORDED
from replay._bodies import Replayed, Tee
from replay._cassette import Blob, Body, BodyKind, Request, Response, is_binary
from replay._direct import AsyncDirectTransport, DirectTransport
from replay._encodings import decode_content
from replay._http_values import header_bytes, header_text, is_sendable_header
from replay._player import Player
from replay._recorder import Recorder
from replay._session import Send, Session, explaining


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
    """Return the headers to send with a replayed response, with a content type for its body.

    A header HTTP forbids (CR, LF or NUL in it: `is_sendable_header`) is left out. The cassette reader
    refuses them, but a `Response` built in code may still hold one, and httpx does not check.
    """
    headers = {name: value for name, value in response.headers if is_sendable_header(name, value)}
    if response.body.kind is BodyKind.JSON:
        headers.setdefault("content-type", "application/json; charset=UTF-8")
    elif response.body.kind is BodyKind.SSE:
        headers.setdefault("content-type", "text/event-stream")
    return headers


class _Http:
    """The classes of an httpx-shaped library that the transports build."""

    Response: ClassVar[Any] = httpx.Response
    TransportError: ClassVar[type[Exception]] = httpx.TransportError
    RemoteProtocolError: ClassVar[type[Exception]] = httpx.RemoteProtocolError
    errors: ClassVar[object] = httpx
    """Where the library's exception classes are found by name (for replaying a cut)."""
    SyncByteStream: ClassVar[Any] = httpx.SyncByteStream
    AsyncByteStream: ClassVar[Any] = httpx.AsyncByteStream
    HTTPTransport: ClassVar[Any] = DirectTransport
    AsyncHTTPTransport: ClassVar[Any] = AsyncDirectTransport


class _EventStream(Replayed, httpx.SyncByteStream, httpx.AsyncByteStream):
    pass


class BlobStream:
    """Hand a replayed blob body out asynchronously, each piece read from its file in a worker thread.

    Reading the file inside the event loop would block it. A blob is large: it is still read one
    piece at a time, never whole.
    """

    def __init__(self, body: Replayed) -> None:
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        pieces = iter(self._body)
        while (piece := await asyncio.to_thread(next, pieces, None)) is not None:
            yield piece

    async def aclose(self) -> None:
        """Release the blob file a body left half-read was being sent from."""
        self._body.close()


class _AsyncBlobStream(BlobStream, httpx.AsyncByteStream):
    pass


class _TeeStream(Tee, httpx.SyncByteStream, httpx.AsyncByteStream):
    pass


class _CassetteTransport:
    """What both transports share: building the library's responses from recorded ones."""

    _http: ClassVar[type[_Http]] = _Http
    _events: ClassVar[type[Replayed]] = _EventStream
    _blobs: ClassVar[type[BlobStream]] = _AsyncBlobStream
    pace: float | str = 0.0

    def _build(self, response: Response, *, is_async: bool = False) -> Any:
        headers = [(name, header_bytes(value)) for name, value in response_headers(response).items()]
        cut = response.cut
        if response.body.kind is BodyKind.SSE or cut or response.body.blob is not None:
            error = self._error(cut) if cut else None
            stream: Any = self._events(response.body, self.pace, error)
            if is_async and response.body.blob is not None:
                stream = self._blobs(stream)
            return self._http.Response(response.status, headers=headers, stream=stream)
        return self._http.Response(response.status, headers=headers, content=response.body.wire)

    def _error(self, cut: str) -> Exception:
        """Rebuild the library's error that broke a recorded answer off (its transport errors only)."""
        name, _, message = cut.partition(": ")
        kind = getattr(self._http.errors, name, None)
        if not (isinstance(kind, type) and issubclass(kind, self._http.TransportError)):
            kind, message = self._http.RemoteProtocolError, cut
        return kind(message)


class Passing(_CassetteTransport):
    """An httpx transport (sync and async) that hands each request to a `Session` and does what it says.

    The session answers from the cassette (the response is built here), or says where to send the
    request: then it goes out through the real transport (`inner`, by default httpx's own), and its
    answer passes through to the caller while being written down for the session. A request the
    session leaves alone (an ignored host) goes out through `inner` untouched and is not written down.
    """

    _tee: ClassVar[type[Tee]] = _TeeStream

    def __init__(
        self, session: Session, *, inner: Any = None, async_inner: Any = None, pace: float | str = 0.0
    ) -> None:
        self.session = session
        self.pace = pace
        self._inner = inner
        self._async_inner = async_inner

    def handle_request(self, request: Any) -> Any:
        """Answer `request` from the cassette, or send it where the session says and record it."""
        decision = self.session.enter(
            request.method, str(request.url), request.headers.items(), request.read()
        )
        if not isinstance(decision, Send):
            return self._build(decision)
        if self._inner is None:
            self._inner = self._http.HTTPTransport()
        if decision.is_left_alone:
            with explaining(decision):
                return self._inner.handle_request(request)
        started = time.monotonic()
        response = self._inner.handle_request(self._aimed(request, decision))
        return self._pass_through(response, decision, started)

    async def handle_async_request(self, request: Any) -> Any:
        """Answer `request` from the cassette, or send it where the session says and record it.

        The session is asked inside the event loop, where answering from the cassette is a lookup.
        What a miss would read from disk there is loaded first, in a worker thread (`prepare_misses`,
        once per process); a blob body is read in worker threads as the caller reads it.
        """
        content = await request.aread()
        if self.session.player is not None and not is_prepared_for_misses():
            await asyncio.to_thread(prepare_misses)
        decision = self.session.enter(request.method, str(request.url), request.headers.items(), content)
        if not isinstance(decision, Send):
            return self._build(decision, is_async=True)
        if self._async_inner is None:
            self._async_inner = self._http.AsyncHTTPTransport()
        if decision.is_left_alone:
            with explaining(decision):
                return await self._async_inner.handle_async_request(request)
        started = time.monotonic()
        response = await self._async_inner.handle_async_request(self._aimed(request, decision))
        return self._pass_through(response, decision, started)

    def close(self) -> None:
        """Close the real transport."""
        if self._inner is not None:
            self._inner.close()

    async def aclose(self) -> None:
        """Close the real transport."""
        if self._async_inner is not None:
            await self._async_inner.aclose()

    def _aimed(self, request: Any, send: Send) -> Any:
        # An uncompressed answer, so that what is recorded is what the caller reads; the Host header
        # stays the service's when the request goes to the emulator.
        request.headers["accept-encoding"] = "identity"
        if send.url != str(request.url):
            request.headers["host"] = request.url.netloc.decode("ascii")
            request.url = type(request.url)(send.url)
        for name, value in send.headers:  # the emulator's scope: never recorded
            request.headers[name] = value
        return request

    def _pass_through(self, response: Any, send: Send, started: float) -> Any:
        status = response.status_code
        raw_headers = list(response.headers.raw)
        headers = [(name.decode("latin-1").lower(), header_text(value)) for name, value in raw_headers]
        encoding = response.headers.get("content-encoding", "identity").lower()
        content_type = response.headers.get("content-type", "")

        def done(content: bytes | Blob, event_times: list[float], cut: str | None) -> None:
            # What was read is what the caller saw: a stream the caller left early is kept as read,
            # and one that broke off is kept as it broke off.
            plain: bytes | None = b""
            if isinstance(content, Blob):
                body = Body(BodyKind.BYTES, blob=content)
            else:
                plain = decoded(content, encoding)
                body = Body.from_bytes(content if plain is None else plain, content_type)
            # A body that cannot be decoded here keeps its encoding: the sanitiser's scan refuses it.
            kept = tuple((k, v) for k, v in headers if k != "content-encoding" or plain is None)
            times = [t - started for t in event_times]
            self.session.received(send, Response(status, kept, body), cut=cut, event_times=times)

        staging = send.staging
        stage = (
            staging.writer
            if staging is not None and encoding == "identity" and is_binary(content_type)
            else None
        )
        stream = self._tee(response.stream, done, is_drained=status >= 400, stage=stage)
        return self._http.Response(status, headers=raw_headers, stream=stream, extensions=response.extensions)


class Replaying(Passing):
    """An httpx transport (sync and async) that answers from a cassette and never opens a socket.

    A request the cassette cannot answer raises `NoMatchError`. `pace` spaces replayed stream events
    by that many seconds (0, the default, sends them at once); ``pace="recorded"`` replays each stream
    with the delays recorded between its events (recorded with ``Recorder(timing=True)``; a stream
    recorded without them is sent at once).

    >>> t = genai_min.Transport(api_key="any", transport=ReplayTransport(player),
    ...                         async_transport=ReplayTransport(player))
    """

    def __init__(self, player: Player | Session, *, pace: float | str = 0.0) -> None:
        session = player if isinstance(player, Session) else Session.replaying(player)
        super().__init__(session, pace=pace)

    @property
    def player(self) -> Player | None:
        """The player answering from the cassette."""
        return self.session.player


class Recording(Passing):
    """An httpx transport (sync and async) that sends requests for real and records each exchange.

    `inner` and `async_inner` are the real transports (by default httpx's own). Given a `player`,
    requests it can answer are replayed and only the others are sent and recorded (recording what is
    missing from a cassette).
    """

    def __init__(
        self,
        recorder: Recorder,
        *,
        inner: Any = None,
        async_inner: Any = None,
        player: Player | None = None,
    ) -> None:
        super().__init__(Session.recording(recorder, player), inner=inner, async_inner=async_inner)

    @property
    def recorder(self) -> Recorder:
        """The recorder writing the exchanges down."""
        assert self.session.recorder is not None
        return self.session.recorder


class SessionTransport(Passing, httpx.BaseTransport, httpx.AsyncBaseTransport):
    __doc__ = Passing.__doc__


class ReplayTransport(Replaying, httpx.BaseTransport, httpx.AsyncBaseTransport):
    __doc__ = Replaying.__doc__


class RecordingTransport(Recording, httpx.BaseTransport, httpx.AsyncBaseTransport):
    __doc__ = Recording.__doc__


def is_prepared_for_misses() -> bool:
    """Tell whether explaining a miss reads nothing from disk (`prepare_misses` has loaded it all).

    What it loads stays loaded, unless modules are taken out of ``sys.modules`` (pytester's
    in-process runs do that): then it is loaded again.
    """
    return _json_diff.is_loaded() and _schemas.is_loaded()


def prepare_misses() -> None:
    """Load what explaining a replay miss reads from disk (deepdiff, the API's schemas), once per process.

    Inside an event loop that reading would block it, so the async adapters call this outside the
    loop before a session that can miss answers there: the vcrpy bridge when it starts intercepting
    (the fixture's setup), the transports in a worker thread on their first async request.
    """
    if not is_prepared_for_misses():
        _json_diff.preload()
        _schemas.preload()


def decoded(content: bytes, encoding: str) -> bytes | None:
    """Undo a content encoding the service applied despite being asked not to; None if it cannot be here.

    A gzip or deflate body cut short gives what it holds up to the cut; ``br`` needs a brotli module.
    """
    if encoding in ("gzip", "deflate", "x-gzip") and content:
        return zlib.decompressobj(wbits=47).decompress(content)
    if encoding in ("identity", "") or not content:
        return content
    return decode_content(content, encoding)
