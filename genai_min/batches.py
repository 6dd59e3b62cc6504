"""Batch jobs: run many generate requests at half the price, and collect the answers later.

Every function takes the shared `Transport` first::

    from genai_min import Transport, batches
    from genai_min._lro import wait

    t = Transport(vertexai=True, project="my-project", location="us-central1")
    job = batches.create(t, model="gemini-2.0-flash-001", src="bq://my-project.my-dataset.my-table")
    job = wait(t, job)              # polls batches.get until job.done
    print(job.state, job.dest)

Vertex AI reads ``gs://`` or ``bq://`` sources; the Gemini Developer API reads a list of inline
requests (``[{"contents": ..., "config": ...}]``) or an uploaded ``files/ID``. The async twins,
with the same arguments and results, are in `genai_min.aio.batches`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_min import _batches as wire
from genai_min._batch_types import BatchJob, DeleteResourceJob
from genai_min._pager import Page, Pager
from genai_min._transport import Transport

if TYPE_CHECKING:
    from genai_min._batch_types import CreateBatchJobConfig, ListBatchJobsConfig
    from genai_min._job_dicts import (
        BatchJobSourceUnionDict,
        CreateBatchJobConfigDict,
        ListBatchJobsConfigDict,
    )


def create(
    t: Transport,
    *,
    model: str,
    src: BatchJobSourceUnionDict,
    config: CreateBatchJobConfig | CreateBatchJobConfigDict | None = None,
) -> BatchJob:
    """Start a batch job for `model` over `src`; `config` is a `CreateBatchJobConfig` or a dict.

    On Vertex AI a missing display name and destination are made up as the official SDK does
    (``genai_batch_job_<time>_<id>``; beside a ``.jsonl`` source, or a new BigQuery table).

    >>> job = batches.create(t, model="gemini-2.0-flash-001", src=[{"contents": "Hi"}])
    """
    request = wire.create_request(t.endpoint, model, src, config, unique=wire.unique_suffix())
    return wire.parse_batch_job(t.send(request).json())


def get(t: Transport, *, name: str) -> BatchJob:
    """Get a job's current state (``batches/ID``, or a Vertex AI job name or bare id)."""
    return wire.parse_batch_job(t.send(wire.get_request(t.endpoint, name)).json())


def cancel(t: Transport, *, name: str) -> None:
    """Ask the service to cancel a pending or running job; poll `get` to see it end."""
    t.send(wire.cancel_request(t.endpoint, name))


def delete(t: Transport, *, name: str) -> DeleteResourceJob:
    """Delete a job; Vertex AI answers with the deletion's operation, Gemini with nothing."""
    return wire.parse_delete(t.send(wire.delete_request(t.endpoint, name)).json())


def list(
    t: Transport, *, config: ListBatchJobsConfig | ListBatchJobsConfigDict | None = None
) -> Pager[BatchJob]:
    """List jobs in pages; iterate for all of them.

    >>> pager = batches.list(t, config={"page_size": 10})
    >>> pager[0], pager.next_page()
    """
    cfg = wire.list_config(config)

    def fetch(token: str | None) -> Page[BatchJob]:
        return wire.parse_page(t.send(wire.list_request(t.endpoint, cfg, token)).json())

    return Pager(fetch, fetch(None), cfg.page_size)
