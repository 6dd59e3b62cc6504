"""The process `test_crash_safety` kills: it records cassettes, again and again, until a signal ends it.

Run as ``python -m tests.reliability._crash_child``, it imports everything once and then serves the
test as a fork server, so each kill costs a fork instead of an interpreter start. Protocol, one line
each way: the test sends ``run FOLDER SEED BASE MODE``, the server forks a recorder and answers
with its pid, and when the recorder has died, with ``exit STATUS``. MODE ``handled`` installs a
SIGTERM handler that raises SystemExit, as many programs do; ``plain`` leaves the default (die at once).

The recorder records through `RecordingTransport` around a stub service whose answers depend on the
cassette and a generation number, so the test can tell exactly which version of a cassette is on
disk and whether it is complete. Before each save it logs ``S GENERATION INDEX``, after it ``D ...``.
"""

from __future__ import annotations

import os
import random
import signal
import sys
from pathlib import Path
from typing import Any, NoReturn

import httpx

import genai_min
from genai_min import models
from genai_min._base import build_loaded_models
from replay import BodyKind, Cassette, Meta, Recorder, RecordingTransport, load_cassette

CASSETTES = 3
MODEL = "gemini-2.0-flash-001"
DOWNLOAD = "https://generativelanguage.googleapis.com/download/v1beta/files/f{}:download?alt=media"


def cassette_path(folder: Path, index: int) -> Path:
    return folder / f"cassette-{index}.json"


def downloads(generation: int) -> int:
    """How many large binary answers (stored as blobs) a generation records."""
    return 1 + generation % 3


def payload(generation: int, index: int, download: int) -> bytes:
    """A large binary answer; generations repeat them, so blobs are reused as well as written."""
    size = 70_000 + (generation % 5) * 90_000 + download * 1_000
    return random.Random(f"{generation % 5}/{index}/{download}").randbytes(size)


def text(generation: int, index: int) -> str:
    return f"generation {generation} of cassette {index}"


def answer(index: int, generation: int, request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith(":generateContent"):
        reply = {"candidates": [{"content": {"role": "model", "parts": [{"text": text(generation, index)}]}}]}
        return httpx.Response(200, json=reply)
    if path.endswith(":streamGenerateContent"):
        events = "".join(
            f'data: {{"candidates": [{{"content": {{"parts": [{{"text": "{n} {generation}"}}]}}}}]}}\r\n\r\n'
            for n in range(3)
        )
        return httpx.Response(200, content=events.encode(), headers={"content-type": "text/event-stream"})
    download = int(path.rsplit("/f", 1)[1].split(":")[0])
    content = payload(generation, index, download)
    return httpx.Response(200, content=content, headers={"content-type": "application/octet-stream"})


def record(folder: Path, index: int, generation: int, log: int) -> None:
    """Record one generation of one cassette and save it, logging around the save."""
    path = cassette_path(folder, index)
    previous = load_cassette(path) if path.exists() else None
    meta = Meta(recorded_against="emulator", client="crash-child", client_version=str(generation))
    recorder = Recorder(path, meta=meta, previous=previous)

    def handle(request: httpx.Request) -> httpx.Response:
        return answer(index, generation, request)

    recording = RecordingTransport(recorder, inner=httpx.MockTransport(handle))
    with genai_min.Transport(api_key="crash-test-key", transport=recording) as t:  # type: ignore[arg-type]
        models.generate_content(t, model=MODEL, contents=f"question {generation}")
        list(models.generate_content_stream(t, model=MODEL, contents="a stream"))
    with httpx.Client(transport=recording) as client:  # type: ignore[arg-type]
        for download in range(downloads(generation)):
            client.get(DOWNLOAD.format(download)).read()
    os.write(log, f"S {generation} {index}\n".encode())
    recorder.save()
    os.write(log, f"D {generation} {index}\n".encode())


def record_forever(folder: Path, seed: int, base: int, log: int) -> NoReturn:
    rng = random.Random(seed)
    generation = base
    while True:
        generation += 1
        record(folder, rng.randrange(CASSETTES), generation, log)


def generation_of(cassette: Cassette, index: int) -> int:
    """Return the generation a loaded cassette holds, checking that every part of it belongs to it."""
    generation = int(cassette.meta.client_version)
    interactions = cassette.interactions
    assert len(interactions) == 2 + downloads(generation), f"{len(interactions)} interactions"
    first = interactions[0].response.body
    assert first.kind is BodyKind.JSON and isinstance(first.json, dict)
    assert first.json["candidates"][0]["content"]["parts"][0]["text"] == text(generation, index)
    stream = interactions[1].response.body
    assert stream.kind is BodyKind.SSE and len(stream.events) == 3
    for download, interaction in enumerate(interactions[2:]):
        assert interaction.response.body.data == payload(generation, index, download), "blob differs"
    return generation


def _child(command: list[str]) -> NoReturn:
    folder, seed, base, mode = Path(command[0]), int(command[1]), int(command[2]), command[3]
    if mode == "handled":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    log = os.open(folder.parent / "log", os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        record_forever(folder, seed, base, log)
    except SystemExit:
        os._exit(143)
    except BaseException as exc:  # pragma: no cover - reported to the test through the log
        os.write(log, f"E {exc!r}\n".encode())
        os._exit(1)


def serve(stdin: Any, stdout: Any) -> None:
    """Fork a recorder for each ``run`` line; report its pid, then how it ended."""
    build_loaded_models()  # once here, not in every child: wire types build on first use
    print("ready", file=stdout, flush=True)
    for line in stdin:
        words = line.split()
        if not words or words[0] != "run":
            continue
        pid = os.fork()
        if pid == 0:
            _child(words[1:])
        print(pid, file=stdout, flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", file=stdout, flush=True)


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
