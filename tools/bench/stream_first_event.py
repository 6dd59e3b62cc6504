"""Time to the first event of a server-sent-event stream, recorded against not recorded.

A client asks the emulator (`replay.emulator.Emulator`, in this process, on 127.0.0.1) for a
stream and the clock stops when the first chunk reaches the caller. Each request is made afresh and
the rest of the stream is read untimed. Three rows, each against the same client not recorded:

- `genai_min.models.generate_content_stream` through `replay.RecordingTransport` (the recorder
  passes events through as they arrive), against the same client with httpx's own transport;
- the same call while the `genai_replay` fixture records against the emulator, through
  ``genai_replay.transport()``: a `genai_min.Transport` with Google's own base URL, which the
  fixture's session sends to the emulator by host. The baseline is a plain `genai_min.Transport`
  aimed at the emulator;
- the official SDK's ``generate_content_stream`` while the fixture records, through
  ``genai_replay.http_options()``, against an SDK client aimed at the emulator with
  ``HttpOptions(base_url=...)``.

The fixture's rows build its session as the fixture does (mode ``all``, recording against the
emulator through `replay._relay.Relay`) and use its own transports, without vcrpy's interception: those
transports talk to the session directly and never go through vcrpy, so patching would change
nothing they do. Closing the session saves the cassette, and the number of exchanges recorded is
checked.

Target, for every row: at most 1.2x the baseline plus 5 ms.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from _result import Row, Unit, interleaved

import genai_min
from genai_min import models
from replay import Meta, Recorder, RecordingTransport
from replay._config import Config, Mode
from replay._fixture import GenaiReplay
from replay._relay import Relay
from replay._session import Session
from replay.emulator import Emulator, canonical_url

FIGURE = "stream first event"
MODEL = "gemini-2.0-flash-001"
KEY = "emulator-key-for-benchmarks"
PROMPT = "Tell me a story about the sea."
TARGET = "<= 1.2x + 5 ms"

Ask = Callable[[], Iterator[object]]


def first_event(t: genai_min.Transport) -> float:
    """Return the seconds from asking for a stream to holding its first chunk; drain the rest."""
    return first_chunk(lambda: models.generate_content_stream(t, model=MODEL, contents=PROMPT))


def first_chunk(ask: Ask) -> float:
    """Return the seconds from calling `ask` to holding the first chunk of its stream; drain the rest."""
    start = time.perf_counter()
    stream = ask()
    next(stream)
    elapsed = time.perf_counter() - start
    for _ in stream:
        pass
    return elapsed


def _round(ask: Ask, requests: int) -> Callable[[], float]:
    def one_round() -> float:
        return sorted(first_chunk(ask) for _ in range(requests))[requests // 2]

    return one_round


def _race(ours: Ask, plain: Ask, requests: int, count: int) -> dict[str, float]:
    """Warm both up, then time them in interleaved rounds; return the medians, "recorded" being ours."""
    first_chunk(plain)
    first_chunk(ours)
    rounds = {"recorded": _round(ours, requests), "not recorded": _round(plain, requests)}
    return interleaved(rounds, count=count, budget=float("inf"))


def _row(measured: str, medians: dict[str, float]) -> Row:
    ours, base = medians["recorded"], medians["not recorded"]
    return Row(FIGURE, measured, ours, base, "not recorded", Unit.SECONDS, TARGET, ours <= 1.2 * base + 0.005)


def _genai_min_ask(t: genai_min.Transport) -> Ask:
    return lambda: models.generate_content_stream(t, model=MODEL, contents=PROMPT)


def measure_recorder(emulator: Emulator, folder: Path, requests: int, count: int) -> Row:
    """Measure `replay.RecordingTransport` against httpx's own transport."""
    recorder = Recorder(
        folder / "stream.json",
        meta=Meta(recorded_against="emulator"),
        canonical=lambda text: canonical_url(text, emulator.url),
    )
    recording = RecordingTransport(recorder)
    with (
        genai_min.Transport(api_key=KEY, base_url=emulator.url) as plain,
        genai_min.Transport(api_key=KEY, base_url=emulator.url, transport=recording) as recorded,
    ):
        medians = _race(_genai_min_ask(recorded), _genai_min_ask(plain), requests, count)
    recorder.save()
    if len(recorder.interactions) != 1 + requests * count:
        raise RuntimeError(f"{len(recorder.interactions)} streams were recorded: the benchmark is wrong")
    return _row("time to first event", medians)


def _recording_session(emulator: Emulator, path: Path) -> tuple[Session, Relay]:
    """Open a session recording to `path` against the emulator, as the fixture does (timing off)."""
    relay = Relay(emulator.url)
    return Session.for_cassette(path, Config(mode=Mode.ALL, timing=False), relay=relay), relay


def _check_recorded(session: Session, expected: int) -> None:
    assert session.recorder is not None, "a session in mode all records"
    recorded = len(session.recorder.interactions)
    if recorded != expected:
        raise RuntimeError(f"{recorded} streams were recorded, not {expected}: the benchmark is wrong")


def measure_fixture_transport(emulator: Emulator, folder: Path, requests: int, count: int) -> Row:
    """Measure ``genai_replay.transport()`` recording against a plain `genai_min.Transport`."""
    session, relay = _recording_session(emulator, folder / "fixture-transport.json")
    try:
        replay = GenaiReplay(session)
        with genai_min.Transport(api_key=KEY, base_url=emulator.url) as plain:
            ours = replay.transport(api_key=KEY)
            medians = _race(_genai_min_ask(ours), _genai_min_ask(plain), requests, count)
            replay.close()
        session.close()
        _check_recorded(session, 1 + requests * count)
    finally:
        relay.close()
    return _row("first event, fixture records (genai_min transport())", medians)


def measure_fixture_sdk(emulator: Emulator, folder: Path, requests: int, count: int) -> Row:
    """Measure the official SDK recording through ``genai_replay.http_options()``, against it unrecorded."""
    from google import genai
    from google.genai import types

    def sdk_ask(client: genai.Client) -> Ask:
        return lambda: client.models.generate_content_stream(model=MODEL, contents=PROMPT)

    session, relay = _recording_session(emulator, folder / "fixture-sdk.json")
    try:
        replay = GenaiReplay(session)
        plain = genai.Client(api_key=KEY, http_options=types.HttpOptions(base_url=emulator.url))
        ours = genai.Client(api_key=KEY, http_options=replay.http_options())
        try:
            medians = _race(sdk_ask(ours), sdk_ask(plain), requests, count)
        finally:
            plain.close()
            ours.close()
        session.close()
        _check_recorded(session, 1 + requests * count)
    finally:
        relay.close()
    return _row("first event, fixture records (SDK http_options())", medians)


def measure(quick: bool) -> list[Row]:
    """Measure time to the first event, recorded and not, in the three ways; return the rows."""
    requests, count = (3, 2) if quick else (25, 9)
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as name, Emulator() as emulator:
        folder = Path(name)
        return [
            measure_recorder(emulator, folder, requests, count),
            measure_fixture_transport(emulator, folder, requests, count),
            measure_fixture_sdk(emulator, folder, requests, count),
        ]
