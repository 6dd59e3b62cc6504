"""`genai_min.models`: what each call returns, and the argument forms it takes (models or dicts).

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import assert_type

import pydantic

from genai_min import Transport, models, types


class Recipe(pydantic.BaseModel):
    name: str


class Colour(enum.Enum):
    RED = "red"


def shout(text: str) -> str:
    """Say `text` loudly."""
    return text.upper()


def check_generate_content(t: Transport) -> None:
    assert_type(models.generate_content(t, model="m", contents="hi"), types.GenerateContentResponse)
    for chunk in models.generate_content_stream(t, model="m", contents="hi"):
        assert_type(chunk, types.GenerateContentResponse)
    assert_type(
        models.generate_content_stream(t, model="m", contents="hi"), Iterator[types.GenerateContentResponse]
    )
    response = models.generate_content(t, model="m", contents="hi")
    assert_type(response.text, str | None)
    assert_type(response.parsed, object)


def check_contents_forms(t: Transport, report: types.File, turns: list[types.Content]) -> None:
    models.generate_content(t, model="m", contents=["a", "b"])
    models.generate_content(t, model="m", contents=types.Part.from_text("hi"))
    models.generate_content(t, model="m", contents=[report, "Summarise this file"])
    models.generate_content(
        t, model="m", contents=[{"text": "hi"}, {"inline_data": {"data": b"x", "mime_type": "image/png"}}]
    )
    models.generate_content(t, model="m", contents=[{"role": "user", "parts": [{"text": "hi"}]}])
    models.generate_content(t, model="m", contents=turns)
    models.generate_content(t, model="m", contents=[["one user turn", report], "another"])
    models.generate_content(t, model="m", contents=42)  # type: ignore[arg-type]
    models.generate_content(t, model="m", contents=[{"txt": "hi"}])  # type: ignore[list-item]
    models.generate_content(t, model="m", contents=[{"role": "user", "parts": ["hi"]}])  # type: ignore[list-item]
    models.generate_content(t, model="m")  # type: ignore[call-arg]


def check_config_forms(t: Transport) -> None:
    models.generate_content(t, model="m", contents="hi", config=types.GenerateContentConfig(temperature=0.1))
    models.generate_content(
        t,
        model="m",
        contents="hi",
        config={
            "system_instruction": "Be brief",
            "temperature": 0.1,
            "max_output_tokens": 64,
            "thinking_config": {"thinking_budget": 0},
            "safety_settings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_ONLY_HIGH"}],
            "tools": [shout, {"google_search": {}}, types.Tool(code_execution={})],
            "tool_config": {"function_calling_config": {"mode": "ANY"}},
            "automatic_function_calling": {"disable": True},
            "response_mime_type": "application/json",
            "response_schema": list[Recipe],
        },
    )
    models.generate_content(t, model="m", contents="hi", config={"response_schema": Recipe})
    models.generate_content(t, model="m", contents="hi", config={"response_schema": Colour})
    models.generate_content(t, model="m", contents="hi", config={"response_schema": Recipe | None})
    models.generate_content(t, model="m", contents="hi", config={"response_schema": {"type": "OBJECT"}})
    models.generate_content(t, model="m", contents="hi", config={"temprature": 0.1})  # type: ignore[arg-type]
    models.generate_content(t, model="m", contents="hi", config={"temperature": "hot"})  # type: ignore[arg-type]
    models.generate_content(t, model="m", contents="hi", config={"thinking_config": {"budget": 0}})  # type: ignore[arg-type]
    models.generate_content(t, model="m", contents="hi", config={"tools": [42]})  # type: ignore[arg-type]
    models.generate_content_stream(t, model="m", contents="hi", config={"seeed": 1})  # type: ignore[arg-type]
    models.generate_content(t, model="m", contents="hi", config="fast")  # type: ignore[arg-type]
    types.GenerateContentConfig(temprature=0.1)  # type: ignore[call-arg]


def check_tokens_and_embeddings(t: Transport) -> None:
    assert_type(models.count_tokens(t, model="m", contents="hi"), types.CountTokensResponse)
    assert_type(models.compute_tokens(t, model="m", contents=["hi"]), types.ComputeTokensResponse)
    embedded = models.embed_content(t, model="m", contents=["a", "b"], config={"output_dimensionality": 8})
    assert_type(embedded, types.EmbedContentResponse)
    models.count_tokens(t, model="m", contents="hi", config={"generation_config": {"temperature": 0.0}})
    models.embed_content(t, model="m", contents="a", config={"output_dimensions": 8})  # type: ignore[arg-type]


def check_model_management(t: Transport) -> None:
    assert_type(models.get(t, model="m"), types.Model)
    assert_type(models.list(t, config={"page_size": 10, "query_base": False}), types.Pager[types.Model])
    assert_type(models.update(t, model="m", config={"display_name": "x"}), types.Model)
    assert_type(models.delete(t, model="m"), types.DeleteModelResponse)
    models.list(t, config={"pagesize": 10})  # type: ignore[arg-type]
    models.update(t, model="m", config={"name": "x"})  # type: ignore[arg-type]


def check_images_and_videos(t: Transport, image: types.Image) -> None:
    generated = models.generate_images(t, model="m", prompt="a cat", config={"number_of_images": 1})
    assert_type(generated, types.GenerateImagesResponse)
    upscaled = models.upscale_image(t, model="m", image={"gcs_uri": "gs://b/i.png"}, upscale_factor="x2")
    assert_type(upscaled, types.UpscaleImageResponse)
    raw = types.RawReferenceImage(reference_id=1, reference_image=image)
    # A dict kept in an unannotated variable is a plain dict to mypy: annotate it with its ...Dict type.
    mask = {"reference_type": "REFERENCE_TYPE_MASK", "config": {"mask_mode": "MASK_MODE_BACKGROUND"}}
    edited = models.edit_image(t, model="m", prompt="p", reference_images=[raw], config={"edit_mode": "X"})
    assert_type(edited, types.EditImageResponse)
    models.edit_image(
        t,
        model="m",
        prompt="p",
        reference_images=[
            {"reference_type": "REFERENCE_TYPE_MASK", "config": {"mask_mode": "MASK_MODE_BACKGROUND"}}
        ],
    )
    models.edit_image(t, model="m", prompt="p", reference_images=[mask])  # type: ignore[list-item]
    typed_mask: types.MaskReferenceImageDict = {"reference_type": "REFERENCE_TYPE_MASK", "reference_id": 2}
    models.edit_image(t, model="m", prompt="p", reference_images=[raw, typed_mask])
    models.edit_image(t, model="m", prompt="p", reference_images=[{"reference_id": 1}])  # type: ignore[list-item]
    operation = models.generate_videos(
        t, model="m", prompt="a cat", image=image, config={"number_of_videos": 1}
    )
    assert_type(operation, types.GenerateVideosOperation)
    models.generate_videos(
        t, model="m", video={"uri": "files/abc"}, config={"last_frame": {"gcs_uri": "gs://x"}}
    )
    models.generate_images(t, model="m", prompt="a cat", config={"number_of_image": 1})  # type: ignore[arg-type]
    models.generate_videos(t, model="m", prompt="a", config={"duration": 5})  # type: ignore[arg-type]
    models.upscale_image(t, model="m", image=b"png", upscale_factor="x2")  # type: ignore[arg-type]
