"""Normalise requests into lookup keys, so matching is one dict lookup whatever the cassette size.

What legitimately varies is left out of the key: credentials (already sanitised away), client and
version headers (no header is part of the key), the order of JSON keys and of query parameters,
percent-escapes in the path,
camelCase versus snake_case keys, the base64 alphabet of bytes fields, which of Vertex AI's hosts
served the request, and, when asked, the host and the API-version prefix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

from genai_min._hosts import VERTEX_GLOBAL_HOST, is_vertex_host
from genai_min._http import JSON
from replay._cassette import Body, BodyKind, Request
from replay._modes import DEFAULT_MATCH_ON as DEFAULT_MATCH_ON
from replay._modes import MATCH_PARTS as MATCH_PARTS

_VERSION = re.compile(r"^/(?:upload/)?v1(?:alpha|beta1?|)?(?=/)")
_DEFAULT_PORTS: dict[str, int | str] = {"http": 80, "https": 443}
IGNORED_QUERY_KEYS = frozenset({"key", "access_token", "upload_id"})


Matcher = Callable[[Request, Request], object]
"""A custom matcher: ``(request, recorded) -> bool``; it may raise `AssertionError` saying why not."""

JsonPath = tuple[str, ...]
"""A parsed JSON path: folded keys, list indexes as digits, ``*`` for any key or index."""


@dataclass(frozen=True)
class MatchOptions:
    """What matching compares (`match_on`, custom `matchers`) and what it may ignore."""

    ignore_host: bool = False
    ignore_api_version: bool = False
    match_on: frozenset[str] = frozenset(DEFAULT_MATCH_ON)
    ignore_json_paths: tuple[JsonPath, ...] = ()
    matchers: tuple[Matcher, ...] = ()

    @property
    def is_loosened(self) -> bool:
        """Whether matching compares less than the default, or asks custom matchers."""
        return self != STRICT

    def compares(self, part: str) -> bool:
        """Whether `part` of a request (a name from `MATCH_PARTS`) must match."""
        if part == "host" and self.ignore_host:
            return False
        return part in self.match_on


STRICT = MatchOptions()
"""The default: everything but scheme and port compared, nothing ignored beyond what always varies."""


def parse_json_path(text: str) -> JsonPath:
    """Parse ``contents.*.parts.*.functionCall.id`` (or ``$.contents[*]...``, wire or snake_case spelling)."""
    cleaned = text.strip()
    for prefix in ("$.", "$", "body."):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
    cleaned = re.sub(r"\[(\*|\d+)\]", r".\1", cleaned).replace("['", ".").replace("']", "")
    steps = tuple(step.replace("_", "").lower() for step in cleaned.split(".") if step)
    if not steps:
        raise ValueError(f"empty JSON path {text!r}")
    return steps


def request_key(request: Request, options: MatchOptions = STRICT) -> str:
    """Return the key two requests share exactly when they match (custom matchers aside)."""
    method = request.method.upper() if options.compares("method") else ""
    body = body_key(request.body, options.ignore_json_paths) if options.compares("body") else ""
    return json.dumps([method, *url_key(request.url, options), body])


@lru_cache(maxsize=4096)
def url_key(url: str, options: MatchOptions) -> tuple[str, str, str, str, list[tuple[str, str]]]:
    """Return what matching compares of a URL: scheme, host (as matched), port, path and query.

    A part `options` does not compare is empty.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)  # a client may escape what another sends as is: "<PROJECT>" or "%3CPROJECT%3E"
    if options.ignore_api_version:
        path = _VERSION.sub(lambda m: m.group(0).rsplit("/", 1)[0] + "/{version}", path)
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in IGNORED_QUERY_KEYS
    )
    try:
        port = str(parts.port or _DEFAULT_PORTS.get(parts.scheme.lower(), ""))
    except ValueError:
        port = ""
    return (
        parts.scheme.lower() if options.compares("scheme") else "",
        _host_key((parts.hostname or "").lower()) if options.compares("host") else "",
        port if options.compares("port") else "",
        path if options.compares("path") else "",
        query if options.compares("query") else [],
    )


def _host_key(host: str) -> str:
    # Vertex AI answers on regional, multi-region and global hosts alike, and where the location
    # matters the path names it; a model path without one may go to any of them.
    return VERTEX_GLOBAL_HOST if is_vertex_host(host) else host


def body_key(body: Body, ignored: tuple[JsonPath, ...] = ()) -> str:
    """Return a canonical form of a body: JSON with normalised keys (`ignored` paths left out), or a
    hash of the bytes."""
    if body.kind is BodyKind.EMPTY:
        return ""
    if body.kind is BodyKind.JSON:
        value = normalise_keys(body.json)
        for path in ignored:
            value = without_path(value, path)
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return body.sha256


def without_path(value: JSON, path: JsonPath) -> JSON:
    """Return `value` (normalised keys) without what `path` names; ``*`` is any key or index."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    if isinstance(value, dict):
        out: dict[str, JSON] = {}
        for key, item in value.items():
            if step in ("*", key):
                if rest:
                    out[key] = without_path(item, rest)
            else:
                out[key] = item
        return out
    if isinstance(value, list):
        chosen = step == "*" or step.isdigit()
        kept: list[JSON] = []
        for index, item in enumerate(value):
            if chosen and (step == "*" or int(step) == index):
                if rest:
                    kept.append(without_path(item, rest))
                else:
                    kept.append(None)  # the place stays, so later indexes still line up
            else:
                kept.append(item)
        return kept
    return value


BYTES_KEYS = frozenset(
    {"data", "bytesbase64encoded", "imagebytes", "videobytes", "encodedvideo", "thoughtsignature"}
)
"""Keys (folded) whose values are bytes fields: base64 in either alphabet, padded or not."""

_URLSAFE = str.maketrans("-_", "+/")


def normalise_keys(value: JSON) -> JSON:
    """Fold object keys so that ``mime_type``, ``mimeType`` and ``MimeType`` are the same key.

    The values of bytes fields are folded too: the standard and URL-safe base64 alphabets, padded
    or not, encode the same bytes (the official SDK sends one, other clients the other).
    """
    if isinstance(value, dict):
        out: dict[str, JSON] = {}
        for k, v in value.items():
            key = k.replace("_", "").lower()
            if key in BYTES_KEYS and isinstance(v, str):
                out[key] = v.translate(_URLSAFE).rstrip("=")
            else:
                out[key] = normalise_keys(v)
        return out
    if isinstance(value, list):
        return [normalise_keys(v) for v in value]
    return value
