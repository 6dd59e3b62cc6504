"""Waiting for long-running operations: one poll loop for video operations, tuning jobs and batches.

A resource that can be waited for implements `Pollable`: it says whether it is done, builds the
request that fetches its current state, and parses the answer into a new value of its own type.
The loop sends exactly one request per poll, so a recorded polling sequence replays poll for poll;
its clock and sleep are parameters, so replayed polling can take no real time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from genai_min._errors import ConfigError, OperationTimeoutError

if TYPE_CHECKING:
    from genai_min._endpoint import Endpoint
    from genai_min._http import JSON, HttpRequest
    from genai_min._transport import Transport

DEFAULT_INTERVAL = 10.0
"""Seconds between polls unless the caller says otherwise."""

DEFAULT_TIMEOUT = 3600.0
"""Seconds before `wait` gives up unless the caller says otherwise (None waits for ever)."""


class Pollable(Protocol):
    """A long-running resource that `wait` can poll."""

    @property
    def done(self) -> bool:
        """Whether the resource has reached a final state (succeeded, failed or cancelled)."""
        ...

    def poll_request(self, endpoint: Endpoint) -> HttpRequest:
        """Return the request that fetches this resource's current state."""
        ...

    def from_poll(self, data: JSON) -> Pollable:
        """Return the resource described by the answer to `poll_request`."""
        ...


P = TypeVar("P", bound=Pollable)


def _check(interval: float, timeout: float | None) -> None:
    if interval < 0:
        raise ConfigError(f"interval must be zero or more seconds, not {interval!r}")
    if timeout is not None and timeout < 0:
        raise ConfigError(f"timeout must be zero or more seconds (or None), not {timeout!r}")


def _timed_out(operation: object, timeout: float, polls: int) -> OperationTimeoutError:
    name = getattr(operation, "name", None) or type(operation).__name__
    return OperationTimeoutError(
        f"{name} had not finished after {timeout:g} s ({polls} polls); "
        "call wait() again with a longer timeout to keep polling",
        operation=operation,
    )


def wait(
    t: Transport,
    operation: P,
    *,
    interval: float = DEFAULT_INTERVAL,
    timeout: float | None = DEFAULT_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
) -> P:
    """Sleep `interval` seconds, poll `operation`, and repeat until it is done; return its final state.

    An operation that is already done is returned at once, without a request. When `timeout`
    seconds (None: no limit) pass first, `OperationTimeoutError` is raised; its `operation` is the
    last state seen, and waiting on it again resumes. `clock` and `sleep` can be replaced, e.g. to
    replay a recorded polling sequence without waiting.
    """
    _check(interval, timeout)
    deadline = None if timeout is None else clock() + timeout
    polls = 0
    while not operation.done:
        if deadline is not None and clock() >= deadline:
            raise _timed_out(operation, timeout or 0.0, polls)
        sleep(interval if deadline is None else min(interval, max(deadline - clock(), 0.0)))
        operation = operation.from_poll(t.send(operation.poll_request(t.endpoint)).json())  # type: ignore[assignment]
        polls += 1
    return operation


async def async_wait(
    t: Transport,
    operation: P,
    *,
    interval: float = DEFAULT_INTERVAL,
    timeout: float | None = DEFAULT_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> P:
    """Await twin of `wait`, with an awaitable `sleep`."""
    _check(interval, timeout)
    deadline = None if timeout is None else clock() + timeout
    polls = 0
    while not operation.done:
        if deadline is not None and clock() >= deadline:
            raise _timed_out(operation, timeout or 0.0, polls)
        await sleep(interval if deadline is None else min(interval, max(deadline - clock(), 0.0)))
        response = await t.asend(operation.poll_request(t.endpoint))
        operation = operation.from_poll(response.json())  # type: ignore[assignment]
        polls += 1
    return operation
