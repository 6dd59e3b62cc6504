"""Types, pure request builders and parsers of the `caches` calls, shared by sync and async.

A cached content holds contents, a system instruction and tools that later ``generateContent``
calls reuse by name (``GenerateContentConfig(cached_content=...)``); these calls manage it.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Annotated

from pydantic import BeforeValidator

from genai_min._base import ConfigModel, WireModel, coerce, parse
from genai_min._content import to_content, to_contents
from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError, UnsupportedError
from genai_min._http import JSON, HttpRequest, JSONObject
from genai_min._names import model_path, path_segment, resource_name
from genai_min._pager import Page, page_query
from genai_min._tools import ToolConfig, split_tools

COLLECTION = "cachedContents"

_DURATION = re.compile(r"\d+(\.\d{1,9})?s")


def to_duration(value: object) -> object:
    """Turn seconds (a number or `timedelta`) into a proto Duration string such as ``"3600s"``.

    Strings must already be in that form; anything else is left for pydantic to reject.
    """
    if isinstance(value, datetime.timedelta):
        value = value.total_seconds()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"a ttl must be zero or more seconds, not {value!r}")
        if isinstance(value, int):
            return f"{value}s"
        # A Duration carries at most nanoseconds.
        return f"{value:.9f}".rstrip("0").rstrip(".") + "s"
    if isinstance(value, str) and not _DURATION.fullmatch(value.strip()):
        raise ValueError(f"a ttl string must be seconds with an 's', such as '3600s', not {value!r}")
    return value.strip() if isinstance(value, str) else value


def to_timestamp(value: object) -> object:
    """Turn a timezone-aware `datetime` into an RFC 3339 string in UTC; keep strings as given."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"expire_time {value!r} has no time zone; pass an aware datetime such as "
                "datetime.now(timezone.utc) + timedelta(hours=1)"
            )
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    return value


Duration = Annotated[str, BeforeValidator(to_duration)]
"""A proto Duration string; seconds as a number or a `timedelta` are accepted and converted."""

Timestamp = Annotated[str, BeforeValidator(to_timestamp)]
"""An RFC 3339 timestamp string; an aware `datetime` is accepted and converted."""


class CachedContentUsageMetadata(WireModel):
    """What a cache holds, in tokens and media."""

    total_token_count: int | None = None
    text_count: int | None = None
    image_count: int | None = None
    video_duration_seconds: int | None = None
    audio_duration_seconds: int | None = None


class CachedContent(WireModel):
    """A cache of contents that generate calls can reuse by `name`."""

    name: str | None = None
    display_name: str | None = None
    model: str | None = None
    create_time: str | None = None
    update_time: str | None = None
    expire_time: str | None = None
    usage_metadata: CachedContentUsageMetadata | None = None


class CreateCachedContentConfig(ConfigModel):
    """What `caches.create` stores, and for how long.

    `ttl` takes ``"3600s"``, a number of seconds or a `timedelta`; `expire_time` an aware
    `datetime` or an RFC 3339 string. Give one of them, or neither for the service's default.
    `kms_key_name` (a customer-managed encryption key) is supported by Vertex AI only.
    """

    contents: object = None
    system_instruction: object = None
    tools: list[object] | None = None
    tool_config: ToolConfig | None = None
    ttl: Duration | None = None
    expire_time: Timestamp | None = None
    display_name: str | None = None
    kms_key_name: str | None = None


class UpdateCachedContentConfig(ConfigModel):
    """A new expiry for `caches.update`: `ttl` from now, or an absolute `expire_time`."""

    ttl: Duration | None = None
    expire_time: Timestamp | None = None


class ListCachedContentsConfig(ConfigModel):
    """Options of `caches.list`: page size and the token of the page to start at."""

    page_size: int | None = None
    page_token: str | None = None


def cache_model(endpoint: Endpoint, model: str) -> str:
    """Return the model name a cache is created for.

    Vertex AI wants the full ``projects/P/locations/L/publishers/...`` name here, not the short
    publisher path that generate calls use.
    """
    name = model_path(endpoint, model)
    if not endpoint.is_vertex or not endpoint.project or name.startswith("projects/"):
        return name
    if name.startswith("models/"):
        name = f"publishers/google/{name}"
    return f"projects/{endpoint.project}/locations/{endpoint.location}/{name}"


def cache_name(endpoint: Endpoint, name: str) -> str:
    """Complete a short cache id into ``cachedContents/ID`` or its Vertex AI path."""
    return resource_name(endpoint, COLLECTION, name)


def create_request(endpoint: Endpoint, model: str, config: object) -> HttpRequest:
    """Build ``POST cachedContents``."""
    cfg = coerce(CreateCachedContentConfig, config or {}, what="CreateCachedContentConfig")
    body: JSONObject = {"model": cache_model(endpoint, model)}
    if cfg.contents is not None:
        body["contents"] = [c.to_wire() for c in to_contents(cfg.contents)]
    if cfg.system_instruction is not None:
        body["systemInstruction"] = to_content(cfg.system_instruction).to_wire()
    tools, _ = split_tools(cfg.tools)
    if tools:
        body["tools"] = list(tools)
    if cfg.tool_config is not None:
        body["toolConfig"] = cfg.tool_config.to_wire()
    body.update(_expiry(cfg.ttl, cfg.expire_time, required=False))
    if cfg.display_name is not None:
        body["displayName"] = cfg.display_name
    if cfg.kms_key_name is not None:
        if not endpoint.is_vertex:
            raise UnsupportedError(
                "kms_key_name is only supported by Vertex AI; leave it out for the Gemini Developer API"
            )
        body["encryptionSpec"] = {"kmsKeyName": cfg.kms_key_name}
    return HttpRequest("POST", COLLECTION, json=body)


def get_request(endpoint: Endpoint, name: str) -> HttpRequest:
    """Build the GET of one cache."""
    return HttpRequest("GET", path_segment(cache_name(endpoint, name)))


def update_request(endpoint: Endpoint, name: str, config: object) -> HttpRequest:
    """Build the PATCH of a cache's expiry, with an ``updateMask`` naming the field it sets.

    The official SDK sends no mask; the service accepts both, and the mask says exactly which
    field changes.
    """
    cfg = coerce(UpdateCachedContentConfig, config or {}, what="UpdateCachedContentConfig")
    body = _expiry(cfg.ttl, cfg.expire_time, required=True)
    path = path_segment(cache_name(endpoint, name))
    return HttpRequest("PATCH", path, (("updateMask", ",".join(body)),), json=body)


def delete_request(endpoint: Endpoint, name: str) -> HttpRequest:
    """Build the DELETE of a cache."""
    return HttpRequest("DELETE", path_segment(cache_name(endpoint, name)))


def list_config(config: object) -> ListCachedContentsConfig:
    """Accept a `ListCachedContentsConfig`, a dict or None."""
    return coerce(ListCachedContentsConfig, config or {}, what="ListCachedContentsConfig")


def list_request(config: ListCachedContentsConfig, page_token: str | None) -> HttpRequest:
    """Build one page of ``caches.list``."""
    query: list[tuple[str, str]] = []
    query += page_query(config.page_size, page_token or config.page_token)
    return HttpRequest("GET", COLLECTION, tuple(query))


def parse_cache(data: JSON) -> CachedContent:
    """Parse a cached content."""
    return parse(CachedContent, data)


def parse_page(data: JSON) -> Page[CachedContent]:
    """Parse one page of caches (``cachedContents`` on both backends)."""
    if not isinstance(data, dict):
        return [], None
    items = data.get("cachedContents") or []
    token = data.get("nextPageToken")
    caches = [parse(CachedContent, item) for item in items] if isinstance(items, list) else []
    return caches, token if isinstance(token, str) and token else None


def _expiry(ttl: str | None, expire_time: str | None, *, required: bool) -> JSONObject:
    if ttl is not None and expire_time is not None:
        raise ConfigError(
            f"give either ttl ({ttl!r}) or expire_time ({expire_time!r}), not both: "
            "the service keeps one expiry"
        )
    if ttl is not None:
        return {"ttl": ttl}
    if expire_time is not None:
        return {"expireTime": expire_time}
    if required:
        raise ConfigError("caches.update needs a new ttl (such as '3600s') or expire_time")
    return {}
