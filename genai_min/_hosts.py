"""Google's hosts: which host serves a backend and location, and what a URL says about its backend.

The one place that knows the service's host names. `genai_min` builds its URLs from it, and the
replay harness asks it to tell Gemini from Vertex AI, to find token endpoints, to route a request to
the emulator by its host, and to put a request sent to a local address (the emulator's, or
``genai-replay serve``'s) back on the service's canonical host.

- The Gemini Developer API is ``generativelanguage.googleapis.com``.
- Vertex AI is ``{location}-aiplatform.googleapis.com`` for a region, ``aiplatform.googleapis.com``
  for ``global``, and ``aiplatform.{us,eu}.rep.googleapis.com`` for the multi-regions.
- Access tokens come from ``oauth2.googleapis.com`` and the other endpoints google-auth may use.

A path alone says which backend it belongs to, as the SDK builds them: ``/{v}/projects/P/locations/L/...``
is Vertex AI in location L, ``/{v}/publishers/...`` (base models, express mode) Vertex AI's global host,
``/token`` the OAuth endpoint, and anything else (``/{v}/models/...``, ``/upload/...``) the Gemini API.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

Backend = Literal["gemini", "vertex"]

GEMINI_HOST = "generativelanguage.googleapis.com"
VERTEX_GLOBAL_HOST = "aiplatform.googleapis.com"
TOKEN_HOST = "oauth2.googleapis.com"
GEMINI_URL = f"https://{GEMINI_HOST}"
VERTEX_GLOBAL_URL = f"https://{VERTEX_GLOBAL_HOST}"
TOKEN_URL = f"https://{TOKEN_HOST}/token"

VERTEX_HOST_SUFFIX = "-aiplatform.googleapis.com"
"""What follows the location in a regional Vertex AI host."""

TOKEN_HOSTS = (
    TOKEN_HOST,
    "accounts.google.com",
    "sts.googleapis.com",
    "iamcredentials.googleapis.com",
    "metadata.google.internal",
)
"""Hosts that only hand out credentials (``www.googleapis.com`` does so under ``/oauth2`` only)."""

_VERTEX = re.compile(
    r"^(?:(?P<location>[a-z0-9-]+)-)?aiplatform(?:\.(?P<multi>[a-z]+)\.rep)?\.googleapis\.com$"
)
_API_VERSION = re.compile(r"^v1(?:alpha|beta1?)?$")
_LOCATION_PATH = re.compile(r"^/(?:upload/|download/)?v1[a-z0-9]*/projects/[^/?#]+/locations/([^/?#:]+)")
_PUBLISHERS_PATH = re.compile(r"^/(?:upload/|download/)?v1[a-z0-9]*/publishers/")


def vertex_host(location: str) -> str:
    """Return the Vertex AI host that serves `location`: regional, multi-region or global."""
    if location == "global":
        return VERTEX_GLOBAL_HOST
    if location in ("us", "eu"):
        return f"aiplatform.{location}.rep.googleapis.com"
    return f"{location}{VERTEX_HOST_SUFFIX}"


def is_vertex_host(host: str) -> bool:
    """Tell whether `host` is one of Vertex AI's hosts, whatever its location."""
    return _VERTEX.match(host.lower()) is not None


def is_token_url(url: str) -> bool:
    """Tell whether `url` is on a host that hands out credentials (Google's OAuth and STS endpoints)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host in TOKEN_HOSTS or (host == "www.googleapis.com" and parts.path.startswith("/oauth2"))


def is_service_url(url: str) -> bool:
    """Tell whether `url` is on a Google host this project speaks for: an API host or a token endpoint."""
    host = (urlsplit(url).hostname or "").lower()
    return host == GEMINI_HOST or is_vertex_host(host) or is_token_url(url)


def backend_of_host(host: str) -> Backend | None:
    """Return the backend a host serves, or None for any other host."""
    host = host.lower()
    if host == GEMINI_HOST:
        return "gemini"
    return "vertex" if is_vertex_host(host) else None


def backend_of(url: str) -> Backend:
    """Return the backend a URL belongs to: by its host when that is Google's, else by its path."""
    parts = urlsplit(url)
    by_host = backend_of_host(parts.hostname or "")
    if by_host is not None:
        return by_host
    return "gemini" if service_host(parts.path) in (GEMINI_HOST, TOKEN_HOST) else "vertex"


def api_version_of(url: str) -> str | None:
    """Return the API version a URL names (``v1beta``, ``v1``, ...), or None."""
    segments = urlsplit(url).path.split("/")[1:3]
    if segments and segments[0] in ("upload", "download"):
        segments = segments[1:]
    return segments[0] if segments and _API_VERSION.match(segments[0]) else None


@lru_cache(maxsize=1024)
def service_host(path: str) -> str:
    """Return the Google host (no scheme) that serves a request path, read from the path alone."""
    if path == "/token" or path.startswith("/token?"):
        return TOKEN_HOST
    if match := _LOCATION_PATH.match(path):
        return vertex_host(match.group(1))
    if _PUBLISHERS_PATH.match(path):
        return VERTEX_GLOBAL_HOST
    return GEMINI_HOST


def canonical_url(text: str, local_base: str) -> str:
    """Rewrite every URL on `local_base` in `text` onto the Google host that serves its path.

    `local_base` is a local stand-in's address (the emulator's, or ``genai-replay serve``'s);
    `text` may be one URL or any text that holds some (a header, a JSON body)::

        >>> canonical_url("http://127.0.0.1:8123/v1beta1/projects/p/locations/us-central1/x",
        ...               "http://127.0.0.1:8123")
        'https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p/locations/us-central1/x'
    """
    base = local_base.rstrip("/")
    if not base or base not in text:
        return text
    return _local_pattern(base).sub(lambda m: _on_service(m.group("path") or ""), text)


@lru_cache(maxsize=16)
def _local_pattern(base: str) -> re.Pattern[str]:
    return re.compile(re.escape(base) + r"(?![0-9])(?P<path>/[^\s\"'<>\\]*)?")


def _on_service(path: str) -> str:
    return f"https://{service_host(path or '/')}{path}"
