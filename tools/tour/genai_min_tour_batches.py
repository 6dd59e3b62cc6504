"""The genai_min tour, part 6: batch jobs, from inline requests, files, BigQuery and Cloud Storage.

The README calls batch prediction Vertex-AI-only; the Gemini Developer API runs batches too, from
inline requests or an uploaded JSONL file, so the tour runs them on both. genai_min's
`operations.wait` is the README's polling loop.
"""

from __future__ import annotations

import asyncio
import time

import genai_min
from genai_min import batches, files, operations, types
from tools.tour.examples import MODEL, VERTEX_BATCH_FILE_SOURCE, VERTEX_BATCH_SOURCE, listed_line, local_files
from tools.tour.steps import AsyncSleep, Sleep, Step, step

INLINE_REQUESTS = [
    types.InlinedRequest(contents="Why is the sky blue?"),
    types.InlinedRequest(contents="Why is the sea salty?"),
]
JSONL = types.UploadFileConfig(mime_type="application/jsonl")


def _sources(t: genai_min.Transport) -> list[object]:
    """A table and a file in Cloud Storage on Vertex AI; inline requests and an uploaded file on Gemini."""
    if t.is_vertex:
        return [VERTEX_BATCH_SOURCE, VERTEX_BATCH_FILE_SOURCE]
    with local_files("batch_requests.jsonl") as (path,):
        uploaded = files.upload(t, file=path, config=JSONL)
    return [INLINE_REQUESTS, uploaded.name or ""]


async def _sources_async(t: genai_min.Transport) -> list[object]:
    """The same sources, uploading the Gemini file with the async client."""
    if t.is_vertex:
        return [VERTEX_BATCH_SOURCE, VERTEX_BATCH_FILE_SOURCE]
    with local_files("batch_requests.jsonl") as (path,):
        uploaded = await genai_min.aio.files.upload(t, file=path, config=JSONL)
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


def create_batches(t: genai_min.Transport, *, sleep: Sleep = time.sleep) -> str:
    """Batch Prediction: create a job per source, get it, and wait until it completes."""
    jobs = []
    for src in _sources(t):
        job = batches.create(t, model=MODEL, src=src)
        job = batches.get(t, name=job.name or "")
        jobs.append(operations.wait(t, job, interval=30, sleep=sleep))
    return _finished_line(jobs)


async def create_batches_async(t: genai_min.Transport, *, sleep: AsyncSleep = asyncio.sleep) -> str:
    """Batch Prediction, async."""
    aio = genai_min.aio
    jobs = []
    for src in await _sources_async(t):
        job = await aio.batches.create(t, model=MODEL, src=src)
        job = await aio.batches.get(t, name=job.name or "")
        jobs.append(await aio.operations.wait(t, job, interval=30, sleep=sleep))
    return _finished_line(jobs)


def list_batches(t: genai_min.Transport) -> str:
    """List Batch Jobs, then page through them (two jobs, one per page)."""
    made = [batches.create(t, model=MODEL, src=src) for src in _sources(t)]
    every = [job.name for job in batches.list(t, config=types.ListBatchJobsConfig(page_size=10))]
    pager = batches.list(t, config=types.ListBatchJobsConfig(page_size=1))
    first = pager[0].name
    pager.next_page()
    assert pager.page_size == 1, "expected the page size asked for"
    assert pager[0].name != first, "expected the second page to hold the other job"
    return listed_line("batch jobs", every, [job.name for job in made])


async def list_batches_async(t: genai_min.Transport) -> str:
    """List Batch Jobs (Asynchronous), with the pager."""
    aio = genai_min.aio
    made = [await aio.batches.create(t, model=MODEL, src=src) for src in await _sources_async(t)]
    every = [
        job.name async for job in await aio.batches.list(t, config=types.ListBatchJobsConfig(page_size=10))
    ]
    async_pager = await aio.batches.list(t, config=types.ListBatchJobsConfig(page_size=1))
    first = async_pager[0].name
    await async_pager.next_page()
    assert async_pager.page_size == 1, "expected the page size asked for"
    assert async_pager[0].name != first, "expected the second page to hold the other job"
    return listed_line("batch jobs", every, [job.name for job in made])


def _cancelled_line(job: types.BatchJob, deleted: types.DeleteResourceJob) -> str:
    assert job.state == types.JobState.JOB_STATE_CANCELLED, f"expected a cancelled job, got {job.state}"
    assert deleted.error is None, f"expected the deletion to succeed, got {deleted.error!r}"
    return f"batch {job.name}: cancelled, deleted"


def cancel_and_delete_batch(t: genai_min.Transport, *, sleep: Sleep = time.sleep) -> str:
    """Cancel a running job, wait for it to stop, then delete the job resource."""
    job = batches.create(t, model=MODEL, src=_sources(t)[0])
    batches.cancel(t, name=job.name or "")
    job = operations.wait(t, job, interval=30, sleep=sleep)
    delete_job = batches.delete(t, name=job.name or "")
    return _cancelled_line(job, delete_job)


async def cancel_and_delete_batch_async(t: genai_min.Transport, *, sleep: AsyncSleep = asyncio.sleep) -> str:
    """Cancel and delete a batch job, async."""
    aio = genai_min.aio
    job = await aio.batches.create(t, model=MODEL, src=(await _sources_async(t))[0])
    await aio.batches.cancel(t, name=job.name or "")
    job = await aio.operations.wait(t, job, interval=30, sleep=sleep)
    delete_job = await aio.batches.delete(t, name=job.name or "")
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
