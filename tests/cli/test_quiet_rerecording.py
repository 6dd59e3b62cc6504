"""Re-recording an unchanged suite changes no byte, whatever order its tests run in.

The README's tour is recorded against the emulator with four xdist workers, then again serially into
the same folder: not one byte of any cassette or blob may change. That holds only if nothing the
emulator makes depends on which tests ran before (each test starts from an empty emulator and its
ids are counted in the test's scope), if nothing the client makes up (batch names from the clock)
is stored, and if an unchanged cassette keeps its ``recorded_at``. `genai-replay diff` then reports
the two folders identical, with exit status 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CREDENTIAL_VARIABLES

ROOT = Path(__file__).parents[2]


def genai_replay(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARIABLES and not k.startswith("PYTEST_")
    }
    return subprocess.run(
        [sys.executable, "-c", "from replay.cli import main; main()", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_recording_the_tour_again_in_another_order_changes_no_byte(tmp_path: Path) -> None:
    folder = tmp_path / "cassettes"
    record = ("record", "--mode", "all", "--no-replay", "tools/tour", f"--genai-replay-dir={folder}")
    first = genai_replay(*record, "-n", "4", "-p", "no:cacheprovider")
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(folder)
    assert sum(name.endswith(".json") for name in before) > 100

    second = genai_replay(*record, "-p", "no:cacheprovider")
    assert second.returncode == 0, second.stdout + second.stderr
    after = snapshot(folder)

    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert changed == [], f"re-recording changed {len(changed)} files, e.g. {changed[:5]}"
    assert "(0 new cassettes, 0 changed)" in second.stdout
    copy = tmp_path / "copy"
    copy.mkdir()
    for name, content in before.items():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes(content)
    same = genai_replay("diff", str(copy), str(folder))
    assert same.returncode == 0, same.stdout + same.stderr


UPLOADS = """
from google import genai

from genai_min import files


def test_upload_a_large_file(genai_replay, tmp_path):
    data = tmp_path / "notes.txt"
    data.write_bytes(bytes(range(256)) * 1024)  # 256 KiB: stored as a blob beside the cassette
    client = genai.Client(http_options=genai_replay.http_options())
    uploaded = client.files.upload(file=data)
    assert uploaded.name and client.files.get(name=uploaded.name).size_bytes == 256 * 1024
"""


def test_re_recording_a_cassette_with_a_blob_changes_no_byte(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_uploads=UPLOADS)
    first = downstream.runpytest_subprocess("--genai-replay-mode=all")
    first.assert_outcomes(passed=1)
    folder = downstream.path / "cassettes"
    before = snapshot(folder)
    assert any(name.startswith("test_uploads/blobs/") for name in before), sorted(before)

    second = downstream.runpytest_subprocess("--genai-replay-mode=all")
    second.assert_outcomes(passed=1)
    second.stdout.fnmatch_lines(["*recorded (0 new cassettes, 0 changed)*"])
    assert snapshot(folder) == before
