"""Imagen and Veo: image and video values, and the pure requests and parsers of their model calls.

`models.generate_images`, `upscale_image` and `edit_image` answer at once (``:predict``);
`models.generate_videos` starts a long-running operation (``:predictLongRunning``) that
`operations.get` and `operations.wait` poll. Both backends share these builders: they differ in the
shape of a video on the wire, and the Gemini Developer API refuses some fields Vertex AI takes.
"""

from __future__ import annotations

import base64
import importlib
import mimetypes
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Annotated, Literal, TypeAlias, TypeVar

from pydantic import Field, JsonValue, TypeAdapter, ValidationError

from genai_min._base import Base64Bytes, ConfigModel, WireModel, coerce, parse
from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError, ResponseError, UnsupportedError
from genai_min._http import JSON, HttpRequest, JSONObject
from genai_min._names import model_path, path_segment

PathLike: TypeAlias = str | os.PathLike[str]

# -- images and videos --------------------------------------------------------------------------


class Image(WireModel):
    """An image: its bytes and MIME type, or a ``gs://`` URI (Vertex AI)."""

    image_bytes: Base64Bytes | None = None
    mime_type: str | None = None
    gcs_uri: str | None = None

    @classmethod
    def from_file(cls, path: PathLike, *, mime_type: str | None = None) -> Image:
        """Read an image file; the MIME type is guessed from the file name unless given."""
        return cls(image_bytes=Path(path).read_bytes(), mime_type=mime_type or _guess_type(path))

    def save(self, path: PathLike) -> None:
        """Write the image's bytes to `path`."""
        Path(path).write_bytes(_bytes_of("image", self.image_bytes, self.gcs_uri))

    def show(self) -> None:
        """Display the image in a notebook; needs IPython (``pip install ipython``)."""
        data = _bytes_of("image", self.image_bytes, self.gcs_uri)
        display = _ipython_display("image")
        display.display(display.Image(data=data))


class Video(WireModel):
    """A video: its bytes and MIME type, or a URI (a Gemini file URI or a ``gs://`` object)."""

    uri: str | None = None
    video_bytes: Base64Bytes | None = None
    mime_type: str | None = None

    @classmethod
    def from_file(cls, path: PathLike, *, mime_type: str | None = None) -> Video:
        """Read a video file; the MIME type is guessed from the file name unless given."""
        return cls(video_bytes=Path(path).read_bytes(), mime_type=mime_type or _guess_type(path))

    def save(self, path: PathLike) -> None:
        """Write the video's bytes to `path`; a video known only by its URI must be downloaded first."""
        Path(path).write_bytes(_bytes_of("video", self.video_bytes, self.uri))

    def show(self) -> None:
        """Play the video in a notebook; needs IPython (``pip install ipython``)."""
        data = _bytes_of("video", self.video_bytes, self.uri)
        display = _ipython_display("video")
        display.display(display.Video(data=data, embed=True, mimetype=self.mime_type or "video/mp4"))


def _guess_type(path: PathLike) -> str | None:
    return mimetypes.guess_type(os.fspath(path))[0]


def _bytes_of(what: str, data: bytes | None, uri: str | None) -> bytes:
    if data is not None:
        return data
    if uri and uri.startswith("gs://"):
        raise ConfigError(
            f"this {what} has no bytes here, only its Cloud Storage URI {uri!r}: download it first "
            "(e.g. gcloud storage cp), or ask for inline bytes by leaving output_gcs_uri unset"
        )
    if uri:
        raise ConfigError(
            f"this {what} has no bytes here, only its URI {uri!r}: download it first with "
            f"files.download(t, file={what}), which also fills in its bytes, then save or show it"
        )
    raise ConfigError(f"this {what} has neither bytes nor a URI; the service may have filtered it out")


def _ipython_display(what: str) -> ModuleType:
    try:
        return importlib.import_module("IPython.display")
    except ImportError:
        raise ConfigError(
            f"showing a {what} needs IPython, which is not installed: pip install ipython, "
            "or call .save('file') and open the file"
        ) from None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


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
        wire["bytesBase64Encoded"] = _b64(img.image_bytes)
    else:
        raise ConfigError(f"{what} has neither image_bytes nor gcs_uri; use Image.from_file(path)")
    if img.mime_type:
        wire["mimeType"] = img.mime_type
    return wire


def video_wire(endpoint: Endpoint, video: object) -> JSONObject:
    """Return a video as Veo takes it; a video known by URI is sent by its URI alone."""
    v = coerce(Video, video, what="Video")
    if v.uri is None and v.video_bytes is None:
        raise ConfigError("video has neither uri nor video_bytes; use Video.from_file(path)")
    # The Gemini Developer API names the fields differently: uri / encodedVideo / encoding.
    keys = (
        ("gcsUri", "bytesBase64Encoded", "mimeType")
        if endpoint.is_vertex
        else ("uri", "encodedVideo", "encoding")
    )
    wire: JSONObject = {keys[0]: v.uri} if v.uri else {keys[1]: _b64(v.video_bytes or b"")}
    if v.mime_type:
        wire[keys[2]] = v.mime_type
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


class VideoGenerationReferenceImage(ConfigModel):
    """An image that guides a generated video; `reference_type` is ``ASSET`` or ``STYLE``."""

    image: Image | None = None
    reference_type: str | None = None


class GenerateVideosConfig(ConfigModel):
    """Options of `generate_videos`: count, length, frame rate, aspect ratio, prompt handling and more."""

    number_of_videos: int | None = None
    duration_seconds: int | None = None
    fps: int | None = None
    seed: int | None = None
    aspect_ratio: str | None = None
    resolution: str | None = None
    person_generation: str | None = None
    negative_prompt: str | None = None
    enhance_prompt: bool | None = None
    generate_audio: bool | None = None
    output_gcs_uri: str | None = None
    pubsub_topic: str | None = None
    compression_quality: str | None = None
    resize_mode: str | None = None
    last_frame: Image | None = None
    reference_images: list[VideoGenerationReferenceImage] | None = None
    labels: dict[str, str] | None = None


# Config field -> where its value goes inside "parameters", for the fields not simply camelCased there.
_PARAMETERS: dict[str, tuple[str, ...]] = {
    "number_of_images": ("sampleCount",),
    "number_of_videos": ("sampleCount",),
    "output_gcs_uri": ("storageUri",),
    "safety_filter_level": ("safetySetting",),
    "output_mime_type": ("outputOptions", "mimeType"),
    "output_compression_quality": ("outputOptions", "compressionQuality"),
    "image_size": ("sampleImageSize",),
    "base_steps": ("editConfig", "baseSteps"),
    "enhance_input_image": ("upscaleConfig", "enhanceInputImage"),
    "image_preservation_factor": ("upscaleConfig", "imagePreservationFactor"),
}

# What the Gemini Developer API refuses (it answers 400); said before anything is sent.
_GEMINI_REFUSES_IMAGES = {
    "output_gcs_uri",
    "negative_prompt",
    "seed",
    "add_watermark",
    "labels",
    "enhance_prompt",
}
_GEMINI_REFUSES_VIDEOS = {
    "output_gcs_uri",
    "fps",
    "seed",
    "pubsub_topic",
    "generate_audio",
    "compression_quality",
    "resize_mode",
    "labels",
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def _body(
    endpoint: Endpoint, call: str, instance: JSONObject, config: ConfigModel, refused: set[str]
) -> JSONObject:
    """Build ``{"instances": [instance], "parameters": {...}, "labels"?}`` from a config's set fields."""
    values = config.model_dump(by_alias=False, exclude_none=True, exclude={"last_frame", "reference_images"})
    if not endpoint.is_vertex and (bad := sorted(refused & set(values))):
        raise UnsupportedError(
            f"{call}: {', '.join(bad)} {'is' if len(bad) == 1 else 'are'} only supported by Vertex AI; "
            f"leave {'it' if len(bad) == 1 else 'them'} out for the Gemini Developer API"
        )
    labels = values.pop("labels", None)
    parameters: JSONObject = {}
    for name, value in values.items():
        *parents, leaf = _PARAMETERS.get(name) or (_camel(name),)
        node = parameters
        for key in parents:
            child = node.setdefault(key, {})
            assert isinstance(child, dict)
            node = child
        node[leaf] = value
    body: JSONObject = {"instances": [instance]}
    if parameters:
        body["parameters"] = parameters
    if labels:
        body["labels"] = labels
    return body


def _predict(endpoint: Endpoint, model: str, method: str, body: JSONObject) -> HttpRequest:
    return HttpRequest("POST", f"{path_segment(model_path(endpoint, model))}:{method}", json=body)


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
        wire[key] = {renames.get(name, _camel(name)): value for name, value in fields.items()}
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
    body = _body(endpoint, "generate_images", {"prompt": prompt}, cfg, _GEMINI_REFUSES_IMAGES)
    return _predict(endpoint, model, "predict", body)


def upscale_image_request(
    endpoint: Endpoint, model: str, image: object, upscale_factor: str, config: object
) -> HttpRequest:
    """Build ``:predict`` in upscale mode (Vertex AI only); `upscale_factor` is ``x2`` or ``x4``."""
    _vertex_only(endpoint, "upscale_image")
    cfg = coerce(UpscaleImageConfig, config or {}, what="UpscaleImageConfig")
    body = _body(endpoint, "upscale_image", {"image": image_wire(endpoint, image)}, cfg, set())
    parameters = body.setdefault("parameters", {})
    assert isinstance(parameters, dict)
    upscale = parameters.setdefault("upscaleConfig", {})
    assert isinstance(upscale, dict)
    upscale["upscaleFactor"] = upscale_factor
    parameters.update({"mode": "upscale", "sampleCount": 1})
    return _predict(endpoint, model, "predict", body)


def edit_image_request(
    endpoint: Endpoint, model: str, prompt: str, reference_images: Iterable[object], config: object
) -> HttpRequest:
    """Build ``:predict`` with reference images (Vertex AI only)."""
    _vertex_only(endpoint, "edit_image")
    cfg = coerce(EditImageConfig, config or {}, what="EditImageConfig")
    references: list[JSON] = [_reference_wire(endpoint, r, i) for i, r in enumerate(reference_images)]
    if not references:
        raise ConfigError("edit_image needs at least one reference image (the RawReferenceImage to edit)")
    body = _body(endpoint, "edit_image", {"prompt": prompt, "referenceImages": references}, cfg, set())
    return _predict(endpoint, model, "predict", body)


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


# -- videos -------------------------------------------------------------------------------------


class GeneratedVideo(WireModel):
    """One generated video."""

    video: Video | None = None


class GenerateVideosResponse(WireModel):
    """The videos a finished `generate_videos` operation made, and how many were filtered out."""

    generated_videos: list[GeneratedVideo] | None = None
    rai_media_filtered_count: int | None = None
    rai_media_filtered_reasons: list[str] | None = None


class GenerateVideosOperation(WireModel):
    """A running (or finished) `generate_videos` call; wait for it with `operations.wait`.

    `response` (also `result`) holds the videos once `done`; `error` says why it failed.
    """

    name: str | None = None
    done: bool = False
    error: dict[str, JsonValue] | None = None
    metadata: dict[str, JsonValue] | None = None
    response: GenerateVideosResponse | None = None

    @property
    def result(self) -> GenerateVideosResponse | None:
        """Return the generated videos once the operation is done, as the official SDK names them."""
        return self.response

    def poll_request(self, endpoint: Endpoint) -> HttpRequest:
        """Build the request for this operation's current state.

        Gemini reads the operation by name. Vertex AI asks the model for it with
        ``:fetchPredictOperation``, the model being the part of the name before ``/operations/``;
        an operation name without a model is read by name there too.
        """
        if not self.name:
            raise ConfigError("this operation has no name, so its state cannot be fetched")
        model, _, _ = self.name.rpartition("/operations/")
        if not endpoint.is_vertex or not (model.startswith("models/") or "/models/" in model):
            return HttpRequest("GET", path_segment(self.name))
        body: JSONObject = {"operationName": self.name}
        return HttpRequest("POST", f"{path_segment(model)}:fetchPredictOperation", json=body)

    def from_poll(self, data: JSON) -> GenerateVideosOperation:
        """Return the operation described by the answer to `poll_request`."""
        return parse_video_operation(data)


def generate_videos_request(
    endpoint: Endpoint, model: str, prompt: str | None, image: object, video: object, config: object
) -> HttpRequest:
    """Build ``:predictLongRunning`` for Veo from a prompt, a first image and/or a video to extend."""
    cfg = coerce(GenerateVideosConfig, config or {}, what="GenerateVideosConfig")
    if prompt is None and image is None and video is None:
        raise ConfigError("generate_videos needs a prompt, an image or a video to start from")
    instance: JSONObject = {}
    if prompt is not None:
        instance["prompt"] = prompt
    if image is not None:
        instance["image"] = image_wire(endpoint, image)
    if video is not None:
        instance["video"] = video_wire(endpoint, video)
    if cfg.last_frame is not None:
        instance["lastFrame"] = image_wire(endpoint, cfg.last_frame, what="last_frame")
    if cfg.reference_images:
        instance["referenceImages"] = [
            _video_reference(endpoint, r, i) for i, r in enumerate(cfg.reference_images)
        ]
    body = _body(endpoint, "generate_videos", instance, cfg, _GEMINI_REFUSES_VIDEOS)
    return _predict(endpoint, model, "predictLongRunning", body)


def _video_reference(endpoint: Endpoint, ref: VideoGenerationReferenceImage, index: int) -> JSON:
    wire: JSONObject = {}
    if ref.image is not None:
        wire["image"] = image_wire(endpoint, ref.image, what=f"reference_images[{index}]")
    if ref.reference_type is not None:
        wire["referenceType"] = ref.reference_type
    return wire


def _video(raw: JSON, keys: tuple[str, str, str]) -> JSONObject:
    if not isinstance(raw, dict):
        return {}
    names = ("uri", "videoBytes", "mimeType")
    return {name: raw[key] for name, key in zip(names, keys, strict=True) if raw.get(key) is not None}


def _videos_response(raw: JSONObject) -> JSONObject:
    # Gemini: {generateVideoResponse: {generatedSamples: [{video: {uri|encodedVideo, encoding}}]}};
    # Vertex AI: {videos: [{gcsUri|bytesBase64Encoded, mimeType}]}.
    inner = raw.get("generateVideoResponse")
    source = inner if isinstance(inner, dict) else raw
    videos: list[JSON] = []
    samples = source.get("generatedSamples")
    for sample in samples if isinstance(samples, list) else []:
        video = sample.get("video") if isinstance(sample, dict) else None
        videos.append({"video": _video(video, ("uri", "encodedVideo", "encoding"))})
    vertex = source.get("videos")
    for item in vertex if isinstance(vertex, list) else []:
        videos.append({"video": _video(item, ("gcsUri", "bytesBase64Encoded", "mimeType"))})
    result: JSONObject = {"generatedVideos": videos}
    for key in ("raiMediaFilteredCount", "raiMediaFilteredReasons"):
        if key in source:
            result[key] = source[key]
    return result


def parse_video_operation(data: JSON) -> GenerateVideosOperation:
    """Parse a Veo operation from either backend, its videos normalised into `GenerateVideosResponse`."""
    if not isinstance(data, dict):
        raise ResponseError(f"expected an operation object, got {type(data).__name__}")
    fields = dict(data)
    response = fields.pop("response", None)
    if isinstance(response, dict):
        fields["response"] = _videos_response(response)
    return parse(GenerateVideosOperation, fields)
