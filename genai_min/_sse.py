"""Decode the server-sent-event body of ``:streamGenerateContent?alt=sse``, one line at a time.

The transport feeds lines as they arrive, so the first event is usable before the stream ends.
Framing follows the service: ``data: <json>`` lines, a blank line after each event, and (seen in
real mid-stream quota errors) a bare JSON error object spread over several lines.
"""

from __future__ import annotations

import json

from genai_min._errors import APIError, ResponseError
from genai_min._http import JSON, JSONObject


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
        raise ResponseError(f"unexpected line in event stream: {line[:200]!r}", body=line.encode())

    def close(self) -> JSONObject | None:
        """Flush at the end of the body: a last event without its blank line still counts."""
        if self._bare:
            text = "\n".join(self._bare)
            raise ResponseError(f"event stream ended inside a JSON value: {text[:200]!r}")
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
    except ValueError as exc:
        raise ResponseError(f"event stream carried invalid JSON: {text[:200]!r}", body=text.encode()) from exc


def _check_event(value: JSON, text: str) -> JSONObject:
    if not isinstance(value, dict):
        raise ResponseError(f"event is not a JSON object: {text[:200]!r}", body=text.encode())
    error = value.get("error")
    if isinstance(error, dict):
        code = error.get("code")
        raise APIError.from_body(code if isinstance(code, int) else 500, value)
    return value
