"""Async code replayed by the fixture never blocks its event loop, on a hit or on a miss.

A throwaway project calls Gemini asynchronously under blockbuster, which fails a test whose loop
makes a blocking call (a file read, an import that reads the disk): genai_min through the fixture's
transport, the official SDK through aiohttp (which vcrpy intercepts) and through `http_options()`,
plainly and streamed. Each way runs in a fresh process, so that its miss is the process's first:
nothing a miss needs (deepdiff, the API's schemas) is loaded yet. A hit must answer, and a miss must
fail with `NoMatchError` and its diff, not with blockbuster's `BlockingError`.
"""

from __future__ import annotations

from typing import Any

import pytest

from replay import Body, BodyKind, Cassette, Interaction, Request, Response, save_cassette

MODEL = "gemini-2.0-flash-001"
GEMINI = "https://generativelanguage.googleapis.com"

CONFTEST = """
import pytest
from blockbuster import blockbuster_ctx


@pytest.fixture(autouse=True)
def blockbuster():
    with blockbuster_ctx(["genai_min", "replay"]):
        yield
"""

TESTS = """
import asyncio

import pytest
from google import genai

from genai_min import aio
from replay import NoMatchError

MODEL = "gemini-2.0-flash-001"
DIFF = "body.contents[0].parts[0].text: values changed 'Why is the sky blue?' -> 'Why is the sea blue?'"


def hit_then_miss(ask):
    async def main():
        assert await ask("Why is the sky blue?") == "Rayleigh scattering."
        with pytest.raises(NoMatchError) as caught:
            await ask("Why is the sea blue?")
        return str(caught.value)

    assert DIFF in asyncio.run(main())


def test_genai_min(genai_replay):
    t = genai_replay.transport()

    async def ask(question):
        return (await aio.models.generate_content(t, model=MODEL, contents=question)).text

    hit_then_miss(ask)


def test_genai_min_stream(genai_replay):
    t = genai_replay.transport()

    async def ask(question):
        stream = await aio.models.generate_content_stream(t, model=MODEL, contents=question)
        return "".join([chunk.text async for chunk in stream])

    hit_then_miss(ask)


def test_sdk_aiohttp(genai_replay):
    client = genai.Client()

    async def ask(question):
        return (await client.aio.models.generate_content(model=MODEL, contents=question)).text

    hit_then_miss(ask)


def test_sdk_aiohttp_stream(genai_replay):
    client = genai.Client()

    async def ask(question):
        stream = await client.aio.models.generate_content_stream(model=MODEL, contents=question)
        return "".join([chunk.text async for chunk in stream])

    hit_then_miss(ask)


def test_sdk_http_options(genai_replay):
    client = genai.Client(http_options=genai_replay.http_options())

    async def ask(question):
        return (await client.aio.models.generate_content(model=MODEL, contents=question)).text

    hit_then_miss(ask)
"""

WAYS = {
    "test_genai_min": ("v1beta", False),
    "test_genai_min_stream": ("v1beta", True),
    "test_sdk_aiohttp": ("v1", False),
    "test_sdk_aiohttp_stream": ("v1", True),
    "test_sdk_http_options": ("v1", False),
}
"""Each test of the project, with the API version its client calls and whether it streams."""


def exchange(version: str, *, is_stream: bool) -> Interaction:
    """The recorded answer to "Why is the sky blue?", in one piece or as a stream of two events."""
    method = "streamGenerateContent?alt=sse" if is_stream else "generateContent"
    asked: Any = {"contents": [{"role": "user", "parts": [{"text": "Why is the sky blue?"}]}]}
    texts = ["Rayleigh ", "scattering."] if is_stream else ["Rayleigh scattering."]
    events: tuple[Any, ...] = tuple(
        {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}]}
        for text in texts
    )
    if is_stream:
        body = Body(BodyKind.SSE, events=events)
        headers: tuple[tuple[str, str], ...] = (("content-type", "text/event-stream"),)
    else:
        body = Body(BodyKind.JSON, json=events[0])
        headers = (("content-type", "application/json"),)
    return Interaction(
        Request(
            "POST",
            f"{GEMINI}/{version}/models/{MODEL}:{method}",
            (("content-type", "application/json"),),
            Body(BodyKind.JSON, json=asked),
        ),
        Response(200, headers, body),
    )


@pytest.mark.parametrize("test", sorted(WAYS))
def test_a_first_miss_in_the_loop_fails_with_the_diff_not_a_blocking_call(
    downstream: pytest.Pytester, test: str
) -> None:
    downstream.makeconftest(CONFTEST)
    downstream.makepyfile(test_app=TESTS)
    version, is_stream = WAYS[test]
    cassette = downstream.path / "cassettes" / "test_app" / f"{test}.json"
    save_cassette(Cassette((exchange(version, is_stream=is_stream),)), cassette)

    result = downstream.runpytest_subprocess(f"test_app.py::{test}")

    assert "BlockingError" not in result.stdout.str()
    result.assert_outcomes(passed=1)
