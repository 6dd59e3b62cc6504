"""Fault injection drives the clients' retry and error paths end to end."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from google.genai import errors

import genai_min
from genai_min import models
from replay.emulator import Emulator, Faults

MODEL = "gemini-2.0-flash-001"
FAST_RETRY = genai_min.RetryOptions(attempts=4, initial_delay=0.001, max_delay=0.01, jitter=0)


@pytest.fixture
def retrying(emulator: Emulator) -> Iterator[genai_min.Transport]:
    """Return a Gemini transport that retries quickly."""
    with genai_min.Transport(api_key="test-key", base_url=emulator.url, retry=FAST_RETRY) as transport:
        yield transport


@pytest.mark.parametrize("status", [429, 500, 503])
def test_retries_get_through_a_burst_of_errors(
    emulator: Emulator, retrying: genai_min.Transport, status: int
) -> None:
    emulator.faults = Faults(failures=3, status=status, retry_after=0)
    response = models.generate_content(retrying, model=MODEL, contents="Hi")
    assert response.text
    assert len(emulator.requests) == 4


def test_429_carries_retry_after_and_retry_info(emulator: Emulator) -> None:
    emulator.faults = Faults(failures=1, status=429, retry_after=0)
    answer = httpx.post(
        f"{emulator.url}/v1beta/models/{MODEL}:generateContent",
        headers={"x-goog-api-key": "k"},
        json={"contents": [{"parts": [{"text": "Hi"}]}]},
    )
    assert answer.status_code == 429 and answer.headers["retry-after"] == "0"
    error = answer.json()["error"]
    assert error["status"] == "RESOURCE_EXHAUSTED"
    assert error["details"][0]["@type"] == "type.googleapis.com/google.rpc.RetryInfo"


def test_too_many_errors_reach_the_caller(emulator: Emulator, retrying: genai_min.Transport) -> None:
    emulator.faults = Faults(failures=10, status=503)
    with pytest.raises(genai_min.ServerError) as caught:
        models.generate_content(retrying, model=MODEL, contents="Hi")
    assert caught.value.code == 503 and caught.value.status == "UNAVAILABLE"
    assert len(emulator.requests) == FAST_RETRY.attempts


def test_without_retries_the_sdk_sees_the_first_error(emulator: Emulator, sdk_gemini: object) -> None:
    emulator.faults = Faults(failures=1, status=500)
    with pytest.raises(errors.ServerError) as caught:
        sdk_gemini.models.generate_content(model=MODEL, contents="Hi")  # type: ignore[attr-defined]
    assert caught.value.code == 500
    assert sdk_gemini.models.generate_content(model=MODEL, contents="Hi").text  # type: ignore[attr-defined]


def test_faults_apply_only_to_matching_paths(emulator: Emulator, gemini: genai_min.Transport) -> None:
    emulator.faults = Faults(failures=5, status=500, path_pattern=r":countTokens$")
    assert models.generate_content(gemini, model=MODEL, contents="Hi").text
    with pytest.raises(genai_min.ServerError):
        models.count_tokens(gemini, model=MODEL, contents="Hi")


@pytest.mark.parametrize("backend", ["gemini", "vertex"])
def test_a_cut_stream_raises_in_the_client(
    request: pytest.FixtureRequest, emulator: Emulator, backend: str
) -> None:
    transport: genai_min.Transport = request.getfixturevalue(backend)
    emulator.faults = Faults(cut_stream_after=1)
    stream = models.generate_content_stream(transport, model=MODEL, contents="Tell me a story.")
    assert next(stream).text
    with pytest.raises(genai_min.TransportError):
        next(stream)


def test_a_cut_stream_raises_in_the_sdk(emulator: Emulator, sdk_gemini: object) -> None:
    emulator.faults = Faults(cut_stream_after=2)
    httpx2 = pytest.importorskip("httpx2")
    with pytest.raises(httpx2.RemoteProtocolError):  # the SDK passes its HTTP library's errors through
        list(sdk_gemini.models.generate_content_stream(model=MODEL, contents="Tell me a story."))  # type: ignore[attr-defined]


def test_latency_is_added(emulator: Emulator, gemini: genai_min.Transport) -> None:
    models.count_tokens(gemini, model=MODEL, contents="warm up")
    emulator.faults = Faults(latency=0.05)
    started = time.perf_counter()
    models.count_tokens(gemini, model=MODEL, contents="Hi")
    assert time.perf_counter() - started >= 0.05


def test_faults_are_checked() -> None:
    with pytest.raises(ValueError, match="429 or a 5xx"):
        Faults(status=404)
