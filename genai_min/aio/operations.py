"""Async long-running operations: the same arguments and results as `genai_min.operations`, awaited.

operation = await aio.models.generate_videos(t, model="veo-2.0-generate-001", prompt="A neon cat")
operation = await aio.operations.wait(t, operation, interval=20)
"""

from __future__ import annotations

from typing import TypeVar, cast

from genai_min import _lro
from genai_min._lro import Pollable
from genai_min._transport import Transport

P = TypeVar("P", bound=Pollable)


async def get(t: Transport, *, operation: P) -> P:
    """Fetch the current state of `operation` with one request."""
    response = await t.asend(operation.poll_request(t.endpoint))
    return cast(P, operation.from_poll(response.json()))


wait = _lro.async_wait
"""Await an operation until it is done (`genai_min._lro.async_wait`); `sleep` is awaited."""
