"""The job states batch and tuning jobs share, and how a state read from the wire becomes one.

Both `_batch_types.BatchJob` and `_tunings.TuningJob` report Vertex AI's ``JOB_STATE_*`` names on
both backends; this module keeps that vocabulary in one place so neither job module owns the other's.
"""

from __future__ import annotations

from enum import StrEnum


class JobState(StrEnum):
    """The state of a batch or tuning job, as Vertex AI names it (and the official SDK reports it)."""

    JOB_STATE_UNSPECIFIED = "JOB_STATE_UNSPECIFIED"
    JOB_STATE_QUEUED = "JOB_STATE_QUEUED"
    JOB_STATE_PENDING = "JOB_STATE_PENDING"
    JOB_STATE_RUNNING = "JOB_STATE_RUNNING"
    JOB_STATE_SUCCEEDED = "JOB_STATE_SUCCEEDED"
    JOB_STATE_FAILED = "JOB_STATE_FAILED"
    JOB_STATE_CANCELLING = "JOB_STATE_CANCELLING"
    JOB_STATE_CANCELLED = "JOB_STATE_CANCELLED"
    JOB_STATE_PAUSED = "JOB_STATE_PAUSED"
    JOB_STATE_EXPIRED = "JOB_STATE_EXPIRED"
    JOB_STATE_UPDATING = "JOB_STATE_UPDATING"
    JOB_STATE_PARTIALLY_SUCCEEDED = "JOB_STATE_PARTIALLY_SUCCEEDED"


ENDED_STATES = frozenset(
    {
        JobState.JOB_STATE_SUCCEEDED,
        JobState.JOB_STATE_FAILED,
        JobState.JOB_STATE_CANCELLED,
        JobState.JOB_STATE_EXPIRED,
        JobState.JOB_STATE_PARTIALLY_SUCCEEDED,
    }
)
"""States after which a job never changes again."""


def to_job_state(value: object) -> object:
    """Return `value` as a `JobState` when it names one, and anything else unchanged."""
    # A state this version does not know stays a plain string rather than failing the parse.
    return JobState(value) if isinstance(value, str) and value in JobState.__members__ else value
