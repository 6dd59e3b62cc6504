"""Root test configuration: only what every test folder shares."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

CREDENTIAL_VARIABLES = (
    "GOOGLE_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_LOCATION",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_GEMINI_BASE_URL",
    "GOOGLE_VERTEX_BASE_URL",
)
"""What a downstream project might read its Google credentials and endpoints from."""


@pytest.fixture
def downstream(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> pytest.Pytester:
    """A throwaway project with no credentials in its environment and no gcloud config to find."""
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path_factory.mktemp("no-gcloud")))
    # hypothesis re-imports itself for its summary in every in-process run, which costs seconds.
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    return pytester


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio, the loop users of the SDK run."""
    return "asyncio"
