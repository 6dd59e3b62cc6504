"""The emulator's HTTP side: a threading server on 127.0.0.1 and the `Emulator` that owns it.

The standard library's `ThreadingHTTPServer` is enough: requests are small, one thread per
connection, HTTP/1.1 keep-alive, and streams written with chunked transfer encoding, one
``data: {...}\\r\\n\\r\\n`` event per chunk, flushed as it is written. Order of work for a request:
record it, wait out any injected latency, serve the token endpoint, inject a failure if one is
due, check credentials, parse and check the body, route it, answer. A body that cannot be read (a
``content-length`` that is not a number, a broken chunk, more than 2 GiB: `replay._handler.MAX_BODY`,
the most one upload request may carry) is answered 400 or 413 INVALID_ARGUMENT in the service's
envelope, and the connection closed. `stop` closes the listening socket and every open connection,
so it is quick even while clients keep connections alive.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, urlsplit

from genai_min._hosts import is_service_url
from replay._handler import BodyError, Handler
from replay.emulator._auth import TokenAuthority, check_credentials
from replay.emulator._errors import StatusError, injected
from replay.emulator._faults import FaultPlan, Faults
from replay.emulator._http import RecordedRequest, Reply, encoded
from replay.emulator._service import Service, backend_of, build_call, error_reply
from replay.emulator._state import SCOPE_HEADER, Clock, Context, Ids, scoped

HOST = "127.0.0.1"
DEFAULT_GRANULARITY = 8 * 1024 * 1024


class Emulator:
    """A local, stateful fake of the Gemini Developer API and Vertex AI.

    Start it, point a client's base URL at `url`, and stop it (or use it as a context manager)::

        with Emulator() as emulator:
            t = genai_min.Transport(api_key="any", base_url=emulator.url)
            client = genai.Client(api_key="any", http_options=types.HttpOptions(base_url=emulator.url))

    `api_key` makes credentials strict (see `replay.emulator._auth`); `faults` injects latency,
    errors and cut streams (settable later through `faults`); `afc_depth` is how many rounds of
    function calls the model makes in ANY mode before answering with text; `upload_granularity`
    is the chunk size multiple the upload protocol demands (8 MiB, as the service). `authority`
    is the OAuth side (service-account keys, issued tokens); `requests` what was received.
    A request whose ``Host`` header names a Google host (the replay session relays them so) is
    answered on that host: the upload and download URLs it hands out are the service's.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        api_key: str | None = None,
        faults: Faults | None = None,
        afc_depth: int = 1,
        upload_granularity: int = DEFAULT_GRANULARITY,
    ) -> None:
        if afc_depth < 0 or upload_granularity < 1:
            raise ValueError("afc_depth must be zero or more and upload_granularity at least 1 byte")
        self.api_key = api_key
        self.authority = TokenAuthority()
        self._requested_port = port
        self._context = Context(afc_depth=afc_depth, upload_granularity=upload_granularity)
        self._service = Service(self._context)
        self._plan = FaultPlan(faults)
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._base_url = ""
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind 127.0.0.1 (`port`, or any free port) and serve in a background thread."""
        if self._server is not None:
            return self
        server = _Server((HOST, self._requested_port), _Handler)
        server.emulator = self
        self._server = server
        self._base_url = self.url
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"emulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every connection and release the port."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what tests use ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """Return the port served; the emulator must be started."""
        if self._server is None:
            raise RuntimeError("the emulator is not running: call start() or use it in a with block")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Return the base URL to give clients, ``http://127.0.0.1:PORT``."""
        return f"http://{HOST}:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Return the requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def faults(self) -> Faults:
        """Return the faults in force."""
        return self._plan.faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        self._plan.replace(faults)

    def advance(self, seconds: float) -> None:
        """Move the emulator's clock forward (caches and files expire by it)."""
        self._context.clock.advance(seconds)

    def reset(self) -> None:
        """Forget every resource, recorded request and fault, and restart the clock and ids.

        Service-account keys and issued tokens are kept, so clients stay signed in.
        """
        self._service.reset()
        self._context.clock = Clock()
        self._context.ids = Ids()
        self._plan.replace(None)
        with self._lock:
            self._requests.clear()

    # -- serving ----------------------------------------------------------------------------------

    def _answer(
        self, method: str, target: str, headers: dict[str, str], raw: bytes
    ) -> tuple[Reply, int | None]:
        """Answer one request; return the reply and after how many events to cut its stream."""
        with self._lock:
            self._requests.append(
                RecordedRequest(method, target.split("?", 1)[0], urlsplit(target).query, headers, raw)
            )
        path = urlsplit(target).path
        faults = self._plan.faults
        if faults.latency and self._plan.applies(path):
            time.sleep(faults.latency)
        if path == "/token" and method == "POST":
            return self.authority.token_endpoint(raw, is_strict=self.api_key is not None), None
        status = self._plan.take_failure(path)
        if status is not None:
            error = injected(status, retry_after=faults.retry_after, is_vertex=_is_vertex(path, headers))
            return error_reply(error), None
        try:
            self._authorise(path, urlsplit(target).query, headers)
            with scoped(headers.get(SCOPE_HEADER, "")):
                call = build_call(method, target, headers, raw, self._served_as(headers))
                reply = self._service.handle(call)
            reply = encoded(reply, method, headers.get("accept-encoding", ""))
        except StatusError as error:
            reply = error_reply(error)
        except Exception as exc:  # a bug here must still answer, as the service's 500 would
            detail = "".join(traceback.format_exception_only(exc)).strip()
            reply = error_reply(StatusError(500, f"Internal error in the emulator: {detail}"))
        return reply, self._plan.take_cut(path) if reply.events is not None else None

    def _served_as(self, headers: dict[str, str]) -> str:
        """Return the base URL to answer on: the Google host a relayed request names, else the emulator's."""
        host = headers.get("host", "")
        if is_service_url(f"https://{host}/"):
            return f"https://{host}"
        return self._base_url

    def _authorise(self, path: str, query_text: str, headers: dict[str, str]) -> None:
        query = parse_qs(query_text)
        if path.startswith("/download/") or (path.startswith("/upload/") and "upload_id" in query):
            return
        is_vertex = _is_vertex(path, headers)
        check_credentials(headers, query, is_vertex=is_vertex, api_key=self.api_key, authority=self.authority)


def _is_vertex(path: str, headers: dict[str, str]) -> bool:
    version, _, rest = path.strip("/").partition("/")
    return backend_of(version, rest, headers) == "vertex"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: Emulator

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def track(self, connection: socket.socket, *, is_open: bool) -> None:
        with self._connections_lock:
            if is_open:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(Handler):
    server_version = "genai-replay-emulator"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, is_open=True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.track(self.connection, is_open=False)

    def serve(self) -> None:
        try:
            raw = self.read_body()
        except BodyError as exc:
            # Where this body ends, and the next request starts, is unknown: answer, then hang up.
            reply = error_reply(StatusError(exc.status, exc.message, status="INVALID_ARGUMENT"))
            cut_after: int | None = None
            self.close_connection = True
        else:
            headers = {name.lower(): value for name, value in self.headers.items()}
            reply, cut_after = self.server.emulator._answer(self.command, self.path, headers, raw)
        self.send_response(reply.status)
        if self.close_connection:
            self.send_header("connection", "close")
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.events is None:
            self.send_header("content-length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
            return
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for index, event in enumerate(reply.events):
            if cut_after is not None and index >= cut_after:
                self._cut()
                return
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def _cut(self) -> None:
        """End the connection mid-stream, without the last chunk: the client sees a broken stream."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
