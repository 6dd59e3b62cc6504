"""`operations.get` and `operations.wait` over video operations and tuning jobs, with a fake clock."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import genai_min
from genai_min import operations
from genai_min._batch_types import BatchJob
from genai_min._errors import OperationTimeoutError
from genai_min._tunings import TuningJob
from genai_min._videos import GenerateVideosOperation
from genai_min.aio import operations as aio_operations

from .conftest import FakeTime, Stub, make_transport

MODEL = "veo-2.0-generate-001"
GEMINI_OP = f"models/{MODEL}/operations/2xgsd8yqvw4c"
VERTEX_OP = (
    f"projects/123456789012/locations/us-central1/publishers/google/models/{MODEL}/operations/c5e7d32e"
)
EXPRESS_OP = f"publishers/google/models/{MODEL}/operations/c5e7d32e"
JOB = "projects/123456789012/locations/us-central1/tuningJobs/104641352652784411"
GEMINI_JOB = "tunedModels/my-model-7p2qk1"


def op_name(backend: str) -> str:
    return GEMINI_OP if backend == "gemini" else VERTEX_OP


def running(backend: str, percent: int) -> dict[str, Any]:
    """A Veo operation still running: Gemini leaves out ``done``; metadata shows progress."""
    return {"name": op_name(backend), "metadata": {"progressPercent": percent}}


def finished(backend: str) -> dict[str, Any]:
    if backend == "gemini":
        response: dict[str, Any] = {
            "generateVideoResponse": {
                "generatedSamples": [{"video": {"uri": "https://x/files/a:download?alt=media"}}]
            }
        }
    else:
        response = {"videos": [{"gcsUri": "gs://bucket/out/sample_0.mp4", "mimeType": "video/mp4"}]}
    return {"name": op_name(backend), "done": True, "response": response}


def poll_of(backend: str) -> tuple[str, str, Any]:
    """The request one poll sends on each backend."""
    if backend == "gemini":
        return ("GET", f"/v1beta/{GEMINI_OP}", None)
    model = VERTEX_OP.rpartition("/operations/")[0]
    return ("POST", f"/v1beta1/{model}:fetchPredictOperation", {"operationName": VERTEX_OP})


def seen(stub: Stub) -> list[tuple[str, str, Any]]:
    return [(r.method, r.path, r.json) for r in stub.requests]


def test_get_sends_one_request_and_returns_the_same_type(
    t: genai_min.Transport, stub: Stub, backend: str
) -> None:
    stub.reply(finished(backend))
    operation = operations.get(t, operation=GenerateVideosOperation(name=op_name(backend)))
    assert isinstance(operation, GenerateVideosOperation) and operation.done
    assert seen(stub) == [poll_of(backend)]
    assert stub.last.query == []


def test_get_in_vertex_express_mode(stub: Stub) -> None:
    stub.reply({"name": EXPRESS_OP})
    mock = httpx.MockTransport(stub.handle)
    with genai_min.Transport(vertexai=True, api_key="express-key", transport=mock) as t:
        operation = operations.get(t, operation=GenerateVideosOperation(name=EXPRESS_OP))
    assert not operation.done
    assert seen(stub) == [
        (
            "POST",
            f"/v1beta1/publishers/google/models/{MODEL}:fetchPredictOperation",
            {"operationName": EXPRESS_OP},
        )
    ]
    assert stub.last.headers["x-goog-api-key"] == "express-key"


def test_an_operation_without_a_name_is_refused(t: genai_min.Transport, stub: Stub) -> None:
    with pytest.raises(genai_min.ConfigError, match="operation has no name"):
        operations.get(t, operation=GenerateVideosOperation())
    assert stub.requests == []


def test_a_vertex_operation_without_a_model_is_read_by_name(stub: Stub) -> None:
    stub.reply({"name": "projects/p/locations/l/operations/123", "done": True})
    with make_transport("vertex", stub) as t:
        operation = operations.get(
            t, operation=GenerateVideosOperation(name="projects/p/locations/l/operations/123")
        )
    assert operation.done and operation.response is None
    assert seen(stub) == [("GET", "/v1beta1/projects/p/locations/l/operations/123", None)]


def test_get_a_tuning_job(stub: Stub) -> None:
    stub.reply({"name": JOB, "state": "JOB_STATE_RUNNING"})
    with make_transport("vertex", stub) as t:
        job = operations.get(t, operation=TuningJob(name=JOB, state="JOB_STATE_PENDING"))
    assert isinstance(job, TuningJob) and job.state == "JOB_STATE_RUNNING"
    assert seen(stub) == [("GET", f"/v1beta1/{JOB}", None)]


def test_wait_polls_a_video_operation_until_done(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    for answer in (running(backend, 30), running(backend, 70), finished(backend)):
        stub.reply(answer)
    time = FakeTime()
    start = GenerateVideosOperation(name=op_name(backend))
    operation = operations.wait(t, start, interval=20, clock=time.clock, sleep=time.sleep)
    assert operation.done and operation.result is not None and operation.result.generated_videos
    assert seen(stub) == [poll_of(backend)] * 3
    assert time.sleeps == [20, 20, 20]


@pytest.mark.parametrize("backend", ["gemini", "vertex"])
def test_wait_polls_a_tuning_job_through_its_states(stub: Stub, backend: str) -> None:
    if backend == "vertex":
        name, states = JOB, ["JOB_STATE_PENDING", "JOB_STATE_RUNNING", "JOB_STATE_SUCCEEDED"]
        answers: list[dict[str, Any]] = [{"name": JOB, "state": s} for s in states]
        answers[-1]["tunedModel"] = {
            "model": "projects/1/locations/l/models/2",
            "endpoint": "projects/1/locations/l/endpoints/3",
        }
        path = f"/v1beta1/{JOB}"
    else:
        name = GEMINI_JOB
        answers = [{"name": GEMINI_JOB, "state": s} for s in ("CREATING", "CREATING", "ACTIVE")]
        path = f"/v1beta/{GEMINI_JOB}"
    for answer in answers:
        stub.reply(answer)
    time = FakeTime()
    with make_transport(backend, stub) as t:
        job = operations.wait(
            t, TuningJob(name=name, state="JOB_STATE_QUEUED"), interval=30, clock=time.clock, sleep=time.sleep
        )
    assert job.has_succeeded and job.tuned_model is not None and job.tuned_model.endpoint
    assert seen(stub) == [("GET", path, None)] * 3
    assert time.sleeps == [30, 30, 30]


def test_wait_polls_a_batch_job_too(stub: Stub) -> None:
    name = "projects/123456789012/locations/us-central1/batchPredictionJobs/8812"
    stub.reply({"name": name, "state": "JOB_STATE_RUNNING"})
    stub.reply({"name": name, "state": "JOB_STATE_SUCCEEDED"})
    time = FakeTime()
    with make_transport("vertex", stub) as t:
        job = operations.wait(
            t, BatchJob(name=name, state="JOB_STATE_PENDING"), clock=time.clock, sleep=time.sleep
        )
    assert isinstance(job, BatchJob) and job.state == "JOB_STATE_SUCCEEDED"
    assert seen(stub) == [("GET", f"/v1beta1/{name}", None)] * 2


def test_wait_on_a_finished_operation_sends_nothing(t: genai_min.Transport, stub: Stub) -> None:
    time = FakeTime()
    done = TuningJob(name=JOB, state="JOB_STATE_FAILED")
    assert operations.wait(t, done, clock=time.clock, sleep=time.sleep) is done
    assert stub.requests == [] and time.sleeps == []


def test_timeout_raises_with_the_last_state(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    for answer in (running(backend, 10), running(backend, 20), running(backend, 30)):
        stub.reply(answer)
    time = FakeTime()
    start = GenerateVideosOperation(name=op_name(backend))
    with pytest.raises(OperationTimeoutError, match=r"had not finished after 25 s \(3 polls\)") as caught:
        operations.wait(t, start, interval=10, timeout=25, clock=time.clock, sleep=time.sleep)
    last = caught.value.operation
    assert isinstance(last, GenerateVideosOperation) and last.metadata == {"progressPercent": 30}
    assert len(stub.requests) == 3 and time.sleeps == [10, 10, 5]
    # Waiting again resumes from the last state.
    stub.reply(finished(backend))
    assert operations.wait(t, last, interval=10, clock=time.clock, sleep=time.sleep).done


@pytest.mark.anyio
async def test_async_get_and_wait(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    for answer in (running(backend, 50), running(backend, 90), finished(backend)):
        stub.reply(answer)
    time = FakeTime()
    operation = await aio_operations.get(t, operation=GenerateVideosOperation(name=op_name(backend)))
    assert isinstance(operation, GenerateVideosOperation) and not operation.done
    operation = await aio_operations.wait(t, operation, interval=5, clock=time.clock, sleep=time.asleep)
    assert operation.done
    assert seen(stub) == [poll_of(backend)] * 3
    assert time.sleeps == [5, 5]


@pytest.mark.anyio
async def test_async_wait_for_a_tuning_job(stub: Stub) -> None:
    for state in ("JOB_STATE_RUNNING", "JOB_STATE_CANCELLED"):
        stub.reply({"name": JOB, "state": state})
    time = FakeTime()
    async with make_transport("vertex", stub) as t:
        job = await aio_operations.wait(
            t, TuningJob(name=JOB, state="JOB_STATE_PENDING"), clock=time.clock, sleep=time.asleep
        )
    assert job.has_ended and not job.has_succeeded
    assert len(stub.requests) == 2 and time.sleeps == [10, 10]


@pytest.mark.anyio
async def test_async_timeout_raises_with_the_last_state(
    t: genai_min.Transport, stub: Stub, backend: str
) -> None:
    stub.reply(running(backend, 10))
    stub.reply(running(backend, 60))
    time = FakeTime()
    with pytest.raises(OperationTimeoutError) as caught:
        await aio_operations.wait(
            t,
            GenerateVideosOperation(name=op_name(backend)),
            interval=30,
            timeout=60,
            clock=time.clock,
            sleep=time.asleep,
        )
    last = caught.value.operation
    assert isinstance(last, GenerateVideosOperation) and last.metadata == {"progressPercent": 60}
    assert len(stub.requests) == 2 and time.sleeps == [30, 30]


# -- what other modules must export (their files belong to others; see the report) ------------------

NEW_TYPES = {
    "ControlReferenceConfig",
    "ControlReferenceImage",
    "CreateTuningJobConfig",
    "EditImageConfig",
    "EditImageResponse",
    "GenerateImagesConfig",
    "GenerateImagesResponse",
    "GenerateVideosConfig",
    "GenerateVideosOperation",
    "GenerateVideosResponse",
    "GeneratedImage",
    "GeneratedVideo",
    "Image",
    "ListTuningJobsConfig",
    "MaskReferenceConfig",
    "MaskReferenceImage",
    "Pollable",
    "RawReferenceImage",
    "SafetyAttributes",
    "StyleReferenceConfig",
    "StyleReferenceImage",
    "SubjectReferenceConfig",
    "SubjectReferenceImage",
    "TunedModel",
    "TuningDataset",
    "TuningExample",
    "TuningJob",
    "TuningValidationDataset",
    "UpscaleImageConfig",
    "UpscaleImageResponse",
    "Video",
    "VideoGenerationReferenceImage",
}


def test_types_export_the_new_types() -> None:
    assert set(genai_min.types.__all__) >= NEW_TYPES


def test_packages_export_operations_and_tunings() -> None:
    import genai_min.aio

    assert {"operations", "tunings"} <= set(genai_min.__all__)
    assert {"operations", "tunings"} <= set(genai_min.aio.__all__)
