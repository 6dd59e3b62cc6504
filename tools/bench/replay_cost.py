"""Replay cost per request, and cassette load time, each as a ratio against its floor in the same run.

- Per request: an ``httpx.Client`` posting a 1 KB generateContent request and reading a 5 KB answer,
  through `replay.ReplayTransport` over cassettes of 1, 100 and 10,000 interactions, against the same
  client over ``httpx.MockTransport`` returning the same answer (the floor: no lookup at all).
  Targets: at most 1.3x the floor, and flat in cassette size.
- The same with a request whose keys are snake_case: other bytes, same meaning, so it takes the
  normalising path instead of the byte-for-byte fast path.
- Loading: `replay.load_cassette` plus a `Player` for a 1,000-interaction cassette, against
  ``json.loads`` of the same file (target: at most 2x); and, for information, load plus the first
  answer, which builds the index.

Run: ``python tools/bench/replay_cost.py [--quick]``. Prints a table; exits 0 whatever the figures
(benchmarks report, tests assert).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from replay import (
    Body,
    BodyKind,
    Cassette,
    Interaction,
    Player,
    ReplayTransport,
    Request,
    Response,
    load_cassette,
    save_cassette,
)

URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"


def request_body(i: int) -> dict[str, object]:
    """About 1 KB of request."""
    text = f"question {i}: " + "why is the sky blue? " * 45
    return {"contents": [{"role": "user", "parts": [{"text": text}]}], "generationConfig": {"temperature": 0}}


def response_body(i: int) -> dict[str, object]:
    """About 5 KB of answer."""
    text = f"answer {i}: " + "Rayleigh scattering of sunlight by air molecules. " * 98
    return {
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 230, "candidatesTokenCount": 1100, "totalTokenCount": 1330},
    }


def cassette(size: int) -> Cassette:
    return Cassette(
        tuple(
            Interaction(
                Request(
                    "POST",
                    URL,
                    (("content-type", "application/json"),),
                    Body(BodyKind.JSON, json=request_body(i)),
                ),
                Response(
                    200,
                    (("content-type", "application/json; charset=UTF-8"),),
                    Body(BodyKind.JSON, json=response_body(i)),
                ),
            )
            for i in range(size)
        )
    )


def per_call(fn: Callable[[], object], repeat: int, rounds: int) -> float:
    """Median seconds per call over `rounds` rounds of `repeat` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        times.append((time.perf_counter() - start) / repeat)
    return statistics.median(times)


Row = tuple[str, float, float, str, "bool | None"]


def snake_case(value: object) -> object:
    """The same request with snake_case keys: other bytes, same meaning (the normalising path)."""
    if isinstance(value, dict):
        return {
            "".join("_" + c.lower() if c.isupper() else c for c in k): snake_case(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [snake_case(v) for v in value]
    return value


def replay_figures(repeat: int, rounds: int) -> list[Row]:
    answer = json.dumps(response_body(0)).encode()
    floor_client = httpx.Client(
        transport=httpx.MockTransport(
            lambda r: httpx.Response(200, content=answer, headers={"content-type": "application/json"})
        )
    )
    body = request_body(0)
    floor = per_call(lambda: floor_client.post(URL, json=body).json(), repeat, rounds)
    rows: list[Row] = []
    costs = []
    for size in (1, 100, 10_000):
        client = httpx.Client(transport=ReplayTransport(Player(cassette(size))))
        target = request_body(size // 2)  # an interaction in the middle of the cassette
        cost = per_call(lambda c=client, b=target: c.post(URL, json=b).json(), repeat, rounds)
        costs.append(cost)
        rows.append((f"replay, {size:,} interactions", cost, floor, "<= 1.3x", cost / floor <= 1.3))
    rows.append(("flatness: 10,000 vs 1", costs[-1], costs[0], "<= 1.2x", costs[-1] / costs[0] <= 1.2))
    client = httpx.Client(transport=ReplayTransport(Player(cassette(100))))
    other = snake_case(request_body(50))
    cost = per_call(lambda: client.post(URL, json=other).json(), repeat, rounds)
    rows.append(("replay, 100, snake_case request", cost, floor, "<= 1.3x", cost / floor <= 1.3))
    return rows


def load_figures(rounds: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.json"
        save_cassette(cassette(1000), path)
        raw = per_call(lambda: json.loads(path.read_bytes()), 1, rounds)
        ours = per_call(lambda: Player(load_cassette(path)), 1, rounds)
        first = request_body(0)

        def load_and_ask() -> None:
            player = Player(load_cassette(path))
            player.answer_wire(
                "POST", URL, json.dumps(first, ensure_ascii=False, separators=(",", ":")).encode()
            )

        indexed = per_call(load_and_ask, 1, rounds)
    return [
        ("load 1,000 interactions", ours, raw, "<= 2x", ours / raw <= 2),
        ("load + index + first answer", indexed, raw, "-", None),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    args = parser.parse_args()
    repeat, rounds = (50, 3) if args.quick else (500, 7)
    rows = replay_figures(repeat, rounds) + load_figures(3 if args.quick else 9)
    print(f"{'figure':36} {'ours':>12} {'baseline':>12} {'ratio':>7} {'target':>8}  holds")
    for name, ours, base, target, holds in rows:
        verdict = "-" if holds is None else "yes" if holds else "NO"
        times = f"{ours * 1e6:10.1f}us {base * 1e6:10.1f}us"
        print(f"{name:36} {times} {ours / base:6.2f}x {target:>8}  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
