"""Eight pytest-xdist workers recording and replaying at once corrupt nothing and lose nothing.

A generated downstream project has many tests: each records a cassette of its own, groups of them
share a cassette by name (sending the same requests, as tests sharing a fixture's setup do), and a
further group shares one cassette in which each test asks something different, so that every test
adds its episodes to what the others saved. Every test also uploads the same file, so that the
workers write one shared blob at the same moment.

The project records against the emulator with ``-n 8`` and ``--genai-replay-mode=new_episodes``,
then replays with ``-n 8``. Afterwards
every cassette loads, holds every interaction its tests sent, every blob matches its hash, no
temporary file is left behind, the replay run sends nothing and writes nothing, and the report the
controller merged from the workers has the right counts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from replay import CassetteError, load_cassette
from tests.reliability.conftest import LOST, Tally

pytest.importorskip("xdist")

OWN = 16
SHARED_GROUPS = 4
SHARED = 8
EPISODES = 8
WORKERS = 8
UPLOAD = 96 * 1024
"""Bytes of the file every test uploads: above the blob threshold, so stored as one shared blob."""

TESTS = f"""
import pytest

from genai_min import files, models

MODEL = "gemini-2.0-flash-001"
DATA = bytes(range(256)) * ({UPLOAD} // 256)


def exchange(genai_replay, prompt):
    with genai_replay.transport() as t:
        assert models.generate_content(t, model=MODEL, contents=prompt).text
        chunks = list(models.generate_content_stream(t, model=MODEL, contents="story " + prompt))
        assert len(chunks) > 1
        uploaded = files.upload(t, file=DATA, config={{"mime_type": "application/octet-stream"}})
        assert uploaded.size_bytes == len(DATA)


@pytest.mark.parametrize("n", range({OWN}))
def test_own(genai_replay, n):
    exchange(genai_replay, f"own {{n}}")


@pytest.mark.parametrize(
    "n", [pytest.param(n, marks=pytest.mark.genai_replay(f"shared_{{n % {SHARED_GROUPS}}}")) for n in range({SHARED})]
)
def test_shared(genai_replay, n):
    exchange(genai_replay, f"shared {{n % {SHARED_GROUPS}}}")


@pytest.mark.genai_replay("episodes")
@pytest.mark.parametrize("n", range({EPISODES}))
def test_episode(genai_replay, n):
    exchange(genai_replay, f"episode {{n}}")
"""

PER_TEST = 4
"""Requests each test sends: generate, stream, and the upload's start and its one chunk."""
TOTAL_TESTS = OWN + SHARED + EPISODES
EPISODE_INTERACTIONS = 2 * EPISODES + 2
"""Each episode's question and story; the upload, the same in every episode, once."""
CASSETTES = OWN + SHARED_GROUPS + 1
SUMMARY = re.compile(
    r"genai-replay: (\d+) cassettes; (\d+) interactions replayed, (\d+) recorded "
    r"\((\d+) new cassettes, (\d+) changed\), (\d+) unplayed, (\d+) missing"
)
TEMPORARY = re.compile(r"\..*\.tmp$")


def counts(lines: list[str]) -> dict[str, int]:
    (found,) = [m for line in lines if (m := SUMMARY.fullmatch(line.strip()))]
    names = ("cassettes", "replayed", "recorded", "new", "changed", "unplayed", "missing")
    return dict(zip(names, map(int, found.groups()), strict=True))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def check_cassettes(root: Path, tally: Tally) -> None:
    """Every cassette loads (blobs included) and holds what its tests sent; nothing temporary is left."""
    leftovers = [path.name for path in root.rglob("*") if TEMPORARY.search(path.name)]
    assert leftovers == []
    # Named cassettes live at the top of the folder; the others under their module's name.
    expected = {f"test_app/test_own[{n}].json": PER_TEST for n in range(OWN)}
    expected |= {f"shared_{g}.json": PER_TEST for g in range(SHARED_GROUPS)}
    expected["episodes.json"] = EPISODE_INTERACTIONS
    found = {str(path.relative_to(root)) for path in root.rglob("*.json")}
    tally[LOST] += len(expected.keys() - found)
    assert found == expected.keys()
    for name, interactions in expected.items():
        try:
            cassette = load_cassette(root / name)
        except CassetteError:
            tally[LOST] += 1
            raise
        if len(cassette.interactions) != interactions:
            tally[LOST] += 1
        assert len(cassette.interactions) == interactions, name
    prompts = {
        str(i.request.body.json)
        for i in load_cassette(root / "episodes.json").interactions
        if ":generateContent" in i.request.url
    }
    assert len(prompts) == EPISODES, "an episode recorded by one worker was lost by another"
    for blobs in (root / "blobs", root / "test_app" / "blobs"):
        assert [path.stat().st_size for path in blobs.iterdir()] == [UPLOAD]


def test_eight_workers_record_and_replay_without_losing_anything(
    downstream: pytest.Pytester, reliability_tally: Tally
) -> None:
    downstream.makepyfile(test_app=TESTS)
    folder = downstream.path / "cassettes"

    recording = downstream.runpytest_subprocess(
        "-n", str(WORKERS), "--genai-replay-mode=new_episodes", "--genai-replay-upstream=emulator"
    )
    recording.assert_outcomes(passed=TOTAL_TESTS)
    recorded = counts(recording.outlines)
    assert recorded["cassettes"] == CASSETTES
    # Which of the tests sharing a cassette find it already saved by another worker depends on timing.
    assert recorded["replayed"] + recorded["recorded"] == TOTAL_TESTS * PER_TEST
    assert recorded["missing"] == 0
    assert recorded["new"] >= CASSETTES
    check_cassettes(folder, reliability_tally)
    reliability_tally["cassettes recorded by 8 workers at once"] += CASSETTES

    before = snapshot(folder)
    replaying = downstream.runpytest_subprocess("-n", str(WORKERS))
    replaying.assert_outcomes(passed=TOTAL_TESTS)
    assert counts(replaying.outlines) == {
        "cassettes": CASSETTES,
        "replayed": TOTAL_TESTS * PER_TEST,
        "recorded": 0,
        "new": 0,
        "changed": 0,
        # Each test that shares "episodes" plays only its own episodes; between them they play all.
        "unplayed": 0,
        "missing": 0,
    }
    assert snapshot(folder) == before
    check_cassettes(folder, reliability_tally)
    reliability_tally["cassettes replayed by 8 workers at once"] += CASSETTES
