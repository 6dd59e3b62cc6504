"""Map the emulator's address back to the service's hosts, so recordings never hold 127.0.0.1.

Which host a URL belongs to is read from its path, as the SDK builds them:

- ``/{v}/projects/P/locations/L/...`` is Vertex AI in location L: ``https://L-aiplatform.googleapis.com``,
  ``https://aiplatform.googleapis.com`` for ``global``, ``https://aiplatform.{us,eu}.rep.googleapis.com``
  for the multi-regions;
- ``/{v}/publishers/...`` (base models, express mode) is Vertex AI's global host;
- ``/token`` is Google's OAuth endpoint, ``https://oauth2.googleapis.com/token``;
- everything else (``/{v}/models/...``, ``/upload/...``, ``/download/...``) is the Gemini API,
  ``https://generativelanguage.googleapis.com``.
"""

from __future__ import annotations

import re

GEMINI_HOST = "https://generativelanguage.googleapis.com"
VERTEX_GLOBAL_HOST = "https://aiplatform.googleapis.com"
OAUTH_TOKEN_URL = "https://oauth2.googleapis.com/token"

_LOCATION = re.compile(r"^/(?:upload/|download/)?v1[a-z0-9]*/projects/[^/?#]+/locations/([^/?#:]+)")
_PUBLISHERS = re.compile(r"^/(?:upload/|download/)?v1[a-z0-9]*/publishers/")


def vertex_host(location: str) -> str:
    """Return the Vertex AI host that serves `location`."""
    if location == "global":
        return VERTEX_GLOBAL_HOST
    if location in ("us", "eu"):
        return f"https://aiplatform.{location}.rep.googleapis.com"
    return f"https://{location}-aiplatform.googleapis.com"


def host_for(path: str) -> str:
    """Return the service host (scheme included, no slash) that a request path belongs to."""
    if path == "/token" or path.startswith("/token?"):
        return OAUTH_TOKEN_URL.removesuffix("/token")
    if match := _LOCATION.match(path):
        return vertex_host(match.group(1))
    if _PUBLISHERS.match(path):
        return VERTEX_GLOBAL_HOST
    return GEMINI_HOST


def canonical_url(text: str, emulator_url: str) -> str:
    """Rewrite every occurrence of the emulator's address in `text` to the service's host.

    `text` may be one URL or any text that holds some (a header, a JSON body)::

        >>> canonical_url("http://127.0.0.1:8123/v1beta1/projects/p/locations/us-central1/x",
        ...               "http://127.0.0.1:8123")
        'https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p/locations/us-central1/x'
    """
    base = emulator_url.rstrip("/")
    if not base:
        return text
    pattern = re.compile(re.escape(base) + r"(?![0-9])(?P<path>/[^\s\"'<>\\]*)?")
    return pattern.sub(lambda m: host_for(m.group("path") or "/") + (m.group("path") or ""), text)
