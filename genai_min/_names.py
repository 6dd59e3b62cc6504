"""Complete the short names callers pass (``gemini-2.0-flash``, ``c1``) into resource paths."""

from __future__ import annotations

from urllib.parse import quote

from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError


def model_path(endpoint: Endpoint, model: str) -> str:
    """Return the path segment for `model` on this backend.

    Gemini: ``x`` and ``acme/x`` become ``models/x`` and ``models/acme/x``. Vertex AI: ``x`` becomes
    ``publishers/google/models/x`` and ``acme/x`` becomes ``publishers/acme/models/x``. Full names
    (``models/``, ``tunedModels/``, ``publishers/``, ``projects/``) are kept.
    """
    if not model or not model.strip():
        raise ConfigError("model must be a non-empty name such as 'gemini-2.0-flash-001'")
    model = model.strip()
    if not endpoint.is_vertex:
        if model.startswith(("models/", "tunedModels/")):
            return model
        return f"models/{model}"
    if model.startswith(("projects/", "models/", "publishers/")):
        return model
    if "/" in model:
        publisher, name = model.split("/", 1)
        return f"publishers/{publisher}/models/{name}"
    return f"publishers/google/models/{model}"


def resource_name(endpoint: Endpoint, collection: str, name: str) -> str:
    """Complete a short resource id (``c1``) into ``cachedContents/c1`` or its Vertex path."""
    if not name or not name.strip():
        raise ConfigError(f"a {collection} name must not be empty")
    if "/" in name:
        return name
    if endpoint.is_vertex and endpoint.project:
        return f"projects/{endpoint.project}/locations/{endpoint.location}/{collection}/{name}"
    return f"{collection}/{name}"


def path_segment(name: str) -> str:
    """Quote what a URL path cannot carry, keeping ``/``, ``:`` and ``@`` as the API expects."""
    return quote(name, safe="/:@-._~*")
