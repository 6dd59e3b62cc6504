"""The shape of the tour: a `Step` per README section, the backends, and the loop that runs them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Sleep = Callable[[float], object]
"""What a sync polling step calls between polls (`time.sleep`, or a no-op when replaying)."""

AsyncSleep = Callable[[float], Awaitable[object]]
"""What an async polling step awaits between polls (`asyncio.sleep`, or a no-op)."""


class Backend(StrEnum):
    """The two services the README's examples run on."""

    GEMINI = "gemini"
    VERTEX = "vertex"


@dataclass(frozen=True)
class Step:
    """One README section's examples: a sync function, its async twin, and where they run.

    Both functions take a ready client (and, when `is_polling`, a `sleep` keyword) and return one
    line saying what they got. `unsupported` maps each backend the step cannot run on to the reason
    (for the official SDK, the reason the SDK itself gives).
    """

    name: str
    section: str
    run_sync: Callable[..., str]
    run_async: Callable[..., Awaitable[str]]
    unsupported: Mapping[Backend, str] = field(default_factory=dict)
    is_polling: bool = False

    def supports(self, backend: Backend) -> bool:
        """Tell whether the step runs on `backend`."""
        return backend not in self.unsupported

    def run(self, client: Any, *, sleep: Sleep = time.sleep) -> str:
        """Run the sync examples on `client` and return their line."""
        if self.is_polling:
            return self.run_sync(client, sleep=sleep)
        return self.run_sync(client)

    async def arun(self, client: Any, *, sleep: AsyncSleep = asyncio.sleep) -> str:
        """Run the async examples on `client` and return their line."""
        if self.is_polling:
            return await self.run_async(client, sleep=sleep)
        return await self.run_async(client)


def step(
    section: str,
    run_sync: Callable[..., str],
    run_async: Callable[..., Awaitable[str]],
    *,
    only: Backend | None = None,
    reason: str = "",
    is_polling: bool = False,
) -> Step:
    """Make a `Step` named after its sync function; `only` names its one backend, `reason` why."""
    unsupported = {b: reason for b in Backend if only is not None and b is not only}
    return Step(run_sync.__name__, section, run_sync, run_async, unsupported, is_polling)


def run_steps(
    steps: Sequence[Step],
    client: Any,
    backend: Backend,
    *,
    is_async: bool,
    sleep: Sleep,
    close_async: Callable[[], Awaitable[object]],
) -> list[str]:
    """Run every step that supports `backend`, in order, and return their lines.

    Async steps run in one event loop, which closes the client's async side (`close_async`) before
    it ends; `sleep` is then called from inside the loop, so pass a no-op or accept the blocking.
    """
    chosen = [s for s in steps if s.supports(backend)]
    if not is_async:
        return [s.run(client, sleep=sleep) for s in chosen]

    async def pause(seconds: float) -> None:
        sleep(seconds)

    async def run_all() -> list[str]:
        try:
            return [await s.arun(client, sleep=pause) for s in chosen]
        finally:
            await close_async()

    return asyncio.run(run_all())
