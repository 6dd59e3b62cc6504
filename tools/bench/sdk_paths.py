"""Replaying for the official SDK: through our vcrpy bridge, through our injected transport, and vcrpy alone.

The official SDK (google-genai 3.3.0) asks ``generate_content`` for `N` answers in turn (1 KB
requests, 5 KB answers), each contender serving them from a cassette of those `N` exchanges that
its own recorder wrote:

- the SDK unchanged, under our vcrpy bridge: what the `genai_replay` fixture does for a
  ``genai.Client()`` that the code under test builds. The fixture's harness opens the cassette's
  session and runs it as it runs a test (fake credentials, sockets refused, vcrpy's patches routed
  to the session), and the SDK's own httpx2 client is answered through vcrpy's patch of it;
- the SDK with our transport injected: what ``genai_replay.http_options()`` hands a test, a
  `replay.httpx2.ReplayTransport` over the same session, given to the SDK through
  ``HttpOptions(client_args={"transport": ...})``, inside the same harness;
- vcrpy alone, as pytest-recording sets it up: a YAML cassette that vcrpy recorded, record mode
  ``none``, default matching (method, scheme, host, port, path, query);
- the floor: the SDK with an ``httpx2.MockTransport`` injected, returning one ready answer: all of
  the SDK's own work, and no lookup at all.

For information, at the largest size, the SDK on its other HTTP library, httpx: our
`replay.ReplayTransport` injected, against ``httpx.MockTransport``.

One replay is what one test does: open the cassette (untimed), ask the `N` questions in recorded
order (timed), close it; a round replays until it has asked about 50 questions, and the figure is
the time per question. Work a contender leaves to the first request of a replay is timed with it
(our player builds its lookup index then; vcrpy reads its cassette when it is opened).

An SDK client costs tens of milliseconds to build (it makes three TLS contexts), so each contender
builds its client once; the injected contenders get a fresh session behind it for each replay
(`SwitchTransport`), and the floor goes through a switch as well.

Targets: the bridge no slower than vcrpy alone (at most 1.0x), and the injected transport at most
1.3x the floor.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import httpx2
from _exchanges import (
    ANSWER_TYPE,
    SwitchTransport,
    ask_sdk,
    record_ours_sdk,
    record_vcrpy_sdk,
    response_body,
    sdk_client,
    text_number,
)
from _result import Row, Unit, interleaved

from replay import ReplayTransport
from replay._config import Config
from replay._harness import Harness

if TYPE_CHECKING:
    from google import genai

FIGURE = "sdk paths"
QUESTIONS_PER_ROUND = 50
BRIDGE = "our vcrpy bridge"
INJECTED = "our transport"
VCRPY = "vcrpy alone (pytest-recording defaults)"
FLOOR = "httpx2.MockTransport"
HTTPX_INJECTED = "our transport, httpx"
HTTPX_FLOOR = "httpx.MockTransport"

Replay = Callable[[], AbstractContextManager["genai.Client"]]


class _HttpxSwitch(httpx.BaseTransport):
    """`SwitchTransport` for httpx: the SDK picks its HTTP library from the transport's classes."""

    def __init__(self, current: httpx.BaseTransport) -> None:
        self.current = current

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through the current transport."""
        return self.current.handle_request(request)


def timed_round(replay: Replay, size: int) -> Callable[[], float]:
    """Return a round of replays of the `size` questions; it returns the seconds per question."""
    passes = max(1, QUESTIONS_PER_ROUND // size)

    def one_round() -> float:
        spent = 0.0
        for _ in range(passes):
            with replay() as client:
                start = time.perf_counter()
                for i in range(size):
                    ask_sdk(client, i)
                spent += time.perf_counter() - start
        return spent / (passes * size)

    return one_round


def check(replay: Replay, size: int, name: str) -> None:
    """Replay once, untimed, and fail unless every question got its own answer."""
    with replay() as client:
        for i in range(size):
            served = text_number(ask_sdk(client, i))
            if served != i:
                raise RuntimeError(f"{name} served answer {served} to question {i}: the benchmark is wrong")


def contenders(harness: Harness, ours: Path, theirs: Path, *, with_httpx: bool) -> dict[str, Replay]:
    """Return how each contender opens one replay and hands over the SDK client to ask."""
    import vcr  # type: ignore[import-untyped]

    unchanged = sdk_client()
    alone = sdk_client()
    switch = SwitchTransport()
    injected = sdk_client(switch)
    ready = json.dumps(response_body(0)).encode()
    floor = sdk_client(
        SwitchTransport(
            httpx2.MockTransport(
                lambda request: httpx2.Response(200, content=ready, headers={"content-type": ANSWER_TYPE})
            )
        )
    )

    @contextmanager
    def bridge() -> Iterator[genai.Client]:
        with harness.running(harness.session(ours, Config())):
            yield unchanged

    @contextmanager
    def transport() -> Iterator[genai.Client]:
        with harness.running(harness.session(ours, Config())) as replay:
            switch.current = (replay.http_options().client_args or {})["transport"]
            yield injected

    # What pytest-recording's `vcr` fixture builds for a marked test, in its default mode.
    player = vcr.VCR(path_transformer=vcr.VCR.ensure_suffix(".yaml"), record_mode="none")

    @contextmanager
    def vcrpy_alone() -> Iterator[genai.Client]:
        with player.use_cassette(str(theirs)):
            yield alone

    @contextmanager
    def mock() -> Iterator[genai.Client]:
        yield floor

    replays: dict[str, Replay] = {BRIDGE: bridge, INJECTED: transport, VCRPY: vcrpy_alone, FLOOR: mock}
    if with_httpx:
        replays.update(httpx_contenders(harness, ours, ready))
    return replays


def httpx_contenders(harness: Harness, ours: Path, ready: bytes) -> dict[str, Replay]:
    """Return the SDK on httpx: our `replay.ReplayTransport` injected, and ``httpx.MockTransport``."""
    switch = _HttpxSwitch(httpx.MockTransport(lambda request: httpx.Response(599)))
    injected = sdk_client(switch)
    floor = sdk_client(
        _HttpxSwitch(
            httpx.MockTransport(
                lambda request: httpx.Response(200, content=ready, headers={"content-type": ANSWER_TYPE})
            )
        )
    )

    @contextmanager
    def transport() -> Iterator[genai.Client]:
        session = harness.session(ours, Config())
        with harness.running(session):
            switch.current = ReplayTransport(session)
            yield injected

    @contextmanager
    def mock() -> Iterator[genai.Client]:
        yield floor

    return {HTTPX_INJECTED: transport, HTTPX_FLOOR: mock}


def measure(quick: bool) -> list[Row]:
    """Measure the SDK's cost per replayed request along each path; return the rows."""
    sizes = (1, 5) if quick else (1, 10, 100)
    count, budget = (2, 0.3) if quick else (11, 2.0)
    rows: list[Row] = []
    harness = Harness()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-sdk-") as folder:
            for size in sizes:
                ours = Path(folder) / f"ours-{size}.json"
                theirs = Path(folder) / f"vcrpy-{size}.yaml"
                record_ours_sdk([(ours, range(size))])
                record_vcrpy_sdk([(theirs, range(size))])
                replays = contenders(harness, ours, theirs, with_httpx=size == max(sizes))
                for name, replay in replays.items():
                    if name not in (FLOOR, HTTPX_FLOOR):  # the floors serve one ready answer to all
                        check(replay, size, name)
                medians = interleaved(
                    {name: timed_round(replay, size) for name, replay in replays.items()},
                    count=count,
                    budget=budget,
                )
                rows.extend(_rows(size, medians))
    finally:
        harness.close()
    return rows


def _rows(size: int, medians: dict[str, float]) -> list[Row]:
    where = f"{size:,} interaction{'s' if size > 1 else ''}"
    bridge, injected, alone, floor = (medians[name] for name in (BRIDGE, INJECTED, VCRPY, FLOOR))
    rows = [
        _row(f"{where}: SDK unchanged, {BRIDGE}", bridge, alone, VCRPY, "<= 1.0x", bridge <= alone),
        _row(f"{where}: SDK + {INJECTED}", injected, floor, FLOOR, "<= 1.3x", injected <= 1.3 * floor),
        _row(f"{where}: SDK unchanged, {BRIDGE}", bridge, floor, FLOOR),
        _row(f"{where}: SDK unchanged, vcrpy alone", alone, floor, FLOOR),
    ]
    if HTTPX_INJECTED in medians:
        ours, floor = medians[HTTPX_INJECTED], medians[HTTPX_FLOOR]
        holds = ours <= 1.3 * floor
        rows.append(_row(f"{where}: SDK on httpx + {INJECTED}", ours, floor, HTTPX_FLOOR, "<= 1.3x", holds))
    return rows


def _row(
    measured: str, ours: float, baseline: float, name: str, target: str = "-", holds: bool | None = None
) -> Row:
    return Row(FIGURE, measured, ours, baseline, name, Unit.SECONDS, target, holds)
