"""Async batch jobs: the same arguments and results as `genai_min.batches`, awaited.

job = await aio.batches.create(t, model="gemini-2.0-flash-001", src="gs://bucket/requests.jsonl")
job = await genai_min._lro.async_wait(t, job)
async for job in await aio.batches.list(t, config={"page_size": 10}):
    print(job.name, job.state)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_min import _batches as wire
from genai_min._batch_types import BatchJob, DeleteResourceJob
from genai_min._pager import AsyncPager, Page
from genai_min._transport import Transport

if TYPE_CHECKING:
    from genai_min._batch_types import CreateBatchJobConfig, ListBatchJobsConfig
    from genai_min._job_dicts import (
        BatchJobSourceUnionDict,
        CreateBatchJobConfigDict,
        ListBatchJobsConfigDict,
    )


async def create(
    t: Transport,
    *,
    model: str,
    src: BatchJobSourceUnionDict,
    config: CreateBatchJobConfig | CreateBatchJobConfigDict | None = None,
) -> BatchJob:
    """Start a batch job for `model` over `src`; `config` is a `CreateBatchJobConfig` or a dict."""
    request = wire.create_request(t.endpoint, model, src, config, unique=wire.unique_suffix())
    return wire.parse_batch_job((await t.asend(request)).json())


async def get(t: Transport, *, name: str) -> BatchJob:
    """Get a job's current state."""
    return wire.parse_batch_job((await t.asend(wire.get_request(t.endpoint, name))).json())


async def cancel(t: Transport, *, name: str) -> None:
    """Ask the service to cancel a pending or running job."""
    await t.asend(wire.cancel_request(t.endpoint, name))


async def delete(t: Transport, *, name: str) -> DeleteResourceJob:
    """Delete a job."""
    return wire.parse_delete((await t.asend(wire.delete_request(t.endpoint, name))).json())


async def list(
    t: Transport, *, config: ListBatchJobsConfig | ListBatchJobsConfigDict | None = None
) -> AsyncPager[BatchJob]:
    """List jobs in pages; ``async for job in await aio.batches.list(t)``."""
    cfg = wire.list_config(config)

    async def fetch(token: str | None) -> Page[BatchJob]:
        return wire.parse_page((await t.asend(wire.list_request(t.endpoint, cfg, token))).json())

    return AsyncPager(fetch, await fetch(None), cfg.page_size)
