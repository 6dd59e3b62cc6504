"""The HTTP values a cassette may hold and a server may send: status codes, request URLs, headers.

The cassette reader (`replay._cassette_json`) refuses a cassette that breaks these rules, so that a
cassette edited by hand cannot crash a command later (a URL `urlsplit` rejects) or be sent in a
form HTTP forbids. Whatever sends recorded headers checks them once more (`is_sendable_header`):
a header carrying CR or LF would split the answer in two, and the second half is the attacker's.
Header values are kept as the bytes received (`header_text`, `header_bytes`).
"""

from __future__ import annotations

import re
from typing import TypeGuard
from urllib.parse import urlsplit

STATUSES = range(100, 600)
"""The HTTP status codes a response may have."""
URL_SCHEMES = ("http", "https")
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""An HTTP token (RFC 9110, section 5.6.2): what a header name is made of."""
_UNSENDABLE = re.compile(r"[\r\n\x00]")
"""What a header value must never hold: CR and LF end the header (response splitting), NUL is refused."""


def is_status(value: object) -> TypeGuard[int]:
    """Tell whether `value` is an HTTP status: an integer from 100 to 599."""
    # bool is an int to Python, but `true` is not a status to anyone reading the cassette.
    return type(value) is int and value in STATUSES


def url_problem(url: str) -> str | None:
    """Say what is wrong with a recorded request URL, or return None: it is absolute http(s), with a host."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError when the port is not a number from 0 to 65535
    except ValueError as exc:
        return f"the request URL {url!r} does not parse ({exc}); it must be an absolute http(s) URL"
    if parts.scheme.lower() not in URL_SCHEMES:
        return f"the request URL {url!r} is not an absolute http(s) URL"
    if not parts.hostname:
        return f"the request URL {url!r} has no host; it must be an absolute http(s) URL"
    return None


def header_problem(name: str, value: str) -> str | None:
    """Say what is wrong with a header, or return None when it can be sent as it is."""
    if not _TOKEN.fullmatch(name):
        return "its name is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~ only)"
    found = _UNSENDABLE.search(value)
    if found is not None:
        return f"its value {value!r} holds {found.group()!r}, which HTTP forbids in a header"
    return None


def is_sendable_header(name: str, value: str) -> bool:
    """Tell whether a header can go on the wire: a token for a name, no CR, LF or NUL in the value."""
    return _TOKEN.fullmatch(name) is not None and _UNSENDABLE.search(value) is None


def header_text(value: bytes) -> str:
    """Decode a header value for the cassette: UTF-8, with any other byte kept as a lone surrogate."""
    return value.decode("utf-8", "surrogateescape")


def header_bytes(value: str) -> bytes:
    """Encode a stored header value back into the bytes that were received (`header_text`'s inverse)."""
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate `header_text` never makes: written by hand
        return value.encode("utf-8", "replace")
