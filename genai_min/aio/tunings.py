"""Async tuning calls: the same arguments and results as `genai_min.tunings`, awaited.

job = await aio.tunings.tune(t, base_model=..., training_dataset=..., config=...)
job = await aio.operations.wait(t, job)
async for job in await aio.tunings.list(t):
    print(job.name, job.state)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_min import _tunings as wire
from genai_min._pager import AsyncPager, Page
from genai_min._transport import Transport
from genai_min._tunings import TuningJob

if TYPE_CHECKING:
    from genai_min._job_dicts import CreateTuningJobConfigDict, ListTuningJobsConfigDict, TuningDatasetDict
    from genai_min._tunings import CreateTuningJobConfig, ListTuningJobsConfig, TuningDataset


async def tune(
    t: Transport,
    *,
    base_model: str,
    training_dataset: TuningDataset | TuningDatasetDict,
    config: CreateTuningJobConfig | CreateTuningJobConfigDict | None = None,
) -> TuningJob:
    """Start a supervised tuning job of `base_model` on `training_dataset`."""
    request = wire.tune_request(t.endpoint, base_model, training_dataset, config)
    return wire.parse_tune(t.endpoint, (await t.asend(request)).json())


async def get(t: Transport, *, name: str) -> TuningJob:
    """Get a tuning job by name."""
    return wire.parse_tuning_job((await t.asend(wire.get_request(t.endpoint, name))).json())


async def list(
    t: Transport, *, config: ListTuningJobsConfig | ListTuningJobsConfigDict | None = None
) -> AsyncPager[TuningJob]:
    """List tuning jobs; ``async for job in await aio.tunings.list(t)``."""
    cfg = wire.list_config(config)

    async def fetch(token: str | None) -> Page[TuningJob]:
        return wire.parse_jobs_page((await t.asend(wire.list_request(t.endpoint, cfg, token))).json())

    return AsyncPager(fetch, await fetch(None), cfg.page_size)


async def cancel(t: Transport, *, name: str) -> None:
    """Ask Vertex AI to cancel a tuning job."""
    await t.asend(wire.cancel_request(t.endpoint, name))
