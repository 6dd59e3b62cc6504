"""genai_min against the emulator, on both backends, as a user of the README would call it."""

from __future__ import annotations

import enum
import json

import pytest
from pydantic import BaseModel

import genai_min
from genai_min import models
from replay.emulator import Emulator

MODEL = "gemini-2.0-flash-001"
BACKENDS = ["gemini", "vertex"]


@pytest.fixture(params=BACKENDS)
def transport(request: pytest.FixtureRequest) -> genai_min.Transport:
    """Run a test once per backend."""
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


class CountryInfo(BaseModel):
    name: str
    population: int
    capital: str
    languages: list[str]


class Instrument(enum.Enum):
    PERCUSSION = "Percussion"
    STRING = "String"
    WOODWIND = "Woodwind"


def get_current_weather(location: str) -> str:
    """Returns the current weather.

    Args:
      location: The city and state, e.g. San Francisco, CA
    """
    return f"sunny in {location}"


def test_generate_is_deterministic(transport: genai_min.Transport) -> None:
    first = models.generate_content(transport, model=MODEL, contents="Why is the sky blue?")
    second = models.generate_content(transport, model=MODEL, contents="Why is the sky blue?")
    other = models.generate_content(transport, model=MODEL, contents="Why is grass green?")
    assert first.text and first.text == second.text != other.text
    assert first.candidates and first.candidates[0].finish_reason == "STOP"
    usage = first.usage_metadata
    assert usage is not None and usage.prompt_token_count == 6
    assert usage.total_token_count == usage.prompt_token_count + (usage.candidates_token_count or 0)


def test_stream_sends_several_chunks_and_ends_with_usage(transport: genai_min.Transport) -> None:
    chunks = list(models.generate_content_stream(transport, model=MODEL, contents="Tell me a story."))
    whole = models.generate_content(transport, model=MODEL, contents="Tell me a story.")
    assert len(chunks) == 3
    assert "".join(c.text or "" for c in chunks) == whole.text
    assert [c.candidates[0].finish_reason if c.candidates else None for c in chunks] == [None, None, "STOP"]
    last_usage = chunks[-1].usage_metadata
    assert last_usage is not None and last_usage.candidates_token_count


def test_automatic_function_calling_runs_the_tool(transport: genai_min.Transport) -> None:
    response = models.generate_content(
        transport,
        model=MODEL,
        contents="What is the weather like in Boston?",
        config={"tools": [get_current_weather]},
    )
    assert response.text is not None
    assert 'get_current_weather returned {"result": "sunny in Boston"}' in response.text
    history = response.automatic_function_calling_history or []
    assert len(history) == 3  # question, the model's call, the function's answer


def test_declared_function_is_called_with_arguments_from_the_schema(transport: genai_min.Transport) -> None:
    declaration = {
        "name": "get_current_weather",
        "description": "Get the current weather in a given location",
        "parameters": {
            "type": "OBJECT",
            "properties": {"location": {"type": "STRING"}, "unit": {"type": "STRING", "enum": ["C", "F"]}},
            "required": ["location"],
        },
    }
    response = models.generate_content(
        transport,
        model=MODEL,
        contents="What is the weather like in Boston?",
        config={"tools": [{"function_declarations": [declaration]}]},
    )
    calls = response.function_calls or []
    assert len(calls) == 1
    assert calls[0].name == "get_current_weather"
    assert calls[0].args is not None
    assert calls[0].args["location"] == "Boston" and calls[0].args["unit"] in ("C", "F")


def test_json_schema_answer_is_parsed(transport: genai_min.Transport) -> None:
    response = models.generate_content(
        transport,
        model=MODEL,
        contents="Give me information for the United States.",
        config={"response_mime_type": "application/json", "response_schema": CountryInfo},
    )
    assert isinstance(response.parsed, CountryInfo)
    assert response.parsed.name == "United States"
    assert len(response.parsed.languages) == 2


def test_json_schema_dict_answer_validates(transport: genai_min.Transport) -> None:
    schema = {
        "type": "object",
        "properties": {
            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 3},
            "mood": {"enum": ["calm", "busy"]},
        },
        "required": ["rating"],
    }
    response = models.generate_content(
        transport,
        model=MODEL,
        contents="Rate it",
        config={"response_mime_type": "application/json", "response_json_schema": schema},
    )
    value = json.loads(response.text or "")
    assert 1 <= value["rating"] <= 5 and len(value["tags"]) == 3 and value["mood"] in ("calm", "busy")


def test_enum_answer(transport: genai_min.Transport) -> None:
    response = models.generate_content(
        transport,
        model=MODEL,
        contents="What instrument plays multiple notes at once?",
        config={"response_mime_type": "text/x.enum", "response_schema": Instrument},
    )
    assert response.text in {i.value for i in Instrument}
    assert isinstance(response.parsed, Instrument)


def test_count_tokens(transport: genai_min.Transport) -> None:
    counted = models.count_tokens(transport, model=MODEL, contents="why is the sky blue?")
    assert counted.total_tokens == 6


def test_embed_with_output_dimensionality(transport: genai_min.Transport) -> None:
    response = models.embed_content(
        transport,
        model="text-embedding-004",
        contents=["why is the sky blue?", "What is your age?"],
        config={"output_dimensionality": 10},
    )
    vectors = [e.values or [] for e in response.embeddings or []]
    assert [len(v) for v in vectors] == [10, 10]
    assert vectors[0] != vectors[1]
    assert abs(sum(x * x for x in vectors[0]) - 1) < 1e-3


def test_models_list_in_pages(transport: genai_min.Transport) -> None:
    pager = models.list(transport, config={"page_size": 10})
    first = [m.name for m in pager.page]
    pager.next_page()
    second = [m.name for m in pager.page]
    assert len(first) == 10 and 0 < len(second) < 10
    assert not set(first) & set(second)
    assert len(list(models.list(transport))) == 16


def test_unknown_model_is_404(transport: genai_min.Transport) -> None:
    with pytest.raises(genai_min.ClientError) as caught:
        models.generate_content(transport, model="invalid-model-name", contents="What is your name?")
    assert caught.value.code == 404
    assert caught.value.status == "NOT_FOUND"


def test_caches_create_use_extend_expire(transport: genai_min.Transport, emulator: Emulator) -> None:
    caches = pytest.importorskip("genai_min.caches")
    cache = caches.create(
        transport,
        model=MODEL,
        config={
            "contents": ["A long report about the sea."],
            "system_instruction": "Summarise",
            "ttl": "60s",
        },
    )
    assert cache.name and cache.usage_metadata is not None
    assert caches.get(transport, name=cache.name).name == cache.name
    response = models.generate_content(
        transport, model=MODEL, contents="Summarize", config={"cached_content": cache.name}
    )
    assert response.usage_metadata is not None
    assert response.usage_metadata.cached_content_token_count == cache.usage_metadata.total_token_count
    updated = caches.update(transport, name=cache.name, config={"ttl": "600s"})
    assert updated.expire_time != cache.expire_time
    assert [c.name for c in caches.list(transport)] == [cache.name]
    emulator.advance(601)
    with pytest.raises(genai_min.ClientError) as caught:
        caches.get(transport, name=cache.name)
    assert caught.value.code == (404 if transport.is_vertex else 403)


def test_blocked_prompt(transport: genai_min.Transport) -> None:
    response = models.generate_content(transport, model=MODEL, contents="emulator:block-prompt please")
    assert not response.candidates
    assert response.prompt_feedback is not None and response.prompt_feedback.block_reason == "SAFETY"


def test_files_upload_in_chunks_get_and_download(gemini: genai_min.Transport, emulator: Emulator) -> None:
    files = pytest.importorskip("genai_min.files")
    data = bytes(range(256)) * 10
    uploaded = files.upload(
        gemini,
        file=data,
        config={"mime_type": "application/octet-stream", "display_name": "blob"},
        chunk_size=1024,
    )
    chunks = [r for r in emulator.requests if "upload_id" in r.query]
    assert [r.headers["x-goog-upload-command"] for r in chunks] == ["upload", "upload", "upload, finalize"]
    assert [r.headers["x-goog-upload-offset"] for r in chunks] == ["0", "1024", "2048"]
    assert uploaded.state == "PROCESSING" and uploaded.size_bytes == len(data)
    assert uploaded.display_name == "blob"
    active = files.wait_active(gemini, file=uploaded, interval=0)
    assert active.state == "ACTIVE"
    assert files.download(gemini, file=uploaded.name or "") == data
    assert [f.name for f in files.list(gemini)] == [uploaded.name]
    files.delete(gemini, name=uploaded.name or "")
    with pytest.raises(genai_min.ClientError) as caught:
        files.get(gemini, name=uploaded.name or "")
    assert caught.value.code == 403


def test_gemini_batch_answers_inline_requests(gemini: genai_min.Transport) -> None:
    batches = pytest.importorskip("genai_min.batches")
    operations = pytest.importorskip("genai_min.operations")
    job = batches.create(gemini, model=MODEL, src=[{"contents": "Hi"}, {"contents": "Bye"}])
    assert job.state == "JOB_STATE_PENDING"
    done = operations.wait(gemini, job, interval=0)
    assert done.state == "JOB_STATE_SUCCEEDED"
    answers = done.dest.inlined_responses if done.dest else None
    assert answers is not None and len(answers) == 2
    direct = models.generate_content(gemini, model=MODEL, contents="Hi")
    assert answers[0].response is not None and answers[0].response.text == direct.text


def test_gemini_tuning_becomes_active(gemini: genai_min.Transport) -> None:
    tunings = pytest.importorskip("genai_min.tunings")
    operations = pytest.importorskip("genai_min.operations")
    job = tunings.tune(
        gemini,
        base_model=MODEL,
        training_dataset={"examples": [{"text_input": "a", "output": "b"}]},
        config={"tuned_model_display_name": "my model"},
    )
    assert job.state == "JOB_STATE_QUEUED" and job.name
    done = operations.wait(gemini, job, interval=0)
    assert done.state == "JOB_STATE_SUCCEEDED"
    assert models.generate_content(gemini, model=job.name, contents="hi").text


def test_vertex_compute_tokens(vertex: genai_min.Transport) -> None:
    computed = models.compute_tokens(vertex, model=MODEL, contents="why is the sky blue?")
    info = (computed.tokens_info or [])[0]
    assert info.tokens is not None and [bytes(t) for t in info.tokens][:2] == [b"why", b"is"]
    assert info.token_ids is not None and len(info.token_ids) == 6


def test_vertex_images_generate_upscale_edit(vertex: genai_min.Transport) -> None:
    types = pytest.importorskip("genai_min.types")
    if not hasattr(types, "RawReferenceImage"):
        pytest.skip("genai_min has no edit_image types yet")
    generated = models.generate_images(
        vertex, model="imagen-3.0-generate-002", prompt="An umbrella", config={"number_of_images": 1}
    )
    image = (generated.generated_images or [])[0].image
    assert image is not None and (image.image_bytes or b"").startswith(b"\x89PNG")
    upscaled = models.upscale_image(vertex, model="imagen-3.0-generate-002", image=image, upscale_factor="x2")
    big = (upscaled.generated_images or [])[0].image
    assert big is not None and (big.image_bytes or b"")[16:24] == b"\x00\x00\x00\x10\x00\x00\x00\x10"
    edited = models.edit_image(
        vertex,
        model="imagen-3.0-capability-001",
        prompt="Sunlight and clear sky",
        reference_images=[
            types.RawReferenceImage(reference_id=1, reference_image=image),
            types.MaskReferenceImage(reference_id=2, config={"mask_mode": "MASK_MODE_BACKGROUND"}),
        ],
        config={"edit_mode": "EDIT_MODE_INPAINT_INSERTION", "output_mime_type": "image/jpeg"},
    )
    picture = (edited.generated_images or [])[0].image
    assert picture is not None and (picture.image_bytes or b"").startswith(b"\xff\xd8")


def test_vertex_video_operation_finishes_on_the_second_poll(vertex: genai_min.Transport) -> None:
    operations = pytest.importorskip("genai_min.operations")
    operation = models.generate_videos(vertex, model="veo-2.0-generate-001", prompt="A neon cat")
    assert not operation.done
    polled = operations.get(vertex, operation=operation)
    assert not polled.done
    done = operations.get(vertex, operation=polled)
    assert done.done and done.result is not None
    video = done.result.generated_videos[0].video
    assert video is not None and (video.video_bytes or b"")[4:8] == b"ftyp"


def test_vertex_tuning_then_tuned_model(vertex: genai_min.Transport) -> None:
    tunings = pytest.importorskip("genai_min.tunings")
    operations = pytest.importorskip("genai_min.operations")
    job = tunings.tune(
        vertex,
        base_model=MODEL,
        training_dataset={"gcs_uri": "gs://bucket/train.jsonl"},
        config={"epoch_count": 1, "tuned_model_display_name": "tm"},
    )
    assert job.state == "JOB_STATE_PENDING"
    done = operations.wait(vertex, job, interval=0)
    assert done.state == "JOB_STATE_SUCCEEDED" and done.tuned_model is not None
    assert done.tuned_model.endpoint and done.tuned_model.model
    assert models.generate_content(vertex, model=done.tuned_model.endpoint, contents="why?").text
    updated = models.update(vertex, model=done.tuned_model.model, config={"display_name": "renamed"})
    assert updated.display_name == "renamed"
    tuned = list(models.list(vertex, config={"query_base": False}))
    assert [m.display_name for m in tuned] == ["renamed"]


def test_vertex_batch_prediction_job(vertex: genai_min.Transport) -> None:
    batches = pytest.importorskip("genai_min.batches")
    operations = pytest.importorskip("genai_min.operations")
    job = batches.create(vertex, model=MODEL, src="bq://my-project.my-dataset.my-table")
    assert job.state == "JOB_STATE_PENDING"
    done = operations.wait(vertex, job, interval=0)
    assert done.state == "JOB_STATE_SUCCEEDED"
    assert [j.name for j in batches.list(vertex, config={"page_size": 10})] == [job.name]
    batches.delete(vertex, name=job.name or "")
    assert list(batches.list(vertex)) == []


@pytest.mark.anyio
async def test_async_generate_and_stream(emulator: Emulator) -> None:
    aio_models = genai_min.aio.models
    async with genai_min.Transport(api_key="test-key", base_url=emulator.url) as transport:
        whole = await aio_models.generate_content(transport, model=MODEL, contents="Tell me a story.")
        stream = await aio_models.generate_content_stream(transport, model=MODEL, contents="Tell me a story.")
        chunks = [c async for c in stream]
    assert len(chunks) == 3
    assert "".join(c.text or "" for c in chunks) == whole.text
