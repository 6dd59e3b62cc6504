"""Async cached content: the same arguments and results as `genai_min.caches`, awaited.

cache = await aio.caches.create(t, model="gemini-2.0-flash-001", config={...})
async for cache in await aio.caches.list(t):
    print(cache.name)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_min import _caches as wire
from genai_min._caches import CachedContent
from genai_min._pager import AsyncPager, Page
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


async def create(
    t: Transport, *, model: str, config: CreateCachedContentConfig | CreateCachedContentConfigDict
) -> CachedContent:
    """Create a cache for `model` from a `CreateCachedContentConfig` (or a dict with its fields)."""
    return wire.parse_cache((await t.asend(wire.create_request(t.endpoint, model, config))).json())


async def get(t: Transport, *, name: str) -> CachedContent:
    """Get a cache by its name."""
    return wire.parse_cache((await t.asend(wire.get_request(t.endpoint, name))).json())


async def update(
    t: Transport, *, name: str, config: UpdateCachedContentConfig | UpdateCachedContentConfigDict
) -> CachedContent:
    """Give a cache a new expiry: ``{"ttl": "600s"}`` or ``{"expire_time": datetime}``."""
    return wire.parse_cache((await t.asend(wire.update_request(t.endpoint, name, config))).json())


async def delete(t: Transport, *, name: str) -> None:
    """Delete a cache."""
    await t.asend(wire.delete_request(t.endpoint, name))


async def list(
    t: Transport, *, config: ListCachedContentsConfig | ListCachedContentsConfigDict | None = None
) -> AsyncPager[CachedContent]:
    """List caches in pages; ``async for cache in await aio.caches.list(t)``."""
    cfg = wire.list_config(config)

    async def fetch(token: str | None) -> Page[CachedContent]:
        return wire.parse_page((await t.asend(wire.list_request(cfg, token))).json())

    return AsyncPager(fetch, await fetch(None), cfg.page_size)
