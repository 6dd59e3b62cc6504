"""The README tour with `genai_min`: every example, on either backend, sync or async.

Each step runs one README section's examples on a ready `genai_min.Transport` (sync functions, or
their twins in `genai_min.aio`) and returns a line saying what came back. Run the whole tour
against the local emulator::

    from replay.emulator import Emulator, service_account_info
    from tools.tour import genai_min_tour
    from tools.tour.steps import Backend

    with Emulator() as emulator:
        info = service_account_info(emulator)
        with genai_min_tour.build_client(emulator.url, Backend.VERTEX, service_account=info) as t:
            for line in genai_min_tour.run_tour(t, Backend.VERTEX, is_async=False, sleep=lambda _: None):
                print(line)
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import genai_min
from tools.tour import (
    genai_min_tour_batches,
    genai_min_tour_generate,
    genai_min_tour_models,
    genai_min_tour_resources,
    genai_min_tour_structured,
    genai_min_tour_tunings,
)
from tools.tour.steps import Backend, Sleep, Step, run_steps

PROJECT = "tour-project"
LOCATION = "us-central1"
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]

STEPS: list[Step] = [
    *genai_min_tour_generate.STEPS,
    *genai_min_tour_structured.STEPS,
    *genai_min_tour_models.STEPS,
    *genai_min_tour_resources.STEPS,
    *genai_min_tour_tunings.STEPS,
    *genai_min_tour_batches.STEPS,
]
"""Every step of the tour, in the same order as the official SDK's tour."""


def build_client(
    base_url: str, backend: Backend, *, service_account: Mapping[str, str] | None = None
) -> genai_min.Transport:
    """Build a `genai_min.Transport` for `backend` that sends to `base_url`.

    The Gemini Developer API gets a made-up API key. Vertex AI needs a service-account key
    (`service_account`, e.g. `replay.emulator.service_account_info(emulator)`), whose tokens the
    emulator's token endpoint issues. Close the transport when done (it is a context manager).
    """
    if backend is Backend.GEMINI:
        return genai_min.Transport(api_key="tour-api-key", base_url=base_url)
    if service_account is None:
        raise ValueError(
            "Vertex AI needs a service-account key: pass service_account=service_account_info(...)"
        )
    from google.oauth2 import service_account as google_service_account

    credentials = google_service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
        service_account, scopes=SCOPES
    )
    return genai_min.Transport(
        vertexai=True, project=PROJECT, location=LOCATION, credentials=credentials, base_url=base_url
    )


def run_tour(
    t: genai_min.Transport, backend: Backend, *, is_async: bool, sleep: Sleep = time.sleep
) -> list[str]:
    """Run every step `backend` supports, sync or through `genai_min.aio`, and return their lines.

    `sleep` is called between polls of long-running operations: pass ``lambda _: None`` against the
    emulator or a replayed recording. An async tour closes the transport's async client when done.
    """
    return run_steps(STEPS, t, backend, is_async=is_async, sleep=sleep, close_async=t.aclose)
