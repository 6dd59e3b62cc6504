"""Veo: the `Video` value, and the pure requests and parsers of `generate_videos`.

`models.generate_videos` starts a long-running operation (``:predictLongRunning``) that
`operations.get` and `operations.wait` poll. Both backends share these builders: they differ in the
shape of a video on the wire, and the Gemini Developer API refuses some fields Vertex AI takes.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import JsonValue

from genai_min._base import Base64Bytes, ConfigModel, WireModel, coerce, parse
from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError, ResponseError
from genai_min._http import JSON, HttpRequest, JSONObject
from genai_min._images import Image, image_wire
from genai_min._media import (
    PathLike,
    bytes_of,
    guess_type,
    ipython_display,
    predict_body,
    predict_request,
    to_base64,
)
from genai_min._names import path_segment

# -- videos -------------------------------------------------------------------------------------


class Video(WireModel):
    """A video: its bytes and MIME type, or a URI (a Gemini file URI or a ``gs://`` object)."""

    uri: str | None = None
    video_bytes: Base64Bytes | None = None
    mime_type: str | None = None

    @classmethod
    def from_file(cls, path: PathLike, *, mime_type: str | None = None) -> Video:
        """Read a video file; the MIME type is guessed from the file name unless given."""
        return cls(video_bytes=Path(path).read_bytes(), mime_type=mime_type or guess_type(path))

    def save(self, path: PathLike) -> None:
        """Write the video's bytes to `path`; a video known only by its URI must be downloaded first."""
        Path(path).write_bytes(bytes_of("video", self.video_bytes, self.uri))

    def show(self) -> None:
        """Play the video in a notebook; needs IPython (``pip install ipython``)."""
        data = bytes_of("video", self.video_bytes, self.uri)
        display = ipython_display("video")
        display.display(display.Video(data=data, embed=True, mimetype=self.mime_type or "video/mp4"))


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
    wire: JSONObject = {keys[0]: v.uri} if v.uri else {keys[1]: to_base64(v.video_bytes or b"")}
    if v.mime_type:
        wire[keys[2]] = v.mime_type
    return wire


# -- configs ------------------------------------------------------------------------------------


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


# What the Gemini Developer API refuses (it answers 400); said before anything is sent.
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


# -- calls --------------------------------------------------------------------------------------


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
    body = predict_body(endpoint, "generate_videos", instance, cfg, _GEMINI_REFUSES_VIDEOS)
    return predict_request(endpoint, model, "predictLongRunning", body)


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
