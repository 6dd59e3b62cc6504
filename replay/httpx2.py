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
from replay._httpx import Recording, Replaying, _Http


class _Http2(_Http):
    Response = httpx2.Response
    TransportError: ClassVar[type[Exception]] = httpx2.TransportError
    RemoteProtocolError: ClassVar[type[Exception]] = httpx2.RemoteProtocolError
    errors: ClassVar[object] = httpx2
    SyncByteStream = httpx2.SyncByteStream
    AsyncByteStream = httpx2.AsyncByteStream
    HTTPTransport = httpx2.HTTPTransport
    AsyncHTTPTransport = httpx2.AsyncHTTPTransport


class _EventStream(Replayed, httpx2.SyncByteStream, httpx2.AsyncByteStream):
    pass


class _TeeStream(Tee, httpx2.SyncByteStream, httpx2.AsyncByteStream):
    pass


class ReplayTransport(Replaying, httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    __doc__ = Replaying.__doc__
    _http: ClassVar[type[_Http]] = _Http2
    _events: ClassVar[type[Replayed]] = _EventStream


class RecordingTransport(Recording, httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    __doc__ = Recording.__doc__
    _http: ClassVar[type[_Http]] = _Http2
    _events: ClassVar[type[Replayed]] = _EventStream
    _tee: ClassVar[type[Tee]] = _TeeStream


__all__ = ["RecordingTransport", "ReplayTransport"]
