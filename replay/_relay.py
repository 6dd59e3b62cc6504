"""Send a request on to the emulator for an adapter that cannot aim it there itself (vcrpy's clients).

While recording against the emulator, the session answers every request to a Google host through
the emulator, whatever address the client meant: the fixture's transports send it there themselves,
and for intercepted clients the session sends it here and plays the answer back as if recorded. The
request keeps its Google ``Host`` header, so the emulator answers on the service's host (upload and
download URLs included) and the exchange reads as one with the service.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx

from replay._bodies import cut_reason
from replay._cassette import Body, Response
from replay._direct import DirectTransport
from replay._errors import ReplayError
from replay._http_values import header_text

SCOPE_HEADER = "x-genai-replay-scope"
"""The header naming the scope the emulator counts a request's ids in: the test's id. The sanitiser
keeps headers by allow-list, so it is never recorded."""
_DROPPED = frozenset({"host", "content-length", "transfer-encoding", "connection", "accept-encoding"})


class Relay:
    """The emulator as the session sends to it: its base URL, and one connection pool."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self._transport: DirectTransport | None = None
        self._lock = threading.Lock()

    def aim(self, url: str) -> str:
        """Return `url`'s path and query on the emulator."""
        parts = urlsplit(url)
        return f"{self.url}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")

    def send(
        self, method: str, url: str, headers: Iterable[tuple[str, str]], content: bytes
    ) -> tuple[Response, str | None]:
        """Send a request meant for `url` to the emulator; return its whole answer and the cut, if any."""
        kept = [(name, value) for name, value in headers if name.lower() not in _DROPPED]
        kept += [("host", urlsplit(url).netloc), ("accept-encoding", "identity")]
        request = httpx.Request(method, self.aim(url), headers=kept, content=content)
        with self._lock:
            if self._transport is None:
                self._transport = DirectTransport()
            transport = self._transport
        try:
            answer = transport.handle_request(request)
        except httpx.TransportError as exc:
            raise ReplayError(
                f"the emulator at {self.url} did not answer {method} {url.split('?', 1)[0]}: {exc}; "
                "it stops with the test run, so a client kept beyond it cannot record"
            ) from exc
        chunks: list[bytes] = []
        cut = None
        try:
            for chunk in answer.iter_raw():
                chunks.append(chunk)
        except httpx.TransportError as exc:  # a stream the emulator cut on purpose (`Faults`)
            cut = cut_reason(exc)
        finally:
            answer.close()
        kept_headers = tuple(
            (name.decode("latin-1").lower(), header_text(value))
            for name, value in answer.headers.raw
            if name.lower() not in (b"content-length", b"transfer-encoding", b"connection")
        )
        body = Body.from_bytes(b"".join(chunks), answer.headers.get("content-type", ""))
        return Response(answer.status_code, kept_headers, body), cut

    def close(self) -> None:
        """Close the connection pool."""
        with self._lock:
            if self._transport is not None:
                self._transport.close()
                self._transport = None
