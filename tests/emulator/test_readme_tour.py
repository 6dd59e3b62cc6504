"""The README tour on the emulator: every step, with the SDK and genai_min, both backends, sync and async.

Each step of `tools.tour` runs one README section's examples and checks the shape of what came
back. A step a backend does not offer is reported as skipped, with the reason. Polling steps get
a sleep that returns at once: the emulator's operations move on one state per poll.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from types import ModuleType
from typing import Any

import pytest

from replay.emulator import Emulator
from tools.tour import genai_min_tour, sdk_tour
from tools.tour.steps import Backend, Step

TOURS = {"sdk": sdk_tour, "genai_min": genai_min_tour}

# What the SDK 3.3.0 itself warns about while running the README as written: the README predates
# these deprecations (Imagen, `generate_videos(prompt=...)`) and the experimental tuning API.
SDK_WARNINGS = [
    pytest.mark.filterwarnings("ignore::google.genai._common.ExperimentalWarning"),
    pytest.mark.filterwarnings(
        "ignore:The generate_videos method with prompt/image/video:DeprecationWarning"
    ),
]


def no_sleep(seconds: float) -> None:
    """Stand in for `time.sleep` between polls: the emulator needs no waiting."""


async def no_async_sleep(seconds: float) -> None:
    """Stand in for `asyncio.sleep` between polls."""


def cases() -> list[Any]:
    """Return one case per (client, backend, step), named ``client-backend-step``."""
    return [
        pytest.param(
            tour,
            backend,
            step,
            id=f"{name}-{backend.value}-{step.name}",
            marks=SDK_WARNINGS if tour is sdk_tour else (),
        )
        for name, tour in TOURS.items()
        for backend in Backend
        for step in tour.STEPS
    ]


def tours() -> list[Any]:
    """Return one case per (client, backend)."""
    return [
        pytest.param(
            tour, backend, id=f"{name}-{backend.value}", marks=SDK_WARNINGS if tour is sdk_tour else ()
        )
        for name, tour in TOURS.items()
        for backend in Backend
    ]


def build(tour: ModuleType, backend: Backend, emulator: Emulator, sa_info: dict[str, str]) -> Any:
    return tour.build_client(emulator.url, backend, service_account=sa_info)


class Clients:
    """One client per (tour, backend), built on first use and shared by the module's tests.

    Building a client loads TLS certificates (about 0.1 s each here), so sharing them keeps this
    module fast; the emulator itself is reset before every test.
    """

    def __init__(self, emulator: Emulator, sa_info: dict[str, str]) -> None:
        self._emulator = emulator
        self._sa_info = sa_info
        self._built: dict[tuple[str, Backend], Any] = {}

    def get(self, tour: ModuleType, backend: Backend) -> Any:
        key = (tour.__name__, backend)
        if key not in self._built:
            self._built[key] = build(tour, backend, self._emulator, self._sa_info)
        return self._built[key]

    def close(self) -> None:
        for client in self._built.values():
            client.close()

    async def aclose(self) -> None:
        for client in self._built.values():
            # The SDK's async side lives on `client.aio`; a genai_min transport closes both sides.
            await (client.aio.aclose() if hasattr(client, "aio") else client.aclose())
            client.close()


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    """Run this module's async tests in one event loop, so that they can share async clients."""
    return "asyncio"


@pytest.fixture(scope="module")
def sync_clients(shared_emulator: Emulator, sa_info: dict[str, str]) -> Iterator[Clients]:
    """Share clients between the sync tests of this module."""
    clients = Clients(shared_emulator, sa_info)
    yield clients
    clients.close()


@pytest.fixture(scope="module")
async def async_clients(shared_emulator: Emulator, sa_info: dict[str, str]) -> AsyncIterator[Clients]:
    """Share clients between the async tests of this module, in their one event loop."""
    clients = Clients(shared_emulator, sa_info)
    yield clients
    await clients.aclose()


def skip_unless_supported(step: Step, backend: Backend) -> None:
    if not step.supports(backend):
        pytest.skip(f"{step.name} does not run on {backend.value}: {step.unsupported[backend]}")


def check_line(line: str) -> None:
    assert isinstance(line, str)
    assert line.strip()
    assert "\n" not in line


@pytest.mark.parametrize(("tour", "backend", "step"), cases())
def test_step(
    tour: ModuleType, backend: Backend, step: Step, emulator: Emulator, sync_clients: Clients
) -> None:
    skip_unless_supported(step, backend)
    check_line(step.run(sync_clients.get(tour, backend), sleep=no_sleep))


@pytest.mark.anyio
@pytest.mark.parametrize(("tour", "backend", "step"), cases())
async def test_async_step(
    tour: ModuleType, backend: Backend, step: Step, emulator: Emulator, async_clients: Clients
) -> None:
    skip_unless_supported(step, backend)
    check_line(await step.arun(async_clients.get(tour, backend), sleep=no_async_sleep))


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("tour", "backend"), tours())
def test_run_tour_runs_the_steps_the_backend_supports(
    tour: ModuleType,
    backend: Backend,
    is_async: bool,
    emulator: Emulator,
    sa_info: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The tests above run every step; this checks the entry point on a short tour: a step that
    # runs on this backend, a polling step, and one that does not run here.
    by_name = {step.name: step for step in tour.STEPS}
    other = Backend.GEMINI if backend is Backend.VERTEX else Backend.VERTEX
    unsupported = next(step for step in tour.STEPS if not step.supports(backend) and step.supports(other))
    monkeypatch.setattr(tour, "STEPS", [by_name["count_tokens"], by_name["create_batches"], unsupported])
    slept: list[float] = []
    with build(tour, backend, emulator, sa_info) as client:
        lines = tour.run_tour(client, backend, is_async=is_async, sleep=slept.append)
    assert [line.split(":")[0] for line in lines] == ["count tokens", "batches"]
    assert slept  # the batch was polled, and the tour's sleep called between polls


def test_both_tours_cover_the_same_sections() -> None:
    assert [s.name for s in sdk_tour.STEPS] == [s.name for s in genai_min_tour.STEPS]
    assert {s.name for s in sdk_tour.STEPS} >= {
        "generate_text",
        "stream_text",
        "automatic_function_calling",
        "manual_function_calling",
        "any_mode",
        "json_schema",
        "enum_schema",
        "count_tokens",
        "compute_tokens",
        "embed_content",
        "generate_images",
        "upscale_and_edit_image",
        "generate_videos",
        "chat",
        "chat_stream",
        "manage_files",
        "manage_caches",
        "tune",
        "list_tuned_models",
        "list_tuning_jobs",
        "create_batches",
        "list_batches",
        "cancel_and_delete_batch",
        "list_base_models",
        "error_handling",
    }


def test_every_step_has_a_reason_wherever_it_is_unsupported() -> None:
    for tour in TOURS.values():
        for step in tour.STEPS:
            assert step.supports(Backend.GEMINI) or step.supports(Backend.VERTEX), step.name
            assert all(reason.strip() for reason in step.unsupported.values()), step.name
