"""`genai_min.operations`: `get` and `wait` return the operation type they are given.

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

from typing import assert_type

from genai_min import Transport, models, operations, types


def check_operations(t: Transport, job: types.TuningJob) -> None:
    operation = models.generate_videos(t, model="m", prompt="A neon cat")
    assert_type(operations.get(t, operation=operation), types.GenerateVideosOperation)
    done = operations.wait(t, operation, interval=20, timeout=None)
    assert_type(done, types.GenerateVideosOperation)
    assert_type(done.result, types.GenerateVideosResponse | None)
    assert_type(operations.wait(t, job), types.TuningJob)
    operations.wait(t, "operations/123")  # type: ignore[type-var]
    operations.get(t, operation=42)  # type: ignore[type-var]
