"""The server-sent events of ``:streamGenerateContent?alt=sse``: decoded one line at a time, and framed.

The transport feeds lines as they arrive, so the first event is usable before the stream ends.
Framing follows the service: ``data: <json>`` lines, a blank line after each event, and (seen in
real mid-stream quota errors) a bare JSON error object spread over several lines. The other fields
of the SSE format (``event:``, ``id:``, ``retry:``) and comments are allowed and ignored.

`decode_sse` takes the raw body bytes instead, and splits lines itself as the SSE format says: at
CR, LF or CRLF only. (A general line splitter such as ``str.splitlines`` also breaks at U+2028,
U+2029 and U+0085, which JSON strings may hold unescaped, and so cuts events in half.)

`encode_event` frames an event as the service does, and `parse_events` takes a whole stream apart
only when it holds nothing but such events, so that a recording and the emulator write these bytes.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

from genai_min._errors import APIError, ResponseError
from genai_min._http import JSON, JSONObject, encode_json

IGNORED_FIELDS = ("event", "id", "retry")
"""SSE fields that carry nothing for the service's streams; lines holding them are skipped."""

_LINE_BREAK = re.compile("\r\n|\r|\n")


class SseDecoder:
    """Turn stream lines into JSON events; raise `APIError` for an error event."""

    def __init__(self) -> None:
        self._data: list[str] = []
        self._bare: list[str] = []
        self._depth = 0

    def feed(self, line: str) -> JSONObject | None:
        """Take one line (without its line break) and return an event if one is complete."""
        if self._bare:
            return self._feed_bare(line)
        if not line.strip():
            return self._finish_data()
        if line.startswith("data:"):
            self._data.append(line[5:].removeprefix(" "))
            return None
        if line.startswith(":"):
            return None  # an SSE comment, such as a keep-alive
        if line.lstrip().startswith(("{", "[")):
            return self._feed_bare(line)
        name = line.split(":", 1)[0]
        if name == "data":  # a data field without a colon holds an empty line of data
            self._data.append("")
            return None
        if name in IGNORED_FIELDS:
            return None
        raise ResponseError(
            f"unexpected line in event stream: {line[:200]!r}; the answer is not a Gemini event "
            "stream: check that the base URL points at the Gemini API or Vertex AI",
            body=line.encode("utf-8", "replace"),
        )

    def close(self) -> JSONObject | None:
        """Flush at the end of the body: a last event without its blank line still counts."""
        if self._bare:
            text = "\n".join(self._bare)
            raise ResponseError(
                f"event stream ended inside a JSON value: {text[:200]!r}; the stream was cut short, "
                "retry the request",
                body=text.encode("utf-8", "replace"),
            )
        return self._finish_data()

    def _finish_data(self) -> JSONObject | None:
        if not self._data:
            return None
        text = "\n".join(self._data)
        self._data = []
        return _decode(text)

    def _feed_bare(self, line: str) -> JSONObject | None:
        self._bare.append(line)
        self._depth += _brace_balance(line)
        if self._depth > 0:
            return None
        text = "\n".join(self._bare)
        self._bare, self._depth = [], 0
        return _decode(text)


def _brace_balance(line: str) -> int:
    balance, in_string, escaped = 0, False, False
    for char in line:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            balance += 1
        elif char in "}]":
            balance -= 1
    return balance


class _Lines:
    """Split body bytes, chunked anyhow, into UTF-8 lines at CR, LF or CRLF."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._rest: list[str] = []  # the start of the unfinished line, in pieces: no rescanning
        self._is_cr_held = False
        self._is_start = True

    def feed(self, chunk: bytes, *, is_final: bool = False) -> list[str]:
        text = self._decoder.decode(chunk, is_final)
        if self._is_start and text:
            text, self._is_start = text.removeprefix("\ufeff"), False
        if self._is_cr_held:
            text, self._is_cr_held = "\r" + text, False
        if text.endswith("\r") and not is_final:
            text, self._is_cr_held = text[:-1], True  # perhaps the first half of a CRLF
        pieces = _LINE_BREAK.split(text)
        lines: list[str] = []
        if len(pieces) > 1:
            lines = ["".join(self._rest) + pieces[0], *pieces[1:-1]]
            self._rest = []
        self._rest.append(pieces[-1])
        if is_final:
            if last := "".join(self._rest):
                lines.append(last)
            self._rest = []
        return lines


def _events(decoder: SseDecoder, lines: list[str]) -> Iterator[JSONObject]:
    for line in lines:
        if (event := decoder.feed(line)) is not None:
            yield event


def decode_sse(chunks: Iterable[bytes]) -> Iterator[JSONObject]:
    """Yield the events of an SSE body given as bytes in chunks of any size, each as soon as it ends."""
    lines, decoder = _Lines(), SseDecoder()
    for chunk in chunks:
        yield from _events(decoder, lines.feed(chunk))
    yield from _events(decoder, lines.feed(b"", is_final=True))
    if (last := decoder.close()) is not None:
        yield last


async def adecode_sse(chunks: AsyncIterable[bytes]) -> AsyncIterator[JSONObject]:
    """Async `decode_sse`."""
    lines, decoder = _Lines(), SseDecoder()
    async for chunk in chunks:
        for event in _events(decoder, lines.feed(chunk)):
            yield event
    for event in _events(decoder, lines.feed(b"", is_final=True)):
        yield event
    if (last := decoder.close()) is not None:
        yield last


def decode_json_stream(content: bytes) -> list[JSONObject]:
    """Decode a stream the service answered as one JSON array instead of server-sent events."""
    text = content.decode("utf-8", "replace")
    value = _loads(text)
    items = value if isinstance(value, list) else [value]
    return [_check_event(item, text) for item in items]


def _decode(text: str) -> JSONObject:
    value = _loads(text)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return _check_event(value, text)


def _loads(text: str) -> JSON:
    try:
        return json.loads(text)  # type: ignore[no-any-return]
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
        raise ResponseError(
            f"event stream carried invalid JSON: {text[:200]!r}; the stream was garbled or cut, "
            "retry the request",
            body=text.encode("utf-8", "replace"),
        ) from exc


def _check_event(value: JSON, text: str) -> JSONObject:
    if not isinstance(value, dict):
        raise ResponseError(
            f"event is not a JSON object: {text[:200]!r}; the answer is not a Gemini event stream: "
            "check that the base URL points at the Gemini API or Vertex AI",
            body=text.encode("utf-8", "replace"),
        )
    error = value.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        raise APIError.from_body(code if isinstance(code, int) else 500, value)
    return value


def encode_event(event: JSON) -> bytes:
    """Frame one event as the service sends it: ``data: <compact JSON>`` and a blank line, with CRLF."""
    return b"data: " + encode_json(event) + b"\r\n\r\n"


def parse_events(content: bytes) -> tuple[JSON, ...] | None:
    """Split a whole stream into its JSON events; None unless it holds only ``data: `` lines of JSON.

    Unlike `decode_sse` this accepts no other field, comment or bare JSON, and raises nothing: a
    stream it refuses is one whose events alone would not say what was sent.
    """
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    events: list[JSON] = []
    for block in text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        if not all(line.startswith("data: ") for line in lines):
            return None
        try:
            events.append(json.loads("\n".join(line[6:] for line in lines)))
        except ValueError:
            return None
    return tuple(events)
