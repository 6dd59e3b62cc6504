"""Read a request's body inside an `http.server` handler: what `serve`, the emulator and test servers share.

`http.server` leaves the body to the handler. Clients send it with a ``content-length`` or, when
streaming it (httpx with an iterator, aiohttp), in chunks; both are read whole here.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler


def read_request_body(handler: BaseHTTPRequestHandler) -> bytes:
    """Return the body of the request `handler` is answering: by its length, or chunk by chunk."""
    length = handler.headers.get("content-length")
    if length is not None:
        return handler.rfile.read(int(length))
    if "chunked" not in handler.headers.get("transfer-encoding", "").lower():
        return b""
    pieces = []
    while size := int(handler.rfile.readline().split(b";", 1)[0].strip() or b"0", 16):
        pieces.append(handler.rfile.read(size))
        handler.rfile.readline()  # the CRLF after each chunk
    while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
        pass  # trailers
    return b"".join(pieces)
