"""The plain values every foreign-format reader returns, before bodies are decoded and sanitised."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from genai_min._http import JSON


class ForeignFormatError(Exception):
    """A foreign file cannot be read as a cassette; the message says where and what was found.

    `hint` says what to do; messages that carry their own advice pass an empty one.
    """

    def __init__(self, message: str, *, hint: str = "fix that part of the file, or re-record it") -> None:
        super().__init__(f"{message}; {hint}" if hint else message)


@dataclass(frozen=True)
class Message:
    """One side of a foreign exchange: headers (lower-case names, one value each) and raw content.

    `parsed` holds a body the foreign tool stored already parsed (pydantic-ai's ``parsed_body``);
    `has_parsed` tells it apart from an absent body, since JSON ``null`` is a value too.
    """

    headers: tuple[tuple[str, str], ...] = ()
    content: bytes = b""
    parsed: JSON = None
    has_parsed: bool = False


@dataclass(frozen=True)
class Exchange:
    """One request and its response, as the foreign file recorded them."""

    method: str
    url: str
    request: Message
    status: int
    response: Message
    recorded_at: str = ""


@dataclass(frozen=True)
class Foreign:
    """What a reader found: the format's name, its version as the file states it, the exchanges."""

    format: str
    version: str
    exchanges: tuple[Exchange, ...]


def headers_from(value: object, where: str) -> tuple[tuple[str, str], ...]:
    """Normalise headers given as a mapping of strings or lists, or as pairs, in any name case.

    Repeated names are joined with ``", "`` (as HTTP allows) so that each name appears once.
    """
    if value is None:
        return ()
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list) and all(isinstance(p, list | tuple) and len(p) == 2 for p in value):
        pairs = [(p[0], p[1]) for p in value]
    else:
        raise ForeignFormatError(f"{where} must be a mapping of header names, found {type(value).__name__}")
    merged: dict[str, list[str]] = {}
    for name, raw in pairs:
        if not isinstance(name, str):
            raise ForeignFormatError(f"{where} has a header name that is not a string: {name!r}")
        values = raw if isinstance(raw, list) else [raw]
        for item in values:
            if not isinstance(item, str | int | float):
                raise ForeignFormatError(f"{where}[{name!r}] must be text, found {type(item).__name__}")
            merged.setdefault(name.lower(), []).append(str(item))
    return tuple((name, ", ".join(values)) for name, values in merged.items())


def content_from(value: object, where: str) -> bytes:
    """Return the bytes of a body stored as text, as bytes (``!!binary``) or not at all."""
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    raise ForeignFormatError(f"{where} must be text or binary, found {type(value).__name__}")


def b64decode(value: object, where: str) -> bytes:
    """Decode standard base64 text, naming `where` when it is not base64."""
    if not isinstance(value, str):
        raise ForeignFormatError(f"{where} must be base64 text, found {type(value).__name__}")
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ForeignFormatError(f"{where} is not valid base64") from None
