"""Streaming and async generation through `models` and `aio.models`, on both backends."""

from __future__ import annotations

from typing import Any

import pytest

import genai_min
from genai_min import aio, models, types

from .conftest import Stub, prefix, text_response

MODEL = "gemini-2.0-flash-001"


def chunk(text: str, *, last: bool = False) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}
    if last:
        candidate["finishReason"] = "STOP"
    return {
        "candidates": [candidate],
        "usageMetadata": {"promptTokenCount": 8, "totalTokenCount": 12},
        "modelVersion": MODEL,
    }


def test_stream_text(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply_sse(chunk("Once upon "), chunk("a time."), chunk("", last=True))
    chunks = list(models.generate_content_stream(t, model=MODEL, contents="Tell me a story in 300 words."))
    assert "".join(c.text or "" for c in chunks) == "Once upon a time."
    assert chunks[-1].candidates is not None and chunks[-1].candidates[0].finish_reason == "STOP"
    seen = stub.last
    assert (seen.path, seen.query) == (f"{prefix(backend)}{MODEL}:streamGenerateContent", [("alt", "sse")])
    assert seen.json == {"contents": [{"role": "user", "parts": [{"text": "Tell me a story in 300 words."}]}]}


def test_stream_with_image_uri_and_bytes(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply_sse(chunk("Scones.", last=True))
    stub.reply_sse(chunk("A PNG.", last=True))
    uri = types.Part.from_uri(
        file_uri="gs://generativeai-downloads/images/scones.jpg", mime_type="image/jpeg"
    )
    list(models.generate_content_stream(t, model=MODEL, contents=["What is this image about?", uri]))
    image = b"\x89PNG\r\n\x1a\n\xfb\xff"
    data = types.Part.from_bytes(data=image, mime_type="image/png")
    list(models.generate_content_stream(t, model=MODEL, contents=["What is this image about?", data]))
    assert stub.requests[0].json["contents"][0]["parts"][1] == {
        "fileData": {"fileUri": "gs://generativeai-downloads/images/scones.jpg", "mimeType": "image/jpeg"}
    }
    assert stub.requests[1].json["contents"][0]["parts"][1] == {
        "inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgr7/w=="}
    }


def test_stream_error_event_raises_after_earlier_chunks(t: genai_min.Transport, stub: Stub) -> None:
    quota = {"error": {"code": 429, "message": "Resource exhausted.", "status": "RESOURCE_EXHAUSTED"}}
    stub.reply_sse(chunk("Once"), quota)
    stream = models.generate_content_stream(t, model=MODEL, contents="x")
    assert next(stream).text == "Once"
    with pytest.raises(genai_min.ClientError) as caught:
        next(stream)
    assert (caught.value.code, caught.value.status) == (429, "RESOURCE_EXHAUSTED")


def test_stream_chunks_parse_the_schema(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply_sse(chunk('{"a": 1}', last=True))
    config = {"response_mime_type": "application/json", "response_schema": {"type": "OBJECT"}}
    chunks = list(models.generate_content_stream(t, model=MODEL, contents="x", config=config))
    assert chunks[0].parsed == {"a": 1}


@pytest.mark.anyio
async def test_async_generate(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply(text_response("A story."))
    response = await aio.models.generate_content(t, model=MODEL, contents="Tell me a story in 300 words.")
    assert response.text == "A story."
    assert stub.last.path == f"{prefix(backend)}{MODEL}:generateContent"


@pytest.mark.anyio
async def test_async_stream(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply_sse(chunk("Once "), chunk("upon.", last=True), crlf=False)
    texts = [
        c.text
        async for c in await aio.models.generate_content_stream(t, model=MODEL, contents="Tell me a story.")
    ]
    assert texts == ["Once ", "upon."]
    assert stub.last.query == [("alt", "sse")]


@pytest.mark.anyio
async def test_async_stream_error_status_raises_on_await(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}}, status=404)
    with pytest.raises(genai_min.ClientError, match="404 NOT_FOUND"):
        await aio.models.generate_content_stream(t, model="nope", contents="x")


@pytest.mark.anyio
async def test_sync_and_async_send_the_same_request(t: genai_min.Transport, stub: Stub) -> None:
    config = {"system_instruction": "Be brief.", "temperature": 0.2, "tools": [{"google_search": {}}]}
    stub.reply(text_response())
    stub.reply(text_response())
    sync = models.generate_content(t, model=MODEL, contents=["a", "b"], config=config)
    asynchronous = await aio.models.generate_content(t, model=MODEL, contents=["a", "b"], config=config)
    first, second = stub.requests
    assert (first.path, first.query, first.json) == (second.path, second.query, second.json)
    assert sync.to_wire() == asynchronous.to_wire()
