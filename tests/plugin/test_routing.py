"""Recording against the emulator routes by host: clients need no base URL, whoever built them.

A downstream project with no credentials records every way its code reaches Gemini and Vertex AI
(Vertex configured by environment variables alone or by arguments, a library that posts to the
hard-coded Google host with httpx, requests or aiohttp, and `genai_min` through the fixture's own
transport with ``timing=True``), then replays with the emulator gone, sockets refused and no Google
variable set.
"""

from __future__ import annotations

import json

import pytest

ROUTED_TESTS = """
import asyncio
import json
import os

import aiohttp
import httpx
import pytest
import requests
from google import genai

from genai_min import models

MODEL = "gemini-2.0-flash-001"
GOOGLE = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"
ASK = {"contents": [{"role": "user", "parts": [{"text": "Why is the sky blue?"}]}]}


def key_headers():
    return {"x-goog-api-key": os.environ["GOOGLE_API_KEY"], "content-type": "application/json"}


def answer_text(body):
    return body["candidates"][0]["content"]["parts"][0]["text"]


def test_vertex_from_the_environment_only(genai_replay, monkeypatch):
    monkeypatch.setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "acme-prod")
    monkeypatch.setenv("GOOGLE_CLOUD_LOCATION", "europe-west4")
    client = genai.Client()
    assert client.models.generate_content(model=MODEL, contents="Why is the sky blue?").text
    chunks = list(client.models.generate_content_stream(model=MODEL, contents="Tell me a story"))
    assert len(chunks) > 1


def test_vertex_from_arguments(genai_replay):
    client = genai.Client(vertexai=True, project="acme-prod", location="us-central1")
    assert client.models.generate_content(model=MODEL, contents="Why is the sky blue?").text


def test_hard_coded_host_with_httpx(genai_replay):
    answer = httpx.post(GOOGLE, headers=key_headers(), json=ASK)
    assert answer.status_code == 200 and answer_text(answer.json())


def test_hard_coded_host_with_requests(genai_replay):
    answer = requests.post(GOOGLE, headers=key_headers(), data=json.dumps(ASK), timeout=10)
    assert answer.status_code == 200 and answer_text(answer.json())


def test_hard_coded_host_with_aiohttp(genai_replay):
    async def ask():
        async with aiohttp.ClientSession() as session:
            async with session.post(GOOGLE, headers=key_headers(), json=ASK) as answer:
                return answer.status, await answer.json()

    status, body = asyncio.run(ask())
    assert status == 200 and answer_text(body)


@pytest.mark.genai_replay(timing=True)
def test_genai_min_through_the_fixture_transport(genai_replay):
    t = genai_replay.transport()
    chunks = list(models.generate_content_stream(t, model=MODEL, contents="Tell me a story"))
    assert len(chunks) > 1
"""

EXPECTED_BACKENDS = {
    # The location is a placeholder on disk, in the host as in the path.
    "test_vertex_from_the_environment_only": ("vertex", "LOCATION-aiplatform.googleapis.com"),
    "test_vertex_from_arguments": ("vertex", "LOCATION-aiplatform.googleapis.com"),
    "test_hard_coded_host_with_httpx": ("gemini", "generativelanguage.googleapis.com"),
    "test_hard_coded_host_with_requests": ("gemini", "generativelanguage.googleapis.com"),
    "test_hard_coded_host_with_aiohttp": ("gemini", "generativelanguage.googleapis.com"),
    "test_genai_min_through_the_fixture_transport": ("gemini", "generativelanguage.googleapis.com"),
}


def cassettes(project: pytest.Pytester) -> dict[str, dict]:
    folder = project.path / "cassettes" / "test_routed"
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def test_every_client_records_against_the_emulator_by_host_then_replays_offline(
    downstream: pytest.Pytester,
) -> None:
    downstream.makepyfile(test_routed=ROUTED_TESTS)

    downstream.runpytest_subprocess("--genai-replay-mode=once").assert_outcomes(passed=6)

    recorded = cassettes(downstream)
    assert sorted(recorded) == sorted(EXPECTED_BACKENDS)
    for name, cassette in recorded.items():
        backend, host = EXPECTED_BACKENDS[name]
        assert cassette["meta"]["recorded_against"] == "emulator", name
        assert cassette["meta"]["backend"] == backend, name
        urls = [i["request"]["url"] for i in cassette["interactions"]]
        assert urls and all(url.startswith(f"https://{host}/") for url in urls), (name, urls)
        assert all(i["response"]["status"] == 200 for i in cassette["interactions"]), name
        text = json.dumps(cassette)
        assert "127.0.0.1" not in text and "acme-prod" not in text, name

    streamed = recorded["test_genai_min_through_the_fixture_transport"]["interactions"][0]["response"]
    assert len(streamed["body"]["delays"]) == len(streamed["body"]["sse"]) > 1

    replaying = downstream.runpytest_subprocess()
    replaying.assert_outcomes(passed=6)
    replaying.stdout.fnmatch_lines(["genai-replay: 6 cassettes; * 0 recorded (*), 0 unplayed, 0 missing"])
    assert cassettes(downstream) == recorded
