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

from typing import TypeVar, cast

from genai_min import _lro
from genai_min._lro import Pollable
from genai_min._transport import Transport

P = TypeVar("P", bound=Pollable)


def get(t: Transport, *, operation: P) -> P:
    """Fetch the current state of `operation` with one request, and return it as a new value.

    >>> operation = operations.get(t, operation=operation)
    """
    data = t.send(operation.poll_request(t.endpoint)).json()
    return cast(P, operation.from_poll(data))


wait = _lro.wait
"""Poll an operation until it is done (`genai_min._lro.wait`): the README's loop in one call.

>>> operation = models.generate_videos(t, model="veo-2.0-generate-001", prompt="A neon cat")
>>> video = operations.wait(t, operation, interval=20).result.generated_videos[0].video
"""
