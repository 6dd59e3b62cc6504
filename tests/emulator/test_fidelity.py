"""The emulator answers as the real service does where it used to differ (issue "Emulator fidelity")."""

from __future__ import annotations

import gzip
import io
from typing import Any

import httpx
import pytest
from google import genai
from google.genai import errors, types

import genai_min
from genai_min import files, models
from replay.emulator import Emulator

from .conftest import LOCATION, PROJECT

pytestmark = pytest.mark.filterwarnings("ignore::google.genai._common.ExperimentalWarning")

MODEL = "gemini-2.5-flash"
VERTEX_PARENT = f"projects/{PROJECT}/locations/{LOCATION}"


def _refused(call: Any, code: int = 400) -> str:
    """Run `call`, which the service refuses; return the error message."""
    with pytest.raises(errors.APIError) as caught:
        call()
    assert caught.value.code == code
    return str(caught.value.message)


# -- A. requests the service refuses ------------------------------------------------------------


def test_gemini_refuses_gs_uris_in_generate_and_cache(sdk_gemini: Any) -> None:
    part = types.Part.from_uri(file_uri="gs://bucket/scones.jpg", mime_type="image/jpeg")
    message = _refused(lambda: sdk_gemini.models.generate_content(model=MODEL, contents=["Describe", part]))
    assert message == "Invalid or unsupported file uri: gs://bucket/scones.jpg"
    config = types.CreateCachedContentConfig(contents=[types.Content(role="user", parts=[part])])
    assert "gs://bucket/scones.jpg" in _refused(lambda: sdk_gemini.caches.create(model=MODEL, config=config))


def test_vertex_refuses_gemini_file_uris(sdk_vertex: Any) -> None:
    uri = "https://generativelanguage.googleapis.com/v1beta/files/abc123"
    part = types.Part.from_uri(file_uri=uri, mime_type="image/png")
    assert uri in _refused(lambda: sdk_vertex.models.generate_content(model=MODEL, contents=["Hi", part]))
    gs = types.Part.from_uri(file_uri="gs://bucket/scones.jpg", mime_type="image/jpeg")
    assert sdk_vertex.models.generate_content(model=MODEL, contents=["Describe", gs]).text


def test_genai_min_gs_uri_on_gemini(gemini: genai_min.Transport) -> None:
    part = {"file_data": {"file_uri": "gs://bucket/a.png", "mime_type": "image/png"}}
    with pytest.raises(genai_min.APIError) as caught:
        models.generate_content(gemini, model=MODEL, contents=[{"role": "user", "parts": [part]}])
    assert caught.value.code == 400


@pytest.mark.parametrize("backend", ["sdk_gemini", "sdk_vertex"])
def test_one_voice_or_several_speakers(request: pytest.FixtureRequest, backend: str) -> None:
    client = request.getfixturevalue(backend)
    voice = types.VoiceConfig(prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name="Kore"))
    speakers = types.MultiSpeakerVoiceConfig(
        speaker_voice_configs=[types.SpeakerVoiceConfig(speaker="Joe", voice_config=voice)]
    )
    config = types.GenerateContentConfig(
        speech_config=types.SpeechConfig(voice_config=voice, multi_speaker_voice_config=speakers)
    )
    message = _refused(lambda: client.models.generate_content(model=MODEL, contents="Hi", config=config))
    assert "mutually exclusive" in message


@pytest.mark.parametrize("backend", ["sdk_gemini", "sdk_vertex"])
def test_enum_mime_type_needs_a_string_enum(request: pytest.FixtureRequest, backend: str) -> None:
    client = request.getfixturevalue(backend)
    schema = {"type": "OBJECT", "properties": {"a": {"type": "STRING"}}}
    config = types.GenerateContentConfig(response_mime_type="text/x.enum", response_schema=schema)
    message = _refused(lambda: client.models.generate_content(model=MODEL, contents="Hi", config=config))
    assert "STRING with enum values" in message
    good = types.GenerateContentConfig(
        response_mime_type="text/x.enum", response_schema={"type": "STRING", "enum": ["a", "b"]}
    )
    assert client.models.generate_content(model=MODEL, contents="Hi", config=good).text in ("a", "b")


def test_vertex_refuses_replicated_voices(sdk_vertex: Any) -> None:
    voice = types.VoiceConfig(
        replicated_voice_config=types.ReplicatedVoiceConfig(mime_type="audio/wav", voice_sample_audio=b"RIFF")
    )
    config = types.GenerateContentConfig(speech_config=types.SpeechConfig(voice_config=voice))
    message = _refused(lambda: sdk_vertex.models.generate_content(model=MODEL, contents="Hi", config=config))
    assert "replicated_voice_config" in message


def test_upload_with_an_unsupported_mime_type(sdk_gemini: Any, gemini: genai_min.Transport) -> None:
    upload = lambda: sdk_gemini.files.upload(file=io.BytesIO(b"data"), config={"mime_type": "bad/mime_type"})  # noqa: E731
    assert _refused(upload) == "Unsupported MIME type: bad/mime_type"
    with pytest.raises(genai_min.APIError) as caught:
        files.upload(gemini, file=io.BytesIO(b"data"), config={"mime_type": "bad/mime_type"})
    assert caught.value.code == 400


def test_embedding_model_unknown_to_the_gemini_api(sdk_gemini: Any, gemini: genai_min.Transport) -> None:
    embed = lambda: sdk_gemini.models.embed_content(model="text-multilingual-embedding-002", contents="x")  # noqa: E731
    assert "is not found" in _refused(embed, 404)
    with pytest.raises(genai_min.APIError) as caught:
        models.embed_content(gemini, model="text-embedding-999", contents="x")
    assert caught.value.code == 404
    assert sdk_gemini.models.embed_content(model="gemini-embedding-001", contents="x").embeddings


def test_vertex_model_get_with_a_publisher_model_name(sdk_vertex: Any, vertex: genai_min.Transport) -> None:
    name = f"{VERTEX_PARENT}/models/gemini-2.5-flash"
    assert "publishers/google/models/gemini-2.5-flash" in _refused(lambda: sdk_vertex.models.get(model=name))
    with pytest.raises(genai_min.APIError) as caught:
        models.get(vertex, model=name)
    assert caught.value.code == 400


def test_gemini_client_on_a_vertex_path_gets_the_gemini_404(emulator: Emulator) -> None:
    name = f"{VERTEX_PARENT}/tuningJobs/123"
    for headers in ({"host": "generativelanguage.googleapis.com"},):
        client = genai.Client(
            api_key="test-key", http_options=types.HttpOptions(base_url=emulator.url, headers=headers)
        )
        with pytest.raises(errors.ClientError) as caught:
            client.tunings.get(name=name)
        assert caught.value.code == 404
        assert caught.value.response.headers["content-type"].startswith("text/html")
        assert "That\u2019s an error." in caught.value.response.text


def test_google_host_decides_the_backend(emulator: Emulator) -> None:
    with httpx.Client(base_url=emulator.url, headers={"authorization": "Bearer t"}) as http:
        path = f"/v1/{VERTEX_PARENT}/publishers/google/models/{MODEL}:countTokens"
        body = {"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}
        as_vertex = http.post(path, json=body, headers={"host": f"{LOCATION}-aiplatform.googleapis.com"})
        as_gemini = http.post(path, json=body, headers={"host": "generativelanguage.googleapis.com"})
    assert as_vertex.status_code == 200
    assert as_gemini.status_code == 404 and as_gemini.headers["content-type"].startswith("text/html")


def test_unknown_url_is_the_front_end_404_page(emulator: Emulator) -> None:
    answer = httpx.get(f"{emulator.url}/v1beta/nothing/here", headers={"x-goog-api-key": "k"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "text/html; charset=UTF-8"
    assert "<code>/v1beta/nothing/here</code> was not found on this server." in answer.text


# -- B. endpoints and behaviours ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["PREFERENCE_TUNING", "REINFORCEMENT_TUNING"])
def test_vertex_tuning_methods(sdk_vertex: Any, method: str) -> None:
    config = types.CreateTuningJobConfig(method=method, tuned_model_display_name="t")
    job = sdk_vertex.tunings.tune(
        base_model=MODEL, training_dataset=types.TuningDataset(gcs_uri="gs://b/train.jsonl"), config=config
    )
    assert job.state == types.JobState.JOB_STATE_PENDING
    spec = (
        job.preference_optimization_spec if method == "PREFERENCE_TUNING" else job.reinforcement_tuning_spec
    )
    assert spec.training_dataset_uri == "gs://b/train.jsonl"


def test_vertex_continued_tuning(sdk_vertex: Any) -> None:
    dataset = types.TuningDataset(gcs_uri="gs://b/train.jsonl")
    first = sdk_vertex.tunings.tune(base_model=MODEL, training_dataset=dataset)
    while not first.has_ended:
        first = sdk_vertex.tunings.get(name=first.name)
    tuned = first.tuned_model.model.split("@", 1)[0]
    again = sdk_vertex.tunings.tune(base_model=tuned, training_dataset=dataset)
    assert again.pre_tuned_model.tuned_model_name == tuned
    assert again.pre_tuned_model.base_model == MODEL


def test_vertex_validate_reinforcement_reward(sdk_vertex: Any) -> None:
    answer = sdk_vertex.tunings.validate_reward(
        parent=VERTEX_PARENT,
        sample_response=types.Content(role="model", parts=[types.Part(text="The answer is 42")]),
        example=types.ReinforcementTuningExample(
            contents=[types.Content(role="user", parts=[types.Part(text="What is 6 x 7?")])],
            references={"answer": "42"},
        ),
        single_reward_config={"reward_name": "exact", "string_match_reward_scorer": {}},
    )
    assert answer.overall_reward == 1.0
    assert answer.reward_info_details["exact"].reward == 1.0


def test_files_register(sdk_gemini: Any, sa_credentials: Any) -> None:
    answer = sdk_gemini.files.register_files(auth=sa_credentials, uris=["gs://bucket/notes.txt"])
    registered = answer.files[0]
    assert registered.source == types.FileSource.REGISTERED
    assert registered.state == types.FileState.ACTIVE
    assert registered.mime_type == "text/plain"
    assert sdk_gemini.files.get(name=registered.name).name == registered.name


def test_vertex_partner_publisher_models(sdk_vertex: Any) -> None:
    answer = sdk_vertex.models.generate_content(
        model="meta/llama-3.2-90b-vision-instruct-maas", contents="Hi"
    )
    assert answer.text
    embedded = sdk_vertex.models.embed_content(
        model="intfloat/multilingual-e5-large-instruct-maas", contents="x"
    )
    assert embedded.embeddings[0].values


def test_vertex_try_on_and_segmentation(sdk_vertex: Any) -> None:
    picture = sdk_vertex.models.generate_images(model="imagen-4.0-generate-001", prompt="a dog")
    image = picture.generated_images[0].image
    dressed = sdk_vertex.models.recontext_image(
        model="virtual-try-on-001",
        source=types.RecontextImageSource(
            person_image=image, product_images=[types.ProductImage(product_image=image)]
        ),
    )
    assert dressed.generated_images[0].image.image_bytes
    masks = sdk_vertex.models.segment_image(
        model="image-segmentation-001",
        source=types.SegmentImageSource(image=image, prompt="dog"),
        config=types.SegmentImageConfig(mode="PROMPT"),
    )
    assert masks.generated_masks[0].labels[0].label == "dog"


@pytest.mark.parametrize("path", ["/v1beta/models", f"/v1beta1/{VERTEX_PARENT}/tuningJobs"])
def test_lists_answer_gzip_when_asked(emulator: Emulator, path: str) -> None:
    auth = {"x-goog-api-key": "k"} if path.startswith("/v1beta/") else {"authorization": "Bearer t"}
    with httpx.Client(base_url=emulator.url) as http:
        with http.stream("GET", path, headers={**auth, "accept-encoding": "gzip"}) as answer:
            raw = b"".join(answer.iter_raw())
        plain = http.get(path, headers={**auth, "accept-encoding": "identity"})
    assert answer.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == plain.content
    assert "content-encoding" not in plain.headers


def test_sdk_and_genai_min_decode_gzip(sdk_gemini: Any, gemini: genai_min.Transport) -> None:
    assert len(list(sdk_gemini.models.list())) == 16
    assert len(list(models.list(gemini))) == 16


@pytest.mark.parametrize("backend", ["sdk_gemini", "sdk_vertex"])
def test_prompt_tokens_by_modality(request: pytest.FixtureRequest, backend: str) -> None:
    client = request.getfixturevalue(backend)
    image = types.Part.from_bytes(data=b"\x89PNG\r\n", mime_type="image/png")
    answer = client.models.generate_content(model=MODEL, contents=["What is this?", image])
    details = {d.modality: d.token_count for d in answer.usage_metadata.prompt_tokens_details}
    assert details == {types.MediaModality.TEXT: 4, types.MediaModality.IMAGE: 258}


def test_genai_min_prompt_tokens_by_modality(transport_any: genai_min.Transport) -> None:
    image = {"inline_data": {"data": "iVBORw0=", "mime_type": "image/png"}}
    contents = [{"role": "user", "parts": [{"text": "What is this?"}, image]}]
    answer = models.generate_content(transport_any, model=MODEL, contents=contents)
    usage = answer.usage_metadata
    assert usage is not None and usage.prompt_tokens_details is not None
    assert [(str(d.modality), d.token_count) for d in usage.prompt_tokens_details][-1][1] == 258


def test_vertex_traffic_type(emulator: Emulator, sa_credentials: Any, sdk_vertex: Any) -> None:
    dedicated = genai.Client(
        vertexai=True,
        project=PROJECT,
        location=LOCATION,
        credentials=sa_credentials,
        http_options=types.HttpOptions(
            base_url=emulator.url, headers={"X-Vertex-AI-LLM-Request-Type": "dedicated"}
        ),
    )
    answer = dedicated.models.generate_content(model=MODEL, contents="Hi")
    assert answer.usage_metadata.traffic_type == types.TrafficType.PROVISIONED_THROUGHPUT
    chunks = list(dedicated.models.generate_content_stream(model=MODEL, contents="Tell me a story."))
    assert {c.usage_metadata.traffic_type for c in chunks} == {types.TrafficType.PROVISIONED_THROUGHPUT}
    assert sdk_vertex.models.generate_content(model=MODEL, contents="Hi").usage_metadata.traffic_type == (
        types.TrafficType.ON_DEMAND
    )
    raw = httpx.post(
        f"{emulator.url}/v1beta1/{VERTEX_PARENT}/publishers/google/models/gemini-embedding-001:embedContent",
        json={"content": {"parts": [{"text": "x"}]}},
        headers={"authorization": "Bearer t"},
    )
    assert raw.json()["usageMetadata"]["trafficType"] == "ON_DEMAND"


@pytest.fixture(params=["gemini", "vertex"])
def transport_any(request: pytest.FixtureRequest) -> genai_min.Transport:
    """Run a test once per backend with genai_min."""
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]
