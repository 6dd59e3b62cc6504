"""The environment a test's clients see: harmless fake credentials for replaying, the emulator for recording.

Clients that build themselves (`genai.Client()`, `genai_min.Transport()`) read their key, project,
credentials and base URL from the environment. While replaying, a test needs no real credentials:
missing ones are filled with fakes (an API key, and an ``authorized_user`` application-default
credentials file whose token refresh the session answers with a fake token). While recording
against the emulator, credentials it takes fill the same gaps. `environment` sets and restores.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

FAKE_API_KEY = "genai-replay-fake-api-key"
FAKE_PROJECT = "genai-replay-project"
FAKE_LOCATION = "us-central1"
_KEY_VARIABLES = ("GOOGLE_API_KEY", "GEMINI_API_KEY")
_ADC_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS"


def has_credentials(environ: Mapping[str, str] | None = None) -> bool:
    """Tell whether real credentials are at hand: an API key, or application-default credentials."""
    env = os.environ if environ is None else environ
    if any(env.get(name) for name in _KEY_VARIABLES) or env.get(_ADC_VARIABLE):
        return True
    config = env.get("CLOUDSDK_CONFIG") or str(Path.home() / ".config" / "gcloud")
    return Path(config, "application_default_credentials.json").is_file()


def fake_adc_file(folder: Path) -> Path:
    """Write (once) application-default credentials that can only ever get a fake token."""
    path = folder / "genai-replay-fake-adc.json"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        info = {
            "type": "authorized_user",
            "client_id": "genai-replay-fake-client.apps.googleusercontent.com",
            "client_secret": "genai-replay-fake-client-secret",
            "refresh_token": "genai-replay-fake-refresh-token",
            "quota_project_id": FAKE_PROJECT,
        }
        path.write_text(json.dumps(info), encoding="utf-8")
    return path


def replay_variables(folder: Path, environ: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """Return the fakes to set for replaying: only what the environment lacks."""
    env = os.environ if environ is None else environ
    values: dict[str, str | None] = {}
    if not any(env.get(name) for name in _KEY_VARIABLES):
        values["GOOGLE_API_KEY"] = FAKE_API_KEY
    if not env.get(_ADC_VARIABLE):
        values[_ADC_VARIABLE] = str(fake_adc_file(folder))
    if not env.get("GOOGLE_CLOUD_PROJECT"):
        values["GOOGLE_CLOUD_PROJECT"] = FAKE_PROJECT
    return values


def emulator_variables(adc_file: Path, environ: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """Return the credentials to give clients while recording against the emulator.

    `adc_file` holds service-account credentials the emulator's token endpoint takes
    (`replay.emulator.service_account_info`). A key, project and location already set are kept. No
    base URL is set: the session routes requests to Google's hosts to the emulator by their host.
    """
    env = os.environ if environ is None else environ
    values: dict[str, str | None] = {_ADC_VARIABLE: str(adc_file)}
    if not any(env.get(name) for name in _KEY_VARIABLES):
        values["GOOGLE_API_KEY"] = "emulator-key"
    if not env.get("GOOGLE_CLOUD_PROJECT"):
        values["GOOGLE_CLOUD_PROJECT"] = FAKE_PROJECT
    if not env.get("GOOGLE_CLOUD_LOCATION"):
        values["GOOGLE_CLOUD_LOCATION"] = FAKE_LOCATION
    return values


@contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, remove) environment variables while the block runs, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
