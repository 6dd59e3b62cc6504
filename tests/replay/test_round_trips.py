"""Every genai_min operation records, then replays offline with identical results and no secret on disk.

Each operation runs twice: once through `RecordingTransport` in front of a fake service (with canary
credentials), once through `ReplayTransport` from the saved cassette with sockets refused. The two
results must be equal, and no canary may appear in the cassette or its blobs. (A project number the
request does not name cannot be known on replay: the replayed result holds the placeholder there.)
"""

from __future__ import annotations

import json
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pydantic
import pytest
from google.oauth2.credentials import Credentials

import genai_min
from genai_min import aio, batches, caches, chats, files, models, operations, tunings, types
from replay import (
    Meta,
    Player,
    Recorder,
    RecordingTransport,
    ReplayTransport,
    check_request,
    find_operation,
    load_cassette,
)
from tests.genai_min.test_sdk_parity import MODEL, TUNED, get_current_weather
from tests.replay.fake_service import service

NUMBER = TUNED.split("/")[1]
# The service names these resources by project number, which the requests that create or list them
# do not name: on replay the results hold the placeholder there.
NUMBER_UNKNOWN_ON_REPLAY = {"models_list_pages", "batches", "tunings"}
# Requests no published definition describes: upload chunks (raw bytes, no API method) and Gemini's
# batchGenerateContent (absent from google-ai-generativelanguage 0.12.1).
UNDEFINED = ("upload_id=", ":batchGenerateContent")

API_KEY = "AIzaSyCANARY-round-trip-key-000000000000"
TOKEN = "ya29.CANARY-round-trip-bearer-token-0000000"
PROJECT = "canary-project-77"
CANARIES = (API_KEY, TOKEN, PROJECT, "CANARY")

Operation = Callable[[genai_min.Transport], Any]


def dump(value: Any) -> Any:
    """A comparable form of an operation's result."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    return value


def sync(fn: Callable[[genai_min.Transport], Awaitable[Any]]) -> Operation:
    return lambda t: anyio.run(fn, t)


async def _async_generate(t: genai_min.Transport) -> Any:
    return await aio.models.generate_content(t, model=MODEL, contents="Why is the sky blue?")


async def _async_stream(t: genai_min.Transport) -> Any:
    return [c async for c in await aio.models.generate_content_stream(t, model=MODEL, contents="A story")]


def _chat(t: genai_min.Transport) -> Any:
    chat = chats.create(t, model=MODEL)
    return [chat.send_message("tell me a story"), chat.send_message("summarise it")]


def _files(t: genai_min.Transport) -> Any:
    uploaded = files.upload(t, file=b"hello world", config={"mime_type": "text/plain"})
    return [
        uploaded,
        files.get(t, name=uploaded.name),
        list(files.list(t)),
        files.download(t, file=uploaded),
        files.delete(t, name=uploaded.name),
    ]


def _caches(t: genai_min.Transport) -> Any:
    cache = caches.create(
        t, model=MODEL, config={"contents": ["a long document"], "display_name": "doc", "ttl": "3600s"}
    )
    return [
        cache,
        caches.get(t, name=cache.name),
        caches.update(t, name=cache.name, config={"ttl": "7200s"}),
        list(caches.list(t)),
        caches.delete(t, name=cache.name),
    ]


def _batches(t: genai_min.Transport) -> Any:
    if t.is_vertex:
        src: Any = "bq://canary-project-77.dataset.requests"
        config: Any = {"display_name": "nightly", "dest": "bq://canary-project-77.dataset.answers"}
    else:
        src, config = [{"contents": "Why is the sky blue?"}], None
    job = batches.create(t, model=MODEL, src=src, config=config)
    return [job, batches.get(t, name=job.name)]


def _tunings(t: genai_min.Transport) -> Any:
    job = tunings.tune(
        t,
        base_model=MODEL,
        training_dataset={"gcs_uri": "gs://canary-bucket/train.jsonl"},
        config={"tuned_model_display_name": "tuned", "epoch_count": 1},
    )
    return [job, tunings.get(t, name=job.name)]


def _videos(t: genai_min.Transport) -> Any:
    operation = models.generate_videos(
        t, model="veo-2.0-generate-001", prompt="a cat", config={"number_of_videos": 1}
    )
    return operations.wait(t, operation, interval=5, sleep=lambda seconds: None)


def _images(t: genai_min.Transport) -> Any:
    generated = models.generate_images(
        t, model="imagen-3.0-generate-002", prompt="a robot", config={"number_of_images": 1}
    )
    if not t.is_vertex:
        return generated
    image = generated.generated_images[0].image
    return [
        generated,
        models.upscale_image(t, model="imagen-3.0-generate-002", image=image, upscale_factor="x2"),
        models.edit_image(
            t,
            model="imagen-3.0-capability-001",
            prompt="add a hat",
            reference_images=[types.RawReferenceImage(reference_id=1, reference_image=image)],
            config={"edit_mode": "EDIT_MODE_INPAINT_INSERTION", "number_of_images": 1},
        ),
    ]


def _pages(t: genai_min.Transport) -> Any:
    pager = models.list(t, config={"page_size": 1})
    return [pager.page, pager.next_page()]


OPERATIONS: dict[str, tuple[Operation, tuple[str, ...]]] = {
    "generate_content": (
        lambda t: models.generate_content(t, model=MODEL, contents="Why is the sky blue?"),
        ("gemini", "vertex"),
    ),
    "generate_content_stream": (
        lambda t: list(models.generate_content_stream(t, model=MODEL, contents="A story")),
        ("gemini", "vertex"),
    ),
    "automatic_function_calling": (
        lambda t: models.generate_content(
            t, model=MODEL, contents="Weather in Boston?", config={"tools": [get_current_weather]}
        ),
        ("gemini", "vertex"),
    ),
    "async_generate_content": (sync(_async_generate), ("gemini", "vertex")),
    "async_generate_content_stream": (sync(_async_stream), ("gemini", "vertex")),
    "count_tokens": (lambda t: models.count_tokens(t, model=MODEL, contents="hello"), ("gemini", "vertex")),
    "compute_tokens": (lambda t: models.compute_tokens(t, model=MODEL, contents="hello"), ("vertex",)),
    "embed_content": (
        lambda t: models.embed_content(t, model="text-embedding-004", contents=["a", "b"]),
        ("gemini", "vertex"),
    ),
    "models_list_pages": (_pages, ("gemini", "vertex")),
    "models_get": (lambda t: models.get(t, model=TUNED), ("vertex",)),
    "models_update": (
        lambda t: models.update(t, model=TUNED, config={"display_name": "renamed"}),
        ("vertex",),
    ),
    "chats": (_chat, ("gemini", "vertex")),
    "files": (_files, ("gemini",)),
    "caches": (_caches, ("gemini", "vertex")),
    "batches": (_batches, ("gemini", "vertex")),
    "tunings": (_tunings, ("vertex",)),
    "images": (_images, ("gemini", "vertex")),
    "videos_and_operations": (_videos, ("gemini", "vertex")),
}


def transport(backend: str, mock: httpx.BaseTransport) -> genai_min.Transport:
    if backend == "gemini":
        return genai_min.Transport(api_key=API_KEY, transport=mock, async_transport=mock)  # type: ignore[arg-type]
    return genai_min.Transport(
        vertexai=True,
        project=PROJECT,
        location="europe-west4",
        credentials=Credentials(token=TOKEN),
        transport=mock,  # type: ignore[arg-type]
        async_transport=mock,  # type: ignore[arg-type]
    )


CASES = [(name, backend) for name, (_, backends) in sorted(OPERATIONS.items()) for backend in backends]


@pytest.mark.parametrize(("name", "backend"), CASES)
def test_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, backend: str) -> None:
    operation = OPERATIONS[name][0]
    path = tmp_path / "cassettes" / f"{name}.json"
    recorder = Recorder(path, meta=Meta(recorded_against="emulator", backend=backend, client="genai_min"))
    upstream = httpx.MockTransport(service)
    recording = RecordingTransport(recorder, inner=upstream, async_inner=upstream)
    recorded = dump(operation(transport(backend, recording)))
    recorder.save()

    for file in (tmp_path / "cassettes").rglob("*"):
        if file.is_file():
            content = file.read_bytes()
            assert not [c for c in CANARIES if c.encode() in content], f"a canary reached {file}"

    for interaction in load_cassette(path).interactions:  # genai_min sends what the API defines
        request = interaction.request
        if not any(marker in request.url for marker in UNDEFINED):
            assert find_operation(request.method, request.url) is not None, request.url
        if request.body.json is not None:
            assert check_request(request.method, request.url, request.body.json) == [], request.url

    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail("replaying opened a socket"))
    player = Player(load_cassette(path), path=path)
    replayed = dump(operation(transport(backend, ReplayTransport(player))))
    if name in NUMBER_UNKNOWN_ON_REPLAY:
        recorded = json.loads(json.dumps(recorded).replace(NUMBER, "PROJECT_NUMBER"))
    assert replayed == recorded
    assert player.unplayed == []
