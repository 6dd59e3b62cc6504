"""Fixtures for the emulator's tests: one server per session, reset before each test, and clients of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from google.oauth2 import service_account

import genai_min
from replay.emulator import Emulator, service_account_info

PROJECT = "emulator-tests"
LOCATION = "us-central1"
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]


@pytest.fixture(scope="session")
def shared_emulator() -> Iterator[Emulator]:
    """Serve one emulator for the whole session; tests get it reset."""
    with Emulator(upload_granularity=1024) as emulator:
        yield emulator


@pytest.fixture
def emulator(shared_emulator: Emulator) -> Emulator:
    """Return the session's emulator with no resources, requests or faults left from other tests."""
    shared_emulator.reset()
    return shared_emulator


@pytest.fixture(scope="session")
def sa_info(shared_emulator: Emulator) -> dict[str, str]:
    """Return a service-account key whose token endpoint is the session's emulator."""
    return service_account_info(shared_emulator)


@pytest.fixture
def sa_credentials(sa_info: dict[str, str]) -> Any:
    """Build google-auth service-account credentials from the fake key (fresh, so they refresh)."""
    return service_account.Credentials.from_service_account_info(sa_info, scopes=SCOPES)  # type: ignore[no-untyped-call]


@pytest.fixture
def gemini(emulator: Emulator) -> Iterator[genai_min.Transport]:
    """Return a genai_min transport for the Gemini API on the emulator."""
    with genai_min.Transport(api_key="test-key", base_url=emulator.url) as transport:
        yield transport


@pytest.fixture
def vertex(emulator: Emulator, sa_credentials: Any) -> Iterator[genai_min.Transport]:
    """Return a genai_min transport for Vertex AI on the emulator, signed in with a service account."""
    with genai_min.Transport(
        vertexai=True, project=PROJECT, location=LOCATION, credentials=sa_credentials, base_url=emulator.url
    ) as transport:
        yield transport


@pytest.fixture
def sdk_gemini(emulator: Emulator) -> Any:
    """Return an official SDK client for the Gemini API on the emulator."""
    from google import genai
    from google.genai import types

    return genai.Client(api_key="test-key", http_options=types.HttpOptions(base_url=emulator.url))


@pytest.fixture
def sdk_vertex(emulator: Emulator, sa_credentials: Any) -> Any:
    """Return an official SDK client for Vertex AI on the emulator, signed in with a service account."""
    from google import genai
    from google.genai import types

    return genai.Client(
        vertexai=True,
        project=PROJECT,
        location=LOCATION,
        credentials=sa_credentials,
        http_options=types.HttpOptions(base_url=emulator.url),
    )
