"""`genai_min.caches`: cached contents, their configs (with contents, tools, ttl) checked key by key.

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

import datetime
from typing import assert_type

from genai_min import Transport, caches, models, types


def check_caches(t: Transport) -> None:
    cache = caches.create(
        t,
        model="m",
        config={
            "contents": [{"role": "user", "parts": [{"file_data": {"file_uri": "gs://b/a.pdf"}}]}],
            "system_instruction": "What is the sum of the two pdfs?",
            "ttl": datetime.timedelta(hours=1),
        },
    )
    assert_type(cache, types.CachedContent)
    assert_type(caches.get(t, name="cachedContents/abc"), types.CachedContent)
    now = datetime.datetime.now(datetime.UTC)
    assert_type(caches.update(t, name="abc", config={"expire_time": now}), types.CachedContent)
    assert_type(
        caches.update(t, name="abc", config=types.UpdateCachedContentConfig(ttl="600s")), types.CachedContent
    )
    assert_type(caches.delete(t, name="abc"), None)
    assert_type(caches.list(t, config={"page_size": 10}), types.Pager[types.CachedContent])
    models.generate_content(t, model="m", contents="Summarise", config={"cached_content": cache.name})
    caches.create(t, model="m", config={"time_to_live": 3600})  # type: ignore[arg-type]
    caches.update(t, name="abc", config={"ttl": [600]})  # type: ignore[arg-type]
    caches.create(t, model="m")  # type: ignore[call-arg]
