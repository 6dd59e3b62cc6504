"""Where requests go: backend, host, API version and the Vertex project prefix.

Resolved once, when a `Transport` is built, from its arguments and then the environment
variables the official SDK reads.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from genai_min._errors import ConfigError
from genai_min._hosts import GEMINI_URL, VERTEX_GLOBAL_URL, vertex_host

GEMINI_BASE_URL = f"{GEMINI_URL}/"
VERTEX_GLOBAL_BASE_URL = f"{VERTEX_GLOBAL_URL}/"

# v1beta (Gemini) and v1beta1 (Vertex) carry every part of the surface we cover: files, caches,
# tuning and response schemas. The official SDK 3.x moved Gemini's default to v1; pass
# api_version="v1" to match it.
DEFAULT_GEMINI_VERSION = "v1beta"
DEFAULT_VERTEX_VERSION = "v1beta1"

_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Endpoint:
    """The resolved target of a transport.

    `project` may be None on Vertex AI until application-default credentials supply it.
    """

    is_vertex: bool
    base_url: str
    api_version: str
    api_key: str | None = None
    project: str | None = None
    location: str | None = None

    @property
    def is_express(self) -> bool:
        """Tell whether this is Vertex AI express mode: an API key, no project or location."""
        return self.is_vertex and self.api_key is not None and self.project is None

    def versioned_url(
        self, method: str, path: str, *, is_upload: bool = False, project: str | None = None
    ) -> str:
        """Join base URL, optional upload prefix, version, Vertex prefix and `path`."""
        prefix = "upload/" if is_upload else ""
        project = project or self.project
        # Base-model reads (GET publishers/...) are global on Vertex: no project prefix.
        is_global_read = method == "GET" and path.startswith("publishers/")
        if self.is_vertex and not self.is_express and not path.startswith("projects/") and not is_global_read:
            path = f"projects/{project}/locations/{self.location}/{path}"
        return f"{self.base_url}{prefix}{self.api_version}/{path}"


def resolve_endpoint(
    *,
    api_key: str | None,
    vertexai: bool | None,
    project: str | None,
    location: str | None,
    api_version: str | None,
    base_url: str | None,
    environ: Mapping[str, str] | None = None,
) -> Endpoint:
    """Combine arguments with the environment; arguments always win.

    Environment: ``GOOGLE_API_KEY`` (preferred) or ``GEMINI_API_KEY``, ``GOOGLE_GENAI_USE_VERTEXAI``,
    ``GOOGLE_CLOUD_PROJECT``, ``GOOGLE_CLOUD_LOCATION``, ``GOOGLE_GEMINI_BASE_URL``,
    ``GOOGLE_VERTEX_BASE_URL`` and ``GOOGLE_GENAI_API_VERSION`` (``beta`` means the backend's beta).
    """
    env = os.environ if environ is None else environ
    if vertexai is None:
        vertexai = env.get("GOOGLE_GENAI_USE_VERTEXAI", "").strip().lower() in _TRUE
    env_key = env.get("GOOGLE_API_KEY") or env.get("GEMINI_API_KEY") or None
    version = api_version or env.get("GOOGLE_GENAI_API_VERSION") or None
    if version == "beta":
        version = DEFAULT_VERTEX_VERSION if vertexai else DEFAULT_GEMINI_VERSION

    if not vertexai:
        key = api_key or env_key
        if project or location:
            raise ConfigError(
                f"project={project!r} and location={location!r} apply to Vertex AI only; "
                "pass vertexai=True, or drop them for the Gemini Developer API"
            )
        if not key:
            raise ConfigError(
                "no API key for the Gemini Developer API: pass api_key=... or set GOOGLE_API_KEY "
                "(or GEMINI_API_KEY); for Vertex AI pass vertexai=True"
            )
        url = base_url or env.get("GOOGLE_GEMINI_BASE_URL") or GEMINI_BASE_URL
        return Endpoint(False, _with_slash(url), version or DEFAULT_GEMINI_VERSION, api_key=key)

    if api_key and (project or location):
        raise ConfigError(
            "api_key selects Vertex AI express mode, which takes no project or location; "
            "pass either api_key=... or project=... and location=..."
        )
    if not api_key:
        # Each of project and location falls back to the environment on its own, as in the SDK.
        has_args = bool(project or location)
        project = project or env.get("GOOGLE_CLOUD_PROJECT") or None
        location = location or env.get("GOOGLE_CLOUD_LOCATION") or None
        if not has_args and not project and not location and env_key:
            api_key = env_key
    vertex_url = base_url or env.get("GOOGLE_VERTEX_BASE_URL") or None
    if api_key:
        return Endpoint(
            True,
            _with_slash(vertex_url or VERTEX_GLOBAL_BASE_URL),
            version or DEFAULT_VERTEX_VERSION,
            api_key=api_key,
        )
    location = location or "global"
    return Endpoint(
        True,
        _with_slash(vertex_url or vertex_base_url(location)),
        version or DEFAULT_VERTEX_VERSION,
        project=project,
        location=location,
    )


def vertex_base_url(location: str) -> str:
    """Return the base URL for a Vertex AI location: regional, multi-region or global."""
    return f"https://{vertex_host(location)}/"


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"
