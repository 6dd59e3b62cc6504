"""Imagen: the `Image` value, and the pure requests and parsers of the image calls.

`models.generate_images`, `upscale_image` and `edit_image` answer at once (``:predict``). Both
backends share these builders; the Gemini Developer API refuses some fields Vertex AI takes, and
only Vertex AI upscales and edits. Veo (`_videos`) takes `Image` values too, as frames and references.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Literal, TypeAlias, TypeVar

from pydantic import Field, TypeAdapter, ValidationError

from genai_min._base import Base64Bytes, ConfigModel, WireModel, coerce, parse
from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError, ResponseError, UnsupportedError
from genai_min._http import JSON, HttpRequest, JSONObject
from genai_min._media import (
    PathLike,
    bytes_of,
    camel,
    guess_type,
    ipython_display,
    predict_body,
    predict_request,
    to_base64,
)

# -- images -------------------------------------------------------------------------------------


class Image(WireModel):
    """An image: its bytes and MIME type, or a ``gs://`` URI (Vertex AI)."""

    image_bytes: Base64Bytes | None = None
    mime_type: str | None = None
    gcs_uri: str | None = None

    @classmethod
    def from_file(cls, path: PathLike, *, mime_type: str | None = None) -> Image:
        """Read an image file; the MIME type is guessed from the file name unless given."""
        return cls(image_bytes=Path(path).read_bytes(), mime_type=mime_type or guess_type(path))

    def save(self, path: PathLike) -> None:
        """Write the image's bytes to `path`."""
        Path(path).write_bytes(bytes_of("image", self.image_bytes, self.gcs_uri))

    def show(self) -> None:
        """Display the image in a notebook; needs IPython (``pip install ipython``)."""
        data = bytes_of("image", self.image_bytes, self.gcs_uri)
        display = ipython_display("image")
        display.display(display.Image(data=data))


def image_wire(endpoint: Endpoint, image: object, *, what: str = "image") -> JSONObject:
    """Return an image as Imagen and Veo take it: ``{bytesBase64Encoded|gcsUri, mimeType}``."""
    img = coerce(Image, image, what="Image")
    wire: JSONObject = {}
    if img.gcs_uri:
        if not endpoint.is_vertex:
            raise UnsupportedError(
                f"{what}: gs:// URIs ({img.gcs_uri!r}) are only read by Vertex AI; "
                "pass image_bytes for the Gemini Developer API"
            )
        wire["gcsUri"] = img.gcs_uri
    elif img.image_bytes is not None:
        wire["bytesBase64Encoded"] = to_base64(img.image_bytes)
    else:
        raise ConfigError(f"{what} has neither image_bytes nor gcs_uri; use Image.from_file(path)")
    if img.mime_type:
        wire["mimeType"] = img.mime_type
    return wire


# -- configs ------------------------------------------------------------------------------------


class _ImageOutputConfig(ConfigModel):
    number_of_images: int | None = None
    aspect_ratio: str | None = None
    negative_prompt: str | None = None
    guidance_scale: float | None = None
    seed: int | None = None
    safety_filter_level: str | None = None
    person_generation: str | None = None
    include_safety_attributes: bool | None = None
    include_rai_reason: bool | None = None
    language: str | None = None
    output_mime_type: str | None = None
    output_compression_quality: int | None = None
    output_gcs_uri: str | None = None
    add_watermark: bool | None = None
    labels: dict[str, str] | None = None


class GenerateImagesConfig(_ImageOutputConfig):
    """Options of `generate_images`: count, aspect ratio, safety, output format and more."""

    image_size: str | None = None
    enhance_prompt: bool | None = None


class EditImageConfig(_ImageOutputConfig):
    """Options of `edit_image`; `edit_mode` is e.g. ``EDIT_MODE_INPAINT_INSERTION``."""

    edit_mode: str | None = None
    base_steps: int | None = None


class UpscaleImageConfig(ConfigModel):
    """Options of `upscale_image`."""

    output_gcs_uri: str | None = None
    safety_filter_level: str | None = None
    person_generation: str | None = None
    include_rai_reason: bool | None = None
    output_mime_type: str | None = None
    output_compression_quality: int | None = None
    enhance_input_image: bool | None = None
    image_preservation_factor: float | None = None
    labels: dict[str, str] | None = None


# What the Gemini Developer API refuses (it answers 400); said before anything is sent.
_GEMINI_REFUSES_IMAGES = {
    "output_gcs_uri",
    "negative_prompt",
    "seed",
    "add_watermark",
    "labels",
    "enhance_prompt",
}


def _vertex_only(endpoint: Endpoint, call: str) -> None:
    if not endpoint.is_vertex:
        raise UnsupportedError(
            f"{call} is only supported by Vertex AI; build the Transport with vertexai=True, "
            "project=... and location=..."
        )


# -- edit reference images ----------------------------------------------------------------------


class MaskReferenceConfig(ConfigModel):
    """How to make the mask: ``MASK_MODE_BACKGROUND``, ``FOREGROUND``, ``SEMANTIC`` or ``USER_PROVIDED``."""

    mask_mode: str | None = None
    segmentation_classes: list[int] | None = None
    mask_dilation: float | None = None


class ControlReferenceConfig(ConfigModel):
    """The kind of control image (``CONTROL_TYPE_CANNY``, ...) and whether the service computes it."""

    control_type: str | None = None
    enable_control_image_computation: bool | None = None


class StyleReferenceConfig(ConfigModel):
    """A description of the style the reference image shows."""

    style_description: str | None = None


class SubjectReferenceConfig(ConfigModel):
    """The subject the reference image shows (``SUBJECT_TYPE_PERSON``, ...) and its description."""

    subject_type: str | None = None
    subject_description: str | None = None


class _Reference(ConfigModel):
    reference_id: int | None = None
    reference_image: Image | None = None


class RawReferenceImage(_Reference):
    """The image to edit."""

    reference_type: Literal["REFERENCE_TYPE_RAW"] = "REFERENCE_TYPE_RAW"


class MaskReferenceImage(_Reference):
    """A mask of where to edit: given as an image, or computed by the model as `config` says."""

    config: MaskReferenceConfig | None = None
    reference_type: Literal["REFERENCE_TYPE_MASK"] = "REFERENCE_TYPE_MASK"


class ControlReferenceImage(_Reference):
    """A control image (edges, scribbles, a face mesh) that shapes the result."""

    config: ControlReferenceConfig | None = None
    reference_type: Literal["REFERENCE_TYPE_CONTROL"] = "REFERENCE_TYPE_CONTROL"


class StyleReferenceImage(_Reference):
    """An image whose style the result takes."""

    config: StyleReferenceConfig | None = None
    reference_type: Literal["REFERENCE_TYPE_STYLE"] = "REFERENCE_TYPE_STYLE"


class SubjectReferenceImage(_Reference):
    """An image of a subject (a person, an animal, a product) to put in the result."""

    config: SubjectReferenceConfig | None = None
    reference_type: Literal["REFERENCE_TYPE_SUBJECT"] = "REFERENCE_TYPE_SUBJECT"


ReferenceImage: TypeAlias = Annotated[
    RawReferenceImage
    | MaskReferenceImage
    | ControlReferenceImage
    | StyleReferenceImage
    | SubjectReferenceImage,
    Field(discriminator="reference_type"),
]
_REFERENCE = TypeAdapter(ReferenceImage)

# Where each kind's config goes, and the config fields whose wire names are not their camelCase.
_REFERENCE_CONFIG: dict[str, tuple[str, dict[str, str]]] = {
    "REFERENCE_TYPE_MASK": (
        "maskImageConfig",
        {"segmentation_classes": "maskClasses", "mask_dilation": "dilation"},
    ),
    "REFERENCE_TYPE_CONTROL": ("controlImageConfig", {"enable_control_image_computation": "computeControl"}),
    "REFERENCE_TYPE_STYLE": ("styleImageConfig", {}),
    "REFERENCE_TYPE_SUBJECT": ("subjectImageConfig", {}),
}


def _reference_wire(endpoint: Endpoint, item: object, index: int) -> JSONObject:
    try:
        ref = _REFERENCE.validate_python(item)
    except ValidationError as exc:
        raise ConfigError(
            f"reference_images[{index}] is not a reference image ({exc.errors()[0]['msg']}): pass "
            "RawReferenceImage, MaskReferenceImage, ControlReferenceImage, StyleReferenceImage or "
            "SubjectReferenceImage, or a dict with their fields and reference_type"
        ) from None
    wire: JSONObject = {"referenceType": ref.reference_type}
    if ref.reference_id is not None:
        wire["referenceId"] = ref.reference_id
    if ref.reference_image is not None:
        wire["referenceImage"] = image_wire(endpoint, ref.reference_image, what=f"reference_images[{index}]")
    config = getattr(ref, "config", None)
    if config is not None:
        key, renames = _REFERENCE_CONFIG[ref.reference_type]
        fields = config.model_dump(by_alias=False, exclude_none=True)
        wire[key] = {renames.get(name, camel(name)): value for name, value in fields.items()}
    return wire


# -- image calls --------------------------------------------------------------------------------


class SafetyAttributes(WireModel):
    """Safety categories and their scores for one generated image (or the prompt)."""

    categories: list[str] | None = None
    scores: list[float] | None = None
    content_type: str | None = None


class GeneratedImage(WireModel):
    """One generated image, or why it was filtered out (`rai_filtered_reason`)."""

    image: Image | None = None
    rai_filtered_reason: str | None = None
    enhanced_prompt: str | None = None
    safety_attributes: SafetyAttributes | None = None


class GenerateImagesResponse(WireModel):
    """The images `generate_images` made, and the safety attributes of the prompt when asked for."""

    generated_images: list[GeneratedImage] | None = None
    positive_prompt_safety_attributes: SafetyAttributes | None = None


class UpscaleImageResponse(WireModel):
    """The upscaled image."""

    generated_images: list[GeneratedImage] | None = None


class EditImageResponse(WireModel):
    """The edited images."""

    generated_images: list[GeneratedImage] | None = None


def generate_images_request(endpoint: Endpoint, model: str, prompt: str, config: object) -> HttpRequest:
    """Build ``:predict`` for Imagen: ``{"instances": [{"prompt"}], "parameters": {...}}``."""
    cfg = coerce(GenerateImagesConfig, config or {}, what="GenerateImagesConfig")
    if not prompt:
        raise ConfigError("generate_images needs a non-empty prompt")
    body = predict_body(endpoint, "generate_images", {"prompt": prompt}, cfg, _GEMINI_REFUSES_IMAGES)
    return predict_request(endpoint, model, "predict", body)


def upscale_image_request(
    endpoint: Endpoint, model: str, image: object, upscale_factor: str, config: object
) -> HttpRequest:
    """Build ``:predict`` in upscale mode (Vertex AI only); `upscale_factor` is ``x2`` or ``x4``."""
    _vertex_only(endpoint, "upscale_image")
    cfg = coerce(UpscaleImageConfig, config or {}, what="UpscaleImageConfig")
    body = predict_body(endpoint, "upscale_image", {"image": image_wire(endpoint, image)}, cfg, set())
    parameters = body.setdefault("parameters", {})
    assert isinstance(parameters, dict)
    upscale = parameters.setdefault("upscaleConfig", {})
    assert isinstance(upscale, dict)
    upscale["upscaleFactor"] = upscale_factor
    parameters.update({"mode": "upscale", "sampleCount": 1})
    return predict_request(endpoint, model, "predict", body)


def edit_image_request(
    endpoint: Endpoint, model: str, prompt: str, reference_images: Iterable[object], config: object
) -> HttpRequest:
    """Build ``:predict`` with reference images (Vertex AI only)."""
    _vertex_only(endpoint, "edit_image")
    cfg = coerce(EditImageConfig, config or {}, what="EditImageConfig")
    references: list[JSON] = [_reference_wire(endpoint, r, i) for i, r in enumerate(reference_images)]
    if not references:
        raise ConfigError("edit_image needs at least one reference image (the RawReferenceImage to edit)")
    body = predict_body(endpoint, "edit_image", {"prompt": prompt, "referenceImages": references}, cfg, set())
    return predict_request(endpoint, model, "predict", body)


def _safety(prediction: Mapping[str, JSON]) -> JSONObject | None:
    attributes = prediction.get("safetyAttributes")
    safety: JSONObject = dict(attributes) if isinstance(attributes, dict) else {}
    if "contentType" in prediction:
        safety["contentType"] = prediction["contentType"]
    return safety or None


R = TypeVar("R", GenerateImagesResponse, UpscaleImageResponse, EditImageResponse)


def parse_images(kind: type[R], data: JSON) -> R:
    """Parse Imagen's ``predictions`` into generated images (the prompt's own safety entry apart)."""
    if not isinstance(data, dict):
        raise ResponseError(f"expected a JSON object with predictions, got {type(data).__name__}")
    images: list[JSON] = []
    result: JSONObject = {"generatedImages": images}
    prompt_safety = data.get("positivePromptSafetyAttributes")
    if isinstance(prompt_safety, dict):
        is_nested = "safetyAttributes" in prompt_safety
        result["positivePromptSafetyAttributes"] = _safety(prompt_safety) if is_nested else prompt_safety
    predictions = data.get("predictions")
    for prediction in predictions if isinstance(predictions, list) else []:
        if not isinstance(prediction, dict):
            continue
        safety = _safety(prediction)
        if safety is not None and safety.get("contentType") == "Positive Prompt":
            result["positivePromptSafetyAttributes"] = safety
            continue
        image = {k: prediction[k] for k in ("gcsUri", "mimeType") if k in prediction}
        if "bytesBase64Encoded" in prediction:
            image["imageBytes"] = prediction["bytesBase64Encoded"]
        generated: JSONObject = {"image": image, "safetyAttributes": safety}
        if "raiFilteredReason" in prediction:
            generated["raiFilteredReason"] = prediction["raiFilteredReason"]
        if "prompt" in prediction:
            generated["enhancedPrompt"] = prediction["prompt"]
        images.append(generated)
    if kind is not GenerateImagesResponse:
        result.pop("positivePromptSafetyAttributes", None)
    return parse(kind, result)
