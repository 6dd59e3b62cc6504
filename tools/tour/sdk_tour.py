"""The README tour with the official SDK (google-genai 3.3.0): every example, either backend, sync or async.

Each step runs one README section's examples on a ready `genai.Client` and returns a line saying
what came back. Run the whole tour against the local emulator::

    from replay.emulator import Emulator, service_account_info
    from tools.tour import sdk_tour
    from tools.tour.steps import Backend

    with Emulator() as emulator:
        client = sdk_tour.build_client(
            emulator.url, Backend.VERTEX, service_account=service_account_info(emulator)
        )
        for line in sdk_tour.run_tour(client, Backend.VERTEX, is_async=False, sleep=lambda _: None):
            print(line)
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from google import genai
from google.genai import types

from tools.tour import (
    sdk_tour_batches,
    sdk_tour_generate,
    sdk_tour_models,
    sdk_tour_resources,
    sdk_tour_structured,
    sdk_tour_tunings,
)
from tools.tour.steps import Backend, Sleep, Step, run_steps

PROJECT = "tour-project"
LOCATION = "us-central1"
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]

STEPS: list[Step] = [
    *sdk_tour_generate.STEPS,
    *sdk_tour_structured.STEPS,
    *sdk_tour_models.STEPS,
    *sdk_tour_resources.STEPS,
    *sdk_tour_tunings.STEPS,
    *sdk_tour_batches.STEPS,
]
"""Every step of the tour, in the README's order of topics."""


def build_client(
    base_url: str, backend: Backend, *, service_account: Mapping[str, str] | None = None
) -> genai.Client:
    """Build an SDK client for `backend` that sends to `base_url`.

    The Gemini Developer API gets a made-up API key. Vertex AI needs a service-account key
    (`service_account`, e.g. `replay.emulator.service_account_info(emulator)`), whose tokens the
    emulator's token endpoint issues.
    """
    http_options = types.HttpOptions(base_url=base_url)
    if backend is Backend.GEMINI:
        return genai.Client(api_key="tour-api-key", http_options=http_options)
    if service_account is None:
        raise ValueError(
            "Vertex AI needs a service-account key: pass service_account=service_account_info(...)"
        )
    from google.oauth2 import service_account as google_service_account

    credentials = google_service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
        service_account, scopes=SCOPES
    )
    return genai.Client(
        vertexai=True, project=PROJECT, location=LOCATION, credentials=credentials, http_options=http_options
    )


def run_tour(
    client: genai.Client, backend: Backend, *, is_async: bool, sleep: Sleep = time.sleep
) -> list[str]:
    """Run every step `backend` supports, sync or through `client.aio`, and return their lines.

    `sleep` is called between polls of long-running operations: pass ``lambda _: None`` against the
    emulator or a replayed recording. An async tour closes `client.aio` when it is done.
    """
    return run_steps(STEPS, client, backend, is_async=is_async, sleep=sleep, close_async=client.aio.aclose)
