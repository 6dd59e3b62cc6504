"""Serve cassettes over HTTP on 127.0.0.1, so clients in any language replay through a base URL.

What `genai-replay serve` runs. Routing decisions:

- The cassettes under the folder are merged into one, in path order and then recorded order, and
  answered by one `Player`: matching, the order of identical requests (polls) and the repeat of
  the last answer are the fixture's. A request recorded by several tests gets their answers in
  that order, then the last one again.
- A request arrives for 127.0.0.1; its URL is rebuilt on the service's canonical host (from its
  path, as the emulator's recordings are: `genai_min._hosts.canonical_url`) before matching, so
  cassettes recorded live and against the emulator both answer. An upload URL in a recorded answer
  is pointed back at this server, so that clients send the upload here too.
- A request that matches nothing gets HTTP 501 in the service's error envelope,
  ``{"error": {"code": 501, "message": ..., "status": "NOT_IMPLEMENTED"}}``, whose message is the
  `NoMatchError` text (closest recorded request, its differences, the record hint). 501 rather than
  404: a client must not take a missing recording for a missing resource, and neither `genai_min`
  nor the official SDK retries a 501.
- A request body that cannot be read (a ``content-length`` that is not a number, a broken chunk, more
  than `replay._handler.MAX_BODY`) gets 400 or 413 in the same envelope, and the connection is closed.
- A recorded header that HTTP forbids (CR, LF or NUL in it) is never sent; the cassette reader
  refuses such a cassette in the first place.
- Streams are sent with chunked transfer encoding, one ``data: {...}\\r\\n\\r\\n`` event per chunk, as
  the service frames them.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit, urlunsplit

from genai_min._hosts import canonical_url
from genai_min._http import JSONObject
from replay._cassette import Body, BodyKind, Cassette, Response
from replay._cassette_json import load_cassette
from replay._check import find_cassettes
from replay._errors import NoMatchError
from replay._handler import BodyError, Handler
from replay._http_values import header_bytes
from replay._httpx import response_headers
from replay._matchers import MatchOptions
from replay._player import Player
from replay._sanitiser import Sanitiser
from replay._session import Session

HOST = "127.0.0.1"
MISS_STATUS = 501
_HOP_BY_HOP = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})


class CassetteServer:
    """An HTTP server that answers from every cassette under `folder`, on `host` (127.0.0.1).

    It has no authentication: any other `host` than a loopback address serves every recording to
    whoever can reach it. `port` 0 picks a free port. `log`, when given, is called with one line per
    request answered.
    Use it as a context manager and point clients at `url`::

        with CassetteServer(Path("cassettes")) as server:
            t = genai_min.Transport(api_key="any", base_url=server.url)
    """

    def __init__(
        self,
        folder: Path,
        *,
        port: int = 0,
        host: str = HOST,
        sanitiser: Sanitiser | None = None,
        options: MatchOptions | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.paths = find_cassettes([self.folder])
        cassettes = [load_cassette(path) for path in self.paths]
        merged = Cassette(tuple(i for cassette in cassettes for i in cassette.interactions))
        self.player = Player(merged, path=self.folder, sanitiser=sanitiser, options=options)
        self.session = Session.replaying(self.player)
        self.log = log
        self._address = (host, port)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def interactions(self) -> int:
        """Return how many recorded interactions the server can answer with."""
        return len(self.player.cassette.interactions)

    def start(self) -> Self:
        """Listen and serve in a background thread; raise `OSError` if the port cannot be bound."""
        if self._server is None:
            self._server = _Server(self._address, _Handler, self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Return the base URL to give clients, ``http://127.0.0.1:PORT``."""
        if self._server is None:
            raise RuntimeError("the server is not running: call start() or use it in a with block")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def respond(self, method: str, target: str, headers: dict[str, str], content: bytes) -> Response:
        """Answer one request for `target` (path and query): a recorded response, or the 501 envelope."""
        url = canonical_url(self.url + target, self.url)
        try:
            response = self.session.enter(method, url, headers.items(), content)
        except NoMatchError as exc:
            return _miss(exc)
        assert isinstance(response, Response), "a replaying session never sends"
        return self._pointed_here(response)

    def _pointed_here(self, response: Response) -> Response:
        """Point a recorded upload URL at this server instead of the service."""
        here = urlsplit(self.url)
        headers = tuple(
            (name, _pointed(value, here.scheme, here.netloc))
            if name == "x-goog-upload-url"
            else (name, value)
            for name, value in response.headers
        )
        return Response(response.status, headers, response.body, response.cut)


def _pointed(url: str, scheme: str, netloc: str) -> str:
    try:
        return urlunsplit(urlsplit(url)._replace(scheme=scheme, netloc=netloc))
    except ValueError:  # not a URL (edited by hand): sent as recorded
        return url


def _miss(error: NoMatchError) -> Response:
    return _envelope(MISS_STATUS, "NOT_IMPLEMENTED", str(error))


def _failure(exc: Exception) -> Response:
    detail = "".join(traceback.format_exception_only(exc)).strip()
    return _envelope(500, "INTERNAL", f"genai-replay serve failed to answer: {detail}; please report it")


def _envelope(code: int, status: str, message: str) -> Response:
    envelope: JSONObject = {"error": {"code": code, "message": message, "status": status}}
    return Response(
        code, (("content-type", "application/json; charset=UTF-8"),), Body(BodyKind.JSON, json=envelope)
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], owner: CassetteServer
    ) -> None:
        super().__init__(address, handler)
        self.owner = owner


class _Handler(Handler):
    server_version = "genai-replay-serve"
    server: _Server

    def serve(self) -> None:
        owner = self.server.owner
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            content = self.read_body()
        except BodyError as exc:
            # Where this body ends, and the next request starts, is unknown: answer, then hang up.
            response = _envelope(exc.status, "INVALID_ARGUMENT", exc.message)
            self.close_connection = True
        else:
            try:
                response = owner.respond(self.command, self.path, headers, content)
            except Exception as exc:  # a bug here must still answer, or the client sees a dropped connection
                response = _failure(exc)
        if owner.log is not None:
            owner.log(f"{self.command} {self.path} → {response.status}")
        self.send_response(response.status)
        if self.close_connection:
            self.send_header("connection", "close")
        for name, value in response_headers(response).items():
            if name.lower() not in _HOP_BY_HOP:
                # The recorded bytes, whatever they are: http.server writes header values as latin-1.
                self.send_header(name, header_bytes(value).decode("latin-1"))
        body = response.body
        if body.kind is not BodyKind.SSE and not response.cut:
            self.send_header("content-length", str(body.size))
            self.end_headers()
            for piece in body.chunks():
                self.wfile.write(piece)
            return
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for payload in body.chunks():
            self.wfile.write(b"%x\r\n%s\r\n" % (len(payload), payload))
            self.wfile.flush()
        if response.cut:
            # The recorded answer broke off here: end the connection without the final chunk, as it did.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(b"0\r\n\r\n")
