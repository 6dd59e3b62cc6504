"""Peak memory while recording and replaying a large upload and a large download, at two sizes.

The upload is `genai_min.files.upload` of a file of random bytes (resumable, 8 MiB chunks); the
download is `genai_min.files.download` of a video file the emulator holds. Each runs in a fresh
process (two at a time) in three modes: not recorded (`genai_min` alone, against the emulator),
recorded (`replay.RecordingTransport` in front of the emulator, then `Recorder.save`), and
replayed (`replay.ReplayTransport` from that cassette, no emulator). The emulator runs in a process
of its own, so what it stores is not counted. Peak memory is the peak resident memory of the whole
process (``VmHWM`` on Linux).

The figure is the growth of the peak between the two sizes, beyond what the same operation grows
by without the harness: how much of the body the harness holds. `files.download` returns the body
as bytes, so the client itself holds it once; an upload is read one chunk at a time.

Target: recording and replaying grow by at most one upload chunk (8 MiB) plus 2 MiB. Where a target
misses, a traced run of the larger size reports to standard error where the memory is allocated.

Run one measurement by hand with ``python tools/bench/memory.py child OP MODE MIB FOLDER URL``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from _result import Row, Unit, peak_rss

FIGURE = "memory"
MIB = 2**20
CHUNK = 8 * MIB
SLACK = 2 * MIB
KEY = "emulator-key-for-memory-benchmarks"
MODES = ("plain", "record", "replay")
OPERATIONS = ("upload", "download")
TARGET = "<= 10 MiB (8 MiB chunk + 2)"


# -- the measured processes -----------------------------------------------------------------------


def serve() -> None:
    """Serve the emulator on 127.0.0.1 until standard input closes; print its URL first."""
    from replay.emulator import Emulator

    with Emulator() as emulator:
        print(emulator.url, flush=True)
        sys.stdin.read()


def child(op: str, mode: str, mib: int, folder: Path, url: str, *, trace: bool = False) -> dict[str, object]:
    """Run one operation in one mode at one size; return its peak memory (and, traced, where it went)."""
    import genai_min
    from genai_min import files
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
    from replay.emulator import canonical_url

    cassette = folder / f"{op}-{mib}.json"
    recorder: Recorder | None = None
    if trace:
        tracemalloc.start(12)
    if mode == "plain":
        t = genai_min.Transport(api_key=KEY, base_url=url)
    elif mode == "record":
        # Keep ``location`` whatever the default allow-list holds, so the download's redirect replays.
        recorder = Recorder(
            cassette,
            meta=Meta(recorded_against="emulator"),
            sanitiser=Sanitiser((HeaderRule("location"),)),
            canonical=lambda text: canonical_url(text, url),
        )
        t = genai_min.Transport(api_key=KEY, base_url=url, transport=RecordingTransport(recorder))
    else:
        t = genai_min.Transport(api_key=KEY, transport=ReplayTransport(Player(load_cassette(cassette))))
    snapshots = []
    with t:
        if op == "upload":
            uploaded = files.upload(
                t, file=upload_path(folder, mib), config={"mime_type": "application/octet-stream"}
            )
            if uploaded.size_bytes != mib * MIB:
                raise RuntimeError(
                    f"uploaded {uploaded.size_bytes} bytes of {mib * MIB}: the benchmark is wrong"
                )
        else:
            data = files.download(t, file=video_name(mib))
            if len(data) != mib * MIB:
                raise RuntimeError(f"downloaded {len(data)} bytes of {mib * MIB}: the benchmark is wrong")
            del data
        if trace:
            snapshots.append(("after the operation", tracemalloc.take_snapshot()))
        if recorder is not None:
            recorder.save()
    result: dict[str, object] = {"peak": peak_rss()}
    if trace:
        result["traced_peak"] = tracemalloc.get_traced_memory()[1]
        result["top"] = [
            f"{when}: {line}" for when, snapshot in snapshots for line in top_allocations(snapshot)
        ]
    return result


def top_allocations(snapshot: tracemalloc.Snapshot, count: int = 4) -> list[str]:
    """Describe the live allocations of a MiB or more: where they were made, and the calls leading there."""
    lines = []
    for stat in [s for s in snapshot.statistics("traceback") if s.size >= MIB][:count]:
        frames = [
            f"{Path(f.filename).name}:{f.lineno}" for f in stat.traceback if "site-packages" not in f.filename
        ]
        lines.append(
            f"{stat.size / MIB:.1f} MiB in {stat.count} blocks, from {' < '.join(reversed(frames[-4:]))}"
        )
    return lines


def upload_path(folder: Path, mib: int) -> Path:
    """Return where the upload of `mib` MiB is written."""
    return folder / f"upload-{mib}.bin"


def video_name(mib: int) -> str:
    """Return the name of the emulator's video file of `mib` MiB."""
    return f"files/video-{mib}"


# -- the orchestration ----------------------------------------------------------------------------


def write_random(path: Path, mib: int) -> None:
    """Write `mib` MiB of random bytes (no two chunks alike, none valid UTF-8), one MiB at a time."""
    with path.open("wb") as handle:
        for _ in range(mib):
            handle.write(os.urandom(MIB))


def run_child(
    op: str, mode: str, mib: int, folder: Path, url: str, *, trace: bool = False
) -> dict[str, object]:
    """Run `child` in a fresh interpreter and return what it reported."""
    command = [sys.executable, __file__, "child", op, mode, str(mib), str(folder), url]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def seed_videos(url: str, folder: Path, sizes: tuple[int, ...]) -> None:
    """Put a video file of each size in the emulator (uploaded once, not measured)."""
    import genai_min
    from genai_min import files

    with genai_min.Transport(api_key=KEY, base_url=url) as t:
        for mib in sizes:
            source = folder / f"video-{mib}.mp4"
            write_random(source, mib)
            files.upload(t, file=source, config={"name": video_name(mib), "mime_type": "video/mp4"})
            source.unlink()


def measure(quick: bool) -> list[Row]:
    """Measure peak memory growth of recording and replaying; return the rows."""
    sizes = {"upload": (1, 3), "download": (1, 3)} if quick else {"upload": (20, 200), "download": (5, 50)}
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as name:
        folder = Path(name)
        server = subprocess.Popen(
            [sys.executable, __file__, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        try:
            url = _read_url(server.stdout)
            seed_videos(url, folder, sizes["download"])
            for mib in sizes["upload"]:
                write_random(upload_path(folder, mib), mib)
            for op, (small, large) in sizes.items():
                peaks = _peaks(op, (small, large), folder, url)
                growth = {mode: peaks[mode, large] - peaks[mode, small] for mode in MODES}
                body = float((large - small) * MIB)
                what = f"{op} {small}→{large} MiB"
                rows.append(
                    Row(FIGURE, f"{what}: genai_min alone", growth["plain"], body, "body growth", Unit.BYTES)
                )
                for mode, verb in (("record", "recording"), ("replay", "replaying")):
                    added = growth[mode] - growth["plain"]
                    holds = added <= CHUNK + SLACK
                    rows.append(
                        Row(
                            FIGURE,
                            f"{what}: {verb} adds",
                            added,
                            body,
                            "body growth",
                            Unit.BYTES,
                            TARGET,
                            holds,
                        )
                    )
                    if not holds and not quick:
                        _diagnose(op, mode, large, folder, url)
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.wait(timeout=30)
    return rows


def _peaks(op: str, sizes: tuple[int, int], folder: Path, url: str) -> dict[tuple[str, int], float]:
    """Run every mode at both sizes, two processes at a time (replaying needs the recording first)."""
    peaks: dict[tuple[str, int], float] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for modes in (("plain", "record"), ("replay",)):
            runs = {
                (mode, mib): pool.submit(run_child, op, mode, mib, folder, url)
                for mode in modes
                for mib in sizes
            }
            peaks.update({key: float(run.result()["peak"]) for key, run in runs.items()})  # type: ignore[arg-type]
    return peaks


def _read_url(stream: IO[str] | None) -> str:
    line = stream.readline().strip() if stream is not None else ""
    if not line.startswith("http://127.0.0.1:"):
        raise RuntimeError(f"the emulator did not start: it said {line!r}")
    return line


def _diagnose(op: str, mode: str, mib: int, folder: Path, url: str) -> None:
    """Re-run a measurement that missed its target under tracemalloc and say where memory went."""
    result = run_child(op, mode, mib, folder, url, trace=True)
    traced = float(result["traced_peak"]) / MIB  # type: ignore[arg-type]
    print(
        f"  {op} {mib} MiB, {mode}: traced peak {traced:.1f} MiB; largest live allocations:", file=sys.stderr
    )
    for line in result["top"]:  # type: ignore[attr-defined]
        print(f"    {line}", file=sys.stderr)


def main(argv: list[str]) -> int:
    """Serve the emulator (``serve``) or run one measurement (``child OP MODE MIB FOLDER URL [--trace]``)."""
    if argv[:1] == ["serve"]:
        serve()
        return 0
    if argv[:1] == ["child"] and len(argv) >= 6 and argv[1] in OPERATIONS and argv[2] in MODES:
        op, mode, mib, folder, url = argv[1:6]
        print(json.dumps(child(op, mode, int(mib), Path(folder), url, trace="--trace" in argv)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
