"""The official SDK tour, part 6: batch jobs, from inline requests, files, BigQuery and Cloud Storage.

The README calls batch prediction Vertex-AI-only, but SDK 3.3.0 also runs batches on the Gemini
Developer API, from inline requests or an uploaded JSONL file, so the tour runs them on both.
"""

from __future__ import annotations

import asyncio
import time

from google import genai
from google.genai import types

from tools.tour.examples import MODEL, VERTEX_BATCH_FILE_SOURCE, VERTEX_BATCH_SOURCE, listed_line, local_files
from tools.tour.steps import AsyncSleep, Sleep, Step, step

COMPLETED_STATES = {
    types.JobState.JOB_STATE_SUCCEEDED,
    types.JobState.JOB_STATE_FAILED,
    types.JobState.JOB_STATE_CANCELLED,
    types.JobState.JOB_STATE_PAUSED,
}
INLINE_REQUESTS: list[types.InlinedRequestDict] = [
    {"contents": [{"parts": [{"text": "Why is the sky blue?"}], "role": "user"}]},
    {"contents": [{"parts": [{"text": "Why is the sea salty?"}], "role": "user"}]},
]
JSONL = types.UploadFileConfig(mime_type="application/jsonl")


def _sources(client: genai.Client) -> list[types.BatchJobSourceUnionDict]:
    """A table and a file in Cloud Storage on Vertex AI; inline requests and an uploaded file on Gemini."""
    if client.vertexai:
        return [VERTEX_BATCH_SOURCE, VERTEX_BATCH_FILE_SOURCE]
    with local_files("batch_requests.jsonl") as (path,):
        uploaded = client.files.upload(file=path, config=JSONL)
    return [INLINE_REQUESTS, uploaded.name or ""]


async def _sources_async(client: genai.Client) -> list[types.BatchJobSourceUnionDict]:
    """The same sources, uploading the Gemini file with the async client."""
    if client.vertexai:
        return [VERTEX_BATCH_SOURCE, VERTEX_BATCH_FILE_SOURCE]
    with local_files("batch_requests.jsonl") as (path,):
        uploaded = await client.aio.files.upload(file=path, config=JSONL)
    return [INLINE_REQUESTS, uploaded.name or ""]


def _finished_line(jobs: list[types.BatchJob]) -> str:
    outputs = []
    for job in jobs:
        assert job.state == types.JobState.JOB_STATE_SUCCEEDED, f"{job.name} ended {job.state}"
        dest = job.dest
        assert dest is not None, f"expected {job.name} to say where its answers are"
        if dest.inlined_responses:
            assert all(r.response and r.response.text for r in dest.inlined_responses), "expected answers"
            outputs.append(f"{len(dest.inlined_responses)} inline answers")
        elif dest.file_name:
            outputs.append(f"answers in {dest.file_name}")
        else:
            assert dest.gcs_uri or dest.bigquery_uri, f"expected an output folder or table for {job.name}"
            outputs.append("answers in Cloud Storage" if dest.gcs_uri else "answers in BigQuery")
    return "batches: " + ", ".join(outputs)


def create_batches(client: genai.Client, *, sleep: Sleep = time.sleep) -> str:
    """Batch Prediction: create a job per source, get it, and poll it until it completes."""
    jobs = []
    for src in _sources(client):
        job = client.batches.create(model=MODEL, src=src)
        job = client.batches.get(name=job.name or "")
        while job.state not in COMPLETED_STATES:
            job = client.batches.get(name=job.name or "")
            sleep(30)
        jobs.append(job)
    return _finished_line(jobs)


async def create_batches_async(client: genai.Client, *, sleep: AsyncSleep = asyncio.sleep) -> str:
    """Batch Prediction, async."""
    jobs = []
    for src in await _sources_async(client):
        job = await client.aio.batches.create(model=MODEL, src=src)
        job = await client.aio.batches.get(name=job.name or "")
        while job.state not in COMPLETED_STATES:
            job = await client.aio.batches.get(name=job.name or "")
            await sleep(30)
        jobs.append(job)
    return _finished_line(jobs)


def list_batches(client: genai.Client) -> str:
    """List Batch Jobs, then page through them (two jobs, one per page)."""
    made = [client.batches.create(model=MODEL, src=src) for src in _sources(client)]
    every = [job.name for job in client.batches.list(config=types.ListBatchJobsConfig(page_size=10))]
    pager = client.batches.list(config=types.ListBatchJobsConfig(page_size=1))
    first = pager[0].name
    pager.next_page()
    assert pager.page_size == 1, "expected the page size asked for"
    assert pager[0].name != first, "expected the second page to hold the other job"
    return listed_line("batch jobs", every, [job.name for job in made])


async def list_batches_async(client: genai.Client) -> str:
    """List Batch Jobs (Asynchronous), with the pager."""
    made = [await client.aio.batches.create(model=MODEL, src=src) for src in await _sources_async(client)]
    every = [
        job.name
        async for job in await client.aio.batches.list(config=types.ListBatchJobsConfig(page_size=10))
    ]
    async_pager = await client.aio.batches.list(config=types.ListBatchJobsConfig(page_size=1))
    first = async_pager[0].name
    await async_pager.next_page()
    assert async_pager.page_size == 1, "expected the page size asked for"
    assert async_pager[0].name != first, "expected the second page to hold the other job"
    return listed_line("batch jobs", every, [job.name for job in made])


def _cancelled_line(job: types.BatchJob, deleted: types.DeleteResourceJob) -> str:
    assert job.state == types.JobState.JOB_STATE_CANCELLED, f"expected a cancelled job, got {job.state}"
    assert deleted.error is None, f"expected the deletion to succeed, got {deleted.error!r}"
    return f"batch {job.name}: cancelled, deleted"


def cancel_and_delete_batch(client: genai.Client, *, sleep: Sleep = time.sleep) -> str:
    """Cancel a running job, wait for it to stop, then delete the job resource."""
    job = client.batches.create(model=MODEL, src=_sources(client)[0])
    client.batches.cancel(name=job.name or "")
    while job.state not in COMPLETED_STATES:
        job = client.batches.get(name=job.name or "")
        sleep(30)
    delete_job = client.batches.delete(name=job.name or "")
    return _cancelled_line(job, delete_job)


async def cancel_and_delete_batch_async(client: genai.Client, *, sleep: AsyncSleep = asyncio.sleep) -> str:
    """Cancel and delete a batch job, async."""
    job = await client.aio.batches.create(model=MODEL, src=(await _sources_async(client))[0])
    await client.aio.batches.cancel(name=job.name or "")
    while job.state not in COMPLETED_STATES:
        job = await client.aio.batches.get(name=job.name or "")
        await sleep(30)
    delete_job = await client.aio.batches.delete(name=job.name or "")
    return _cancelled_line(job, delete_job)


STEPS: list[Step] = [
    step("Batch Prediction: Create, Get, wait", create_batches, create_batches_async, is_polling=True),
    step("Batch Prediction: List, with the pager", list_batches, list_batches_async),
    step(
        "Batch Prediction: cancel and Delete",
        cancel_and_delete_batch,
        cancel_and_delete_batch_async,
        is_polling=True,
    ),
]
