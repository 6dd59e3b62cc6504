"""Recording through `RecordingTransport`: pass-through streams, sanitised cassettes, quiet re-records."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from google.oauth2.credentials import Credentials

import genai_min
from genai_min import aio, models
from replay._cassette import Meta
from replay._cassette_json import load_cassette
from replay._errors import CredentialLeakError
from replay._httpx import RecordingTransport, ReplayTransport
from replay._ledger import Ledger
from replay._player import Player
from replay._recorder import Recorder

MODEL = "gemini-2.0-flash-001"
API_KEY = "AIzaSyD-canary-key-0123456789abcdefghij"
TOKEN = "ya29.canary-bearer-token-0123456789abcdef"


def reply(text: str) -> dict[str, Any]:
    return {
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 2, "totalTokenCount": 5},
    }


def echo(request: httpx.Request) -> httpx.Response:
    """A fake service: answers generateContent with the question turned around."""
    body = json.loads(request.read())
    question = body["contents"][-1]["parts"][0]["text"]
    return httpx.Response(
        200,
        json=reply(question[::-1]),
        headers={"x-goog-request-id": "volatile-123", "date": "Tue, 24 Nov 2026 10:00:00 GMT"},
    )


def gemini(transport: httpx.BaseTransport) -> genai_min.Transport:
    return genai_min.Transport(api_key=API_KEY, transport=transport, async_transport=transport)  # type: ignore[arg-type]


def vertex(transport: httpx.BaseTransport, project: str, location: str) -> genai_min.Transport:
    return genai_min.Transport(
        vertexai=True,
        project=project,
        location=location,
        credentials=Credentials(token=TOKEN),
        transport=transport,  # type: ignore[arg-type]
        async_transport=transport,  # type: ignore[arg-type]
    )


def recorder(path: Path, **kwargs: Any) -> Recorder:
    return Recorder(path, meta=Meta(recorded_against="emulator", client="genai_min"), **kwargs)


@pytest.fixture
def block_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("replaying opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_a_recording_replays_offline_with_identical_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.json"
    rec = recorder(path)
    live = gemini(RecordingTransport(rec, inner=httpx.MockTransport(echo)))
    recorded = models.generate_content(live, model=MODEL, contents="stressed")
    rec.save()

    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail("socket opened"))
    offline = gemini(ReplayTransport(Player(load_cassette(path), path=path)))
    replayed = models.generate_content(offline, model=MODEL, contents="stressed")
    assert replayed.text == "desserts"
    assert replayed.model_dump() == recorded.model_dump()


def test_the_cassette_holds_no_secret_and_no_volatile_header(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    rec = recorder(path)
    live = gemini(RecordingTransport(rec, inner=httpx.MockTransport(echo)))
    models.generate_content(live, model=MODEL, contents="stressed")
    rec.save()
    text = path.read_text()
    assert API_KEY not in text
    assert "x-goog-api-key" not in text
    assert "volatile-123" not in text
    assert "date" not in json.loads(text)["interactions"][0]["response"]["headers"]
    assert json.loads(text)["meta"]["recorded_against"] == "emulator"


def test_a_credential_echoed_by_the_service_stops_the_write(tmp_path: Path) -> None:
    def leaky(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=reply(f"your key is {request.headers['x-goog-api-key']}"))

    path = tmp_path / "c.json"
    rec = recorder(path)
    models.generate_content(
        gemini(RecordingTransport(rec, inner=httpx.MockTransport(leaky))), model=MODEL, contents="x"
    )
    with pytest.raises(CredentialLeakError, match=r"interactions\[0\]\.response\.body"):
        rec.save()
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_vertex_project_and_location_become_placeholders_and_come_back(tmp_path: Path) -> None:
    def tuned(request: httpx.Request) -> httpx.Response:
        request.read()
        name = "projects/123456789012/locations/europe-west4/models/77@1"
        return httpx.Response(200, json={"name": name, "displayName": "in recorder-project-1"})

    path = tmp_path / "c.json"
    rec = recorder(path)
    live = vertex(
        RecordingTransport(rec, inner=httpx.MockTransport(tuned)), "recorder-project-1", "europe-west4"
    )
    models.get(live, model="projects/recorder-project-1/locations/europe-west4/models/77@1")
    rec.save()
    text = path.read_text()
    assert "recorder-project-1" not in text
    assert "europe-west4" not in text
    assert "123456789012" not in text
    stored = json.loads(text)["interactions"][0]
    assert stored["request"]["url"] == (
        "https://LOCATION-aiplatform.googleapis.com/v1beta1/projects/PROJECT/locations/LOCATION/models/77@1"
    )

    other = vertex(ReplayTransport(Player(load_cassette(path))), "replayer-project-2", "us-east5")
    model = models.get(other, model="projects/replayer-project-2/locations/us-east5/models/77@1")
    assert model.name == "projects/PROJECT_NUMBER/locations/us-east5/models/77@1"
    assert model.display_name == "in replayer-project-2"


class SlowEvents(httpx.SyncByteStream):
    """An upstream stream that logs when it sends each event."""

    def __init__(self, log: list[str], count: int) -> None:
        self.log = log
        self.count = count

    def __iter__(self) -> Iterator[bytes]:
        for i in range(self.count):
            self.log.append(f"sent {i}")
            yield f"data: {json.dumps(reply(f'part {i}'))}\r\n\r\n".encode()


def test_streams_reach_the_caller_event_by_event_while_being_recorded(tmp_path: Path) -> None:
    log: list[str] = []

    def stream(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=SlowEvents(log, 3))

    path = tmp_path / "c.json"
    rec = recorder(path)
    live = gemini(RecordingTransport(rec, inner=httpx.MockTransport(stream)))
    for chunk in models.generate_content_stream(live, model=MODEL, contents="go"):
        log.append(f"got {chunk.text}")
    assert log == ["sent 0", "got part 0", "sent 1", "got part 1", "sent 2", "got part 2"]
    rec.save()

    events = json.loads(path.read_text())["interactions"][0]["response"]["body"]
    assert [e["candidates"][0]["content"]["parts"][0]["text"] for e in events["sse"]] == [
        "part 0",
        "part 1",
        "part 2",
    ]
    offline = gemini(ReplayTransport(Player(load_cassette(path))))
    assert [c.text for c in models.generate_content_stream(offline, model=MODEL, contents="go")] == [
        "part 0",
        "part 1",
        "part 2",
    ]


@pytest.mark.anyio
async def test_async_calls_and_streams_record_and_replay(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(":streamGenerateContent"):
            content = b"".join(f"data: {json.dumps(reply(w))}\r\n\r\n".encode() for w in ("a", "b"))
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=content)
        return echo(request)

    path = tmp_path / "c.json"
    rec = recorder(path)
    live = gemini(
        RecordingTransport(rec, inner=httpx.MockTransport(handler), async_inner=httpx.MockTransport(handler))
    )
    first = await aio.models.generate_content(live, model=MODEL, contents="live")
    chunks = [c.text async for c in await aio.models.generate_content_stream(live, model=MODEL, contents="s")]
    rec.save()

    offline = gemini(ReplayTransport(Player(load_cassette(path))))
    assert (
        (await aio.models.generate_content(offline, model=MODEL, contents="live")).text
        == first.text
        == "evil"
    )
    assert [
        c.text async for c in await aio.models.generate_content_stream(offline, model=MODEL, contents="s")
    ] == chunks


def test_interactions_keep_the_order_requests_were_sent_in(tmp_path: Path) -> None:
    log: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(":streamGenerateContent"):
            request.read()
            return httpx.Response(
                200, headers={"content-type": "text/event-stream"}, stream=SlowEvents(log, 2)
            )
        return echo(request)

    path = tmp_path / "c.json"
    rec = recorder(path)
    live = gemini(RecordingTransport(rec, inner=httpx.MockTransport(handler)))
    stream = models.generate_content_stream(live, model=MODEL, contents="first")
    next(stream)  # the stream's request is sent first, and finishes last
    models.generate_content(live, model=MODEL, contents="second")
    list(stream)
    rec.save()
    urls = [i["request"]["url"] for i in json.loads(path.read_text())["interactions"]]
    assert [u.rsplit(":", 1)[1] for u in urls] == ["streamGenerateContent?alt=sse", "generateContent"]


def record_once(path: Path, upstream: Callable[[httpx.Request], httpx.Response], question: str) -> None:
    previous = load_cassette(path) if path.exists() else None
    rec = recorder(path, previous=previous)
    models.generate_content(
        gemini(RecordingTransport(rec, inner=httpx.MockTransport(upstream))), model=MODEL, contents=question
    )
    rec.save()


def test_re_recording_the_same_exchanges_leaves_the_file_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    record_once(path, echo, "stressed")
    first = path.read_bytes()
    data = json.loads(first)
    data["meta"]["recorded_at"] = "2020-01-01T00:00:00Z"  # an old recording
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    old = path.read_bytes()

    record_once(path, echo, "stressed")
    assert path.read_bytes() == old

    record_once(path, echo, "drawer")  # a changed exchange gets a new time
    assert json.loads(path.read_text())["meta"]["recorded_at"] != "2020-01-01T00:00:00Z"


def test_recording_what_is_missing_keeps_the_rest_and_sends_only_the_new(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    record_once(path, echo, "stressed")
    sent: list[str] = []

    def counting(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.read())["contents"][0]["parts"][0]["text"])
        return echo(request)

    previous = load_cassette(path)
    rec = recorder(path, previous=previous, extend=True)
    both = RecordingTransport(rec, inner=httpx.MockTransport(counting), player=Player(previous, path=path))
    t = gemini(both)
    assert models.generate_content(t, model=MODEL, contents="stressed").text == "desserts"
    assert models.generate_content(t, model=MODEL, contents="live").text == "evil"
    rec.save()
    assert sent == ["live"]
    assert len(load_cassette(path).interactions) == 2


def test_the_emulator_address_is_stored_as_the_service_host(tmp_path: Path) -> None:
    def upload_answer(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(
            200,
            json={"file": {"uri": "http://127.0.0.1:8765/v1beta/files/abc"}},
            headers={"x-goog-upload-status": "final"},
        )

    def canonical(text: str) -> str:
        return text.replace("http://127.0.0.1:8765", "https://generativelanguage.googleapis.com")

    path = tmp_path / "c.json"
    rec = recorder(path, canonical=canonical)
    client = httpx.Client(transport=RecordingTransport(rec, inner=httpx.MockTransport(upload_answer)))
    client.post("http://127.0.0.1:8765/upload/v1beta/files?upload_id=secret-session", json={})
    rec.save()
    text = path.read_text()
    assert "127.0.0.1" not in text
    assert "8765" not in text
    assert "secret-session" not in text
    assert "https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=REDACTED" in text


def test_two_threads_recording_into_one_cassette_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    rec = recorder(path)
    t = gemini(RecordingTransport(rec, inner=httpx.MockTransport(echo)))

    def ask(prefix: str) -> None:
        for i in range(25):
            models.generate_content(t, model=MODEL, contents=f"{prefix}{i}")

    threads = [threading.Thread(target=ask, args=(p,)) for p in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rec.save()
    assert len(load_cassette(path).interactions) == 50


def test_placeholders_are_idempotent_and_keep_each_region_apart() -> None:
    from replay._placeholders import Identity

    url = (
        "https://europe-west4-aiplatform.googleapis.com/v1beta1/projects/123456789012/locations/"
        "us-central1/models/7@1"
    )
    hidden = Identity.of(url).hide(url)
    assert hidden == (
        "https://LOCATION-aiplatform.googleapis.com/v1beta1/projects/PROJECT_NUMBER/locations/LOCATION/models/7@1"
    )
    assert Identity.of(hidden).hide(hidden) == hidden
    assert Identity.of(url).reveal(hidden) == url
    assert not Identity.of("https://generativelanguage.googleapis.com/v1beta/models/m:generateContent")


def test_streams_can_keep_and_replay_their_original_pace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import replay._httpx as adapter

    clock = [100.0]
    monkeypatch.setattr(adapter.time, "monotonic", lambda: clock[0])

    class Paced(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            for i, gap in enumerate((0.25, 1.5, 0.5)):
                clock[0] += gap
                yield f"data: {json.dumps(reply(f'part {i}'))}\r\n\r\n".encode()

    def stream(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=Paced())

    path = tmp_path / "c.json"
    rec = recorder(path, timing=True)
    list(
        models.generate_content_stream(
            gemini(RecordingTransport(rec, inner=httpx.MockTransport(stream))), model=MODEL, contents="go"
        )
    )
    rec.save()
    assert json.loads(path.read_text())["interactions"][0]["response"]["body"]["delays"] == [0.25, 1.5, 0.5]

    slept: list[float] = []
    monkeypatch.setattr(adapter.time, "sleep", slept.append)
    paced = gemini(ReplayTransport(Player(load_cassette(path)), pace="recorded"))
    assert [c.text for c in models.generate_content_stream(paced, model=MODEL, contents="go")] == [
        "part 0",
        "part 1",
        "part 2",
    ]
    assert slept == [0.25, 1.5, 0.5]
    slept.clear()
    list(
        models.generate_content_stream(
            gemini(ReplayTransport(Player(load_cassette(path)))), model=MODEL, contents="go"
        )
    )
    assert slept == []  # by default a replayed stream is sent at once


def test_two_recorders_creating_one_cassette_keep_both_recordings(tmp_path: Path) -> None:
    # Two xdist workers of one run (one ledger) run tests that share a cassette nobody has recorded yet.
    path = tmp_path / "shared.json"
    ledger = Ledger()
    first, second = recorder(path, claim=ledger.claim(path)), recorder(path, claim=ledger.claim(path))
    for rec, question in ((first, "stressed"), (second, "drawer"), (second, "stressed")):
        t = gemini(RecordingTransport(rec, inner=httpx.MockTransport(echo)))
        models.generate_content(t, model=MODEL, contents=question)

    first.save()
    second.save()  # finds the cassette the first one saved meanwhile

    asked = [i.request.body.json["contents"][0]["parts"][0]["text"] for i in load_cassette(path).interactions]
    assert asked == ["stressed", "drawer"]  # the second's "stressed" was already recorded by the first
    second.save()  # saving again changes nothing
    assert len(load_cassette(path).interactions) == 2
    ledger.close()


def test_a_recorder_replaces_the_file_unless_told_to_extend(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    for question, extend in (("stressed", False), ("drawer", False), ("desserts", True)):
        # A str, as a user writes a path, is taken like a Path.
        rec = recorder(str(path), extend=extend, previous=load_cassette(path) if path.exists() else None)
        models.generate_content(
            gemini(RecordingTransport(rec, inner=httpx.MockTransport(echo))), model=MODEL, contents=question
        )
        rec.save()
    asked = [i.request.body.json["contents"][0]["parts"][0]["text"] for i in load_cassette(path).interactions]
    assert asked == ["drawer", "desserts"]
