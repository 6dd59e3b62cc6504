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

from replay._httpx import Recording, Replaying, _Events, _Http, _Tee


class _Http2(_Http):
    Response = httpx2.Response
    SyncByteStream = httpx2.SyncByteStream
    AsyncByteStream = httpx2.AsyncByteStream
    HTTPTransport = httpx2.HTTPTransport
    AsyncHTTPTransport = httpx2.AsyncHTTPTransport


class _EventStream(_Events, httpx2.SyncByteStream, httpx2.AsyncByteStream):
    pass


class _TeeStream(_Tee, httpx2.SyncByteStream, httpx2.AsyncByteStream):
    pass


class ReplayTransport(Replaying, httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    __doc__ = Replaying.__doc__
    _http: ClassVar[type[_Http]] = _Http2
    _events: ClassVar[type[_Events]] = _EventStream


class RecordingTransport(Recording, httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    __doc__ = Recording.__doc__
    _http: ClassVar[type[_Http]] = _Http2
    _events: ClassVar[type[_Events]] = _EventStream
    _tee: ClassVar[type[_Tee]] = _TeeStream


__all__ = ["RecordingTransport", "ReplayTransport"]
