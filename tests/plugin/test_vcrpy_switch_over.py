"""A project written for vcrpy + pytest-recording switches over by following docs/coming-from-vcrpy.md.

The throwaway project is shaped like the real suites that lost tests when moved over: plain httpx
posting to Google's hard-coded host, a follow-up request that carries a client-made
``call_<uuid4>`` id, a field the code started sending after the recording, a test-local
``httpx.MockTransport`` on ``http://localhost``, ``pytestmark = pytest.mark.vcr``, a ``vcr_config``
with ``filter_headers``, ``match_on`` and ``ignore_hosts``, and a test that reads
``vcr.play_count``. Its YAML cassettes are made by vcrpy itself, against the emulator (no
credentials here), with the URLs put back on Google's host as a live recording has them.

Then the guide's steps, one by one: import the cassettes in place, swap the markers, rename the
config fixture and translate its keys by the guide's table, rename the fixture's attributes, and run
offline with no credentials and pytest-recording switched off. Last, the stricter default: with
bodies compared, the misses teach the ``ignore_json_paths`` line and the re-record command, and the
line they print makes the test pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from replay.emulator import Emulator

GOOGLE = "https://generativelanguage.googleapis.com"
FAKE_KEY = "AIza" + "V" * 35  # shaped like a key, so a leak would be caught; never a real one

APP = """
import os
import uuid

import httpx

GOOGLE = "https://generativelanguage.googleapis.com"
PATH = "/v1beta/models/gemini-2.5-flash:generateContent"


def user(text):
    return {"role": "user", "parts": [{"text": text}]}


def post(body):
    base = os.environ.get("APP_GEMINI_BASE", GOOGLE)
    headers = {"x-goog-api-key": os.environ.get("GEMINI_API_KEY", "")}
    answer = httpx.post(base + PATH, json=body, headers=headers, timeout=30)
    answer.raise_for_status()
    return answer.json()["candidates"][0]["content"]["parts"][0]["text"]


def ask(text):
    return post({"contents": [user(text)]})


def ask_with_tool():
    call_id = f"call_{uuid.uuid4()}"
    call = {"functionCall": {"id": call_id, "name": "weather", "args": {"city": "Paris"}}}
    result = {"functionResponse": {"id": call_id, "name": "weather", "response": {"celsius": 21}}}
    turns = [user("Weather in Paris?"), {"role": "model", "parts": [call]}, {"role": "user", "parts": [result]}]
    return post({"contents": turns})


def ask_briefly(text):
    body = {"contents": [user(text)]}
    # the field the code adds after the recording goes here
    return post(body)
"""

TESTS = """
import httpx
import pytest

import app

pytestmark = pytest.mark.vcr


def test_ask():
    assert app.ask("Why is the sky blue?")


def test_tool_round_trip():
    assert app.ask_with_tool()


def test_briefly():
    assert app.ask_briefly("Hello")


def test_local_mock_transport():
    def handler(request):
        return httpx.Response(200, json={"path": request.url.path})

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://localhost") as client:
        assert client.get("/health").json() == {"path": "/health"}


def test_counted(vcr):
    had = len(vcr.data)
    app.ask("Count me")
    assert vcr.play_count == (1 if had else 0)
"""

VCR_CONFTEST = """
import pytest


@pytest.fixture(scope="module")
def vcr_config():
    return {
        "filter_headers": ["x-goog-api-key"],
        "match_on": ["method", "scheme", "host", "port", "path", "query"],
        "ignore_hosts": ["localhost"],
    }
"""

ADDED_FIELD = '    body["generationConfig"] = {"responseModalities": ["TEXT"], "thinkingConfig": {"includeThoughts": False}}'


def run_pytest(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run pytest in `project` in a fresh process, as the user's terminal would."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def clean_environment(project: Path) -> dict[str, str]:
    from conftest import CREDENTIAL_VARIABLES

    env = {
        k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARIABLES and not k.startswith("PYTEST_")
    }
    env["CLOUDSDK_CONFIG"] = str(project / ".no-gcloud")
    env["PYTHONPATH"] = str(project)
    return env


def write(project: Path, name: str, text: str) -> None:
    (project / name).write_text(text.lstrip(), encoding="utf-8")


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} lacks {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def recorded_by_vcrpy(tmp_path: Path) -> Path:
    """The vcrpy project, its cassettes recorded against the emulator and its suite green under vcrpy."""
    project = tmp_path / "project"
    project.mkdir()
    write(project, "app.py", APP)
    write(project, "test_app.py", TESTS)
    write(project, "conftest.py", VCR_CONFTEST)
    env = clean_environment(project)
    with Emulator() as emulator:
        emulator_url = emulator.url
        recording = run_pytest(
            project,
            "--record-mode=once",
            env={**env, "APP_GEMINI_BASE": emulator.url, "GEMINI_API_KEY": FAKE_KEY},
        )
    assert recording.returncode == 0, recording.stdout + recording.stderr
    cassettes = sorted((project / "cassettes" / "test_app").glob("*.yaml"))
    assert [c.stem for c in cassettes] == ["test_ask", "test_briefly", "test_counted", "test_tool_round_trip"]
    for cassette in cassettes:  # as a live recording has them
        text = cassette.read_text(encoding="utf-8")
        assert FAKE_KEY not in text, "vcrpy's filter_headers kept the key out"
        cassette.write_text(text.replace(emulator_url, GOOGLE), encoding="utf-8")
    replaying = run_pytest(project, "--record-mode=none", env=env)
    assert replaying.returncode == 0, replaying.stdout + replaying.stderr
    # The code changes after the recording; vcrpy's match_on ignores bodies, so its suite stays green.
    edit(project, "app.py", "    # the field the code adds after the recording goes here", ADDED_FIELD)
    return project


def follow_the_guide(project: Path) -> dict[str, str]:
    """Do what docs/coming-from-vcrpy.md says, step by step; return the environment to run in."""
    env = clean_environment(project)
    # 1. Import the cassettes in place: each YAML gets a JSON beside it, where the fixture looks.
    imported = subprocess.run(
        [sys.executable, "-c", "from replay.cli import main; main()", "import", "cassettes"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert sorted(p.name for p in (project / "cassettes" / "test_app").glob("*.json")) == [
        "test_ask.json",
        "test_briefly.json",
        "test_counted.json",
        "test_tool_round_trip.json",
    ]
    # 2. The marker: a genai_replay mark turns the harness on, as the vcr mark did.
    edit(project, "test_app.py", "pytestmark = pytest.mark.vcr", "pytestmark = pytest.mark.genai_replay")
    # 3. The config fixture, its keys translated by the table (filter_headers has nothing to do).
    edit(project, "conftest.py", "def vcr_config():", "def genai_replay_config():")
    edit(project, "conftest.py", '        "filter_headers": ["x-goog-api-key"],\n', "")
    # 4. The vcr fixture's attributes.
    edit(project, "test_app.py", "def test_counted(vcr):", "def test_counted(genai_replay):")
    edit(project, "test_app.py", "len(vcr.data)", "len(genai_replay.recorded_requests)")
    edit(project, "test_app.py", "vcr.play_count", "genai_replay.play_count")
    return env


def test_a_vcrpy_project_passes_offline_after_following_the_guide(recorded_by_vcrpy: Path) -> None:
    project = recorded_by_vcrpy
    env = follow_the_guide(project)
    # 5. Run offline: no credentials, no emulator, pytest-recording off, replay only.
    result = run_pytest(project, "-p", "no:recording", "-rA", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout
    assert "matched with a loosened policy" in result.stdout


def test_with_bodies_compared_the_misses_teach_the_line_that_fixes_them(recorded_by_vcrpy: Path) -> None:
    project = recorded_by_vcrpy
    env = follow_the_guide(project)
    edit(
        project,
        "conftest.py",
        '        "match_on": ["method", "scheme", "host", "port", "path", "query"],\n',
        "",
    )
    strict = run_pytest(project, "-p", "no:recording", env=env)
    assert strict.returncode == 1
    output = strict.stdout
    assert "2 failed, 3 passed" in output, output
    assert "genai_replay_ignore_json_paths =" in output
    assert "contents.*.parts.*.functionCall.id" in output
    assert "contents.*.parts.*.functionResponse.id" in output
    assert "lacks generationConfig, which the request now sends" in output
    assert "re-record it: pytest test_app.py::test_briefly --genai-replay-mode=all" in output
    # The line the miss printed, put in the ini file, makes the generated-id test match.
    ini = (project / "pytest.ini") if (project / "pytest.ini").exists() else None
    assert ini is None
    write(
        project,
        "pytest.ini",
        "[pytest]\ngenai_replay_ignore_json_paths =\n"
        "    contents.*.parts.*.functionCall.id\n"
        "    contents.*.parts.*.functionResponse.id\n",
    )
    taught = run_pytest(project, "-p", "no:recording", "test_app.py::test_tool_round_trip", env=env)
    assert taught.returncode == 0, taught.stdout + taught.stderr
