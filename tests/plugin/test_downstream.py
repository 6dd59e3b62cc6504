"""A downstream project records against the emulator, then replays offline with nothing but its cassettes."""

from __future__ import annotations

import json

import pytest

DOWNSTREAM_TESTS = """
import asyncio
import socket
import time

import httpx
import pytest
from google import genai
from google.genai import types

import genai_min
from genai_min import aio, models

MODEL = "gemini-2.0-flash-001"


def vertex():
    return genai.Client(vertexai=True, project="acme-prod", location="us-central1")


@pytest.mark.parametrize("backend", ["gemini", "vertex"])
def test_sdk_httpx2_sync_and_stream(genai_replay, backend):
    client = genai.Client() if backend == "gemini" else vertex()
    assert client.models.generate_content(model=MODEL, contents="Why is the sky blue?").text
    chunks = list(client.models.generate_content_stream(model=MODEL, contents="Tell me a story"))
    assert len(chunks) > 1 and chunks[-1].usage_metadata.total_token_count


def test_sdk_httpx(genai_replay):
    client = genai.Client(http_options=types.HttpOptions(httpx_client=httpx.Client()))
    assert client.models.count_tokens(model=MODEL, contents="count me").total_tokens


@pytest.mark.parametrize("backend", ["gemini", "vertex"])
def test_sdk_aiohttp_async_stream(genai_replay, backend):
    async def main():
        client = genai.Client() if backend == "gemini" else vertex()
        stream = await client.aio.models.generate_content_stream(model=MODEL, contents="async story")
        chunks = [chunk async for chunk in stream]
        answer = await client.aio.models.generate_content(model=MODEL, contents="async hi")
        return chunks, answer

    chunks, answer = asyncio.run(main())
    assert len(chunks) > 1 and answer.text


def test_sdk_file_upload(genai_replay, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the meeting " * 500)
    client = genai.Client()
    uploaded = client.files.upload(file=notes)
    assert uploaded.name.startswith("files/")
    assert client.models.generate_content(model=MODEL, contents=[uploaded, "Summarise"]).text


def test_sdk_video_operation_polled_with_sleep(genai_replay):
    client = vertex()
    operation = client.models.generate_videos(model="veo-2.0-generate-001", source={"prompt": "a cat surfing"})
    polls = 0
    while not operation.done:
        time.sleep(20)
        operation = client.operations.get(operation)
        polls += 1
    assert polls >= 1 and operation.response.generated_videos
    assert genai_replay.skipped_sleeps.seconds == 20 * polls


def test_genai_min_sync_and_async(genai_replay):
    t = genai_replay.transport()
    assert models.generate_content(t, model=MODEL, contents="Hi").text
    assert asyncio.run(aio.models.generate_content(t, model=MODEL, contents="Hi async")).text


def test_genai_min_built_by_the_code_under_test(genai_replay):
    with genai_min.Transport() as t:
        assert "".join(c.text or "" for c in models.generate_content_stream(t, model=MODEL, contents="go"))


def test_sockets_beyond_loopback_are_refused(genai_replay):
    if not genai_replay.is_replaying:
        pytest.skip("only replaying blocks the network")
    with pytest.raises(Exception, match="genai_replay blocked a connection"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
"""


def test_recorded_against_the_emulator_then_replayed_offline(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_app=DOWNSTREAM_TESTS)

    recording = downstream.runpytest_subprocess(
        "--genai-replay-mode=once", "--genai-replay-upstream=emulator"
    )
    recording.assert_outcomes(passed=9, skipped=1)
    cassettes = sorted((downstream.path / "cassettes" / "test_app").glob("*.json"))
    assert len(cassettes) == 9  # the socket test sends nothing
    for path in cassettes:
        text = path.read_text()
        assert "127.0.0.1" not in text and "emulator-key" not in text
        assert json.loads(text)["meta"]["recorded_against"] == "emulator"

    replaying = downstream.runpytest_subprocess("--durations=0")
    replaying.assert_outcomes(passed=10)
    replaying.stdout.fnmatch_lines(
        [
            "genai-replay: 10 cassettes; 18 interactions replayed, 0 recorded (0 new cassettes, 0 changed), 0 unplayed, 0 missing"
        ]
    )


def test_a_request_that_differs_fails_with_the_diff(
    downstream: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    downstream.makepyfile(
        test_app="""
        import os
        from google import genai

        def test_ask(genai_replay):
            prompt = os.environ.get("PROMPT", "Why is the sky blue?")
            client = genai.Client()
            client.models.generate_content(model="gemini-2.0-flash-001", contents=prompt)
        """
    )
    downstream.runpytest_subprocess("--genai-replay-mode=once").assert_outcomes(passed=1)

    monkeypatch.setenv("PROMPT", "Why is the sea blue?")
    result = downstream.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*NoMatchError: no recorded interaction in *test_ask.json matches POST "
            "https://generativelanguage.googleapis.com/v1/models/gemini-2.0-flash-001:generateContent",
            "*closest recorded request: POST *, which differs at:",
            "*re-run with --genai-replay-mode=new_episodes to record it",
        ]
    )
    # fnmatch reads [0] as a character class, so this line is checked as plain text.
    assert (
        "body.contents[0].parts[0].text: values changed 'Why is the sky blue?' -> 'Why is the sea blue?'"
        in (result.stdout.str())
    )
