"""Injected faults replay exactly: a retry loop sees the same statuses, waits and error on replay as live.

Each case runs a `genai_min` call against the emulator with a fault injected (a burst of 429s with
``Retry-After``, 500s and 503s, a stream cut mid-way), recording it through `RecordingTransport`;
that run is the live one, so it also shows the emulator's faults driving `genai_min`'s retries end
to end. The call then runs again through `ReplayTransport` over the saved cassette, and must see
the same thing: the statuses of every attempt, the waits chosen between them, the results, and the
same error class with the same message. A cut stream is recorded as it was read (its events, then
the cut) and replays as a cut at the same place, not as a whole stream nor as an error at the start.

The `genai_replay` fixture's machinery (`Harness`, whose recording goes through vcrpy) is checked
for retries too; vcrpy reads a body whole before the caller sees it, so cut streams are recorded
through the transports only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import genai_min
from genai_min import aio, models
from replay import (
    HeaderRule,
    Meta,
    Player,
    Recorder,
    RecordingTransport,
    ReplayTransport,
    Sanitiser,
    load_cassette,
)
from replay._config import Config, Mode, Upstream
from replay._harness import Harness
from replay.emulator import Emulator, Faults, canonical_url
from tests.reliability.conftest import SERVICE_FAULTS, SERVICE_FAULTS_REPLAYED, Tally

MODEL = "gemini-2.0-flash-001"
STORY = "Tell me a long story about a lighthouse keeper."


@dataclass(frozen=True)
class LoggedRetry(genai_min.RetryOptions):
    """Retry without sleeping, and note each wait `genai_min` chose (Retry-After or backoff)."""

    waits: list[float] = field(default_factory=list, compare=False)

    def delay(self, failures: int, retry_after: str | None = None) -> float:
        self.waits.append(super().delay(failures, retry_after))
        return 0.0


class Observed(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Note the status and Retry-After of every answer the client gets from `inner`."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.answers: list[tuple[int, str | None]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.answers.append((response.status_code, response.headers.get("retry-after")))
        return response  # type: ignore[no-any-return]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.answers.append((response.status_code, response.headers.get("retry-after")))
        return response  # type: ignore[no-any-return]

    def close(self) -> None:
        self.inner.close()

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class Seen:
    """What a caller saw: each attempt's answer, each wait, the results, and how it ended."""

    answers: list[tuple[int, str | None]]
    waits: list[float]
    results: list[str]
    error: tuple[str, str] | None


Call = Callable[[genai_min.Transport, list[str]], None]
"""A call under test: it appends each result (a response's or a chunk's text) as it arrives."""


def generate(t: genai_min.Transport, results: list[str]) -> None:
    results.append(models.generate_content(t, model=MODEL, contents="Hi").text or "")


def stream(t: genai_min.Transport, results: list[str]) -> None:
    for chunk in models.generate_content_stream(t, model=MODEL, contents=STORY):
        results.append(chunk.text or "")


def stream_again_when_cut(t: genai_min.Transport, results: list[str]) -> None:
    """A caller's own retry: a stream that broke off is asked again, once, from the start."""
    for attempt in (1, 2):
        try:
            for chunk in models.generate_content_stream(t, model=MODEL, contents=STORY):
                results.append(f"{attempt}: {chunk.text}")
            return
        except genai_min.TransportError:
            if attempt == 2:
                raise


def astream(t: genai_min.Transport, results: list[str]) -> None:
    import asyncio

    async def run() -> None:
        try:
            chunks: AsyncIterator[Any] = await aio.models.generate_content_stream(
                t, model=MODEL, contents=STORY
            )
            async for chunk in chunks:
                results.append(chunk.text or "")
        finally:
            await t.aclose()

    asyncio.run(run())


def agenerate(t: genai_min.Transport, results: list[str]) -> None:
    import asyncio

    async def run() -> None:
        try:
            response = await aio.models.generate_content(t, model=MODEL, contents="Hi")
            results.append(response.text or "")
        finally:
            await t.aclose()

    asyncio.run(run())


def run(
    call: Call,
    retry: genai_min.RetryOptions,
    inner: Any,
    build: Callable[..., genai_min.Transport] = genai_min.Transport,
    **transport: Any,
) -> Seen:
    """Run `call` on a transport from `build` whose answers come from `inner`; say what it saw."""
    observed = Observed(inner)
    logged = LoggedRetry(**vars(retry))
    results: list[str] = []
    error = None
    with build(
        api_key="test-key", retry=logged, transport=observed, async_transport=observed, **transport
    ) as t:
        try:
            call(t, results)
        except genai_min.GenAIError as exc:
            error = (type(exc).__name__, str(exc))
    return Seen(observed.answers, logged.waits, results, error)


def record(emulator: Emulator, path: Path, call: Call, retry: genai_min.RetryOptions) -> Seen:
    url = emulator.url
    recorder = Recorder(
        path, meta=Meta(recorded_against="emulator"), canonical=lambda text: canonical_url(text, url)
    )
    seen = run(call, retry, RecordingTransport(recorder), base_url=url)
    recorder.save()
    return seen


def replay(path: Path, call: Call, retry: genai_min.RetryOptions) -> tuple[Seen, Player]:
    player = Player(load_cassette(path), path=path)
    return run(call, retry, ReplayTransport(player)), player


@pytest.fixture(scope="module")
def shared_emulator() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def emulator(shared_emulator: Emulator) -> Emulator:
    shared_emulator.reset()
    return shared_emulator


RETRY = genai_min.RetryOptions(attempts=4, initial_delay=0.25, multiplier=2, jitter=0, max_delay=30)


@dataclass(frozen=True)
class Case:
    faults: Faults
    call: Call
    answers: list[tuple[int, str | None]]
    """The answers the caller must see, live and replayed."""
    waits: list[float]
    error: tuple[str, str] | None
    """The error class, and a piece of its message."""
    results: int
    retry: genai_min.RetryOptions = RETRY


CASES = {
    "429 burst, Retry-After honoured, then success": Case(
        Faults(failures=2, status=429, retry_after=3),
        generate,
        [(429, "3"), (429, "3"), (200, None)],
        [3.0, 3.0],
        None,
        1,
    ),
    "500 then success, backoff": Case(
        Faults(failures=1, status=500, retry_after=None),
        generate,
        [(500, None), (200, None)],
        [0.25],
        None,
        1,
    ),
    "503 until retries run out": Case(
        Faults(failures=10, status=503, retry_after=None),
        generate,
        [(503, None)] * 4,
        [0.25, 0.5, 1.0],
        ("ServerError", "503 UNAVAILABLE. "),
        0,
    ),
    "429 without retries": Case(
        Faults(failures=1, status=429, retry_after=7),
        generate,
        [(429, "7")],
        [],
        ("ClientError", "429 RESOURCE_EXHAUSTED. "),
        0,
        genai_min.RetryOptions(attempts=1),
    ),
    "503 before a stream, then the stream": Case(
        Faults(failures=1, status=503, retry_after=1), stream, [(503, "1"), (200, None)], [1.0], None, 3
    ),
    "stream cut after 2 events": Case(
        Faults(cut_stream_after=2),
        stream,
        [(200, None)],
        [],
        ("TransportError", "the stream broke off after 2 events: RemoteProtocolError("),
        2,
    ),
    "stream cut before its first event": Case(
        Faults(cut_stream_after=0),
        stream,
        [(200, None)],
        [],
        ("TransportError", "the stream broke off before its first event: RemoteProtocolError("),
        0,
    ),
    "stream cut once, asked again by the caller": Case(
        Faults(cut_stream_after=1, cut_streams=1), stream_again_when_cut, [(200, None)] * 2, [], None, 4
    ),
    "async: 429 burst then success": Case(
        Faults(failures=3, status=429, retry_after=0),
        agenerate,
        [(429, "0")] * 3 + [(200, None)],
        [0.0] * 3,
        None,
        1,
    ),
    "async: stream cut after 1 event": Case(
        Faults(cut_stream_after=1),
        astream,
        [(200, None)],
        [],
        ("TransportError", "the stream broke off after 1 event: RemoteProtocolError("),
        1,
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_fault_replays_as_it_happened(
    case: Case, emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    path = tmp_path / "fault.json"
    emulator.faults = case.faults

    live = record(emulator, path, case.call, case.retry)

    # Live: the emulator's fault drove genai_min's retries (or broke its stream) as configured.
    assert live.answers == case.answers
    assert live.waits == case.waits
    assert len(live.results) == case.results and all(live.results)
    assert len(emulator.requests) == len(case.answers)
    if case.error is None:
        assert live.error is None
    else:
        assert live.error is not None and live.error[0] == case.error[0] and case.error[1] in live.error[1]
        assert "before an answer arrived" not in live.error[1]
    faults = sum(status != 200 for status, _ in live.answers) + (case.faults.cut_stream_after is not None)
    reliability_tally[SERVICE_FAULTS] += faults

    replayed, player = replay(path, case.call, case.retry)

    assert replayed == live
    assert player.unplayed == []
    reliability_tally[SERVICE_FAULTS_REPLAYED] += faults


def test_a_cut_stream_is_stored_as_read_then_cut(emulator: Emulator, tmp_path: Path) -> None:
    emulator.faults = Faults(cut_stream_after=2)
    live = record(emulator, tmp_path / "cut.json", stream, RETRY)
    (interaction,) = load_cassette(tmp_path / "cut.json").interactions
    response = interaction.response
    assert response.status == 200
    assert len(response.body.events) == 2 == len(live.results)
    assert response.cut == (
        "RemoteProtocolError: peer closed connection without sending complete message body "
        "(incomplete chunked read)"
    )


def test_an_error_answer_a_retry_skips_is_stored_whole(emulator: Emulator, tmp_path: Path) -> None:
    emulator.faults = Faults(failures=1, status=429, retry_after=2)
    record(emulator, tmp_path / "retry.json", generate, RETRY)
    first, second = load_cassette(tmp_path / "retry.json").interactions
    assert first.response.status == 429 and dict(first.response.headers)["retry-after"] == "2"
    error: Any = first.response.body.json
    assert error["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert error["error"]["details"][0]["retryDelay"] == "2s"
    assert second.response.status == 200


def test_a_replayed_cut_breaks_the_stream_where_it_broke(emulator: Emulator, tmp_path: Path) -> None:
    emulator.faults = Faults(cut_stream_after=1)
    record(emulator, tmp_path / "cut.json", stream, RETRY)
    player = Player(load_cassette(tmp_path / "cut.json"))
    url = f"https://generativelanguage.googleapis.com/v1beta/models/{MODEL}:streamGenerateContent?alt=sse"
    body = {"contents": [{"parts": [{"text": STORY}], "role": "user"}]}
    chunks: list[bytes] = []

    def read(response: httpx.Response) -> None:
        chunks.extend(response.iter_bytes())

    with (
        httpx.Client(transport=ReplayTransport(player)) as client,
        client.stream("POST", url, json=body) as response,
        pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"),
    ):
        read(response)
    assert b"".join(chunks).count(b"data: ") == 1


def test_scrubbing_keeps_a_recorded_cut(emulator: Emulator, tmp_path: Path) -> None:
    from replay._cli_scrub import scrub_cassette

    emulator.faults = Faults(cut_stream_after=1)
    record(emulator, tmp_path / "cut.json", stream, RETRY)
    scrub_cassette(tmp_path / "cut.json")
    (interaction,) = load_cassette(tmp_path / "cut.json").interactions
    assert interaction.response.cut.startswith("RemoteProtocolError: ")


# -- through the fixture's machinery ------------------------------------------------------------------


def test_retries_recorded_through_the_fixture_replay_the_same(
    tmp_path: Path, reliability_tally: Tally
) -> None:
    path = tmp_path / "cassettes" / "retries.json"
    harness = Harness()
    try:
        recording = Config(mode=Mode.ONCE, upstream=Upstream.EMULATOR)
        session = harness.session(path, recording)
        harness.emulator().faults = Faults(failures=2, status=503, retry_after=1)
        # As a test would: genai_replay.transport(), here over a real network transport, which
        # vcrpy intercepts (recording: sent to the emulator; replaying: answered from the cassette).
        with harness.running(session) as fixture:
            live = run(generate, RETRY, httpx.HTTPTransport(), fixture.transport)
        reliability_tally[SERVICE_FAULTS] += 2
        with harness.running(harness.session(path, Config(mode=Mode.NONE))) as fixture:
            replayed = run(generate, RETRY, httpx.HTTPTransport(), fixture.transport)
        reliability_tally[SERVICE_FAULTS_REPLAYED] += 2
    finally:
        harness.close()
    assert live.answers == [(503, "1"), (503, "1"), (200, None)]
    assert live.waits == [1.0, 1.0]
    assert replayed == live
    statuses = [i.response.status for i in load_cassette(path).interactions]
    assert statuses == [503, 503, 200]


# -- header values in other encodings ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [b"caf\xc3\xa9 \xe2\x98\x95", b"caf\xe9", b"plain"], ids=["utf-8", "latin-1", "ascii"]
)
def test_a_header_value_replays_as_the_same_bytes(value: bytes, tmp_path: Path) -> None:
    def service(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=[(b"x-note", value)], json={"candidates": []})

    path = tmp_path / "header.json"
    recorder = Recorder(path, sanitiser=Sanitiser(rules=(HeaderRule("x-note"),)))
    with httpx.Client(transport=RecordingTransport(recorder, inner=httpx.MockTransport(service))) as client:
        live = client.get("https://generativelanguage.googleapis.com/v1beta/models")
    recorder.save()
    with httpx.Client(transport=ReplayTransport(Player(load_cassette(path)))) as client:
        replayed = client.get("https://generativelanguage.googleapis.com/v1beta/models")
    assert note(live) == note(replayed) == [value]
    assert replayed.headers["x-note"] == live.headers["x-note"]  # decoded by httpx the same way
    assert replayed.json() == {"candidates": []}


def note(response: httpx.Response) -> list[bytes]:
    return [value for name, value in response.headers.raw if name.lower() == b"x-note"]


# -- the official SDK, through the httpx2 twins -----------------------------------------------------


SdkCall = Callable[[Any, list[str]], None]


def sdk_seen(transport: Any, call: SdkCall, **options: Any) -> tuple[list[str], str]:
    """Run `call` on an SDK client over `transport`; return its results and the error it raised."""
    from google import genai
    from google.genai import types

    results: list[str] = []
    client = genai.Client(
        api_key="test-key", http_options=types.HttpOptions(client_args={"transport": transport}, **options)
    )
    try:
        call(client, results)
    except Exception as exc:
        return results, f"{type(exc).__module__}.{type(exc).__name__}: {exc}"
    finally:
        client.close()
    return results, ""


def sdk_stream(client: Any, results: list[str]) -> None:
    for chunk in client.models.generate_content_stream(model=MODEL, contents=STORY):
        results.append(chunk.text)


def sdk_generate(client: Any, results: list[str]) -> None:
    results.append(client.models.generate_content(model=MODEL, contents="Hi").text)


SDK_CASES = {
    "stream cut after 2 events": (Faults(cut_stream_after=2), sdk_stream, 2, "httpx2.RemoteProtocolError"),
    "429": (Faults(failures=1, status=429, retry_after=5), sdk_generate, 0, "errors.ClientError: 429"),
    "503": (Faults(failures=1, status=503, retry_after=None), sdk_generate, 0, "errors.ServerError: 503"),
}


@pytest.mark.parametrize(("faults", "call", "results", "error"), SDK_CASES.values(), ids=SDK_CASES.keys())
def test_the_sdk_sees_a_replayed_fault_as_it_was(
    faults: Faults,
    call: SdkCall,
    results: int,
    error: str,
    emulator: Emulator,
    tmp_path: Path,
    reliability_tally: Tally,
) -> None:
    httpx2 = pytest.importorskip("replay.httpx2")
    path = tmp_path / "sdk.json"
    emulator.faults = faults
    url = emulator.url
    recorder = Recorder(
        path, meta=Meta(recorded_against="emulator"), canonical=lambda t: canonical_url(t, url)
    )
    live = sdk_seen(httpx2.RecordingTransport(recorder), call, base_url=url)
    recorder.save()
    reliability_tally[SERVICE_FAULTS] += 1

    replayed = sdk_seen(httpx2.ReplayTransport(Player(load_cassette(path))), call)

    assert len(live[0]) == results and error in live[1]
    assert replayed == live
    reliability_tally[SERVICE_FAULTS_REPLAYED] += 1
