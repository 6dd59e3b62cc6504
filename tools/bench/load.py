"""Loading a cassette of 1,000 interactions, against reading the same file with ``json.loads``.

Ours is `replay.load_cassette` (read, parse, check every interaction, build the values); the floor
is ``json.loads`` of the same file, read from disk the same way. For information: loading plus
the first answer (which builds the lookup index), and vcrpy loading cassettes of the same exchanges
that it recorded itself, with its YAML serialiser (pytest-recording's default) and its JSON one.

Target: at most 2x ``json.loads``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
from _exchanges import URL, answer_number, record_ours, record_vcrpy, request_body
from _result import Row, Unit, interleaved, per_call

from replay import Player, ReplayTransport, load_cassette

FIGURE = "cassette load"


def _vcrpy_loader(path: Path, serializer: str) -> Callable[[], object]:
    from vcr.cassette import Cassette  # type: ignore[import-untyped]
    from vcr.record_mode import RecordMode  # type: ignore[import-untyped]
    from vcr.serializers import jsonserializer, yamlserializer  # type: ignore[import-untyped]

    module = yamlserializer if serializer == "yaml" else jsonserializer
    return lambda: Cassette.load(path=str(path), serializer=module, record_mode=RecordMode.NONE)


def measure(quick: bool) -> list[Row]:
    """Measure loading a cassette against its floor and vcrpy; return the rows."""
    size = 100 if quick else 1_000
    count, budget = (2, 0.2) if quick else (9, 3.0)
    first = request_body(0)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        ours = record_ours(size, Path(folder) / "ours.json")
        yaml_path = record_vcrpy(size, Path(folder) / "vcrpy.yaml", "yaml")
        json_path = record_vcrpy(size, Path(folder) / "vcrpy.json", "json")

        def load_and_answer() -> None:
            client = httpx.Client(transport=ReplayTransport(Player(load_cassette(ours), path=ours)))
            if answer_number(client.post(URL, json=first).json()) != 0:
                raise RuntimeError("the first recorded request was answered wrongly: the benchmark is wrong")

        loaders: dict[str, Callable[[], object]] = {
            "ours": lambda: load_cassette(ours),
            "json.loads": lambda: json.loads(ours.read_bytes()),
            "ours + first answer": load_and_answer,
            "vcrpy YAML": _vcrpy_loader(yaml_path, "yaml"),
            "vcrpy JSON": _vcrpy_loader(json_path, "json"),
        }
        medians = interleaved(
            {name: partial(per_call, fn, 1) for name, fn in loaders.items()},
            count=count,
            budget=budget,
        )
    what = f"load {size:,} interactions"
    ours_time = medians["ours"]
    return [
        Row(
            FIGURE,
            what,
            ours_time,
            medians["json.loads"],
            "json.loads",
            Unit.SECONDS,
            "<= 2x",
            ours_time <= 2 * medians["json.loads"],
        ),
        Row(
            FIGURE,
            what + " + first answer",
            medians["ours + first answer"],
            medians["json.loads"],
            "json.loads",
            Unit.SECONDS,
        ),
        Row(FIGURE, what, ours_time, medians["vcrpy YAML"], "vcrpy, YAML cassette", Unit.SECONDS),
        Row(FIGURE, what, ours_time, medians["vcrpy JSON"], "vcrpy, JSON cassette", Unit.SECONDS),
    ]
