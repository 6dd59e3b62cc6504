"""The `http.server` handler that `genai-replay serve`, the emulator and test servers build on.

`http.server` leaves every verb, the request body and the log to each handler. `Handler` answers
every verb the API uses through one `serve` method, reads bodies sent with a ``content-length`` or in
chunks (httpx with an iterator, aiohttp), speaks HTTP/1.1, logs nothing, and sends small writes at
once. A body whose framing is broken, or that is longer than `MAX_BODY`, raises `BodyError`, which
each server answers in its own error envelope before closing the connection; no header that would
split the answer (CR, LF or NUL in it, a name that is not a token) is ever sent.
"""

from __future__ import annotations

import contextlib
import re
import socket
from http.server import BaseHTTPRequestHandler

from replay._http_values import is_sendable_header

MAX_BODY = 2 * 1024**3
"""The longest request body read, in bytes: 2 GiB, the Files API's limit for one file, which the
emulator's resumable upload may receive in a single request. A longer body is answered 413."""
_LENGTH = re.compile(r"[0-9]+")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]+")
_MAX_LINE = 65_536
"""The longest chunk-size or trailer line read, as `http.server` limits its header lines."""


class BodyError(Exception):
    """A request body that cannot be read: `status` is 400 (broken framing) or 413 (too long)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Handler(BaseHTTPRequestHandler):
    """Answer GET, POST, PUT, PATCH and DELETE alike through `serve`."""

    protocol_version = "HTTP/1.1"
    sys_version = ""
    timeout = 30
    max_body = MAX_BODY

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionError:
            # The client went away mid-answer (or before reading a refusal): nothing to report.
            self.close_connection = True

    def finish(self) -> None:
        with contextlib.suppress(ConnectionError):  # the last flush, to a client already gone
            super().finish()

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: each server reports what it answered in its own way."""

    def send_header(self, keyword: str, value: str) -> None:
        """Send a header, unless it would split the answer: then leave it out."""
        if is_sendable_header(keyword, str(value)):
            super().send_header(keyword, value)

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
        """Return the request's body: by its length, or chunk by chunk.

        Raise `BodyError` when the length is not a number, the chunks are malformed, the body ends
        early or is longer than `max_body`; then the connection is to be closed after the answer,
        since where the next request starts is unknown.
        """
        lengths = self.headers.get_all("content-length") or []
        coding = ", ".join(self.headers.get_all("transfer-encoding") or []).strip().lower()
        if coding:
            if lengths:
                raise BodyError(
                    400, "the request has both a content-length and a transfer-encoding; send one"
                )
            if coding != "chunked":
                raise BodyError(
                    400,
                    f"transfer-encoding {coding!r} is not supported; send the body chunked or with a length",
                )
            return self._read_chunks()
        if not lengths:
            return b""
        return self._read_exactly(self._content_length(lengths), "content-length")

    def _content_length(self, lengths: list[str]) -> int:
        values = {value.strip() for header in lengths for value in header.split(",")}
        if len(values) != 1 or not _LENGTH.fullmatch(text := values.pop()):
            shown = ", ".join(map(repr, lengths))
            raise BodyError(
                400, f"content-length {shown} is not a single number of bytes; send the body's length"
            )
        length = _number(text, 10)
        if length > self.max_body:
            shown = text if len(text) <= 20 else f"{text[:20]}…"
            raise BodyError(413, self._too_long(f"content-length {shown} announces a longer body"))
        return length

    def _read_chunks(self) -> bytes:
        pieces = []
        received = 0
        while True:
            line = self.rfile.readline(_MAX_LINE)
            size_text = line.split(b";", 1)[0].strip()
            if not _CHUNK_SIZE.fullmatch(size_text):
                shown = size_text[:40].decode("latin-1")
                raise BodyError(
                    400, f"chunk size {shown!r} is not a hexadecimal number; send well-formed chunks"
                )
            size = _number(size_text.decode("ascii"), 16)
            if size == 0:
                break
            received += size
            if received > self.max_body:
                raise BodyError(
                    413, self._too_long(f"chunks adding up to {received:,} bytes make a longer body")
                )
            pieces.append(self._read_exactly(size, "chunk size"))
            if self.rfile.readline(_MAX_LINE) not in (b"\r\n", b"\n"):
                raise BodyError(
                    400, f"a chunk of {size} bytes is not followed by CRLF; send well-formed chunks"
                )
        while self.rfile.readline(_MAX_LINE) not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(pieces)

    def _read_exactly(self, size: int, announced_by: str) -> bytes:
        data = self.rfile.read(size)
        if len(data) < size:
            raise BodyError(
                400,
                f"the body ended after {len(data)} of the {size} bytes its {announced_by} announced; "
                "send the whole body",
            )
        return data

    def _too_long(self, what: str) -> str:
        return (
            f"{what} than the {self.max_body:,} bytes this server reads; send a shorter body "
            "(a large file in several upload chunks)"
        )


def _number(digits: str, base: int) -> int:
    """Read a non-negative number of any length; one too long to matter is read as 2**64."""
    significant = digits.lstrip("0")
    return int(significant or "0", base) if len(significant) <= 16 else 2**64
