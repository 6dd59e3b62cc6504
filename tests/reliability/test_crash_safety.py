"""Crash safety: a recording killed at any moment leaves each cassette as it was or complete.

A child process (`_crash_child`) records cassettes with blobs through `RecordingTransport`, saving
again and again; the test kills it at random, seeded moments with SIGKILL, with SIGTERM (default
action: die at once) and with SIGTERM under a handler that raises SystemExit. After every kill, each
cassette is absent (never saved), the version saved last before the kill, or (when the kill came
during a save) the version being saved, complete: it loads, every blob matches its hash, and every
interaction belongs to that version. Files a kill leaves behind are only ``.<name>.<random>.tmp``
files, which are never read as cassettes or blobs; an interrupt Python sees leaves none.
KeyboardInterrupt is also injected at each step of `save_cassette` in-process.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from replay import (
    Body,
    BodyKind,
    Cassette,
    Interaction,
    Meta,
    Request,
    Response,
    load_cassette,
    save_cassette,
)
from replay._cassette import BLOB_DIR, BLOB_THRESHOLD
from tests.reliability import _crash_child as child
from tests.reliability.conftest import INTERRUPTS, KILLS, KILLS_MID_SAVE, LOST, Tally

ROOT = Path(__file__).resolve().parents[2]
SEED = 20_260_101
KILLS_BY_MODE = {("SIGKILL", "plain"): 24, ("SIGTERM", "plain"): 6, ("SIGTERM", "handled"): 6}
LONGEST_RUN = 0.15
"""Seconds a recorder runs at most before it is killed: a few generations, each with a save."""

TEMPORARY = re.compile(r"\.(cassette-\d\.json|[0-9a-f]{64})\.[0-9a-f]{16}\.tmp")
DIGEST = re.compile(r"[0-9a-f]{64}")


class Server:
    """The fork server: starts recorders and reports how they ended."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability._crash_child"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.readline() == "ready"

    def readline(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def start(self, folder: Path, seed: int, base: int, mode: str) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(f"run {folder} {seed} {base} {mode}\n")
        self.process.stdin.flush()
        return int(self.readline())

    def status(self) -> int:
        line = self.readline()
        assert line.startswith("exit "), line
        return int(line.split()[1])

    def close(self) -> None:
        self.process.communicate(timeout=10)  # closes stdin, so the server ends, and reads to the end


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    try:
        yield running
    finally:
        running.close()


def read_log(log: Path) -> list[tuple[str, int, int]]:
    entries = []
    for line in log.read_text().splitlines():
        assert not line.startswith("E "), f"the recorder failed: {line}"
        kind, generation, index = line.split()
        entries.append((kind, int(generation), int(index)))
    return entries


def allowed_generations(
    entries: list[tuple[str, int, int]], index: int, before: int | None
) -> set[int | None]:
    """What may be on disk for a cassette after a run that logged `entries`; it held `before`.

    That is its last save completed in the run (or `before`), or the save the kill cut off.
    """
    saved = before
    for kind, generation, of in entries:
        if of == index and kind == "D":
            saved = generation
    allowed: set[int | None] = {saved}
    if entries and entries[-1][0] == "S" and entries[-1][2] == index:
        allowed.add(entries[-1][1])
    return allowed


def check_folder(
    folder: Path, entries: list[tuple[str, int, int]], state: dict[int, int | None], tally: Tally
) -> set[str]:
    """Check every cassette and blob in `folder` and update `state`; return the temporary files left."""
    for index in range(child.CASSETTES):
        path = child.cassette_path(folder, index)
        allowed = allowed_generations(entries, index, state.get(index))
        found: int | None = None
        try:
            if path.exists():
                found = child.generation_of(load_cassette(path), index)
        except Exception:
            tally[LOST] += 1
            raise
        if found not in allowed:
            tally[LOST] += 1
            raise AssertionError(f"{path.name} holds generation {found}, expected one of {allowed}")
        state[index] = found
    leftovers = set()
    for file in folder.rglob("*"):
        if file.is_dir() or (file.parent.name == BLOB_DIR and DIGEST.fullmatch(file.name)):
            if not file.is_dir():
                assert hashlib.sha256(file.read_bytes()).hexdigest() == file.name, f"{file} is corrupted"
            continue
        if file.name.startswith("cassette-") and file.suffix == ".json":
            continue
        assert TEMPORARY.fullmatch(file.name), f"unexpected file {file}"
        assert not file.name.endswith(".json"), "a temporary file could be taken for a cassette"
        leftovers.add(str(file))
    return leftovers


def test_killing_a_recording_never_leaves_a_cassette_half_written(
    server: Server, tmp_path: Path, reliability_tally: Tally
) -> None:
    rng = random.Random(SEED)
    folder = tmp_path / "cassettes"
    folder.mkdir()
    log = tmp_path / "log"
    log.touch()
    plan = [kind for kind, count in KILLS_BY_MODE.items() for _ in range(count)]
    rng.shuffle(plan)
    leftovers: set[str] = set()
    state: dict[int, int | None] = {}
    seen = 0
    mid_save = 0
    for run, (signal_name, mode) in enumerate(plan):
        pid = server.start(folder, rng.randrange(2**32), run * 1_000_000, mode)
        time.sleep(rng.uniform(0.0, LONGEST_RUN))
        os.kill(pid, getattr(signal, signal_name))
        status = server.status()
        expected_status = 143 if mode == "handled" else getattr(signal, signal_name)
        if mode == "handled":
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == expected_status, status
        else:
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == expected_status, status
        reliability_tally[KILLS] += 1
        entries = read_log(log)
        run_entries, seen = entries[seen:], len(entries)
        if run_entries and run_entries[-1][0] == "S":
            mid_save += 1
            reliability_tally[KILLS_MID_SAVE] += 1
        now_left = check_folder(folder, run_entries, state, reliability_tally)
        if mode == "handled":
            assert now_left == leftovers, f"a handled SIGTERM left {now_left - leftovers}"
        leftovers = now_left
    assert read_log(log), "the recorder never got as far as saving"
    assert mid_save > 0, "no kill landed during a save; raise LONGEST_RUN or the number of kills"


# -- KeyboardInterrupt inside save_cassette --------------------------------------------------------------


def cassette(version: int) -> Cassette:
    """A cassette with two blobs and a small body, all depending on `version`."""
    blobs = [random.Random(f"{version}/{n}").randbytes(BLOB_THRESHOLD + 1 + n) for n in range(2)]
    interactions = tuple(
        Interaction(Request("POST", f"https://x/{n}", (), Body(BodyKind.BYTES, data=blob)), Response(200))
        for n, blob in enumerate(blobs)
    )
    small = Interaction(
        Request("GET", "https://x/v"), Response(200, (), Body(BodyKind.JSON, json={"v": version}))
    )
    return Cassette((*interactions, small), Meta(client_version=str(version)))


class Interrupt:
    """Stand in for one step of saving; at its `at`-th call, raise KeyboardInterrupt.

    With `is_after`, the step is done first (the file is made, or renamed) and the interrupt comes
    just after it, as a Ctrl-C between two statements would.
    """

    def __init__(self, step: Any, at: int, *, is_after: bool) -> None:
        self.step, self.at, self.is_after = step, at, is_after
        self.calls = 0
        self.fired = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls != self.at:
            return self.step(*args, **kwargs)
        self.fired = True
        if self.is_after:
            done = self.step(*args, **kwargs)
            if hasattr(done, "close"):
                done.close()
        raise KeyboardInterrupt


STEPS = {
    "naming the temporary file": (secrets, "token_hex", False),
    "creating it": (None, "open", False),
    "just after creating it": (None, "open", True),
    "syncing it": (os, "fsync", False),
    "renaming it": (os, "replace", False),
    "just after renaming it": (os, "replace", True),
}
"""Each step of writing one file, as (module it is looked up in, name, interrupt after the step)."""


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("at", [1, 2, 3], ids=["first blob", "second blob", "cassette"])
def test_keyboard_interrupt_during_save_keeps_a_complete_cassette(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reliability_tally: Tally, step: str, at: int
) -> None:
    import replay._store as store_module

    path = tmp_path / "c.json"
    save_cassette(cassette(1), path)
    before = {p.name for p in tmp_path.rglob("*")}
    module, name, is_after = STEPS[step]
    if module is None:  # the built-in open, shadowed in the store module only
        interrupt = Interrupt(open, at, is_after=is_after)
        monkeypatch.setattr(store_module, name, interrupt, raising=False)
    else:
        interrupt = Interrupt(getattr(module, name), at, is_after=is_after)
        monkeypatch.setattr(module, name, interrupt)
    with pytest.raises(KeyboardInterrupt):
        save_cassette(cassette(2), path)  # writes two blobs, then the cassette
    monkeypatch.undo()
    assert interrupt.fired
    reliability_tally[INTERRUPTS] += 1
    is_renamed = step == "just after renaming it" and at == 3
    try:
        assert load_cassette(path) == cassette(2 if is_renamed else 1), "the cassette is not one saved whole"
    except Exception:
        reliability_tally[LOST] += 1
        raise
    left = {p for p in tmp_path.rglob("*") if p.name not in before}
    assert all(DIGEST.fullmatch(p.name) for p in left), f"left behind: {sorted(p.name for p in left)}"
    assert all(hashlib.sha256(p.read_bytes()).hexdigest() == p.name for p in left)
    save_cassette(cassette(2), path)
    assert load_cassette(path) == cassette(2)


def test_saving_keeps_the_permissions_of_new_files(tmp_path: Path) -> None:
    # The temporary file came from mkstemp (0600), so every save made the cassette private.
    path = tmp_path / "c.json"
    save_cassette(cassette(1), path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
