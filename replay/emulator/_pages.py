"""Pagination as every list method does it: ``pageSize`` and ``pageToken`` in, ``nextPageToken`` out.

A page token is opaque to clients; here it is the URL-safe base64 of the offset of the next item,
so paging is deterministic and survives new items being added at the end. A token that does not
decode is 400 INVALID_ARGUMENT, as on the service (``page-N`` tokens of other fakes read as page N).
"""

from __future__ import annotations

import base64
import binascii
from typing import TypeVar

from replay.emulator._errors import invalid_argument
from replay.emulator._http import Call

T = TypeVar("T")


def page(items: list[T], call: Call, *, default_size: int, max_size: int) -> tuple[list[T], str | None]:
    """Cut the page the call asks for out of `items`; return it and the next page's token."""
    size_text = call.param("pageSize") or call.param("page_size")
    try:
        size = int(size_text) if size_text else default_size
    except ValueError:
        raise invalid_argument(f"Invalid value for pageSize: {size_text!r} is not an integer.") from None
    if size < 0:
        raise invalid_argument("pageSize must not be negative.")
    size = min(size or default_size, max_size)
    start = _offset(call.param("pageToken") or call.param("page_token") or "", size)
    end = start + size
    return items[start:end], (_token(end) if end < len(items) else None)


def listing(key: str, items: list[T], token: str | None) -> dict[str, object]:
    """Build a list answer; like the service, an empty page has no item key at all."""
    answer: dict[str, object] = {key: items} if items else {}
    if token:
        answer["nextPageToken"] = token
    return answer


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset-{offset}".encode()).decode("ascii").rstrip("=")


def _offset(token: str, size: int) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        if text.startswith("offset-") and text[7:].isdigit():
            return int(text[7:])
        if text.startswith("page-") and text[5:].isdigit():
            # Never issued here, but other fakes number pages this way: read it as a page number.
            return max(int(text[5:]) - 1, 0) * size
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise invalid_argument(f"Invalid page token: {token!r}.")
