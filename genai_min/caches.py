"""Cached content: create, read, extend, list and delete caches of contents.

Every function takes the shared `Transport` first::

    from genai_min import Transport, caches, models

    t = Transport(api_key="...")
    cache = caches.create(
        t,
        model="gemini-2.0-flash-001",
        config={"contents": [...], "system_instruction": "What is the sum of the two pdfs?", "ttl": "3600s"},
    )
    models.generate_content(t, model="gemini-2.0-flash-001", contents="Summarize the pdfs",
                            config={"cached_content": cache.name})

The async twins, with the same arguments and results, are in `genai_min.aio.caches`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_min import _caches as wire
from genai_min._caches import CachedContent
from genai_min._pager import Page, Pager
from genai_min._transport import Transport

if TYPE_CHECKING:
    from genai_min._caches import (
        CreateCachedContentConfig,
        ListCachedContentsConfig,
        UpdateCachedContentConfig,
    )
    from genai_min._resource_dicts import (
        CreateCachedContentConfigDict,
        ListCachedContentsConfigDict,
        UpdateCachedContentConfigDict,
    )


def create(
    t: Transport, *, model: str, config: CreateCachedContentConfig | CreateCachedContentConfigDict
) -> CachedContent:
    """Create a cache for `model` from a `CreateCachedContentConfig` (or a dict with its fields).

    >>> cache = caches.create(t, model="gemini-2.0-flash-001", config={"contents": "...", "ttl": 3600})
    """
    return wire.parse_cache(t.send(wire.create_request(t.endpoint, model, config)).json())


def get(t: Transport, *, name: str) -> CachedContent:
    """Get a cache by its name (``cachedContents/ID``, or the short ``ID``)."""
    return wire.parse_cache(t.send(wire.get_request(t.endpoint, name)).json())


def update(
    t: Transport, *, name: str, config: UpdateCachedContentConfig | UpdateCachedContentConfigDict
) -> CachedContent:
    """Give a cache a new expiry: ``{"ttl": "600s"}`` or ``{"expire_time": datetime}``."""
    return wire.parse_cache(t.send(wire.update_request(t.endpoint, name, config)).json())


def delete(t: Transport, *, name: str) -> None:
    """Delete a cache; generate calls that name it fail afterwards."""
    t.send(wire.delete_request(t.endpoint, name))


def list(
    t: Transport, *, config: ListCachedContentsConfig | ListCachedContentsConfigDict | None = None
) -> Pager[CachedContent]:
    """List caches in pages; iterate for all of them.

    >>> for cache in caches.list(t, config={"page_size": 10}):
    ...     print(cache.name, cache.expire_time)
    """
    cfg = wire.list_config(config)

    def fetch(token: str | None) -> Page[CachedContent]:
        return wire.parse_page(t.send(wire.list_request(cfg, token)).json())

    return Pager(fetch, fetch(None), cfg.page_size)
