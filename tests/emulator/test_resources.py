"""Stateful resources and less common answers: videos, tuned models, batches, models, safety, thinking."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import genai_min
from genai_min import models
from replay.emulator import Emulator
from replay.emulator._media_bytes import image_size

KEY = {"x-goog-api-key": "k"}
HELLO = {"contents": [{"role": "user", "parts": [{"text": "Hello"}]}]}
VERTEX = "/v1beta1/projects/p/locations/us-central1"


@pytest.fixture
def http(emulator: Emulator) -> Iterator[httpx.Client]:
    """Return a plain httpx client for the emulator, with an API key."""
    with httpx.Client(base_url=emulator.url, headers=KEY) as client:
        yield client


def generate(http: httpx.Client, body: dict[str, Any], path: str = "/v1beta/models/gemini-2.5-flash") -> Any:
    response = http.post(f"{path}:generateContent", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_gemini_video_is_a_downloadable_generated_file(gemini: genai_min.Transport) -> None:
    files = pytest.importorskip("genai_min.files")
    operations = pytest.importorskip("genai_min.operations")
    operation = models.generate_videos(gemini, model="veo-3.0-generate-001", prompt="A neon cat")
    assert operation.name and operation.name.startswith("models/veo-3.0-generate-001/operations/")
    done = operations.wait(gemini, operation, interval=0)
    video = (done.result.generated_videos or [])[0] if done.result else None
    assert video is not None and video.video is not None
    assert (video.video.uri or "").startswith("https://generativelanguage.googleapis.com/v1beta/files/")
    assert files.download(gemini, file=video)[4:8] == b"ftyp"


def test_gemini_tuned_model_get_update_delete(http: httpx.Client) -> None:
    body = {"baseModel": "models/gemini-2.0-flash-001", "displayName": "Support bot", "tuningTask": {}}
    operation = http.post("/v1beta/tunedModels", json=body).json()
    name = operation["metadata"]["tunedModel"]
    assert name.startswith("tunedModels/support-bot-") and "done" not in operation
    states = [http.get(f"/v1beta/{name}").json()["state"] for _ in range(2)]
    assert states == ["CREATING", "ACTIVE"]
    assert http.get(f"/v1beta/{operation['name']}").json()["done"] is True
    assert http.patch(f"/v1beta/{name}", json={"description": "helps"}).json()["description"] == "helps"
    assert [m["name"] for m in http.get("/v1beta/tunedModels").json()["tunedModels"]] == [name]
    assert generate(http, HELLO, f"/v1beta/{name}")["candidates"]
    assert http.delete(f"/v1beta/{name}").json() == {}
    assert http.get(f"/v1beta/{name}").status_code == 404


def test_vertex_tuned_model_delete_answers_an_operation(http: httpx.Client) -> None:
    body = {
        "baseModel": "gemini-2.0-flash-001",
        "supervisedTuningSpec": {"trainingDatasetUri": "gs://b/t.jsonl"},
    }
    job = http.post(f"{VERTEX}/tuningJobs", json=body).json()
    job_id = job["name"].rsplit("/", 1)[-1]
    assert http.get(f"{VERTEX}/tuningJobs/{job_id}").json()["state"] == "JOB_STATE_RUNNING"
    done = http.get(f"{VERTEX}/tuningJobs/{job_id}").json()
    model = done["tunedModel"]["model"].split("@")[0]
    deleted = http.delete(f"/v1beta1/{model}").json()
    assert deleted["done"] is True and "/operations/" in deleted["name"]
    assert http.get(f"/v1beta1/{model}").status_code == 404
    assert (
        http.post(f"/v1beta1/{done['tunedModel']['endpoint']}:generateContent", json=HELLO).status_code == 404
    )


def test_vertex_tuning_cancel(http: httpx.Client) -> None:
    body = {
        "baseModel": "gemini-2.0-flash-001",
        "supervisedTuningSpec": {"trainingDatasetUri": "gs://b/t.jsonl"},
    }
    job_id = http.post(f"{VERTEX}/tuningJobs", json=body).json()["name"].rsplit("/", 1)[-1]
    assert http.post(f"{VERTEX}/tuningJobs/{job_id}:cancel").json() == {}
    states = [http.get(f"{VERTEX}/tuningJobs/{job_id}").json()["state"] for _ in range(2)]
    assert states == ["JOB_STATE_CANCELLING", "JOB_STATE_CANCELLED"]
    assert http.post(f"{VERTEX}/tuningJobs/{job_id}:cancel").status_code == 400


def test_gemini_batch_from_a_file_writes_a_responses_file(http: httpx.Client) -> None:
    lines = [
        json.dumps({"key": f"k{i}", "request": {"contents": [{"parts": [{"text": f"Q{i}"}]}]}})
        for i in range(2)
    ]
    data = "\n".join(lines).encode()
    start = http.post(
        "/upload/v1beta/files",
        headers={"x-goog-upload-protocol": "resumable", "x-goog-upload-command": "start"},
        json={"file": {"mimeType": "application/jsonl", "sizeBytes": len(data)}},
    )
    final = http.post(
        start.headers["x-goog-upload-url"],
        headers={"x-goog-upload-command": "upload, finalize", "x-goog-upload-offset": "0"},
        content=data,
    )
    body = {"batch": {"displayName": "b", "inputConfig": {"fileName": final.json()["file"]["name"]}}}
    name = http.post("/v1beta/models/gemini-2.0-flash-001:batchGenerateContent", json=body).json()["name"]
    states = [http.get(f"/v1beta/{name}").json() for _ in range(2)]
    assert [s["metadata"]["state"] for s in states] == ["BATCH_STATE_RUNNING", "BATCH_STATE_SUCCEEDED"]
    assert states[1]["done"] is True
    results = states[1]["response"]["responsesFile"]
    download = http.get(f"/v1beta/{results}:download", params={"alt": "media"}, follow_redirects=True)
    answers = [json.loads(line) for line in download.text.splitlines()]
    assert [a["key"] for a in answers] == ["k0", "k1"] and all("candidates" in a["response"] for a in answers)
    assert [o["name"] for o in http.get("/v1beta/batches").json()["operations"]] == [name]


def test_gemini_batch_cancel(http: httpx.Client) -> None:
    body = {"batch": {"inputConfig": {"requests": {"requests": [{"request": HELLO}]}}}}
    name = http.post("/v1beta/models/gemini-2.0-flash-001:batchGenerateContent", json=body).json()["name"]
    assert http.post(f"/v1beta/{name}:cancel").json() == {}
    answer = http.get(f"/v1beta/{name}").json()
    assert answer["metadata"]["state"] == "BATCH_STATE_CANCELLED" and answer["done"] is True


@pytest.mark.parametrize(
    ("path", "key", "name"),
    [
        ("/v1beta/models/gemini-2.5-flash", "supportedGenerationMethods", "models/gemini-2.5-flash"),
        (
            "/v1beta1/publishers/google/models/gemini-2.5-flash",
            "versionId",
            "publishers/google/models/gemini-2.5-flash",
        ),
    ],
)
def test_base_model_get(http: httpx.Client, path: str, key: str, name: str) -> None:
    model = http.get(path).json()
    assert model["name"] == name and key in model
    assert http.get(path.replace("gemini-2.5-flash", "no-such-model")).status_code == 404


def test_vertex_gemini_embedding_uses_embed_content(http: httpx.Client) -> None:
    body = {"content": {"parts": [{"text": "hi"}]}, "embedContentConfig": {"outputDimensionality": 8}}
    answer = http.post(
        f"{VERTEX}/publishers/google/models/gemini-embedding-001:embedContent", json=body
    ).json()
    assert len(answer["embedding"]["values"]) == 8 and answer["usageMetadata"]["promptTokenCount"] == 1
    assert http.post(f"{VERTEX}/publishers/google/models/gemini-embedding-001:embedContent", json={
        **body, "embedContentConfig": {"outputDimensionality": 5000}
    }).status_code == 400  # fmt: skip


def test_vertex_legacy_embeddings_answer_statistics(http: httpx.Client) -> None:
    body = {"instances": [{"content": "why is the sky blue?"}], "parameters": {"outputDimensionality": 4}}
    answer = http.post(f"{VERTEX}/publishers/google/models/text-embedding-004:predict", json=body).json()
    embeddings = answer["predictions"][0]["embeddings"]
    assert len(embeddings["values"]) == 4 and embeddings["statistics"] == {
        "truncated": False,
        "token_count": 6,
    }
    assert answer["metadata"] == {"billableCharacterCount": 16}


def test_compute_tokens_is_vertex_only(http: httpx.Client) -> None:
    assert http.post("/v1beta/models/gemini-2.0-flash-001:computeTokens", json=HELLO).status_code == 404


def test_safety_ratings_and_the_blocked_response_trigger(http: httpx.Client) -> None:
    settings = [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_ONLY_HIGH"}]
    rated = generate(http, {**HELLO, "safetySettings": settings})["candidates"][0]
    assert {r["probability"] for r in rated["safetyRatings"]} == {"NEGLIGIBLE"}
    body = {"contents": [{"role": "user", "parts": [{"text": "Say EMULATOR:BLOCK-RESPONSE now"}]}]}
    blocked = generate(http, body)["candidates"][0]
    assert blocked["finishReason"] == "SAFETY" and blocked["content"] == {}
    assert blocked["safetyRatings"][0]["blocked"] is True


def test_thoughts_limits_candidates_and_stop_sequences(http: httpx.Client) -> None:
    config = {"thinkingConfig": {"includeThoughts": True}, "candidateCount": 2, "maxOutputTokens": 3}
    answer = generate(http, {**HELLO, "generationConfig": config})
    assert [c["index"] for c in answer["candidates"]] == [0, 1]
    first = answer["candidates"][0]
    assert first["content"]["parts"][0]["thought"] is True and first["finishReason"] == "MAX_TOKENS"
    assert len(first["content"]["parts"][1]["text"].split()) <= 3
    assert answer["usageMetadata"]["thoughtsTokenCount"] > 0
    full = generate(http, HELLO)["candidates"][0]["content"]["parts"][0]["text"]
    stop = full.split()[3]
    cut = generate(http, {**HELLO, "generationConfig": {"stopSequences": [stop]}})
    assert stop not in cut["candidates"][0]["content"]["parts"][0]["text"]


def test_image_and_audio_modalities(http: httpx.Client) -> None:
    config = {"responseModalities": ["TEXT", "IMAGE", "AUDIO"]}
    parts = generate(http, {**HELLO, "generationConfig": config})["candidates"][0]["content"]["parts"]
    media = {
        p["inlineData"]["mimeType"]: base64.b64decode(p["inlineData"]["data"])
        for p in parts
        if "inlineData" in p
    }
    assert media["image/png"].startswith(b"\x89PNG") and len(media["audio/L16;codec=pcm;rate=24000"]) == 4800


def test_imagen_on_gemini_and_its_filter(http: httpx.Client) -> None:
    path = "/v1beta/models/imagen-3.0-generate-002:predict"
    answer = http.post(
        path, json={"instances": [{"prompt": "cat"}], "parameters": {"aspectRatio": "16:9"}}
    ).json()
    images = [base64.b64decode(p["bytesBase64Encoded"]) for p in answer["predictions"]]
    assert len(images) == 4 and len(set(images)) == 4
    assert images[0][16:24] == b"\x00\x00\x00\x0e\x00\x00\x00\x08"  # 14 x 8
    body = {"instances": [{"prompt": "emulator:block-prompt"}], "parameters": {"includeRaiReason": True}}
    assert all("raiFilteredReason" in p for p in http.post(path, json=body).json()["predictions"])
    upscale = {"instances": [{"image": {"bytesBase64Encoded": "AA=="}}], "parameters": {"mode": "upscale"}}
    assert http.post(path, json=upscale).status_code == 400  # Vertex AI only


def test_upscaling_and_editing_a_jpeg_keep_track_of_its_size(http: httpx.Client) -> None:
    path = f"{VERTEX}/publishers/google/models/imagen-3.0-generate-002:predict"
    jpeg = {"outputOptions": {"mimeType": "image/jpeg"}}
    generated = http.post(
        path, json={"instances": [{"prompt": "cat"}], "parameters": {**jpeg, "aspectRatio": "16:9"}}
    ).json()["predictions"][0]["bytesBase64Encoded"]
    assert image_size(base64.b64decode(generated)) == (14, 8)
    upscale = {"mode": "upscale", "upscaleConfig": {"upscaleFactor": "x4"}, **jpeg}
    answer = http.post(
        path, json={"instances": [{"image": {"bytesBase64Encoded": generated}}], "parameters": upscale}
    )
    assert image_size(base64.b64decode(answer.json()["predictions"][0]["bytesBase64Encoded"])) == (56, 32)
    raw = {
        "referenceType": "REFERENCE_TYPE_RAW",
        "referenceId": 1,
        "referenceImage": {"bytesBase64Encoded": generated},
    }
    edit = {
        "instances": [{"prompt": "sun", "referenceImages": [raw]}],
        "parameters": {"editMode": "EDIT_MODE_DEFAULT"},
    }
    edited = http.post(path.replace("imagen-3.0-generate-002", "imagen-3.0-capability-001"), json=edit).json()
    assert image_size(base64.b64decode(edited["predictions"][0]["bytesBase64Encoded"])) == (14, 8)


def create_cache(http: httpx.Client, scope: str | None) -> str:
    headers = {"x-genai-replay-scope": scope} if scope is not None else {}
    body = {"model": "models/gemini-2.5-flash", "contents": [{"role": "user", "parts": [{"text": "x" * 50}]}]}
    response = http.post("/v1beta/cachedContents", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return str(response.json()["name"])


def test_ids_are_counted_per_scope_so_a_test_gets_the_same_names_whatever_ran_before() -> None:
    with Emulator() as first, httpx.Client(base_url=first.url, headers=KEY) as http:
        alone = [create_cache(http, "test_b"), create_cache(http, "test_b")]
    with Emulator() as second, httpx.Client(base_url=second.url, headers=KEY) as http:
        create_cache(http, "test_a")
        create_cache(http, None)
        after_others = [create_cache(http, "test_b"), create_cache(http, "test_b")]
    assert after_others == alone and alone[0] != alone[1]


def test_without_a_scope_ids_follow_the_emulator_wide_order(http: httpx.Client) -> None:
    first, second = create_cache(http, None), create_cache(http, None)
    assert first != second
