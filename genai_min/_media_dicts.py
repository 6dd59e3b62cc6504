"""The dict forms of the Imagen and Veo values and configs (`_images`, `_videos`).

Each ``XDict`` lists the snake_case keys of the model `X`, so a type checker rejects a misspelt key;
at run time the dict is validated into `X`. A field that takes a model takes its dict form too.
"""

from __future__ import annotations

from typing import Literal, Required, TypeAlias, TypedDict

from genai_min._images import (
    ControlReferenceConfig,
    ControlReferenceImage,
    Image,
    MaskReferenceConfig,
    MaskReferenceImage,
    RawReferenceImage,
    StyleReferenceConfig,
    StyleReferenceImage,
    SubjectReferenceConfig,
    SubjectReferenceImage,
)
from genai_min._videos import VideoGenerationReferenceImage


class ImageDict(TypedDict, total=False):
    """The dict form of `Image`: bytes and a MIME type, or a ``gs://`` URI (Vertex AI)."""

    image_bytes: bytes | None
    mime_type: str | None
    gcs_uri: str | None


class VideoDict(TypedDict, total=False):
    """The dict form of `Video`: bytes and a MIME type, or a URI."""

    uri: str | None
    video_bytes: bytes | None
    mime_type: str | None


class _ImageOutputConfigDict(TypedDict, total=False):
    number_of_images: int | None
    aspect_ratio: str | None
    negative_prompt: str | None
    guidance_scale: float | None
    seed: int | None
    safety_filter_level: str | None
    person_generation: str | None
    include_safety_attributes: bool | None
    include_rai_reason: bool | None
    language: str | None
    output_mime_type: str | None
    output_compression_quality: int | None
    output_gcs_uri: str | None
    add_watermark: bool | None
    labels: dict[str, str] | None


class GenerateImagesConfigDict(_ImageOutputConfigDict, total=False):
    """The dict form of `GenerateImagesConfig`."""

    image_size: str | None
    enhance_prompt: bool | None


class EditImageConfigDict(_ImageOutputConfigDict, total=False):
    """The dict form of `EditImageConfig`."""

    edit_mode: str | None
    base_steps: int | None


class UpscaleImageConfigDict(TypedDict, total=False):
    """The dict form of `UpscaleImageConfig`."""

    output_gcs_uri: str | None
    safety_filter_level: str | None
    person_generation: str | None
    include_rai_reason: bool | None
    output_mime_type: str | None
    output_compression_quality: int | None
    enhance_input_image: bool | None
    image_preservation_factor: float | None
    labels: dict[str, str] | None


class MaskReferenceConfigDict(TypedDict, total=False):
    """The dict form of `MaskReferenceConfig`."""

    mask_mode: str | None
    segmentation_classes: list[int] | None
    mask_dilation: float | None


class ControlReferenceConfigDict(TypedDict, total=False):
    """The dict form of `ControlReferenceConfig`."""

    control_type: str | None
    enable_control_image_computation: bool | None


class StyleReferenceConfigDict(TypedDict, total=False):
    """The dict form of `StyleReferenceConfig`."""

    style_description: str | None


class SubjectReferenceConfigDict(TypedDict, total=False):
    """The dict form of `SubjectReferenceConfig`."""

    subject_type: str | None
    subject_description: str | None


# A reference image given as a dict needs its `reference_type`: it says which kind the dict is.
class _ReferenceDict(TypedDict, total=False):
    reference_id: int | None
    reference_image: Image | ImageDict | None


class RawReferenceImageDict(_ReferenceDict, total=False):
    """The dict form of `RawReferenceImage`, the image to edit."""

    reference_type: Required[Literal["REFERENCE_TYPE_RAW"]]


class MaskReferenceImageDict(_ReferenceDict, total=False):
    """The dict form of `MaskReferenceImage`."""

    config: MaskReferenceConfig | MaskReferenceConfigDict | None
    reference_type: Required[Literal["REFERENCE_TYPE_MASK"]]


class ControlReferenceImageDict(_ReferenceDict, total=False):
    """The dict form of `ControlReferenceImage`."""

    config: ControlReferenceConfig | ControlReferenceConfigDict | None
    reference_type: Required[Literal["REFERENCE_TYPE_CONTROL"]]


class StyleReferenceImageDict(_ReferenceDict, total=False):
    """The dict form of `StyleReferenceImage`."""

    config: StyleReferenceConfig | StyleReferenceConfigDict | None
    reference_type: Required[Literal["REFERENCE_TYPE_STYLE"]]


class SubjectReferenceImageDict(_ReferenceDict, total=False):
    """The dict form of `SubjectReferenceImage`."""

    config: SubjectReferenceConfig | SubjectReferenceConfigDict | None
    reference_type: Required[Literal["REFERENCE_TYPE_SUBJECT"]]


ReferenceImageUnionDict: TypeAlias = (
    RawReferenceImage
    | MaskReferenceImage
    | ControlReferenceImage
    | StyleReferenceImage
    | SubjectReferenceImage
    | RawReferenceImageDict
    | MaskReferenceImageDict
    | ControlReferenceImageDict
    | StyleReferenceImageDict
    | SubjectReferenceImageDict
)
"""One of `edit_image`'s reference images: a model, or a dict with its ``reference_type``."""


class VideoGenerationReferenceImageDict(TypedDict, total=False):
    """The dict form of `VideoGenerationReferenceImage`; `reference_type` is ``ASSET`` or ``STYLE``."""

    image: Image | ImageDict | None
    reference_type: str | None


class GenerateVideosConfigDict(TypedDict, total=False):
    """The dict form of `GenerateVideosConfig`."""

    number_of_videos: int | None
    duration_seconds: int | None
    fps: int | None
    seed: int | None
    aspect_ratio: str | None
    resolution: str | None
    person_generation: str | None
    negative_prompt: str | None
    enhance_prompt: bool | None
    generate_audio: bool | None
    output_gcs_uri: str | None
    pubsub_topic: str | None
    compression_quality: str | None
    resize_mode: str | None
    last_frame: Image | ImageDict | None
    reference_images: list[VideoGenerationReferenceImage | VideoGenerationReferenceImageDict] | None
    labels: dict[str, str] | None
