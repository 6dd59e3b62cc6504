"""`tunings` against a stub service: the exact wire requests per backend and the jobs parsed from them."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from google.oauth2.credentials import Credentials

import genai_min
from genai_min import models, tunings
from genai_min._tunings import (
    CreateTuningJobConfig,
    TuningDataset,
    TuningExample,
    TuningJob,
    TuningValidationDataset,
)
from genai_min.aio import tunings as aio_tunings

from .conftest import Stub, make_transport, text_response
from .test_sdk_parity import captured, norm

GCS_DATASET = "gs://cloud-samples-data/ai-platform/generative_ai/gemini-1_5/text/sft_train_data.jsonl"
JOB = "projects/123456789012/locations/us-central1/tuningJobs/104641352652784411"
TUNED_MODEL = "projects/123456789012/locations/us-central1/models/200889301693073224@1"
ENDPOINT = "projects/123456789012/locations/us-central1/endpoints/498043148021734079"
GEMINI_MODEL = "tunedModels/test-dataset-examples-model-7p2qk1"
RUNNING_STATES = {"JOB_STATE_PENDING", "JOB_STATE_RUNNING"}
CONFIG = CreateTuningJobConfig(epoch_count=1, tuned_model_display_name="test_dataset_examples model")


def vertex_job(state: str, **extra: Any) -> dict[str, Any]:
    """A Vertex AI TuningJob as create and get return it (wire reference §9)."""
    return {
        "name": JOB,
        "tunedModelDisplayName": "test_dataset_examples model",
        "baseModel": "gemini-2.0-flash-001",
        "supervisedTuningSpec": {"trainingDatasetUri": GCS_DATASET, "hyperParameters": {"epochCount": "1"}},
        "state": state,
        "createTime": "2025-03-01T10:00:00.123456Z",
        "updateTime": "2025-03-01T10:05:00.654321Z",
        **extra,
    }


def vertex_succeeded() -> dict[str, Any]:
    return vertex_job(
        "JOB_STATE_SUCCEEDED",
        startTime="2025-03-01T10:01:00Z",
        endTime="2025-03-01T10:30:00Z",
        tunedModel={"model": TUNED_MODEL, "endpoint": ENDPOINT},
        tuningDataStats={"supervisedTuningDataStats": {"tuningDatasetExampleCount": "500"}},
    )


def gemini_operation() -> dict[str, Any]:
    """Gemini's answer to ``POST tunedModels``: an operation naming the tuned model."""
    return {
        "name": f"{GEMINI_MODEL}/operations/kq3b9m",
        "metadata": {
            "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.CreateTunedModelMetadata",
            "tunedModel": GEMINI_MODEL,
            "totalSteps": 5,
        },
    }


def gemini_model(state: str) -> dict[str, Any]:
    """A Gemini TunedModel as ``GET tunedModels/ID`` returns it."""
    task: dict[str, Any] = {
        "startTime": "2025-03-01T10:01:00.000000Z",
        "hyperparameters": {"epochCount": 1, "batchSize": 4, "learningRate": 0.001},
    }
    if state == "ACTIVE":
        task["completeTime"] = "2025-03-01T10:20:00.000000Z"
        task["snapshots"] = [{"step": 1, "epoch": 1, "meanLoss": 0.7, "computeTime": "2025-03-01T10:10:00Z"}]
    return {
        "name": GEMINI_MODEL,
        "baseModel": "models/gemini-2.0-flash-001",
        "displayName": "test_dataset_examples model",
        "state": state,
        "createTime": "2025-03-01T10:00:00.000000Z",
        "updateTime": "2025-03-01T10:20:00.000000Z",
        "tuningTask": task,
        "temperature": 1,
        "topP": 0.95,
        "topK": 64,
    }


def readme_dataset(is_vertex: bool) -> tuple[str, TuningDataset]:
    """The README's choice of base model and dataset per backend."""
    if is_vertex:
        return "gemini-2.0-flash-001", TuningDataset(gcs_uri=GCS_DATASET)
    examples = [TuningExample(text_input=f"Input text {i}", output=f"Output text {i}") for i in range(5)]
    return "models/gemini-2.0-flash-001", TuningDataset(examples=examples)


def run_readme_tunings(t: genai_min.Transport) -> TuningJob:
    """The README's Tunings section: tune, get, poll, use the tuned model, list jobs."""
    model, training_dataset = readme_dataset(t.is_vertex)
    tuning_job = tunings.tune(t, base_model=model, training_dataset=training_dataset, config=CONFIG)
    tuning_job = tunings.get(t, name=tuning_job.name or "")
    while tuning_job.state in RUNNING_STATES:
        tuning_job = tunings.get(t, name=tuning_job.name or "")
    assert tuning_job.tuned_model is not None and tuning_job.tuned_model.endpoint is not None
    response = models.generate_content(
        t, model=tuning_job.tuned_model.endpoint, contents="why is the sky blue?"
    )
    assert response.text
    for _ in tunings.list(t, config={"page_size": 10}):
        pass
    pager = tunings.list(t, config={"page_size": 10})
    assert pager.page_size == 10 and pager[0].name
    with pytest.raises(IndexError):
        pager.next_page()
    return tuning_job


def test_readme_example_matches_the_sdk_capture_on_vertex(stub: Stub) -> None:
    for answer in (vertex_job("JOB_STATE_PENDING"), vertex_job("JOB_STATE_RUNNING"), vertex_succeeded()):
        stub.reply(answer)
    stub.reply(text_response())
    stub.reply({"tuningJobs": [vertex_succeeded()]})
    stub.reply({"tuningJobs": [vertex_succeeded()]})
    mock = httpx.MockTransport(stub.handle)
    with genai_min.Transport(
        vertexai=True,
        project="acceptance-project",
        location="us-central1",
        credentials=Credentials(token="t"),
        transport=mock,
    ) as t:
        job = run_readme_tunings(t)
    # Captures 5-7 (tuned model get, update, list) belong to `models`; test_sdk_parity covers them.
    records = [r for r in captured("vertex")["tunings"] if r["seq"] in (1, 2, 3, 4, 8, 9)]
    assert len(stub.requests) == len(records)
    for ours, theirs in zip(stub.requests, records, strict=True):
        assert (ours.method, ours.path, ours.query) == (
            theirs["method"],
            theirs["path"],
            parse_qsl(theirs["query"]),
        )
        assert norm(ours.json) == norm(theirs["body"])
    assert job.has_succeeded and job.has_ended and job.done
    assert job.tuned_model is not None and job.tuned_model.model == TUNED_MODEL


def test_readme_example_exact_requests_on_vertex(stub: Stub) -> None:
    stub.reply(vertex_job("JOB_STATE_PENDING"))
    with make_transport("vertex", stub) as t:
        job = tunings.tune(
            t, base_model="gemini-2.0-flash-001", training_dataset={"gcs_uri": GCS_DATASET}, config=CONFIG
        )
    assert (stub.last.method, stub.last.path) == (
        "POST",
        "/v1beta1/projects/test-project/locations/us-central1/tuningJobs",
    )
    assert stub.last.json == {
        "baseModel": "gemini-2.0-flash-001",
        "supervisedTuningSpec": {"trainingDatasetUri": GCS_DATASET, "hyperParameters": {"epochCount": 1}},
        "tunedModelDisplayName": "test_dataset_examples model",
    }
    assert (job.name, job.state, job.has_ended, job.done) == (JOB, "JOB_STATE_PENDING", False, False)
    assert job.supervised_tuning_spec is not None


def test_readme_example_on_gemini(stub: Stub) -> None:
    stub.reply(gemini_operation())
    stub.reply(gemini_model("CREATING"))
    stub.reply(gemini_model("ACTIVE"))
    stub.reply(text_response())
    stub.reply({"tunedModels": [gemini_model("ACTIVE")], "nextPageToken": "bmV4dA"})
    stub.reply({"tunedModels": [gemini_model("CREATING")]})
    stub.reply({"tunedModels": [gemini_model("ACTIVE")]})
    with make_transport("gemini", stub) as t:
        job = run_readme_tunings(t)
    assert [(r.method, r.path, r.query) for r in stub.requests] == [
        ("POST", "/v1beta/tunedModels", []),
        ("GET", f"/v1beta/{GEMINI_MODEL}", []),
        ("GET", f"/v1beta/{GEMINI_MODEL}", []),
        ("POST", f"/v1beta/{GEMINI_MODEL}:generateContent", []),
        ("GET", "/v1beta/tunedModels", [("pageSize", "10")]),
        ("GET", "/v1beta/tunedModels", [("pageSize", "10"), ("pageToken", "bmV4dA")]),
        ("GET", "/v1beta/tunedModels", [("pageSize", "10")]),
    ]
    # The examples go where the TunedModel proto puts them (the official SDK drops them).
    assert stub.requests[0].json == {
        "baseModel": "models/gemini-2.0-flash-001",
        "displayName": "test_dataset_examples model",
        "tuningTask": {
            "trainingData": {
                "examples": {
                    "examples": [
                        {"textInput": f"Input text {i}", "output": f"Output text {i}"} for i in range(5)
                    ]
                }
            },
            "hyperparameters": {"epochCount": 1},
        },
    }
    assert job.model_dump(exclude_none=True, by_alias=False) == {
        "name": GEMINI_MODEL,
        "state": "JOB_STATE_SUCCEEDED",
        "base_model": "models/gemini-2.0-flash-001",
        "tuned_model_display_name": "test_dataset_examples model",
        "create_time": "2025-03-01T10:00:00.000000Z",
        "start_time": "2025-03-01T10:01:00.000000Z",
        "end_time": "2025-03-01T10:20:00.000000Z",
        "update_time": "2025-03-01T10:20:00.000000Z",
        "tuned_model": {"model": GEMINI_MODEL, "endpoint": GEMINI_MODEL},
    }


def test_gemini_tune_answers_a_queued_job(stub: Stub) -> None:
    stub.reply(gemini_operation())
    stub.reply({"name": f"{GEMINI_MODEL}/operations/kq3b9m"})
    stub.reply(
        {"name": f"{GEMINI_MODEL}/operations/x", "done": True, "error": {"code": 3, "message": "bad data"}}
    )
    _, dataset = readme_dataset(False)
    with make_transport("gemini", stub) as t:
        jobs = [
            tunings.tune(t, base_model="gemini-2.0-flash-001", training_dataset=dataset) for _ in range(3)
        ]
    assert stub.requests[0].json["baseModel"] == "models/gemini-2.0-flash-001"
    assert [(j.name, j.state) for j in jobs] == [
        (GEMINI_MODEL, "JOB_STATE_QUEUED"),
        (GEMINI_MODEL, "JOB_STATE_QUEUED"),
        (GEMINI_MODEL, "JOB_STATE_FAILED"),
    ]
    assert jobs[2].error == {"code": 3, "message": "bad data"} and jobs[2].has_ended


@pytest.mark.parametrize(
    ("raw", "state", "has_ended", "has_succeeded"),
    [
        ("CREATING", "JOB_STATE_RUNNING", False, False),
        ("ACTIVE", "JOB_STATE_SUCCEEDED", True, True),
        ("FAILED", "JOB_STATE_FAILED", True, False),
        ("STATE_UNSPECIFIED", "JOB_STATE_UNSPECIFIED", False, False),
    ],
)
def test_gemini_model_states_become_job_states(
    stub: Stub, raw: str, state: str, has_ended: bool, has_succeeded: bool
) -> None:
    stub.reply(gemini_model(raw))
    with make_transport("gemini", stub) as t:
        job = tunings.get(t, name="test-dataset-examples-model-7p2qk1")
    assert stub.last.path == f"/v1beta/{GEMINI_MODEL}"
    assert (job.state, job.has_ended, job.has_succeeded, job.done) == (
        state,
        has_ended,
        has_succeeded,
        has_ended,
    )


@pytest.mark.parametrize("state", ["JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED"])
def test_other_ended_states(state: str) -> None:
    job = TuningJob(name=JOB, state=state)
    assert job.has_ended and not job.has_succeeded


def test_datasets_must_fit_the_backend(stub: Stub) -> None:
    _, examples = readme_dataset(False)
    with (
        make_transport("vertex", stub) as t,
        pytest.raises(genai_min.ConfigError, match=r"Vertex AI tunes from .*TuningDataset\(gcs_uri="),
    ):
        tunings.tune(t, base_model="gemini-2.0-flash-001", training_dataset=examples)
    with (
        make_transport("gemini", stub) as t,
        pytest.raises(genai_min.ConfigError, match=r"inline examples.*TuningExample"),
    ):
        tunings.tune(t, base_model="gemini-2.0-flash-001", training_dataset={"gcs_uri": GCS_DATASET})
    assert stub.requests == []


def test_gemini_refuses_vertex_only_options(stub: Stub) -> None:
    _, examples = readme_dataset(False)
    config = {"adapter_size": "ADAPTER_SIZE_FOUR", "validation_dataset": {"gcs_uri": "gs://b/v.jsonl"}}
    with (
        make_transport("gemini", stub) as t,
        pytest.raises(
            genai_min.UnsupportedError, match="validation_dataset, adapter_size only apply to Vertex AI"
        ),
    ):
        tunings.tune(t, base_model="gemini-2.0-flash-001", training_dataset=examples, config=config)
    assert stub.requests == []


def test_learning_rate_options_are_exclusive(t: genai_min.Transport, stub: Stub) -> None:
    with pytest.raises(genai_min.ConfigError, match="learning_rate or learning_rate_multiplier"):
        tunings.tune(
            t,
            base_model="gemini-2.0-flash-001",
            training_dataset={"gcs_uri": GCS_DATASET},
            config={"learning_rate": 0.1, "learning_rate_multiplier": 1.0},
        )
    assert stub.requests == []


def test_vertex_options(stub: Stub) -> None:
    stub.reply(vertex_job("JOB_STATE_PENDING"))
    stub.reply(vertex_job("JOB_STATE_PENDING"))
    config = CreateTuningJobConfig(
        validation_dataset=TuningValidationDataset(gcs_uri="gs://b/validation.jsonl"),
        epoch_count=3,
        learning_rate_multiplier=0.5,
        adapter_size="ADAPTER_SIZE_FOUR",
        export_last_checkpoint_only=True,
        tuned_model_display_name="tm",
        description="a tuned model",
        labels={"team": "ml"},
    )
    with make_transport("vertex", stub) as t:
        tunings.tune(
            t, base_model="gemini-2.5-flash", training_dataset={"gcs_uri": GCS_DATASET}, config=config
        )
        tunings.tune(
            t,
            base_model=TUNED_MODEL,
            training_dataset={"gcs_uri": GCS_DATASET},
            config={"pre_tuned_model_checkpoint_id": "2"},
        )
    assert stub.requests[0].json == {
        "baseModel": "gemini-2.5-flash",
        "supervisedTuningSpec": {
            "trainingDatasetUri": GCS_DATASET,
            "validationDatasetUri": "gs://b/validation.jsonl",
            "hyperParameters": {
                "epochCount": 3,
                "learningRateMultiplier": 0.5,
                "adapterSize": "ADAPTER_SIZE_FOUR",
            },
            "exportLastCheckpointOnly": True,
        },
        "tunedModelDisplayName": "tm",
        "description": "a tuned model",
        "labels": {"team": "ml"},
    }
    # Tuning a tuned model again names it as the pre-tuned model, not as the base model.
    assert stub.requests[1].json == {
        "preTunedModel": {"tunedModelName": TUNED_MODEL, "checkpointId": "2"},
        "supervisedTuningSpec": {"trainingDatasetUri": GCS_DATASET},
    }


def test_gemini_hyperparameters(stub: Stub) -> None:
    stub.reply(gemini_operation())
    _, examples = readme_dataset(False)
    with make_transport("gemini", stub) as t:
        tunings.tune(
            t,
            base_model="models/gemini-2.0-flash-001",
            training_dataset=examples,
            config={"epoch_count": 5, "batch_size": 4, "learning_rate_multiplier": 1.5, "description": "d"},
        )
    assert stub.last.json["tuningTask"]["hyperparameters"] == {
        "epochCount": 5,
        "batchSize": 4,
        "learningRateMultiplier": 1.5,
    }
    assert stub.last.json["description"] == "d"


def test_get_completes_a_bare_id_on_vertex(stub: Stub) -> None:
    stub.reply(vertex_succeeded())
    with make_transport("vertex", stub) as t:
        job = tunings.get(t, name="104641352652784411")
    assert (stub.last.method, stub.last.path) == (
        "GET",
        "/v1beta1/projects/test-project/locations/us-central1/tuningJobs/104641352652784411",
    )
    assert job.tuned_model is not None and job.tuned_model.endpoint == ENDPOINT
    assert job.tuning_data_stats == {"supervisedTuningDataStats": {"tuningDatasetExampleCount": "500"}}


def test_list_pages_with_filter(stub: Stub) -> None:
    stub.reply({"tuningJobs": [vertex_job("JOB_STATE_RUNNING")], "nextPageToken": "cGFnZTI"})
    stub.reply({"tuningJobs": [vertex_succeeded()]})
    with make_transport("vertex", stub) as t:
        jobs = list(tunings.list(t, config={"page_size": 1, "filter": "state=JOB_STATE_RUNNING"}))
    assert [j.state for j in jobs] == ["JOB_STATE_RUNNING", "JOB_STATE_SUCCEEDED"]
    assert [r.query for r in stub.requests] == [
        [("filter", "state=JOB_STATE_RUNNING"), ("pageSize", "1")],
        [("filter", "state=JOB_STATE_RUNNING"), ("pageSize", "1"), ("pageToken", "cGFnZTI")],
    ]


def test_cancel_on_vertex(stub: Stub) -> None:
    stub.reply({})
    with make_transport("vertex", stub) as t:
        assert tunings.cancel(t, name=JOB) is None  # type: ignore[func-returns-value]
    assert (stub.last.method, stub.last.path, stub.last.json) == ("POST", f"/v1beta1/{JOB}:cancel", {})


def test_cancel_is_not_offered_by_gemini(stub: Stub) -> None:
    with (
        make_transport("gemini", stub) as t,
        pytest.raises(genai_min.UnsupportedError, match="cannot cancel tuning"),
    ):
        tunings.cancel(t, name=GEMINI_MODEL)
    assert stub.requests == []


@pytest.mark.anyio
async def test_async_twins(stub: Stub, backend: str) -> None:
    is_vertex = backend == "vertex"
    stub.reply(vertex_job("JOB_STATE_PENDING") if is_vertex else gemini_operation())
    stub.reply(vertex_succeeded() if is_vertex else gemini_model("ACTIVE"))
    stub.reply(
        {"tuningJobs": [vertex_succeeded()]} if is_vertex else {"tunedModels": [gemini_model("ACTIVE")]}
    )
    model, dataset = readme_dataset(is_vertex)
    async with make_transport(backend, stub) as t:
        job = await aio_tunings.tune(t, base_model=model, training_dataset=dataset, config=CONFIG)
        job = await aio_tunings.get(t, name=job.name or "")
        jobs = [j async for j in await aio_tunings.list(t)]
        if is_vertex:
            stub.reply({})
            await aio_tunings.cancel(t, name=job.name or "")
        else:
            with pytest.raises(genai_min.UnsupportedError):
                await aio_tunings.cancel(t, name=job.name or "")
    assert job.has_succeeded and [j.state for j in jobs] == ["JOB_STATE_SUCCEEDED"]
    assert [r.method for r in stub.requests] == ["POST", "GET", "GET"] + (["POST"] if is_vertex else [])
