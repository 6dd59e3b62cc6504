"""The replaying and recording transports for httpx2, the httpx fork the official SDK uses by default.

Same behaviour and arguments as `replay.ReplayTransport` and `replay.RecordingTransport`; give them
to the SDK through ``HttpOptions(client_args={"transport": ...}, async_client_args={...})``, and it
builds httpx2 clients around them. Importing this module needs httpx2 installed (it comes with
google-genai).
"""

from __future__ import annotations

from typing import ClassVar

try:
    import httpx2
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "replay.httpx2 needs the httpx2 package, which google-genai installs: pip install google-genai"
    ) from error

from replay._bodies import Replayed, Tee
from replay._direct import unpatched
from replay._httpx import BlobStream, Passing, Recording, Replaying, _Http


class _DirectTransport(httpx2.HTTPTransport):
    """httpx2's own transport, sending even while vcrpy patches its class: the session has decided already."""

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return unpatched(httpx2.HTTPTransport.handle_request)(self, request)  # type: ignore[no-any-return]


class _AsyncDirectTransport(httpx2.AsyncHTTPTransport):
    """httpx2's own async transport, sending even while vcrpy patches its class."""

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        send = unpatched(httpx2.AsyncHTTPTransport.handle_async_request)
        return await send(self, request)  # type: ignore[no-any-return]


class _Http2(_Http):
    Response = httpx2.Response
    TransportError: ClassVar[type[Exception]] = httpx2.TransportError
    RemoteProtocolError: ClassVar[type[Exception]] = httpx2.RemoteProtocolError
    errors: ClassVar[object] = httpx2
    SyncByteStream = httpx2.SyncByteStream
    AsyncByteStream = httpx2.AsyncByteStream
    HTTPTransport = _DirectTransport
    AsyncHTTPTransport = _AsyncDirectTransport


class _EventStream(Replayed, httpx2.SyncByteStream, httpx2.AsyncByteStream):
    pass


class _TeeStream(Tee, httpx2.SyncByteStream, httpx2.AsyncByteStream):
    pass


class _AsyncBlobStream(BlobStream, httpx2.AsyncByteStream):
    pass


class ReplayTransport(Replaying, httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    __doc__ = Replaying.__doc__
    _http: ClassVar[type[_Http]] = _Http2
    _events: ClassVar[type[Replayed]] = _EventStream
    _tee: ClassVar[type[Tee]] = _TeeStream
    _blobs: ClassVar[type[BlobStream]] = _AsyncBlobStream


class RecordingTransport(Recording, httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    __doc__ = Recording.__doc__
    _http: ClassVar[type[_Http]] = _Http2
    _events: ClassVar[type[Replayed]] = _EventStream
    _tee: ClassVar[type[Tee]] = _TeeStream
    _blobs: ClassVar[type[BlobStream]] = _AsyncBlobStream


class _SessionTransport(Passing, httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    __doc__ = Passing.__doc__
    _http: ClassVar[type[_Http]] = _Http2
    _events: ClassVar[type[Replayed]] = _EventStream
    _tee: ClassVar[type[Tee]] = _TeeStream
    _blobs: ClassVar[type[BlobStream]] = _AsyncBlobStream


__all__ = ["RecordingTransport", "ReplayTransport"]
