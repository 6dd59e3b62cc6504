"""The official SDK tour, part 5: tuning jobs and the tuned models they make."""

from __future__ import annotations

import asyncio
import time

from google import genai
from google.genai import types

from tools.tour.examples import MODEL, VERTEX_TUNING_DATA, listed_line, text_line
from tools.tour.steps import AsyncSleep, Backend, Sleep, Step, step

RUNNING_STATES = {types.JobState.JOB_STATE_PENDING, types.JobState.JOB_STATE_RUNNING}
TUNINGS_LIST_IS_VERTEX_ONLY = (
    "on the Gemini Developer API the SDK's tunings.list raises ValueError('This method is only supported "
    "in Gemini Enterprise Agent Platform mode, not in Gemini Developer API mode.')"
)
RENAME = types.UpdateModelConfig(display_name="my tuned model", description="my tuned model description")


def _tune_arguments(client: genai.Client) -> tuple[str, types.TuningDataset]:
    """Vertex AI tunes from a JSONL file in Cloud Storage, the Gemini Developer API from inline examples."""
    if client.vertexai:
        model = MODEL
        training_dataset = types.TuningDataset(gcs_uri=VERTEX_TUNING_DATA)
    else:
        model = f"models/{MODEL}"
        training_dataset = types.TuningDataset(
            examples=[
                types.TuningExample(text_input=f"Input text {i}", output=f"Output text {i}") for i in range(5)
            ],
        )
    return model, training_dataset


TUNE_CONFIG = types.CreateTuningJobConfig(
    epoch_count=1, tuned_model_display_name="test_dataset_examples model"
)


def _tuned_model_of(tuning_job: types.TuningJob) -> types.TunedModel:
    assert tuning_job.state == types.JobState.JOB_STATE_SUCCEEDED, f"tuning ended {tuning_job.state}"
    tuned_model = tuning_job.tuned_model
    assert tuned_model is not None, "expected a succeeded job to name its tuned model"
    assert tuned_model.model, "expected the tuned model's name"
    assert tuned_model.endpoint, "expected the endpoint that serves the tuned model"
    return tuned_model


def tuned(client: genai.Client, *, sleep: Sleep = time.sleep) -> types.TuningJob:
    """Tune: start a job, get it, and poll it until it is no longer running."""
    model, training_dataset = _tune_arguments(client)
    tuning_job = client.tunings.tune(base_model=model, training_dataset=training_dataset, config=TUNE_CONFIG)
    tuning_job = client.tunings.get(name=tuning_job.name or "")
    while tuning_job.state in RUNNING_STATES:
        tuning_job = client.tunings.get(name=tuning_job.name or "")
        sleep(10)
    return tuning_job


async def tuned_async(client: genai.Client, *, sleep: AsyncSleep = asyncio.sleep) -> types.TuningJob:
    """Tune, async."""
    model, training_dataset = _tune_arguments(client)
    tuning_job = await client.aio.tunings.tune(
        base_model=model, training_dataset=training_dataset, config=TUNE_CONFIG
    )
    tuning_job = await client.aio.tunings.get(name=tuning_job.name or "")
    while tuning_job.state in RUNNING_STATES:
        tuning_job = await client.aio.tunings.get(name=tuning_job.name or "")
        await sleep(10)
    return tuning_job


def _renamed_line(
    tuning_job: types.TuningJob, response: types.GenerateContentResponse, model: types.Model
) -> str:
    assert model.display_name == "my tuned model", (
        f"expected the new display name, got {model.display_name!r}"
    )
    return text_line(f"tuned {tuning_job.name}", response)


def tune(client: genai.Client, *, sleep: Sleep = time.sleep) -> str:
    """Tunings: tune, wait, then use, get and update the tuned model."""
    tuning_job = tuned(client, sleep=sleep)
    tuned_model = _tuned_model_of(tuning_job)
    response = client.models.generate_content(
        model=tuned_model.endpoint or "", contents="why is the sky blue?"
    )
    model = client.models.get(model=tuned_model.model or "")
    assert model.name, "expected the tuned model to have a name"
    model = client.models.update(model=tuned_model.model or "", config=RENAME)
    return _renamed_line(tuning_job, response, model)


async def tune_async(client: genai.Client, *, sleep: AsyncSleep = asyncio.sleep) -> str:
    """Tunings, async."""
    aio_models = client.aio.models
    tuning_job = await tuned_async(client, sleep=sleep)
    tuned_model = _tuned_model_of(tuning_job)
    response = await aio_models.generate_content(
        model=tuned_model.endpoint or "", contents="why is the sky blue?"
    )
    model = await aio_models.get(model=tuned_model.model or "")
    assert model.name, "expected the tuned model to have a name"
    model = await aio_models.update(model=tuned_model.model or "", config=RENAME)
    return _renamed_line(tuning_job, response, model)


# Two tuned models and a page size of one, so that the pager has a second page to show.
LIST_TUNED = types.ListModelsConfig(page_size=1, query_base=False)


def list_tuned_models(client: genai.Client, *, sleep: Sleep = time.sleep) -> str:
    """List Tuned Models with the pager, update the first one, then delete both."""
    jobs = [tuned(client, sleep=sleep), tuned(client, sleep=sleep)]
    every = [model.name for model in client.models.list(config=LIST_TUNED)]
    pager = client.models.list(config=LIST_TUNED)
    model = pager[0]
    pager.next_page()
    assert pager[0].name != model.name, "expected the second page to hold the other model"
    model = client.models.update(model=model.name or "", config=RENAME)
    assert model.display_name == "my tuned model", (
        f"expected the new display name, got {model.display_name!r}"
    )
    made = [(_tuned_model_of(job).model or "").split("@")[0] for job in jobs]
    for job in jobs:
        client.models.delete(model=_tuned_model_of(job).model or "")
    return listed_line("tuned models", every, made) + "; renamed one, deleted both"


async def list_tuned_models_async(client: genai.Client, *, sleep: AsyncSleep = asyncio.sleep) -> str:
    """List Tuned Models (Asynchronous)."""
    jobs = [await tuned_async(client, sleep=sleep), await tuned_async(client, sleep=sleep)]
    every = [model.name async for model in await client.aio.models.list(config=LIST_TUNED)]
    async_pager = await client.aio.models.list(config=LIST_TUNED)
    model = async_pager[0]
    await async_pager.next_page()
    assert async_pager[0].name != model.name, "expected the second page to hold the other model"
    model = await client.aio.models.update(model=model.name or "", config=RENAME)
    assert model.display_name == "my tuned model", (
        f"expected the new display name, got {model.display_name!r}"
    )
    made = [(_tuned_model_of(job).model or "").split("@")[0] for job in jobs]
    for job in jobs:
        await client.aio.models.delete(model=_tuned_model_of(job).model or "")
    return listed_line("tuned models", every, made) + "; renamed one, deleted both"


def list_tuning_jobs(client: genai.Client) -> str:
    """List Tuning Jobs, with the pager (Vertex AI only in this SDK)."""
    model, training_dataset = _tune_arguments(client)
    made = [
        client.tunings.tune(base_model=model, training_dataset=training_dataset, config=TUNE_CONFIG)
        for _ in range(2)
    ]
    every = [job.name for job in client.tunings.list(config={"page_size": 10})]
    pager = client.tunings.list(config={"page_size": 1})
    first = pager[0].name
    pager.next_page()
    assert pager[0].name != first, "expected the second page to hold the other job"
    return listed_line("tuning jobs", every, [job.name for job in made])


async def list_tuning_jobs_async(client: genai.Client) -> str:
    """List Tuning Jobs (Asynchronous)."""
    model, training_dataset = _tune_arguments(client)
    made = [
        await client.aio.tunings.tune(base_model=model, training_dataset=training_dataset, config=TUNE_CONFIG)
        for _ in range(2)
    ]
    every = [job.name async for job in await client.aio.tunings.list(config={"page_size": 10})]
    async_pager = await client.aio.tunings.list(config={"page_size": 1})
    first = async_pager[0].name
    await async_pager.next_page()
    assert async_pager[0].name != first, "expected the second page to hold the other job"
    return listed_line("tuning jobs", every, [job.name for job in made])


STEPS: list[Step] = [
    step("Tunings: Tune, Get, Use, Get and Update Tuned Model", tune, tune_async, is_polling=True),
    step(
        "List Tuned Models; Update Tuned Model", list_tuned_models, list_tuned_models_async, is_polling=True
    ),
    step(
        "List Tuning Jobs",
        list_tuning_jobs,
        list_tuning_jobs_async,
        only=Backend.VERTEX,
        reason=TUNINGS_LIST_IS_VERTEX_ONLY,
    ),
]
