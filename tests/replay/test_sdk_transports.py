"""The official SDK records and replays through our transports, on both of its HTTP libraries."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from google.oauth2.credentials import Credentials

import replay._httpx
from replay._cassette import Meta
from replay._cassette_json import load_cassette
from replay._player import Player
from replay._recorder import Recorder

genai = pytest.importorskip("google.genai")
httpx2 = pytest.importorskip("httpx2")
import replay.httpx2  # noqa: E402  (needs httpx2, checked above)

API_KEY = "AIzaSyD-sdk-canary-key-0123456789abcdefgh"
MODEL = "gemini-2.0-flash-001"
LIBRARIES = {"httpx": (httpx, replay._httpx), "httpx2": (httpx2, replay.httpx2)}


def answer(request: Any) -> Any:
    """A fake service for both libraries: generateContent and its stream."""
    body = json.loads(request.read())
    text = body["contents"][-1]["parts"][0]["text"][::-1]
    reply = {
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}]
    }
    module = httpx2 if isinstance(request, httpx2.Request) else httpx
    if request.url.path.endswith(":streamGenerateContent"):
        events = b"".join(f"data: {json.dumps(reply)}\r\n\r\n".encode() for _ in range(2))
        return module.Response(200, headers={"content-type": "text/event-stream"}, content=events)
    return module.Response(200, json=reply)


def client(transport: Any, backend: str) -> Any:
    options = genai.types.HttpOptions(
        client_args={"transport": transport}, async_client_args={"transport": transport}
    )
    if backend == "gemini":
        return genai.Client(api_key=API_KEY, http_options=options)
    return genai.Client(
        vertexai=True,
        project="sdk-project-1",
        location="us-central1",
        credentials=Credentials(token="ya29.sdk-canary-token-0123456789abcdef"),
        http_options=options,
    )


@pytest.mark.parametrize("backend", ["gemini", "vertex"])
@pytest.mark.parametrize("library", sorted(LIBRARIES))
def test_the_sdk_records_and_replays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str, backend: str
) -> None:
    module, transports = LIBRARIES[library]
    path = tmp_path / "c.json"
    rec = Recorder(path, meta=Meta(client="google-genai", client_version=genai.__version__))
    recording = transports.RecordingTransport(rec, inner=module.MockTransport(answer))
    live = client(recording, backend)
    first = live.models.generate_content(model=MODEL, contents="stressed")
    chunks = [c.text for c in live.models.generate_content_stream(model=MODEL, contents="drawer")]
    rec.save()
    text = path.read_text()
    assert "canary" not in text
    assert "sdk-project-1" not in text

    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail("replaying opened a socket"))
    offline = client(transports.ReplayTransport(Player(load_cassette(path))), backend)
    assert offline.models.generate_content(model=MODEL, contents="stressed").text == first.text == "desserts"
    assert [c.text for c in offline.models.generate_content_stream(model=MODEL, contents="drawer")] == chunks


@pytest.mark.anyio
@pytest.mark.parametrize("library", sorted(LIBRARIES))
async def test_the_async_sdk_replays(tmp_path: Path, library: str) -> None:
    module, transports = LIBRARIES[library]
    path = tmp_path / "c.json"
    rec = Recorder(path)

    async def async_answer(request: Any) -> Any:
        await request.aread()
        return answer(request)

    live = client(
        transports.RecordingTransport(rec, async_inner=module.MockTransport(async_answer)), "gemini"
    )
    first = await live.aio.models.generate_content(model=MODEL, contents="stressed")
    rec.save()
    offline = client(transports.ReplayTransport(Player(load_cassette(path))), "gemini")
    assert (await offline.aio.models.generate_content(model=MODEL, contents="stressed")).text == first.text


def test_each_library_gets_its_own_transport_classes() -> None:
    transports: ModuleType
    for name, (module, transports) in LIBRARIES.items():
        for cls in (transports.ReplayTransport, transports.RecordingTransport):
            first = next(c for c in cls.__mro__ if c.__module__.split(".")[0] in ("httpx", "httpx2"))
            assert first.__module__.split(".")[0] == name
            assert issubclass(cls, module.BaseTransport)
