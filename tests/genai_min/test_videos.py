"""Veo calls against a stub service: the exact wire requests, both backends' operations, and `Video`."""

from __future__ import annotations

import base64
import sys
import types as pytypes
from pathlib import Path
from typing import Any

import httpx
import pytest
from google.oauth2.credentials import Credentials

import genai_min
from genai_min import aio, files, models, operations
from genai_min._images import Image
from genai_min._videos import GenerateVideosConfig, GenerateVideosOperation, Video
from genai_min.aio import operations as aio_operations

from .conftest import Stub, make_transport, prefix
from .test_sdk_parity import captured, norm

MODEL = "veo-2.0-generate-001"
GEMINI_OP = f"models/{MODEL}/operations/2xgsd8yqvw4c"
VERTEX_OP = (
    f"projects/123456789012/locations/us-central1/publishers/google/models/{MODEL}"
    "/operations/c5e7d32e-81b9-c02d-9eee-878cfebb4f11"
)
GEMINI_URI = "https://generativelanguage.googleapis.com/v1beta/files/3q1k0x7c2v9m:download?alt=media"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256))
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGNwrDgBRwzEcQBpghgR+s//HQAAAABJRU5ErkJggg=="
)


def gemini_done(video: dict[str, Any] | None = None) -> dict[str, Any]:
    """A finished Gemini Veo operation (wire reference §9)."""
    return {
        "name": GEMINI_OP,
        "done": True,
        "response": {
            "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
            "generateVideoResponse": {
                "generatedSamples": [{"video": video or {"uri": GEMINI_URI}}],
                "raiMediaFilteredCount": 0,
            },
        },
    }


def vertex_done(*videos: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A finished Vertex AI Veo operation (wire reference §9)."""
    return {
        "name": VERTEX_OP,
        "done": True,
        "response": {
            "@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse",
            "raiMediaFilteredCount": 0,
            "videos": list(videos) or [{"gcsUri": "gs://bucket/out/sample_0.mp4", "mimeType": "video/mp4"}],
            **extra,
        },
    }


def readme_loop(t: genai_min.Transport, prompt: str, config: Any) -> GenerateVideosOperation:
    """The README's Veo example, its loop kept as written (with no sleep)."""
    operation = models.generate_videos(t, model=MODEL, prompt=prompt, config=config)
    while not operation.done:
        operation = operations.get(t, operation=operation)
    return operation


README_CONFIG = GenerateVideosConfig(number_of_videos=1, fps=24, duration_seconds=5, enhance_prompt=True)


def test_readme_example_matches_the_sdk_capture_on_vertex(stub: Stub) -> None:
    stub.reply({"name": VERTEX_OP})
    stub.reply({"name": VERTEX_OP})
    stub.reply(vertex_done())
    mock = httpx.MockTransport(stub.handle)
    with genai_min.Transport(
        vertexai=True,
        project="acceptance-project",
        location="us-central1",
        credentials=Credentials(token="t"),
        transport=mock,
    ) as t:
        # The capture's prompt is shorter than the README's.
        operation = readme_loop(t, "A neon hologram of a cat driving", README_CONFIG)
    records = captured("vertex")["veo_generate_and_poll"]
    assert len(stub.requests) == len(records)
    for ours, theirs in zip(stub.requests, records, strict=True):
        assert (ours.method, ours.path, ours.query) == (theirs["method"], theirs["path"], [])
        assert norm(ours.json) == norm(theirs["body"])
    assert operation.result is not None and operation.result.generated_videos is not None
    video = operation.result.generated_videos[0].video
    assert video == Video(uri="gs://bucket/out/sample_0.mp4", mime_type="video/mp4")


def test_readme_example_exact_requests_on_vertex(stub: Stub) -> None:
    stub.reply({"name": VERTEX_OP})
    stub.reply(vertex_done())
    with make_transport("vertex", stub) as t:
        readme_loop(t, "A neon hologram of a cat driving at top speed", README_CONFIG)
    create, poll = stub.requests
    assert (create.method, create.path) == ("POST", f"{prefix('vertex')}{MODEL}:predictLongRunning")
    assert create.json == {
        "instances": [{"prompt": "A neon hologram of a cat driving at top speed"}],
        "parameters": {"sampleCount": 1, "fps": 24, "durationSeconds": 5, "enhancePrompt": True},
    }
    model = VERTEX_OP.rpartition("/operations/")[0]
    assert (poll.method, poll.path, poll.query) == ("POST", f"/v1beta1/{model}:fetchPredictOperation", [])
    assert poll.json == {"operationName": VERTEX_OP}


def test_readme_example_on_gemini(stub: Stub, tmp_path: Path) -> None:
    with make_transport("gemini", stub) as t:
        # Gemini has no frame-rate setting: the README's config is refused before anything is sent.
        with pytest.raises(genai_min.UnsupportedError, match="fps is only supported by Vertex AI"):
            models.generate_videos(t, model=MODEL, prompt="A neon cat", config=README_CONFIG)
        assert stub.requests == []
        stub.reply({"name": GEMINI_OP})
        stub.reply({"name": GEMINI_OP, "metadata": {"progressPercent": 40}})
        stub.reply(gemini_done())
        config = README_CONFIG.model_copy(update={"fps": None})
        operation = readme_loop(t, "A neon hologram of a cat driving at top speed", config)
    create, first, second = stub.requests
    assert (create.method, create.path) == ("POST", f"/v1beta/models/{MODEL}:predictLongRunning")
    assert create.json == {
        "instances": [{"prompt": "A neon hologram of a cat driving at top speed"}],
        "parameters": {"sampleCount": 1, "durationSeconds": 5, "enhancePrompt": True},
    }
    for poll in (first, second):
        assert (poll.method, poll.path, poll.query, poll.content) == ("GET", f"/v1beta/{GEMINI_OP}", [], b"")
    assert operation.done and operation.error is None
    assert operation.response is not None and operation.response.rai_media_filtered_count == 0
    assert operation.response.generated_videos is not None
    video = operation.response.generated_videos[0].video
    assert video is not None and video.uri == GEMINI_URI and video.video_bytes is None
    with pytest.raises(
        genai_min.ConfigError, match=r"only its URI .*download it first with files\.download\(t, file=video\)"
    ):
        video.save(tmp_path / "cat.mp4")
    assert not (tmp_path / "cat.mp4").exists()


def test_a_gemini_video_is_saved_after_files_download(stub: Stub, tmp_path: Path) -> None:
    stub.reply(gemini_done())
    stub.reply_raw(200, MP4, {"content-type": "video/mp4"})
    with make_transport("gemini", stub) as t:
        result = operations.get(t, operation=GenerateVideosOperation(name=GEMINI_OP)).result
        assert result is not None and result.generated_videos is not None
        video = result.generated_videos[0].video
        assert video is not None
        assert files.download(t, file=video) == MP4
    assert (stub.last.method, stub.last.path, stub.last.query) == (
        "GET",
        "/v1beta/files/3q1k0x7c2v9m:download",
        [("alt", "media")],
    )
    video.save(tmp_path / "cat.mp4")
    assert (tmp_path / "cat.mp4").read_bytes() == MP4


def test_inline_videos_are_parsed_and_saved_byte_for_byte(stub: Stub, tmp_path: Path) -> None:
    encoded = base64.b64encode(MP4).decode()
    stub.reply(gemini_done({"encodedVideo": encoded, "encoding": "video/mp4"}))
    stub.reply(
        vertex_done(
            {"bytesBase64Encoded": encoded, "mimeType": "video/mp4"},
            raiMediaFilteredCount=1,
            raiMediaFilteredReasons=["Unable to generate videos: the prompt may violate our policies."],
        )
    )
    gemini = make_transport("gemini", stub)
    vertex = make_transport("vertex", stub)
    results = [
        models.generate_videos(gemini, model=MODEL, prompt="cat").result,
        models.generate_videos(vertex, model=MODEL, prompt="cat").result,
    ]
    for index, result in enumerate(results):
        assert result is not None and result.generated_videos is not None
        video = result.generated_videos[0].video
        assert video is not None and video.mime_type == "video/mp4" and video.uri is None
        video.save(tmp_path / f"{index}.mp4")
        assert (tmp_path / f"{index}.mp4").read_bytes() == MP4
    assert results[1] is not None and results[1].rai_media_filtered_count == 1
    assert results[1].rai_media_filtered_reasons == [
        "Unable to generate videos: the prompt may violate our policies."
    ]


def test_image_to_video_and_video_extension_per_backend(stub: Stub, backend: str) -> None:
    stub.reply({"name": GEMINI_OP if backend == "gemini" else VERTEX_OP})
    stub.reply({"name": GEMINI_OP if backend == "gemini" else VERTEX_OP})
    image = Image(image_bytes=PNG, mime_type="image/png")
    # A video the service made earlier: known by URI (its bytes were downloaded too).
    earlier = Video(
        uri=GEMINI_URI if backend == "gemini" else "gs://b/v.mp4", video_bytes=MP4, mime_type="video/mp4"
    )
    with make_transport(backend, stub) as t:
        models.generate_videos(t, model=MODEL, image=image)
        models.generate_videos(t, model=MODEL, prompt="keep driving", video=earlier)
    png = {"bytesBase64Encoded": base64.b64encode(PNG).decode(), "mimeType": "image/png"}
    assert stub.requests[0].json == {"instances": [{"image": png}]}
    if backend == "gemini":
        video = {"uri": GEMINI_URI, "encoding": "video/mp4"}
    else:
        video = {"gcsUri": "gs://b/v.mp4", "mimeType": "video/mp4"}
    assert stub.requests[1].json == {"instances": [{"prompt": "keep driving", "video": video}]}


def test_video_bytes_are_sent_inline_per_backend(stub: Stub, backend: str) -> None:
    stub.reply({"name": GEMINI_OP})
    with make_transport(backend, stub) as t:
        models.generate_videos(t, model=MODEL, video=Video(video_bytes=MP4, mime_type="video/mp4"))
    encoded = base64.b64encode(MP4).decode()
    expected = (
        {"encodedVideo": encoded, "encoding": "video/mp4"}
        if backend == "gemini"
        else {"bytesBase64Encoded": encoded, "mimeType": "video/mp4"}
    )
    assert stub.last.json == {"instances": [{"video": expected}]}


def test_gcs_images_are_vertex_only(stub: Stub) -> None:
    with make_transport("gemini", stub) as t, pytest.raises(genai_min.UnsupportedError, match="gs:// URIs"):
        models.generate_videos(t, model=MODEL, image=Image(gcs_uri="gs://b/first.png", mime_type="image/png"))
    assert stub.requests == []


def test_every_config_field_lands_in_place_on_vertex(stub: Stub) -> None:
    stub.reply({"name": VERTEX_OP})
    last = Image(gcs_uri="gs://b/last.png", mime_type="image/png")
    with make_transport("vertex", stub) as t:
        models.generate_videos(
            t,
            model="veo-3.0-generate-001",
            prompt="a cat",
            config={
                "number_of_videos": 2,
                "duration_seconds": 8,
                "fps": 24,
                "seed": 7,
                "aspect_ratio": "16:9",
                "resolution": "1080p",
                "person_generation": "allow_adult",
                "negative_prompt": "dogs",
                "enhance_prompt": False,
                "generate_audio": True,
                "output_gcs_uri": "gs://b/out/",
                "pubsub_topic": "projects/p/topics/veo",
                "compression_quality": "LOSSLESS",
                "resize_mode": "pad",
                "last_frame": last,
                "reference_images": [{"image": {"gcs_uri": "gs://b/style.png"}, "reference_type": "STYLE"}],
                "labels": {"team": "video"},
            },
        )
    assert stub.last.path == f"{prefix('vertex')}veo-3.0-generate-001:predictLongRunning"
    assert stub.last.json == {
        "instances": [
            {
                "prompt": "a cat",
                "lastFrame": {"gcsUri": "gs://b/last.png", "mimeType": "image/png"},
                "referenceImages": [{"image": {"gcsUri": "gs://b/style.png"}, "referenceType": "STYLE"}],
            }
        ],
        "parameters": {
            "sampleCount": 2,
            "durationSeconds": 8,
            "fps": 24,
            "seed": 7,
            "aspectRatio": "16:9",
            "resolution": "1080p",
            "personGeneration": "allow_adult",
            "negativePrompt": "dogs",
            "enhancePrompt": False,
            "generateAudio": True,
            "storageUri": "gs://b/out/",
            "pubsubTopic": "projects/p/topics/veo",
            "compressionQuality": "LOSSLESS",
            "resizeMode": "pad",
        },
        "labels": {"team": "video"},
    }


def test_generate_videos_needs_something_to_start_from(t: genai_min.Transport, stub: Stub) -> None:
    with pytest.raises(genai_min.ConfigError, match="needs a prompt, an image or a video"):
        models.generate_videos(t, model=MODEL)
    assert stub.requests == []


def test_failed_operation_keeps_its_error(stub: Stub) -> None:
    stub.reply({"name": GEMINI_OP})
    stub.reply(
        {
            "name": GEMINI_OP,
            "done": True,
            "error": {"code": 3, "message": "Prompt rejected by safety filters"},
        }
    )
    with make_transport("gemini", stub) as t:
        operation = readme_loop(t, "a cat", None)
    assert operation.done and operation.response is None and operation.result is None
    assert operation.error == {"code": 3, "message": "Prompt rejected by safety filters"}


@pytest.mark.anyio
async def test_async_generate_and_poll(stub: Stub, backend: str) -> None:
    name = GEMINI_OP if backend == "gemini" else VERTEX_OP
    stub.reply({"name": name})
    stub.reply(gemini_done() if backend == "gemini" else vertex_done())
    async with make_transport(backend, stub) as t:
        operation = await aio.models.generate_videos(
            t, model=MODEL, prompt="cat", config={"number_of_videos": 1}
        )
        assert operation.name == name and not operation.done
        operation = await aio_operations.get(t, operation=operation)
    assert operation.done and operation.result is not None and operation.result.generated_videos
    assert stub.requests[0].json == {"instances": [{"prompt": "cat"}], "parameters": {"sampleCount": 1}}
    assert [r.method for r in stub.requests] == ["POST", "GET" if backend == "gemini" else "POST"]


# -- Video ----------------------------------------------------------------------------------------


def test_from_file_and_save_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "in.mp4"
    source.write_bytes(MP4)
    video = Video.from_file(source)
    assert (video.video_bytes, video.mime_type) == (MP4, "video/mp4")
    video.save(tmp_path / "out.mp4")
    assert (tmp_path / "out.mp4").read_bytes() == MP4


def test_show_without_ipython_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython.display", None)
    with pytest.raises(genai_min.ConfigError, match=r"showing a video needs IPython"):
        Video(video_bytes=MP4, mime_type="video/mp4").show()


def test_show_plays_through_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[Any] = []
    fake = pytypes.ModuleType("IPython.display")
    fake.Video = lambda **kwargs: kwargs  # type: ignore[attr-defined]
    fake.display = shown.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython.display", fake)
    Video(video_bytes=MP4, mime_type="video/mp4").show()
    assert shown == [{"data": MP4, "embed": True, "mimetype": "video/mp4"}]
    with pytest.raises(genai_min.ConfigError, match="download it first"):
        Video(uri=GEMINI_URI).show()
