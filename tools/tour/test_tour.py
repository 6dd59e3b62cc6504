"""The quick start: every README section, run through the `genai_replay` fixture, per client and backend.

`genai-replay record tools/tour` records it (against the embedded emulator when there are no
credentials) and replays it offline; `pytest tools/tour` replays it. Each step is one test, so a
cassette holds one README section for one client on one backend. The official SDK's half runs only
when `google-genai` is installed.
"""

from __future__ import annotations

import importlib.util
import time
from typing import Any

import pytest

from replay import GenaiReplay
from tools.tour import genai_min_tour
from tools.tour.steps import Backend, Step

PROJECT, LOCATION = "tour-project", "us-central1"
# The README predates these notices of the SDK; the tour follows the README.
pytestmark = [
    pytest.mark.filterwarnings("ignore:The (generate|edit|upscale)_images? method is deprecated"),
    pytest.mark.filterwarnings("ignore:The generate_videos method with prompt"),
    pytest.mark.filterwarnings("ignore:The SDK's tuning implementation is experimental"),
]
HAS_SDK = importlib.util.find_spec("google.genai") is not None


def cases(steps: list[Step]) -> list[Any]:
    return [pytest.param(step, backend, id=f"{backend}-{step.name}") for step in steps for backend in Backend]


def run(step: Step, backend: Backend, client: object) -> None:
    if not step.supports(backend):
        pytest.skip(step.unsupported[backend])
    print(f"{backend}: {step.run(client, sleep=time.sleep)}")


@pytest.mark.parametrize(("step", "backend"), cases(genai_min_tour.STEPS))
def test_genai_min(genai_replay: GenaiReplay, step: Step, backend: Backend) -> None:
    vertex = {"vertexai": True, "project": PROJECT, "location": LOCATION} if backend is Backend.VERTEX else {}
    run(step, backend, genai_replay.transport(**vertex))


def sdk_steps() -> list[Step]:
    if not HAS_SDK:
        return []
    from tools.tour import sdk_tour

    return list(sdk_tour.STEPS)


@pytest.mark.skipif(not HAS_SDK, reason="the official SDK (google-genai) is not installed")
@pytest.mark.parametrize(("step", "backend"), cases(sdk_steps()))
def test_sdk(genai_replay: GenaiReplay, step: Step, backend: Backend) -> None:
    from google import genai

    vertex = {"vertexai": True, "project": PROJECT, "location": LOCATION} if backend is Backend.VERTEX else {}
    run(step, backend, genai.Client(http_options=genai_replay.http_options(), **vertex))
