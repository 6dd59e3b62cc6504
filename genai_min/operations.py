"""Long-running operations: fetch one's current state, or wait until it is done.

`models.generate_videos` answers with a `GenerateVideosOperation`, `tunings.tune` with a `TuningJob`
and `batches.create` with a `BatchJob`; each knows how to fetch its own state (it is `Pollable`), so
these two functions serve them all. The README's loop::

    while not operation.done:
        time.sleep(20)
        operation = client.operations.get(operation)

is one call here, which sends one request per poll and gives up after `timeout` seconds::

    operation = operations.wait(t, operation, interval=20)

The async twins are in `genai_min.aio.operations`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar, cast

from genai_min import _lro
from genai_min._lro import DEFAULT_INTERVAL, DEFAULT_TIMEOUT, Pollable
from genai_min._transport import Transport

P = TypeVar("P", bound=Pollable)


def get(t: Transport, *, operation: P) -> P:
    """Fetch the current state of `operation` with one request, and return it as a new value.

    >>> operation = operations.get(t, operation=operation)
    """
    data = t.send(operation.poll_request(t.endpoint)).json()
    return cast(P, operation.from_poll(data))


def wait(
    t: Transport,
    operation: P,
    *,
    interval: float = DEFAULT_INTERVAL,
    timeout: float | None = DEFAULT_TIMEOUT,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
) -> P:
    """Poll `operation` every `interval` seconds until it is done, and return its final state.

    An operation that is already done is returned at once, without a request. When `timeout`
    seconds (None: no limit) pass first, `OperationTimeoutError` is raised; its `operation` is the
    last state seen, and waiting on it again resumes. `clock` and `sleep` can be replaced, e.g. to
    replay a recorded polling sequence without waiting.

    >>> operation = models.generate_videos(t, model="veo-2.0-generate-001", prompt="A neon cat")
    >>> video = operations.wait(t, operation, interval=20).result.generated_videos[0].video
    """
    return _lro.wait(t, operation, interval=interval, timeout=timeout, clock=clock, sleep=sleep)
