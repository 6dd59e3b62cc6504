"""The genai_min tour, part 5: tuning jobs and the tuned models they make.

The README polls ``tunings.get`` in a loop; genai_min's `operations.wait` is that loop, one
request per poll, with the sleep between polls as a parameter.
"""

from __future__ import annotations

import asyncio
import time

import genai_min
from genai_min import models, operations, tunings, types
from tools.tour.examples import MODEL, VERTEX_TUNING_DATA, listed_line, text_line
from tools.tour.steps import AsyncSleep, Sleep, Step, step

RENAME = types.UpdateModelConfig(display_name="my tuned model", description="my tuned model description")
TUNE_CONFIG = types.CreateTuningJobConfig(
    epoch_count=1, tuned_model_display_name="test_dataset_examples model"
)


def _tune_arguments(t: genai_min.Transport) -> tuple[str, types.TuningDataset]:
    """Vertex AI tunes from a JSONL file in Cloud Storage, the Gemini Developer API from inline examples."""
    if t.is_vertex:
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


def _tuned_model_of(tuning_job: types.TuningJob) -> types.TunedModel:
    assert tuning_job.state == types.JobState.JOB_STATE_SUCCEEDED, f"tuning ended {tuning_job.state}"
    tuned_model = tuning_job.tuned_model
    assert tuned_model is not None, "expected a succeeded job to name its tuned model"
    assert tuned_model.model, "expected the tuned model's name"
    assert tuned_model.endpoint, "expected the endpoint that serves the tuned model"
    return tuned_model


def tuned(t: genai_min.Transport, *, sleep: Sleep = time.sleep) -> types.TuningJob:
    """Tune: start a job, get it, and wait until it has ended."""
    model, training_dataset = _tune_arguments(t)
    tuning_job = tunings.tune(t, base_model=model, training_dataset=training_dataset, config=TUNE_CONFIG)
    tuning_job = tunings.get(t, name=tuning_job.name or "")
    return operations.wait(t, tuning_job, interval=10, sleep=sleep)


async def tuned_async(t: genai_min.Transport, *, sleep: AsyncSleep = asyncio.sleep) -> types.TuningJob:
    """Tune, async."""
    model, training_dataset = _tune_arguments(t)
    tuning_job = await genai_min.aio.tunings.tune(
        t, base_model=model, training_dataset=training_dataset, config=TUNE_CONFIG
    )
    tuning_job = await genai_min.aio.tunings.get(t, name=tuning_job.name or "")
    return await genai_min.aio.operations.wait(t, tuning_job, interval=10, sleep=sleep)


def _renamed_line(
    tuning_job: types.TuningJob, response: types.GenerateContentResponse, model: types.Model
) -> str:
    assert model.display_name == "my tuned model", (
        f"expected the new display name, got {model.display_name!r}"
    )
    return text_line(f"tuned {tuning_job.name}", response)


def tune(t: genai_min.Transport, *, sleep: Sleep = time.sleep) -> str:
    """Tunings: tune, wait, then use, get and update the tuned model."""
    tuning_job = tuned(t, sleep=sleep)
    tuned_model = _tuned_model_of(tuning_job)
    response = models.generate_content(t, model=tuned_model.endpoint or "", contents="why is the sky blue?")
    model = models.get(t, model=tuned_model.model or "")
    assert model.name, "expected the tuned model to have a name"
    model = models.update(t, model=tuned_model.model or "", config=RENAME)
    return _renamed_line(tuning_job, response, model)


async def tune_async(t: genai_min.Transport, *, sleep: AsyncSleep = asyncio.sleep) -> str:
    """Tunings, async."""
    aio_models = genai_min.aio.models
    tuning_job = await tuned_async(t, sleep=sleep)
    tuned_model = _tuned_model_of(tuning_job)
    response = await aio_models.generate_content(
        t, model=tuned_model.endpoint or "", contents="why is the sky blue?"
    )
    model = await aio_models.get(t, model=tuned_model.model or "")
    assert model.name, "expected the tuned model to have a name"
    model = await aio_models.update(t, model=tuned_model.model or "", config=RENAME)
    return _renamed_line(tuning_job, response, model)


# Two tuned models and a page size of one, so that the pager has a second page to show.
LIST_TUNED = types.ListModelsConfig(page_size=1, query_base=False)


def list_tuned_models(t: genai_min.Transport, *, sleep: Sleep = time.sleep) -> str:
    """List Tuned Models with the pager, update the first one, then delete both."""
    jobs = [tuned(t, sleep=sleep), tuned(t, sleep=sleep)]
    every = [model.name for model in models.list(t, config=LIST_TUNED)]
    pager = models.list(t, config=LIST_TUNED)
    model = pager[0]
    pager.next_page()
    assert pager[0].name != model.name, "expected the second page to hold the other model"
    model = models.update(t, model=model.name or "", config=RENAME)
    assert model.display_name == "my tuned model", (
        f"expected the new display name, got {model.display_name!r}"
    )
    made = [(_tuned_model_of(job).model or "").split("@")[0] for job in jobs]
    for job in jobs:
        models.delete(t, model=_tuned_model_of(job).model or "")
    return listed_line("tuned models", every, made) + "; renamed one, deleted both"


async def list_tuned_models_async(t: genai_min.Transport, *, sleep: AsyncSleep = asyncio.sleep) -> str:
    """List Tuned Models (Asynchronous)."""
    aio_models = genai_min.aio.models
    jobs = [await tuned_async(t, sleep=sleep), await tuned_async(t, sleep=sleep)]
    every = [model.name async for model in await aio_models.list(t, config=LIST_TUNED)]
    async_pager = await aio_models.list(t, config=LIST_TUNED)
    model = async_pager[0]
    await async_pager.next_page()
    assert async_pager[0].name != model.name, "expected the second page to hold the other model"
    model = await aio_models.update(t, model=model.name or "", config=RENAME)
    assert model.display_name == "my tuned model", (
        f"expected the new display name, got {model.display_name!r}"
    )
    made = [(_tuned_model_of(job).model or "").split("@")[0] for job in jobs]
    for job in jobs:
        await aio_models.delete(t, model=_tuned_model_of(job).model or "")
    return listed_line("tuned models", every, made) + "; renamed one, deleted both"


def list_tuning_jobs(t: genai_min.Transport) -> str:
    """List Tuning Jobs, with the pager (on Gemini, the tuned models seen as jobs)."""
    model, training_dataset = _tune_arguments(t)
    made = [
        tunings.tune(t, base_model=model, training_dataset=training_dataset, config=TUNE_CONFIG)
        for _ in range(2)
    ]
    every = [job.name for job in tunings.list(t, config={"page_size": 10})]
    pager = tunings.list(t, config={"page_size": 1})
    first = pager[0].name
    pager.next_page()
    assert pager[0].name != first, "expected the second page to hold the other job"
    return listed_line("tuning jobs", every, [job.name for job in made])


async def list_tuning_jobs_async(t: genai_min.Transport) -> str:
    """List Tuning Jobs (Asynchronous)."""
    model, training_dataset = _tune_arguments(t)
    made = [
        await genai_min.aio.tunings.tune(
            t, base_model=model, training_dataset=training_dataset, config=TUNE_CONFIG
        )
        for _ in range(2)
    ]
    every = [job.name async for job in await genai_min.aio.tunings.list(t, config={"page_size": 10})]
    async_pager = await genai_min.aio.tunings.list(t, config={"page_size": 1})
    first = async_pager[0].name
    await async_pager.next_page()
    assert async_pager[0].name != first, "expected the second page to hold the other job"
    return listed_line("tuning jobs", every, [job.name for job in made])


STEPS: list[Step] = [
    step("Tunings: Tune, Get, Use, Get and Update Tuned Model", tune, tune_async, is_polling=True),
    step(
        "List Tuned Models; Update Tuned Model", list_tuned_models, list_tuned_models_async, is_polling=True
    ),
    step("List Tuning Jobs", list_tuning_jobs, list_tuning_jobs_async),
]
