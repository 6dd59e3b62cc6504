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
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

from genai_min._hosts import VERTEX_GLOBAL_HOST, is_vertex_host
from genai_min._http import JSON
from replay._cassette import Body, BodyKind, Request

_VERSION = re.compile(r"^/(?:upload/)?v1(?:alpha|beta1?|)?(?=/)")
IGNORED_QUERY_KEYS = frozenset({"key", "access_token", "upload_id"})


@dataclass(frozen=True)
class MatchOptions:
    """What matching may ignore beyond the defaults."""

    ignore_host: bool = False
    ignore_api_version: bool = False


STRICT = MatchOptions()
"""The default: nothing ignored beyond what always varies."""


def request_key(request: Request, options: MatchOptions = MatchOptions()) -> str:
    """Return the key two requests share exactly when they match."""
    return json.dumps([request.method.upper(), *url_key(request.url, options), body_key(request.body)])


@lru_cache(maxsize=4096)
def url_key(url: str, options: MatchOptions) -> tuple[str, str, list[tuple[str, str]]]:
    """Return what matching compares of a URL: host (as matched), path, and the query that counts."""
    parts = urlsplit(url)
    path = unquote(parts.path)  # a client may escape what another sends as is: "<PROJECT>" or "%3CPROJECT%3E"
    if options.ignore_api_version:
        path = _VERSION.sub(lambda m: m.group(0).rsplit("/", 1)[0] + "/{version}", path)
    host = "" if options.ignore_host else _host_key(parts.netloc.lower())
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in IGNORED_QUERY_KEYS
    )
    return host, path, query


def _host_key(host: str) -> str:
    # Vertex AI answers on regional, multi-region and global hosts alike, and where the location
    # matters the path names it; a model path without one may go to any of them.
    return VERTEX_GLOBAL_HOST if is_vertex_host(host) else host


def body_key(body: Body) -> str:
    """Return a canonical form of a body: JSON with normalised keys, or a hash of the bytes."""
    if body.kind is BodyKind.EMPTY:
        return ""
    if body.kind is BodyKind.JSON:
        return json.dumps(normalise_keys(body.json), sort_keys=True, separators=(",", ":"))
    return body.sha256


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
