"""The transports' async path never blocks the event loop, on a hit, a miss, a stream or a blob body.

Async tests here run under blockbuster (`tests/conftest.py`), which fails a test whose loop makes a
blocking call. A process's first miss is checked in a fresh interpreter, where nothing a miss needs
is loaded yet (deepdiff, the API's schemas); in this one earlier tests may have loaded it.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

import genai_min
import genai_min.aio.models  # here, outside any loop: genai_min imports a module when first named
from genai_min import aio
from replay._cassette import Blob, Body, BodyKind, Cassette, Interaction, Request, Response
from replay._errors import NoMatchError
from replay._httpx import ReplayTransport
from replay._player import Player

MODEL = "gemini-2.0-flash-001"
GEMINI = f"https://generativelanguage.googleapis.com/v1beta/models/{MODEL}"
DIFF = "body.contents[0].parts[0].text: values changed 'Why is the sky blue?' -> 'Why is the sea blue?'"


def generate(question: str, reply: str, *, is_stream: bool = False) -> Interaction:
    asked: Any = {"contents": [{"role": "user", "parts": [{"text": question}]}]}
    answered: Any = {"candidates": [{"content": {"role": "model", "parts": [{"text": reply}]}, "index": 0}]}
    if is_stream:
        url = f"{GEMINI}:streamGenerateContent?alt=sse"
        body = Body(BodyKind.SSE, events=(answered, answered))
        content_type = "text/event-stream"
    else:
        url, body, content_type = (
            f"{GEMINI}:generateContent",
            Body(BodyKind.JSON, json=answered),
            "application/json",
        )
    return Interaction(
        Request("POST", url, (), Body(BodyKind.JSON, json=asked)),
        Response(200, (("content-type", content_type),), body),
    )


def transport_for(*interactions: Interaction) -> genai_min.Transport:
    replaying = ReplayTransport(Player(Cassette(interactions)))
    return genai_min.Transport(api_key="unused", transport=replaying, async_transport=replaying)


FIRST_MISS = """
import asyncio
import sys

from blockbuster import blockbuster_ctx

from replay import Body, BodyKind, Cassette, Interaction, NoMatchError, Player, Request, Response

MODEL = "gemini-2.0-flash-001"
LIBRARY = sys.argv[1]
VERSION = "v1beta" if LIBRARY == "httpx" else "v1"  # the official SDK calls v1
asked = {"contents": [{"role": "user", "parts": [{"text": "Why is the sky blue?"}]}]}
answered = {"candidates": [{"content": {"role": "model", "parts": [{"text": "Rayleigh."}]}}]}
cassette = Cassette((
    Interaction(
        Request("POST", f"https://generativelanguage.googleapis.com/{VERSION}/models/{MODEL}:generateContent",
                (), Body(BodyKind.JSON, json=asked)),
        Response(200, (("content-type", "application/json"),), Body(BodyKind.JSON, json=answered)),
    ),
))

if LIBRARY == "httpx":
    import genai_min
    from genai_min import aio
    from replay import ReplayTransport

    replaying = ReplayTransport(Player(cassette))
    t = genai_min.Transport(api_key="unused", transport=replaying, async_transport=replaying)
    generate = aio.models.generate_content  # named outside the loop: genai_min imports it on first use

    async def ask(question):
        return (await generate(t, model=MODEL, contents=question)).text
else:
    from google import genai
    from google.genai import types
    from replay.httpx2 import ReplayTransport

    options = types.HttpOptions(async_client_args={"transport": ReplayTransport(Player(cassette))})
    client = genai.Client(api_key="unused", http_options=options)

    async def ask(question):
        return (await client.aio.models.generate_content(model=MODEL, contents=question)).text


async def main():
    assert await ask("Why is the sky blue?") == "Rayleigh."
    try:
        await ask("Why is the sea blue?")
    except NoMatchError as error:
        print(error)


with blockbuster_ctx(["genai_min", "replay"]) as blockbuster:
    for function in blockbuster.functions.values():  # pydantic's first model build, as in conftest.py
        function.can_block_in("pydantic/plugin/_loader.py", "get_plugins")
    asyncio.run(main())
"""


@pytest.mark.parametrize("library", ["httpx", "httpx2"])
def test_a_first_miss_in_a_fresh_process_fails_with_the_diff(tmp_path: Path, library: str) -> None:
    script = tmp_path / "first_miss.py"
    script.write_text(FIRST_MISS)
    done = subprocess.run([sys.executable, str(script), library], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "BlockingError" not in done.stderr
    assert done.stdout.startswith("no recorded interaction in the cassette matches POST")
    assert DIFF in done.stdout


@pytest.mark.anyio
async def test_a_hit_is_answered_inside_the_loop_without_a_thread() -> None:
    replaying = ReplayTransport(Player(Cassette((generate("Why is the sky blue?", "Rayleigh."),))))
    t = genai_min.Transport(api_key="unused", async_transport=replaying)
    session = replaying.session
    threads: list[int] = []
    enter = session.enter

    def noted(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.get_ident())
        return enter(*args, **kwargs)

    session.enter = noted  # type: ignore[method-assign]
    answer = await aio.models.generate_content(t, model=MODEL, contents="Why is the sky blue?")
    assert answer.text == "Rayleigh."
    assert threads == [threading.get_ident()]


@pytest.mark.anyio
async def test_a_miss_fails_with_the_diff() -> None:
    t = transport_for(generate("Why is the sky blue?", "Rayleigh."))
    with pytest.raises(NoMatchError) as caught:
        await aio.models.generate_content(t, model=MODEL, contents="Why is the sea blue?")
    assert DIFF in str(caught.value)


@pytest.mark.anyio
async def test_a_stream_replays_and_a_stream_miss_fails_with_the_diff() -> None:
    t = transport_for(generate("Why is the sky blue?", "Rayleigh. ", is_stream=True))
    stream = await aio.models.generate_content_stream(t, model=MODEL, contents="Why is the sky blue?")
    assert [chunk.text async for chunk in stream] == ["Rayleigh. ", "Rayleigh. "]
    with pytest.raises(NoMatchError) as caught:
        await aio.models.generate_content_stream(t, model=MODEL, contents="Why is the sea blue?")
    assert DIFF in str(caught.value)


def blob_exchange(path: Path, data: bytes, *, cut: str = "") -> Interaction:
    path.write_bytes(data)
    blob = Blob(path, hashlib.sha256(data).hexdigest(), len(data))
    return Interaction(
        Request(
            "GET", "https://generativelanguage.googleapis.com/download/v1beta/files/f:download?alt=media"
        ),
        Response(200, (("content-type", "video/mp4"),), Body(BodyKind.BYTES, blob=blob), cut=cut),
    )


@pytest.mark.anyio
async def test_a_blob_body_is_read_off_the_loop_piece_by_piece(tmp_path: Path) -> None:
    data = bytes(range(256)) * 5000  # more than one piece of `CHUNK`
    replaying = ReplayTransport(Player(Cassette((blob_exchange(tmp_path / "video", data * 5),))))
    async with httpx.AsyncClient(transport=replaying) as client:
        answer = await client.get(
            "https://generativelanguage.googleapis.com/download/v1beta/files/f:download?alt=media"
        )
    assert answer.content == data * 5


@pytest.mark.anyio
async def test_a_blob_body_cut_short_raises_its_cut_and_one_left_half_read_is_released(
    tmp_path: Path,
) -> None:
    interaction = blob_exchange(tmp_path / "video", b"x" * 3_000_000, cut="ReadError: connection reset")
    replaying = ReplayTransport(Player(Cassette((interaction, interaction))))
    async with httpx.AsyncClient(transport=replaying) as client:
        url = str(interaction.request.url)
        with pytest.raises(httpx.ReadError, match="connection reset"):
            await client.get(url)
        async with client.stream("GET", url) as answer:
            first = await anext(answer.aiter_raw())
        assert len(first) == 2**20
