"""Imagen calls against a stub service: the exact wire requests, the parsed images, and `Image` itself."""

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
from genai_min import aio, models
from genai_min._images import (
    ControlReferenceImage,
    GenerateImagesConfig,
    Image,
    MaskReferenceConfig,
    MaskReferenceImage,
    RawReferenceImage,
    StyleReferenceImage,
    SubjectReferenceImage,
)

from .conftest import Stub, make_transport, prefix
from .test_sdk_parity import captured, norm

# The 4x4 PNG the SDK captures' canned server answered with (its base64 has "+" and "/").
PNG_B64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGNwrDgBRwzEcQBpghgR+s//HQAAAABJRU5ErkJggg=="
)
PNG = base64.b64decode(PNG_B64)
PROMPT = "An umbrella in the foreground, and a rainy night sky in the background"
GENERATE = "imagen-3.0-generate-002"
EDIT = "imagen-3.0-capability-001"


def sdk_transport(stub: Stub) -> genai_min.Transport:
    """A Vertex AI transport set up as the client of the SDK captures was (project acceptance-project)."""
    mock = httpx.MockTransport(stub.handle)
    return genai_min.Transport(
        vertexai=True,
        project="acceptance-project",
        location="us-central1",
        credentials=Credentials(token="t"),
        transport=mock,
        async_transport=mock,
    )


def predictions(*items: dict[str, Any]) -> dict[str, Any]:
    """A realistic Imagen ``:predict`` answer."""
    return {"predictions": list(items)}


def png(**extra: Any) -> dict[str, Any]:
    return {"bytesBase64Encoded": PNG_B64, "mimeType": "image/png", **extra}


def run_readme_images(t: genai_min.Transport) -> None:
    """The README's Imagen section: generate, upscale the result, then edit it."""
    response1 = models.generate_images(
        t,
        model=GENERATE,
        prompt=PROMPT,
        config=GenerateImagesConfig(
            number_of_images=1, include_rai_reason=True, output_mime_type="image/jpeg"
        ),
    )
    image = response1.generated_images[0].image  # type: ignore[index]
    response2 = models.upscale_image(
        t,
        model=GENERATE,
        image=image,
        upscale_factor="x2",
        config={"include_rai_reason": True, "output_mime_type": "image/jpeg"},
    )
    assert response2.generated_images is not None
    raw_ref_image = RawReferenceImage(reference_id=1, reference_image=image)
    mask_ref_image = MaskReferenceImage(
        reference_id=2, config=MaskReferenceConfig(mask_mode="MASK_MODE_BACKGROUND", mask_dilation=0)
    )
    response3 = models.edit_image(
        t,
        model=EDIT,
        prompt="Sunlight and clear sky",
        reference_images=[raw_ref_image, mask_ref_image],
        config={
            "edit_mode": "EDIT_MODE_INPAINT_INSERTION",
            "number_of_images": 1,
            "include_rai_reason": True,
            "output_mime_type": "image/jpeg",
        },
    )
    assert response3.generated_images is not None


def test_readme_example_matches_the_sdk_capture_on_vertex(stub: Stub) -> None:
    for _ in range(3):
        stub.reply(predictions(png()))
    with sdk_transport(stub) as t:
        run_readme_images(t)
    records = captured("vertex")["imagen_generate_upscale_edit"]
    assert len(stub.requests) == len(records)
    for ours, theirs in zip(stub.requests, records, strict=True):
        assert (ours.method, ours.path, ours.query) == (theirs["method"], theirs["path"], [])
        assert norm(ours.json) == norm(theirs["body"])


def test_readme_example_exact_bodies_on_vertex(stub: Stub) -> None:
    for _ in range(3):
        stub.reply(predictions(png()))
    with make_transport("vertex", stub) as t:
        run_readme_images(t)
    generate, upscale, edit = stub.requests
    assert [r.path for r in stub.requests] == [
        f"{prefix('vertex')}{GENERATE}:predict",
        f"{prefix('vertex')}{GENERATE}:predict",
        f"{prefix('vertex')}{EDIT}:predict",
    ]
    assert generate.json == {
        "instances": [{"prompt": PROMPT}],
        "parameters": {
            "sampleCount": 1,
            "includeRaiReason": True,
            "outputOptions": {"mimeType": "image/jpeg"},
        },
    }
    assert upscale.json == {
        "instances": [{"image": {"bytesBase64Encoded": PNG_B64, "mimeType": "image/png"}}],
        "parameters": {
            "upscaleConfig": {"upscaleFactor": "x2"},
            "includeRaiReason": True,
            "outputOptions": {"mimeType": "image/jpeg"},
            "sampleCount": 1,
            "mode": "upscale",
        },
    }
    assert edit.json == {
        "instances": [
            {
                "prompt": "Sunlight and clear sky",
                "referenceImages": [
                    {
                        "referenceType": "REFERENCE_TYPE_RAW",
                        "referenceId": 1,
                        "referenceImage": {"bytesBase64Encoded": PNG_B64, "mimeType": "image/png"},
                    },
                    {
                        "referenceType": "REFERENCE_TYPE_MASK",
                        "referenceId": 2,
                        "maskImageConfig": {"maskMode": "MASK_MODE_BACKGROUND", "dilation": 0.0},
                    },
                ],
            }
        ],
        "parameters": {
            "editMode": "EDIT_MODE_INPAINT_INSERTION",
            "sampleCount": 1,
            "includeRaiReason": True,
            "outputOptions": {"mimeType": "image/jpeg"},
        },
    }


def test_generate_images_on_gemini(stub: Stub) -> None:
    stub.reply(predictions(png(), {"raiFilteredReason": "56562880: filtered for safety"}))
    with make_transport("gemini", stub) as t:
        response = models.generate_images(
            t,
            model=GENERATE,
            prompt=PROMPT,
            config={"number_of_images": 2, "include_rai_reason": True, "output_mime_type": "image/jpeg"},
        )
    seen = stub.last
    assert (seen.method, seen.path, seen.query) == ("POST", f"/v1beta/models/{GENERATE}:predict", [])
    assert seen.json == {
        "instances": [{"prompt": PROMPT}],
        "parameters": {
            "sampleCount": 2,
            "includeRaiReason": True,
            "outputOptions": {"mimeType": "image/jpeg"},
        },
    }
    assert response.generated_images is not None
    first, filtered = response.generated_images
    assert first.image is not None and first.image.image_bytes == PNG and first.image.mime_type == "image/png"
    assert filtered.rai_filtered_reason == "56562880: filtered for safety"
    assert filtered.image is not None and filtered.image.image_bytes is None


def test_upscale_is_vertex_only(stub: Stub) -> None:
    image = Image(image_bytes=PNG, mime_type="image/png")
    with (
        make_transport("gemini", stub) as t,
        pytest.raises(genai_min.UnsupportedError, match="upscale_image is only"),
    ):
        models.upscale_image(t, model=GENERATE, image=image, upscale_factor="x2")
    assert stub.requests == []


def test_edit_is_vertex_only(stub: Stub) -> None:
    raw = RawReferenceImage(reference_image=Image(image_bytes=PNG, mime_type="image/png"))
    with (
        make_transport("gemini", stub) as t,
        pytest.raises(genai_min.UnsupportedError, match="edit_image is only"),
    ):
        models.edit_image(t, model=EDIT, prompt="p", reference_images=[raw])
    assert stub.requests == []


def test_every_generate_images_field_lands_in_place(stub: Stub) -> None:
    stub.reply(predictions(png()))
    with make_transport("vertex", stub) as t:
        models.generate_images(
            t,
            model=GENERATE,
            prompt="cat",
            config=GenerateImagesConfig(
                number_of_images=4,
                aspect_ratio="16:9",
                negative_prompt="dogs",
                guidance_scale=7.5,
                seed=42,
                safety_filter_level="BLOCK_LOW_AND_ABOVE",
                person_generation="DONT_ALLOW",
                include_safety_attributes=True,
                include_rai_reason=True,
                language="en",
                output_mime_type="image/jpeg",
                output_compression_quality=80,
                output_gcs_uri="gs://bucket/out/",
                add_watermark=False,
                image_size="2K",
                enhance_prompt=True,
                labels={"team": "vision"},
            ),
        )
    assert stub.last.json == {
        "instances": [{"prompt": "cat"}],
        "parameters": {
            "sampleCount": 4,
            "aspectRatio": "16:9",
            "negativePrompt": "dogs",
            "guidanceScale": 7.5,
            "seed": 42,
            "safetySetting": "BLOCK_LOW_AND_ABOVE",
            "personGeneration": "DONT_ALLOW",
            "includeSafetyAttributes": True,
            "includeRaiReason": True,
            "language": "en",
            "outputOptions": {"mimeType": "image/jpeg", "compressionQuality": 80},
            "storageUri": "gs://bucket/out/",
            "addWatermark": False,
            "sampleImageSize": "2K",
            "enhancePrompt": True,
        },
        "labels": {"team": "vision"},
    }


def test_gemini_refuses_vertex_only_fields_before_sending(stub: Stub) -> None:
    with (
        make_transport("gemini", stub) as t,
        pytest.raises(
            genai_min.UnsupportedError, match=r"output_gcs_uri, seed are only supported by Vertex AI"
        ),
    ):
        models.generate_images(
            t, model=GENERATE, prompt="cat", config={"seed": 1, "output_gcs_uri": "gs://b/"}
        )
    assert stub.requests == []


def test_unknown_config_field_is_refused(stub: Stub) -> None:
    with (
        make_transport("vertex", stub) as t,
        pytest.raises(genai_min.ConfigError, match="GenerateImagesConfig"),
    ):
        models.generate_images(t, model=GENERATE, prompt="cat", config={"number_of_image": 1})
    assert stub.requests == []


def test_every_reference_image_kind(stub: Stub) -> None:
    stub.reply(predictions(png()))
    mask = Image(gcs_uri="gs://bucket/mask.png", mime_type="image/png")
    face = Image(image_bytes=b"\x89PNG\r\n", mime_type="image/png")
    with make_transport("vertex", stub) as t:
        models.edit_image(
            t,
            model=EDIT,
            prompt="A portrait in the style of [3] of the person [4]",
            reference_images=[
                RawReferenceImage(
                    reference_id=1, reference_image=Image(image_bytes=PNG, mime_type="image/png")
                ),
                MaskReferenceImage(
                    reference_id=2,
                    reference_image=mask,
                    config=MaskReferenceConfig(
                        mask_mode="MASK_MODE_SEMANTIC", segmentation_classes=[1, 7], mask_dilation=0.03
                    ),
                ),
                StyleReferenceImage(
                    reference_id=3, reference_image=face, config={"style_description": "watercolour"}
                ),
                SubjectReferenceImage(
                    reference_id=4,
                    reference_image=face,
                    config={"subject_type": "SUBJECT_TYPE_PERSON", "subject_description": "a woman"},
                ),
                ControlReferenceImage(
                    reference_id=5,
                    reference_image=face,
                    config={
                        "control_type": "CONTROL_TYPE_FACE_MESH",
                        "enable_control_image_computation": True,
                    },
                ),
                {
                    "reference_type": "REFERENCE_TYPE_MASK",
                    "reference_id": 6,
                    "config": {"mask_mode": "MASK_MODE_FOREGROUND"},
                },
            ],
            config={"edit_mode": "EDIT_MODE_INPAINT_REMOVAL", "base_steps": 12},
        )
    face_wire = {
        "bytesBase64Encoded": base64.b64encode(face.image_bytes or b"").decode(),
        "mimeType": "image/png",
    }
    assert stub.last.json["instances"][0]["referenceImages"][1:] == [
        {
            "referenceType": "REFERENCE_TYPE_MASK",
            "referenceId": 2,
            "referenceImage": {"gcsUri": "gs://bucket/mask.png", "mimeType": "image/png"},
            "maskImageConfig": {"maskMode": "MASK_MODE_SEMANTIC", "maskClasses": [1, 7], "dilation": 0.03},
        },
        {
            "referenceType": "REFERENCE_TYPE_STYLE",
            "referenceId": 3,
            "referenceImage": face_wire,
            "styleImageConfig": {"styleDescription": "watercolour"},
        },
        {
            "referenceType": "REFERENCE_TYPE_SUBJECT",
            "referenceId": 4,
            "referenceImage": face_wire,
            "subjectImageConfig": {"subjectType": "SUBJECT_TYPE_PERSON", "subjectDescription": "a woman"},
        },
        {
            "referenceType": "REFERENCE_TYPE_CONTROL",
            "referenceId": 5,
            "referenceImage": face_wire,
            "controlImageConfig": {"controlType": "CONTROL_TYPE_FACE_MESH", "computeControl": True},
        },
        {
            "referenceType": "REFERENCE_TYPE_MASK",
            "referenceId": 6,
            "maskImageConfig": {"maskMode": "MASK_MODE_FOREGROUND"},
        },
    ]
    assert stub.last.json["parameters"] == {
        "editMode": "EDIT_MODE_INPAINT_REMOVAL",
        "editConfig": {"baseSteps": 12},
    }


@pytest.mark.parametrize(
    ("references", "message"),
    [
        ([{"reference_id": 1}], r"reference_images\[0\] is not a reference image"),
        ([RawReferenceImage(reference_id=1, reference_image=Image())], r"neither image_bytes nor gcs_uri"),
        ([], "at least one reference image"),
    ],
)
def test_bad_reference_images_are_refused(stub: Stub, references: list[Any], message: str) -> None:
    with make_transport("vertex", stub) as t, pytest.raises(genai_min.ConfigError, match=message):
        models.edit_image(t, model=EDIT, prompt="p", reference_images=references)
    assert stub.requests == []


def test_enhanced_prompt_safety_attributes_and_the_prompt_entry(stub: Stub) -> None:
    stub.reply(
        predictions(
            png(
                prompt="A red umbrella glistening under neon rain",
                safetyAttributes={"categories": ["Violence"], "scores": [0.1]},
                contentType="image/png",
            ),
            {
                "safetyAttributes": {"categories": ["Porn"], "scores": [0.02]},
                "contentType": "Positive Prompt",
            },
        )
    )
    with make_transport("vertex", stub) as t:
        response = models.generate_images(
            t,
            model=GENERATE,
            prompt="umbrella",
            config={"include_safety_attributes": True, "enhance_prompt": True},
        )
    assert response.generated_images is not None and len(response.generated_images) == 1
    generated = response.generated_images[0]
    assert generated.enhanced_prompt == "A red umbrella glistening under neon rain"
    assert generated.safety_attributes is not None
    assert (generated.safety_attributes.categories, generated.safety_attributes.scores) == (
        ["Violence"],
        [0.1],
    )
    prompt_safety = response.positive_prompt_safety_attributes
    assert prompt_safety is not None and prompt_safety.categories == ["Porn"]
    assert prompt_safety.content_type == "Positive Prompt"


@pytest.mark.anyio
async def test_async_twins(stub: Stub) -> None:
    for _ in range(3):
        stub.reply(predictions(png()))
    image = Image(image_bytes=PNG, mime_type="image/png")
    async with make_transport("vertex", stub) as t:
        generated = await aio.models.generate_images(
            t, model=GENERATE, prompt="cat", config={"number_of_images": 1}
        )
        upscaled = await aio.models.upscale_image(t, model=GENERATE, image=image, upscale_factor="x4")
        edited = await aio.models.edit_image(
            t,
            model=EDIT,
            prompt="p",
            reference_images=[RawReferenceImage(reference_id=1, reference_image=image)],
        )
    assert [r.path.rsplit("/", 1)[-1] for r in stub.requests] == [
        f"{GENERATE}:predict",
        f"{GENERATE}:predict",
        f"{EDIT}:predict",
    ]
    assert stub.requests[1].json["parameters"] == {
        "upscaleConfig": {"upscaleFactor": "x4"},
        "mode": "upscale",
        "sampleCount": 1,
    }
    for response in (generated, upscaled, edited):
        assert response.generated_images is not None
        assert response.generated_images[0].image is not None
        assert response.generated_images[0].image.image_bytes == PNG


@pytest.mark.anyio
async def test_async_edit_is_vertex_only(stub: Stub) -> None:
    async with make_transport("gemini", stub) as t:
        with pytest.raises(genai_min.UnsupportedError):
            await aio.models.edit_image(t, model=EDIT, prompt="p", reference_images=[])
    assert stub.requests == []


# -- Image ----------------------------------------------------------------------------------------


def test_save_writes_the_exact_bytes(stub: Stub, tmp_path: Path) -> None:
    stub.reply(predictions(png()))
    with make_transport("gemini", stub) as t:
        response = models.generate_images(t, model=GENERATE, prompt="cat")
    assert response.generated_images is not None and response.generated_images[0].image is not None
    target = tmp_path / "cat.png"
    response.generated_images[0].image.save(target)
    assert target.read_bytes() == PNG


def test_save_without_bytes_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(
        genai_min.ConfigError, match=r"only its Cloud Storage URI 'gs://bucket/a.png': download it first"
    ):
        Image(gcs_uri="gs://bucket/a.png").save(tmp_path / "a.png")
    with pytest.raises(genai_min.ConfigError, match="neither bytes nor a URI"):
        Image().save(tmp_path / "a.png")
    assert list(tmp_path.iterdir()) == []


def test_from_file_reads_bytes_and_guesses_the_type(tmp_path: Path) -> None:
    path = tmp_path / "scones.png"
    path.write_bytes(PNG)
    image = Image.from_file(path)
    assert (image.image_bytes, image.mime_type) == (PNG, "image/png")
    assert Image.from_file(str(path), mime_type="image/x-test").mime_type == "image/x-test"


def test_show_without_ipython_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython.display", None)
    with pytest.raises(genai_min.ConfigError, match=r"needs IPython.*pip install ipython.*\.save"):
        Image(image_bytes=PNG, mime_type="image/png").show()


def test_show_displays_through_ipython(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[Any] = []
    fake = pytypes.ModuleType("IPython.display")
    fake.Image = lambda data: ("image", data)  # type: ignore[attr-defined]
    fake.display = shown.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython.display", fake)
    Image(image_bytes=PNG, mime_type="image/png").show()
    assert shown == [("image", PNG)]
