"""Time to the first event of a server-sent-event stream, recorded against not recorded.

`genai_min.models.generate_content_stream` asks the emulator (`replay.emulator.Emulator`, in this
process, on 127.0.0.1) for a stream and the clock stops when the first chunk reaches the caller.
Ours sends through `replay.RecordingTransport` (the recorder passes events through as they arrive);
the baseline is the same client with httpx's own transport, not recorded. Each request is made
afresh and the rest of the stream is read untimed.

Target: at most 1.2x the baseline plus 5 ms.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _result import Row, Unit, interleaved

import genai_min
from genai_min import models
from replay import Meta, Recorder, RecordingTransport
from replay.emulator import Emulator, canonical_url

FIGURE = "stream first event"
MODEL = "gemini-2.0-flash-001"
KEY = "emulator-key-for-benchmarks"


def first_event(t: genai_min.Transport) -> float:
    """Return the seconds from asking for a stream to holding its first chunk; drain the rest."""
    start = time.perf_counter()
    stream = models.generate_content_stream(t, model=MODEL, contents="Tell me a story about the sea.")
    next(stream)
    elapsed = time.perf_counter() - start
    for _ in stream:
        pass
    return elapsed


def _round(t: genai_min.Transport, requests: int) -> Callable[[], float]:
    def one_round() -> float:
        return sorted(first_event(t) for _ in range(requests))[requests // 2]

    return one_round


def measure(quick: bool) -> list[Row]:
    """Measure time to the first event, recorded and not; return the rows."""
    requests, count = (3, 2) if quick else (25, 9)
    with tempfile.TemporaryDirectory(prefix="bench-stream-") as folder, Emulator() as emulator:
        recorder = Recorder(
            Path(folder) / "stream.json",
            meta=Meta(recorded_against="emulator"),
            canonical=lambda text: canonical_url(text, emulator.url),
        )
        recording = RecordingTransport(recorder)
        with (
            genai_min.Transport(api_key=KEY, base_url=emulator.url) as plain,
            genai_min.Transport(api_key=KEY, base_url=emulator.url, transport=recording) as recorded,
        ):
            first_event(plain)
            first_event(recorded)
            medians = interleaved(
                {"recorded": _round(recorded, requests), "not recorded": _round(plain, requests)},
                count=count,
                budget=float("inf"),
            )
        recorder.save()
        if len(recorder.interactions) != 1 + requests * count:
            raise RuntimeError(f"{len(recorder.interactions)} streams were recorded: the benchmark is wrong")
    ours, base = medians["recorded"], medians["not recorded"]
    return [
        Row(
            FIGURE,
            "time to first event",
            ours,
            base,
            "not recorded",
            Unit.SECONDS,
            "<= 1.2x + 5 ms",
            ours <= 1.2 * base + 0.005,
        )
    ]
