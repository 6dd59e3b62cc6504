"""Replay cost per request, through our transport and the alternatives, over cassettes of growing size.

Each contender stands behind the same ``httpx.Client``, which posts a 1 KB generateContent request
and parses the 5 KB answer:

- ours: `replay.ReplayTransport` over a cassette that `replay.RecordingTransport` recorded;
- the floor: ``httpx.MockTransport`` returning one ready answer (no lookup at all);
- respx: a router with one route per interaction, matched on method, URL and JSON body, as a
  respx user would mock distinct calls;
- vcrpy as pytest-recording sets it up (a YAML cassette that vcrpy recorded, record mode
  ``none``, default matching on method, scheme, host, port, path and query).

Requests ask for interactions spread evenly over the cassette. vcrpy's default matching does not
look at bodies, so it serves the interactions in recorded order, scanning from the start of the
cassette past those already played: it replays the cassette in order, as a test would, and its
figure is the mean over a window of requests in the middle, which (the cost of a request growing
in proportion to its position) is the mean over a whole replay. respx checks its routes in order
and adding a route checks it against every route already there, so building a router of 10,000
routes alone takes minutes: the alternatives are measured up to 2,000 interactions.

Ours is measured as a test replays its own recording: the client sends the bytes it recorded, and the
player answers from those bytes alone, without parsing them. For information, at the largest size:
the same requests with their keys reordered (sorted), so the bytes differ and the player matches them
on the parsed, normalised request instead.

Targets: ours at most 1.3x the floor at every size, flat in cassette size, and at least 50x
faster than vcrpy at 2,000 interactions.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from _exchanges import (
    URL,
    answer_number,
    record_ours,
    record_vcrpy,
    request_body,
    response_body,
)
from _result import Row, Unit, interleaved

from replay import Player, ReplayTransport, load_cassette

FIGURE = "replay cost"
ALTERNATIVES_LARGEST = 2_000
VCRPY_WINDOW = 100
FLOOR = "httpx.MockTransport"
RESPX = "respx"
VCRPY = "vcrpy (pytest-recording defaults)"
REORDERED = "keys reordered"


def evenly(size: int, count: int) -> list[int]:
    """Return `count` positions spread evenly over a cassette of `size`, cycled when it is smaller."""
    if size >= count:
        return [i * size // count for i in range(count)]
    return [i % size for i in range(count)]


def _timed(ask: Callable[[int], object], positions: list[int]) -> float:
    start = time.perf_counter()
    for position in positions:
        ask(position)
    return (time.perf_counter() - start) / len(positions)


def _checked(ask: Callable[[int], object], position: int) -> None:
    served = answer_number(ask(position))
    if served != position:
        raise RuntimeError(f"asked for interaction {position}, was served {served}: the benchmark is wrong")


def _refuse(request: httpx.Request) -> httpx.Response:
    raise RuntimeError(f"vcrpy let {request.method} {request.url} through to the network")


def floor_round(positions: list[int]) -> Callable[[], float]:
    """Return a round over ``httpx.MockTransport`` serving one ready answer: no lookup at all."""
    answer = httpx.Response(200, json=response_body(0)).content
    client = httpx.Client(
        transport=httpx.MockTransport(
            lambda request: httpx.Response(200, content=answer, headers={"content-type": "application/json"})
        )
    )
    bodies = [request_body(p) for p in positions]
    return lambda: _timed(lambda i: client.post(URL, json=bodies[i]).json(), list(range(len(bodies))))


def ours_round(path: Path, positions: list[int]) -> Callable[[], float]:
    """Return a round replaying `positions` through `ReplayTransport` from the cassette at `path`."""
    client = httpx.Client(transport=ReplayTransport(Player(load_cassette(path), path=path)))
    bodies = {p: request_body(p) for p in positions}

    def ask(position: int) -> object:
        return client.post(URL, json=bodies[position]).json()

    _checked(ask, positions[-1])
    return lambda: _timed(ask, positions)


def respx_round(size: int, positions: list[int]) -> Callable[[], float]:
    """Return a round over a respx router holding one route per interaction."""
    import respx

    router = respx.MockRouter(assert_all_called=False)
    for i in range(size):
        router.post(URL, json=request_body(i)).respond(200, json=response_body(i))
    client = httpx.Client(transport=httpx.MockTransport(router.handler))
    bodies = {p: request_body(p) for p in positions}

    def ask(position: int) -> object:
        return client.post(URL, json=bodies[position]).json()

    _checked(ask, positions[-1])
    return lambda: _timed(ask, positions)


def vcrpy_round(path: Path, size: int, requests: int) -> Callable[[], float]:
    """Return a round replaying the vcrpy cassette in recorded order, timing a window in its middle.

    vcrpy finds each answer by scanning the cassette from its start past the interactions already
    played, so request `j` costs in proportion to `j`, and the mean over the middle window is the
    mean over a whole replay. The requests before the window are replayed untimed.
    """
    import vcr  # type: ignore[import-untyped]

    # What pytest-recording's `vcr` fixture builds, in its default replay-only mode.
    player = vcr.VCR(path_transformer=vcr.VCR.ensure_suffix(".yaml"), record_mode="none")
    client = httpx.Client(transport=httpx.MockTransport(_refuse))
    bodies = [request_body(i) for i in range(size)]
    window = min(size, VCRPY_WINDOW)
    first = (size - window) // 2

    def ask(i: int) -> None:
        served = answer_number(client.post(URL, json=bodies[i]).json())
        if served != i:
            raise RuntimeError(f"vcrpy served {served} for request {i}: the benchmark is wrong")

    def replay_once() -> float:
        with player.use_cassette(str(path)):
            for i in range(first):
                ask(i)
            start = time.perf_counter()
            for i in range(first, first + window):
                ask(i)
            return time.perf_counter() - start

    def one_round() -> float:
        passes = math.ceil(requests / size)
        return sum(replay_once() for _ in range(passes)) / (passes * window)

    return one_round


def reordered_round(path: Path, positions: list[int]) -> Callable[[], float]:
    """Return a round like `ours_round` whose requests carry their keys sorted, unlike the recording.

    The bytes differ from the recorded ones, so the player parses and normalises each request.
    """
    client = httpx.Client(transport=ReplayTransport(Player(load_cassette(path), path=path)))
    headers = {"content-type": "application/json"}
    contents = {
        p: json.dumps(request_body(p), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        for p in positions
    }

    def ask(position: int) -> object:
        return client.post(URL, content=contents[position], headers=headers).json()

    _checked(ask, positions[-1])
    return lambda: _timed(ask, positions)


def measure(quick: bool) -> list[Row]:
    """Measure replay cost per request at each cassette size; return the rows."""
    sizes = (1, 100) if quick else (1, 100, 2_000, 10_000)
    requests, slow_requests = (20, 5) if quick else (100, 20)
    count, budget = (2, 0.2) if quick else (15, 2.0)
    rows: list[Row] = []
    costs: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as folder:
        for size in sizes:
            ours_path = record_ours(size, Path(folder) / f"ours-{size}.json")
            positions = evenly(size, requests)
            rounds = {"ours": ours_round(ours_path, positions), FLOOR: floor_round(positions)}
            if size <= ALTERNATIVES_LARGEST:
                rounds[RESPX] = respx_round(size, evenly(size, slow_requests))
                vcrpy_path = record_vcrpy(size, Path(folder) / f"vcrpy-{size}.yaml")
                rounds[VCRPY] = vcrpy_round(vcrpy_path, size, requests)
            if size == max(sizes):
                rounds[REORDERED] = reordered_round(ours_path, positions)
            medians = interleaved(rounds, count=count, budget=budget)
            costs[size] = ours = medians["ours"]
            where = f"{size:,} interaction{'s' if size > 1 else ''}"
            floor = medians[FLOOR]
            rows.append(_row(where, ours, floor, FLOOR, "<= 1.3x", ours <= 1.3 * floor))
            if REORDERED in medians:
                rows.append(_row(f"{where}, {REORDERED}", medians[REORDERED], floor, FLOOR))
            if RESPX in medians:
                rows.append(_row(where, ours, medians[RESPX], RESPX))
            if VCRPY in medians and size == ALTERNATIVES_LARGEST:
                holds = medians[VCRPY] >= 50 * ours
                rows.append(_row(where, ours, medians[VCRPY], VCRPY, "<= 0.02x (50x faster)", holds))
            elif VCRPY in medians:
                rows.append(_row(where, ours, medians[VCRPY], VCRPY))
    smallest, largest = min(costs), max(costs)
    flat = costs[largest] <= 1.2 * costs[smallest]
    rows.append(
        _row(
            f"flatness: {largest:,} vs {smallest:,}", costs[largest], costs[smallest], "ours", "<= 1.2x", flat
        )
    )
    return rows


def _row(
    measured: str, ours: float, baseline: float, name: str, target: str = "-", holds: bool | None = None
) -> Row:
    return Row(FIGURE, measured, ours, baseline, name, Unit.SECONDS, target, holds)
