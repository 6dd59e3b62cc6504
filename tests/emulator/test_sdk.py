"""The official SDK (google-genai) against the emulator, on both backends, without any change but the base URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from google.genai import errors, types
from google.oauth2 import service_account

from replay.emulator import Emulator, service_account_info

MODEL = "gemini-2.0-flash-001"
BACKENDS = ["sdk_gemini", "sdk_vertex"]


@pytest.fixture(params=BACKENDS)
def client(request: pytest.FixtureRequest) -> Any:
    """Run a test once per backend."""
    return request.getfixturevalue(request.param)


def get_current_weather(location: str) -> str:
    """Returns the current weather.

    Args:
      location: The city and state, e.g. San Francisco, CA
    """
    return "sunny"


def test_generate(client: Any) -> None:
    response = client.models.generate_content(model=MODEL, contents="Why is the sky blue?")
    assert response.text
    assert response.candidates[0].finish_reason == types.FinishReason.STOP
    assert response.usage_metadata.prompt_token_count == 6
    assert response.model_version == MODEL


def test_stream(client: Any) -> None:
    chunks = list(
        client.models.generate_content_stream(model=MODEL, contents="Tell me a story in 300 words.")
    )
    assert len(chunks) == 3
    assert chunks[-1].candidates[0].finish_reason == types.FinishReason.STOP
    assert chunks[-1].usage_metadata.candidates_token_count
    whole = client.models.generate_content(model=MODEL, contents="Tell me a story in 300 words.")
    assert "".join(c.text for c in chunks) == whole.text


def test_automatic_function_calling(client: Any) -> None:
    response = client.models.generate_content(
        model=MODEL,
        contents="What is the weather like in Boston?",
        config=types.GenerateContentConfig(tools=[get_current_weather]),
    )
    assert 'get_current_weather returned {"result": "sunny"}' in response.text
    assert len(response.automatic_function_calling_history) == 3


def test_any_mode_stops_after_afc_depth(client: Any) -> None:
    config = types.GenerateContentConfig(
        tools=[get_current_weather],
        automatic_function_calling=types.AutomaticFunctionCallingConfig(maximum_remote_calls=5),
        tool_config=types.ToolConfig(function_calling_config=types.FunctionCallingConfig(mode="ANY")),
    )
    response = client.models.generate_content(model=MODEL, contents="Weather in Paris?", config=config)
    assert response.text and response.text.startswith("get_current_weather returned")


def test_count_tokens(client: Any) -> None:
    assert client.models.count_tokens(model=MODEL, contents="why is the sky blue?").total_tokens == 6


def test_embed(client: Any) -> None:
    response = client.models.embed_content(
        model="text-embedding-004",
        contents=["why is the sky blue?", "What is your age?"],
        config=types.EmbedContentConfig(output_dimensionality=10),
    )
    assert [len(e.values) for e in response.embeddings] == [10, 10]


def test_list_models_pager(client: Any) -> None:
    pager = client.models.list(config={"page_size": 10})
    assert pager.page_size == 10 and len(pager.page) == 10
    first = pager[0].name
    pager.next_page()
    assert pager[0].name != first
    assert len(list(client.models.list())) == 16


def test_unknown_model_error(client: Any) -> None:
    with pytest.raises(errors.ClientError) as caught:
        client.models.generate_content(model="invalid-model-name", contents="What is your name?")
    assert caught.value.code == 404
    assert caught.value.status == "NOT_FOUND"
    assert "invalid-model-name" in (caught.value.message or "")


def test_unknown_field_is_400(client: Any) -> None:
    with pytest.raises(errors.ClientError) as caught:
        client.models.generate_content(
            model=MODEL, contents="Hi", config={"http_options": {"extra_body": {"bogusField": 1}}}
        )
    assert caught.value.code == 400
    assert 'Unknown name "bogusField"' in (caught.value.message or "")


def test_upload_get_and_use_a_file(sdk_gemini: Any, tmp_path: Path) -> None:
    path = tmp_path / "a11.txt"
    path.write_text("The crew reported all systems nominal. " * 100)
    uploaded = sdk_gemini.files.upload(file=path)
    assert uploaded.size_bytes == path.stat().st_size
    assert uploaded.uri.startswith("https://generativelanguage.googleapis.com/")
    assert sdk_gemini.files.get(name=uploaded.name).name == uploaded.name
    response = sdk_gemini.models.generate_content(
        model=MODEL, contents=["Could you summarize this file?", uploaded]
    )
    assert response.text
    sdk_gemini.files.delete(name=uploaded.name)
    with pytest.raises(errors.ClientError):
        sdk_gemini.files.get(name=uploaded.name)


def test_vertex_signs_in_with_the_service_account(emulator: Emulator, sdk_vertex: Any) -> None:
    sdk_vertex.models.generate_content(model=MODEL, contents="Hi")
    token_requests = [r for r in emulator.requests if r.path == "/token"]
    assert len(token_requests) == 1
    api = [r for r in emulator.requests if r.path != "/token"]
    assert api[0].headers["authorization"].startswith("Bearer ya29.")
    assert api[0].path.startswith("/v1beta1/projects/emulator-tests/locations/us-central1/publishers/google/")


def test_strict_emulator_accepts_only_its_own_tokens() -> None:
    from google import genai

    with Emulator(api_key="the-key") as strict:
        credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            service_account_info(strict), scopes=["https://www.googleapis.com/auth/cloud-platform"]
        )
        options = types.HttpOptions(base_url=strict.url)
        signed_in = genai.Client(
            vertexai=True, project="p", location="us-central1", credentials=credentials, http_options=options
        )
        assert signed_in.models.generate_content(model=MODEL, contents="Hi").text
        # Keep each client in a variable: the SDK closes its HTTP client when the Client is collected.
        right, wrong = (genai.Client(api_key=key, http_options=options) for key in ("the-key", "wrong"))
        assert right.models.count_tokens(model=MODEL, contents="x").total_tokens == 1
        with pytest.raises(errors.ClientError) as caught:
            wrong.models.generate_content(model=MODEL, contents="Hi")
        assert caught.value.code == 400
        assert caught.value.details["error"]["details"][0]["reason"] == "API_KEY_INVALID"


@pytest.mark.filterwarnings("ignore::google.genai._common.ExperimentalWarning")
def test_vertex_images_and_video(sdk_vertex: Any) -> None:
    generated = sdk_vertex.models.generate_images(
        model="imagen-3.0-generate-002",
        prompt="An umbrella in the foreground, and a rainy night sky in the background",
        config=types.GenerateImagesConfig(
            number_of_images=1, include_rai_reason=True, output_mime_type="image/jpeg"
        ),
    )
    image = generated.generated_images[0].image
    assert image.mime_type == "image/jpeg" and image.image_bytes.startswith(b"\xff\xd8\xff")
    operation = sdk_vertex.models.generate_videos(
        model="veo-2.0-generate-001", source=types.GenerateVideosSource(prompt="A neon hologram of a cat")
    )
    polls = 0
    while not operation.done:
        operation = sdk_vertex.operations.get(operation)
        polls += 1
    assert polls == 2
    assert operation.result.generated_videos[0].video.video_bytes[4:8] == b"ftyp"


@pytest.mark.filterwarnings("ignore::google.genai._common.ExperimentalWarning")
def test_vertex_tuning_and_batches(sdk_vertex: Any) -> None:
    job = sdk_vertex.tunings.tune(
        base_model=MODEL,
        training_dataset=types.TuningDataset(gcs_uri="gs://bucket/sft_train_data.jsonl"),
        config=types.CreateTuningJobConfig(epoch_count=1, tuned_model_display_name="tm"),
    )
    states = [job.state]
    while job.state in (types.JobState.JOB_STATE_PENDING, types.JobState.JOB_STATE_RUNNING):
        job = sdk_vertex.tunings.get(name=job.name)
        states.append(job.state)
    assert [s.value for s in states] == ["JOB_STATE_PENDING", "JOB_STATE_RUNNING", "JOB_STATE_SUCCEEDED"]
    assert sdk_vertex.models.generate_content(model=job.tuned_model.endpoint, contents="why?").text
    tuned = sdk_vertex.models.get(model=job.tuned_model.model)
    assert tuned.tuned_model_info.base_model
    batch = sdk_vertex.batches.create(model=MODEL, src="bq://my-project.my-dataset.my-table")
    while batch.state != types.JobState.JOB_STATE_SUCCEEDED:
        batch = sdk_vertex.batches.get(name=batch.name)
    assert sdk_vertex.batches.delete(name=batch.name).done


def test_vertex_caches(sdk_vertex: Any) -> None:
    cache = sdk_vertex.caches.create(
        model=MODEL,
        config=types.CreateCachedContentConfig(
            contents=[types.Part.from_uri(file_uri="gs://bucket/a.pdf", mime_type="application/pdf")],
            system_instruction="What is the sum of the two pdfs?",
            display_name="test cache",
            ttl="3600s",
        ),
    )
    assert sdk_vertex.caches.get(name=cache.name).display_name == "test cache"
    response = sdk_vertex.models.generate_content(
        model=MODEL,
        contents="Summarize the pdfs",
        config=types.GenerateContentConfig(cached_content=cache.name),
    )
    assert response.usage_metadata.cached_content_token_count == cache.usage_metadata.total_token_count


@pytest.mark.anyio
async def test_async_client(sdk_gemini: Any) -> None:
    response = await sdk_gemini.aio.models.generate_content(model=MODEL, contents="Tell me a story.")
    chunks = [
        c
        async for c in await sdk_gemini.aio.models.generate_content_stream(
            model=MODEL, contents="Tell me a story."
        )
    ]
    assert "".join(c.text for c in chunks) == response.text
    await sdk_gemini.aio.aclose()


def test_vertex_express_mode(emulator: Emulator) -> None:
    from google import genai

    client = genai.Client(
        vertexai=True, api_key="test-key", http_options=types.HttpOptions(base_url=emulator.url)
    )
    assert client.models.generate_content(model=MODEL, contents="Hi").text
    cache = client.caches.create(
        model=MODEL, config=types.CreateCachedContentConfig(contents=["hello"], ttl="60s")
    )
    # The SDK fetches it as projects/None/locations/None/cachedContents/ID.
    assert client.caches.get(name=cache.name or "").name == cache.name
    paths = [r.path for r in emulator.requests]
    assert paths[0] == f"/v1beta1/publishers/google/models/{MODEL}:generateContent"
    assert paths[1] == "/v1beta1/cachedContents"


@pytest.mark.parametrize("version", ["v1", "v1alpha", "v1beta"])
def test_every_gemini_version_takes_the_sdks_newer_fields(emulator: Emulator, version: str) -> None:
    from google import genai

    options = types.HttpOptions(base_url=emulator.url, api_version=version)
    client = genai.Client(api_key="test-key", http_options=options)
    config = types.GenerateContentConfig(
        tools=[get_current_weather],
        system_instruction="Be brief.",
        thinking_config=types.ThinkingConfig(thinking_budget=100, include_thoughts=True),
    )
    response = client.models.generate_content(model=MODEL, contents="Weather in Rome?", config=config)
    assert response.text and emulator.requests[0].path.startswith(f"/{version}/")
