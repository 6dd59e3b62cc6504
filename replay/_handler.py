"""The `http.server` handler that `genai-replay serve`, the emulator and test servers build on.

`http.server` leaves every verb, the request body and the log to each handler. `Handler` answers
every verb the API uses through one `serve` method, reads bodies sent with a ``content-length`` or in
chunks (httpx with an iterator, aiohttp), speaks HTTP/1.1, logs nothing, and sends small writes at
once.
"""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler


class Handler(BaseHTTPRequestHandler):
    """Answer GET, POST, PUT, PATCH and DELETE alike through `serve`."""

    protocol_version = "HTTP/1.1"
    sys_version = ""
    timeout = 30

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: each server reports what it answered in its own way."""

    def serve(self) -> None:
        """Answer the request, whatever its verb."""
        raise NotImplementedError

    def do_GET(self) -> None:
        self.serve()

    def do_POST(self) -> None:
        self.serve()

    def do_PUT(self) -> None:
        self.serve()

    def do_PATCH(self) -> None:
        self.serve()

    def do_DELETE(self) -> None:
        self.serve()

    def read_body(self) -> bytes:
        """Return the request's body: by its length, or chunk by chunk."""
        length = self.headers.get("content-length")
        if length is not None:
            return self.rfile.read(int(length))
        if "chunked" not in self.headers.get("transfer-encoding", "").lower():
            return b""
        pieces = []
        while size := int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16):
            pieces.append(self.rfile.read(size))
            self.rfile.readline()  # the CRLF after each chunk
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(pieces)
