"""Supervised tuning: start a job, follow it, list and cancel jobs.

Vertex AI tunes from a JSONL dataset in Cloud Storage; the Gemini Developer API from inline examples::

    from genai_min import operations, tunings, types

    job = tunings.tune(
        t,
        base_model="gemini-2.0-flash-001",
        training_dataset=types.TuningDataset(gcs_uri="gs://bucket/train.jsonl"),
        config=types.CreateTuningJobConfig(epoch_count=1, tuned_model_display_name="my model"),
    )
    job = operations.wait(t, job, interval=30)
    print(job.state, job.tuned_model.endpoint if job.tuned_model else None)

The async twins, with the same arguments and results, are in `genai_min.aio.tunings`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_min import _tunings as wire
from genai_min._pager import Page, Pager
from genai_min._transport import Transport
from genai_min._tunings import TuningJob

if TYPE_CHECKING:
    from genai_min._job_dicts import CreateTuningJobConfigDict, ListTuningJobsConfigDict, TuningDatasetDict
    from genai_min._tunings import CreateTuningJobConfig, ListTuningJobsConfig, TuningDataset


def tune(
    t: Transport,
    *,
    base_model: str,
    training_dataset: TuningDataset | TuningDatasetDict,
    config: CreateTuningJobConfig | CreateTuningJobConfigDict | None = None,
) -> TuningJob:
    """Start a supervised tuning job of `base_model` on `training_dataset` (a `TuningDataset` or dict).

    On the Gemini Developer API the answer is an operation; the job returned is named after the
    tuned model it builds (``tunedModels/ID``), in state ``JOB_STATE_QUEUED``.

    >>> job = tunings.tune(t, base_model="gemini-2.0-flash-001", training_dataset={"gcs_uri": "gs://b/t.jsonl"})
    """
    request = wire.tune_request(t.endpoint, base_model, training_dataset, config)
    return wire.parse_tune(t.endpoint, t.send(request).json())


def get(t: Transport, *, name: str) -> TuningJob:
    """Get a tuning job by name (Gemini: the tuned model, its state mapped to a job state)."""
    return wire.parse_tuning_job(t.send(wire.get_request(t.endpoint, name)).json())


def list(
    t: Transport, *, config: ListTuningJobsConfig | ListTuningJobsConfigDict | None = None
) -> Pager[TuningJob]:
    """List tuning jobs in pages (Gemini: the tuned models, seen as jobs).

    >>> pager = tunings.list(t, config={"page_size": 10})
    >>> pager[0], pager.next_page()
    """
    cfg = wire.list_config(config)

    def fetch(token: str | None) -> Page[TuningJob]:
        return wire.parse_jobs_page(t.send(wire.list_request(t.endpoint, cfg, token)).json())

    return Pager(fetch, fetch(None), cfg.page_size)


def cancel(t: Transport, *, name: str) -> None:
    """Ask Vertex AI to cancel a tuning job; the Gemini Developer API has no way to cancel one."""
    t.send(wire.cancel_request(t.endpoint, name))
