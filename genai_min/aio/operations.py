"""Async long-running operations: the same arguments and results as `genai_min.operations`, awaited.

operation = await aio.models.generate_videos(t, model="veo-2.0-generate-001", prompt="A neon cat")
operation = await aio.operations.wait(t, operation, interval=20)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast

from genai_min import _lro
from genai_min._lro import DEFAULT_INTERVAL, DEFAULT_TIMEOUT, Pollable
from genai_min._transport import Transport

P = TypeVar("P", bound=Pollable)


async def get(t: Transport, *, operation: P) -> P:
    """Fetch the current state of `operation` with one request."""
    response = await t.asend(operation.poll_request(t.endpoint))
    return cast(P, operation.from_poll(response.json()))


async def wait(
    t: Transport,
    operation: P,
    *,
    interval: float = DEFAULT_INTERVAL,
    timeout: float | None = DEFAULT_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> P:
    """Poll `operation` every `interval` seconds until it is done; `sleep` is awaited between polls.

    Raises `OperationTimeoutError`, holding the last state, when `timeout` seconds pass first.
    """
    return await _lro.async_wait(t, operation, interval=interval, timeout=timeout, clock=clock, sleep=sleep)
