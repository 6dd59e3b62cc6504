"""`genai_min.aio`: the async twins return what the sync calls return, awaited.

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import assert_type

import genai_min
from genai_min import Transport, aio, types


async def check_models(t: Transport) -> None:
    response = await aio.models.generate_content(t, model="m", contents="hi", config={"temperature": 0})
    assert_type(response, types.GenerateContentResponse)
    stream = await aio.models.generate_content_stream(t, model="m", contents="hi")
    assert_type(stream, AsyncIterator[types.GenerateContentResponse])
    async for chunk in stream:
        assert_type(chunk, types.GenerateContentResponse)
    assert_type(await aio.models.count_tokens(t, model="m", contents="hi"), types.CountTokensResponse)
    assert_type(await aio.models.embed_content(t, model="m", contents="hi"), types.EmbedContentResponse)
    assert_type(await aio.models.list(t), types.AsyncPager[types.Model])
    operation = await aio.models.generate_videos(t, model="m", prompt="a cat")
    assert_type(await aio.operations.wait(t, operation), types.GenerateVideosOperation)
    assert_type(await aio.operations.get(t, operation=operation), types.GenerateVideosOperation)
    await aio.models.generate_content(t, model="m", contents="hi", config={"temprature": 0})  # type: ignore[arg-type]
    _ = aio.models.generate_content(t, model="m", contents="hi").text  # type: ignore[attr-defined]


async def check_chats(t: Transport) -> None:
    chat = aio.chats.create(
        t, model="m", config={"temperature": 0}, history=[{"role": "user", "parts": [{"text": "hi"}]}]
    )
    assert_type(chat, aio.chats.AsyncChat)
    assert_type(await chat.send_message("hi"), types.GenerateContentResponse)
    async for chunk in await chat.send_message_stream(["hi", types.Part.from_text("there")]):
        assert_type(chunk, types.GenerateContentResponse)
    assert_type(chat.get_history(curated=True), list[types.Content])
    await chat.send_message("hi", config={"top_q": 1.0})  # type: ignore[arg-type]


async def check_resources(t: Transport) -> None:
    report = await aio.files.upload(t, file="report.pdf", config={"display_name": "Q3"})
    assert_type(report, types.File)
    assert_type(await aio.files.wait_active(t, file=report), types.File)
    assert_type(await aio.files.list(t, config={"page_size": 10}), types.AsyncPager[types.File])
    async for cache in await aio.caches.list(t):
        assert_type(cache, types.CachedContent)
    cache = await aio.caches.create(t, model="m", config={"contents": "long text", "ttl": 3600})
    assert_type(
        await aio.caches.update(t, name=cache.name or "", config={"ttl": "600s"}), types.CachedContent
    )
    job = await aio.batches.create(t, model="m", src=[{"contents": "hi"}])
    assert_type(await aio.operations.wait(t, job), types.BatchJob)
    tuning = await aio.tunings.tune(t, base_model="m", training_dataset={"gcs_uri": "gs://b/t.jsonl"})
    assert_type(tuning, types.TuningJob)
    assert_type(await aio.tunings.list(t), types.AsyncPager[types.TuningJob])
    await aio.files.upload(t, file="report.pdf", config={"displayname": "Q3"})  # type: ignore[arg-type]


async def check_lazy_names(t: Transport) -> None:
    response = await genai_min.aio.models.generate_content(t, model="m", contents="hi")
    assert_type(response, types.GenerateContentResponse)
    _ = genai_min.aio.model  # type: ignore[attr-defined]
