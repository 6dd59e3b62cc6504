"""Helpers for running throwaway downstream projects that use the genai_replay fixture."""

from __future__ import annotations

import pytest

# In-process pytester runs drop the modules a run imported. Extension modules (cryptography's Rust
# bindings, PyYAML's C loader) outlive that and then disagree with the re-imported Python half, so
# everything a run would import first is loaded here, before any run, and kept.
import vcr.patch as vcr_patch
import yaml as yaml
from cryptography.hazmat.primitives import serialization as serialization
from cryptography.hazmat.primitives.asymmetric import rsa as rsa

assert vcr_patch

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


@pytest.fixture
def downstream(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path_factory
) -> pytest.Pytester:
    """A throwaway project with no credentials in its environment and no gcloud config to find."""
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path_factory.mktemp("no-gcloud")))
    # hypothesis re-imports itself for its summary in every in-process run, which costs seconds.
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    return pytester
