"""Cached contents: create, get, list, update (TTL), delete, and the prefix generate calls read.

A cache lives until its ``expireTime`` on the emulator's virtual clock: ``ttl`` (default one hour)
counts from creation or from the update that sets it. `Emulator.advance` moves the clock, so a
test sees a cache expire without waiting; an expired cache is gone, as if deleted. A missing cache
is 403 PERMISSION_DENIED on the Gemini API (it does not tell "absent" from "not yours") and 404
NOT_FOUND on Vertex AI. Names are ``cachedContents/ID`` (Gemini) and
``projects/P/locations/L/cachedContents/ID`` (Vertex AI, with the project and location the request
used); lookups go by the id alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from replay.emulator._catalogue import TunedLookup, resolve_model
from replay.emulator._checks import check_file_uris
from replay.emulator._errors import StatusError, invalid_argument, not_found
from replay.emulator._generation import CachedPrefix
from replay.emulator._http import Call, Reply, json_reply
from replay.emulator._pages import listing, page
from replay.emulator._state import Context
from replay.emulator._text import count_contents
from replay.emulator._wire import (
    JSONObject,
    as_dict,
    as_list,
    as_str,
    parse_duration,
    parse_timestamp,
    timestamp,
)

DEFAULT_TTL = 3600.0


@dataclass
class _Cache:
    name: str
    model: str
    display_name: str
    contents: list[object]
    token_count: int
    create_time: float
    update_time: float
    expire_time: float

    def to_wire(self) -> JSONObject:
        return {
            "name": self.name,
            "model": self.model,
            "createTime": timestamp(self.create_time),
            "updateTime": timestamp(self.update_time),
            "expireTime": timestamp(self.expire_time),
            "displayName": self.display_name,
            "usageMetadata": {"totalTokenCount": self.token_count},
        }


class CacheStore:
    """The cached contents of one emulator."""

    def __init__(self, context: Context, tuned: TunedLookup) -> None:
        self._context = context
        self._tuned = tuned
        self._caches: dict[str, _Cache] = {}

    def reset(self) -> None:
        """Forget every cache."""
        self._caches.clear()

    def create(self, call: Call) -> Reply:
        """Create a cache from the request body."""
        body = call.body
        model_name = as_str(body.get("model"))
        if not model_name:
            raise invalid_argument("* CreateCachedContentRequest.cached_content.model: model is required.")
        path = model_name.removeprefix(call.parent()) if call.is_vertex else model_name
        if call.is_vertex and path.startswith("projects/"):
            path = "/".join(path.split("/")[4:])
        resolve_model(call, path, "generateContent", self._tuned)
        check_file_uris(body, is_vertex=call.is_vertex)
        now = self._context.clock.now()
        expire = self._expiry(body, now) or now + DEFAULT_TTL
        contents = as_list(body.get("contents"))
        system = as_dict(body.get("systemInstruction"))
        tokens = count_contents(contents) + count_contents([system])
        if call.is_vertex:
            cache_id = self._context.ids.next("cachedContents", "digits")
            name = f"{call.parent()}cachedContents/{cache_id}"
            model = f"{call.parent()}{path}" if call.project else path
        else:
            cache_id = self._context.ids.next("cachedContents", "long")
            name, model = f"cachedContents/{cache_id}", path
        cache = _Cache(
            name, model, as_str(body.get("displayName")), [*contents, system], tokens, now, now, expire
        )
        with self._context.lock:
            self._caches[cache_id] = cache
        return json_reply(cache.to_wire())

    def get(self, call: Call, cache_id: str) -> Reply:
        """Return one cache."""
        return json_reply(self._find(call, cache_id).to_wire())

    def list(self, call: Call) -> Reply:
        """List the live caches, a page at a time."""
        with self._context.lock:
            live = [c for c in self._caches.values() if self._is_live(c)]
        items, token = page([c.to_wire() for c in live], call, default_size=10, max_size=1000)
        return json_reply(listing("cachedContents", items, token))

    def update(self, call: Call, cache_id: str) -> Reply:
        """Give a cache a new expiry (``ttl`` or ``expireTime``); other fields cannot change."""
        cache = self._find(call, cache_id)
        now = self._context.clock.now()
        expire = self._expiry(call.body, now)
        if expire is None:
            raise invalid_argument("Only ttl or expire_time can be updated on a cached content.")
        with self._context.lock:
            cache.expire_time, cache.update_time = expire, now
        return json_reply(cache.to_wire())

    def delete(self, call: Call, cache_id: str) -> Reply:
        """Delete a cache."""
        self._find(call, cache_id)
        with self._context.lock:
            self._caches.pop(cache_id, None)
        return json_reply({})

    def prefix(self, call: Call, name: str) -> CachedPrefix:
        """Return what a generate request's ``cachedContent`` adds, or raise as the service does."""
        cache = self._find(call, name.rsplit("/", 1)[-1], name=name)
        return CachedPrefix(tuple(cache.contents), cache.token_count)

    def _find(self, call: Call, cache_id: str, *, name: str = "") -> _Cache:
        with self._context.lock:
            cache = self._caches.get(cache_id)
        if cache is not None and self._is_live(cache):
            return cache
        name = name or (
            f"{call.parent()}cachedContents/{cache_id}" if call.is_vertex else f"cachedContents/{cache_id}"
        )
        if call.is_vertex:
            raise not_found(f"Cached content {name} not found.")
        raise StatusError(403, "CachedContent not found (or permission denied)")

    def _is_live(self, cache: _Cache) -> bool:
        return cache.expire_time > self._context.clock.now()

    @staticmethod
    def _expiry(body: JSONObject, now: float) -> float | None:
        ttl, expire = body.get("ttl"), body.get("expireTime")
        if ttl is not None and expire is not None:
            raise invalid_argument("Only one of ttl and expire_time may be set.")
        try:
            if isinstance(ttl, str):
                seconds = parse_duration(ttl)
                if seconds < 0:
                    raise ValueError("negative")
                return now + seconds
            if isinstance(expire, str):
                return parse_timestamp(expire)
        except ValueError:
            field_name, value = ("ttl", ttl) if ttl is not None else ("expire_time", expire)
            raise invalid_argument(
                f"Invalid value at 'cached_content.{field_name}' ({value!r}).",
                violations=[(f"cached_content.{field_name}", f"Invalid {field_name} {value!r}.")],
            ) from None
        return None
