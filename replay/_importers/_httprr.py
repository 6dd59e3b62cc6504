"""Read Go's httprr traces: raw HTTP/1.1 requests and responses, each framed by a length line.

A trace starts with ``httprr trace v1`` and a newline. Each exchange is then a line ``<request
length> <response length>`` followed by exactly that many bytes of request and of response, each a
request or status line, a header block and the body (the request line holds the absolute URL).
"""

from __future__ import annotations

from replay._importers._exchange import Exchange, Foreign, ForeignFormatError, Message, headers_from

MAGIC = b"httprr trace v1\n"


def read_httprr(data: bytes) -> Foreign:
    """Split a trace into its exchanges; raise `ForeignFormatError` where the framing breaks."""
    if not data.startswith(MAGIC):
        raise ForeignFormatError(f"not an httprr trace: it does not start with {MAGIC!r}")
    exchanges: list[Exchange] = []
    pos = len(MAGIC)
    while pos < len(data):
        where = f"exchange {len(exchanges)} (byte {pos})"
        end = data.find(b"\n", pos)
        lengths = data[pos:end].split(b" ") if end >= 0 else []
        if len(lengths) != 2 or not all(n.isdigit() for n in lengths):
            raise ForeignFormatError(f"{where}: expected a line '<request length> <response length>'")
        request_length, response_length = int(lengths[0]), int(lengths[1])
        start = end + 1
        request, response = data[start : start + request_length], data[start + request_length :]
        response = response[:response_length]
        if len(request) != request_length or len(response) != response_length:
            raise ForeignFormatError(f"{where}: the trace ends before the lengths it announces (truncated)")
        exchanges.append(_exchange(request, response, where))
        pos = start + request_length + response_length
    return Foreign("httprr", "v1", tuple(exchanges))


def _exchange(request: bytes, response: bytes, where: str) -> Exchange:
    first, request_message = _message(request, f"{where} request")
    parts = first.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise ForeignFormatError(f"{where}: expected a request line 'METHOD URL HTTP/1.1', found {first!r}")
    method, url = parts[0], parts[1]
    if url.startswith("/"):  # origin-form: the host is in its header
        url = "https://" + dict(request_message.headers).get("host", "") + url
    status_line, response_message = _message(response, f"{where} response")
    status = status_line.split(" ")
    if len(status) < 2 or not status[0].startswith("HTTP/") or not status[1].isdigit():
        raise ForeignFormatError(f"{where}: expected a status line 'HTTP/1.1 200 OK', found {status_line!r}")
    return Exchange(method, url, request_message, int(status[1]), response_message)


def _message(raw: bytes, where: str) -> tuple[str, Message]:
    """Split raw HTTP bytes into the first line, the headers and the (de-chunked) body."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise ForeignFormatError(f"{where}: no blank line ends the header block")
    lines = head.decode("latin-1").split("\r\n")
    pairs: list[tuple[str, str]] = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon:
            raise ForeignFormatError(f"{where}: header line {line!r} has no colon")
        pairs.append((name.strip(), value.strip()))
    headers = headers_from([list(p) for p in pairs], f"{where} headers")
    dechunked = _dechunk(body) if "chunked" in dict(headers).get("transfer-encoding", "").lower() else None
    return lines[0], Message(headers, body if dechunked is None else dechunked)


def _dechunk(body: bytes) -> bytes | None:
    """Join the chunks of a chunked body; None when the bytes are not chunked after all."""
    out = bytearray()
    pos = 0
    while True:
        end = body.find(b"\r\n", pos)
        try:
            size = int(body[pos:end].split(b";", 1)[0], 16) if end >= 0 else -1
        except ValueError:
            return None
        if size < 0:
            return None
        if size == 0:
            return bytes(out)
        chunk = body[end + 2 : end + 2 + size]
        if len(chunk) != size or body[end + 2 + size : end + 4 + size] != b"\r\n":
            return None
        out += chunk
        pos = end + 4 + size
