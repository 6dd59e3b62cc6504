"""Model calls: generate (whole or streamed), count and compute tokens, embed, and manage models.

Every function takes the shared `Transport` first::

    from genai_min import Transport, models

    t = Transport(api_key="...")
    response = models.generate_content(t, model="gemini-2.0-flash-001", contents="Why is the sky blue?")
    print(response.text)

The async twins, with the same arguments and results, are in `genai_min.aio.models`. Imagen's and
Veo's types load on the first image or video call, so a script that only generates text never builds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from genai_min import _model_requests as wire
from genai_min._afc import FunctionCallingLoop, run_call
from genai_min._generation import coerce_config, generate_body
from genai_min._model_info import DeleteModelResponse, Model
from genai_min._pager import Page, Pager
from genai_min._responses import GenerateContentResponse
from genai_min._tokens import ComputeTokensResponse, CountTokensResponse, EmbedContentResponse
from genai_min._transport import Transport

if TYPE_CHECKING:
    from genai_min._content_dicts import ContentListUnionDict
    from genai_min._generation import GenerateContentConfig
    from genai_min._generation_dicts import (
        CountTokensConfigDict,
        EmbedContentConfigDict,
        GenerateContentConfigDict,
    )
    from genai_min._images import (
        EditImageConfig,
        EditImageResponse,
        GenerateImagesConfig,
        GenerateImagesResponse,
        Image,
        UpscaleImageConfig,
        UpscaleImageResponse,
    )
    from genai_min._media_dicts import (
        EditImageConfigDict,
        GenerateImagesConfigDict,
        GenerateVideosConfigDict,
        ImageDict,
        ReferenceImageUnionDict,
        UpscaleImageConfigDict,
        VideoDict,
    )
    from genai_min._model_info import ListModelsConfig, UpdateModelConfig
    from genai_min._resource_dicts import ListModelsConfigDict, UpdateModelConfigDict
    from genai_min._tokens import CountTokensConfig, EmbedContentConfig
    from genai_min._videos import GenerateVideosConfig, GenerateVideosOperation, Video


def generate_content(
    t: Transport,
    *,
    model: str,
    contents: ContentListUnionDict,
    config: GenerateContentConfig | GenerateContentConfigDict | None = None,
) -> GenerateContentResponse:
    """Generate a response; run Python-function tools for the model unless disabled.

    `contents` follows the README's rules (a string, parts, `Content`s, or lists of them);
    `config` is a `GenerateContentConfig` or a dict with its fields.

    >>> models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi").text
    """
    cfg = coerce_config(config)
    body, tools = generate_body(t.endpoint, contents, cfg)
    loop = FunctionCallingLoop.start(body, cfg, tools)
    while True:
        data = t.send(wire.generate_request(t.endpoint, model, body, stream=False)).json()
        response = wire.parse_generate(data, cfg)
        calls = loop.pending_calls(response) if loop else []
        if not calls or loop is None:
            return loop.finish(response) if loop else response
        body = loop.add_round(response, [run_call(tool, call) for tool, call in calls])


def generate_content_stream(
    t: Transport,
    *,
    model: str,
    contents: ContentListUnionDict,
    config: GenerateContentConfig | GenerateContentConfigDict | None = None,
) -> Iterator[GenerateContentResponse]:
    """Yield response chunks as the server sends them (server-sent events).

    Python-function tools are declared but not run automatically: function calls arrive in the
    chunks for the caller to handle.

    >>> for chunk in models.generate_content_stream(t, model="gemini-2.0-flash-001", contents="Hi"):
    ...     print(chunk.text, end="")
    """
    cfg = coerce_config(config)
    body, _ = generate_body(t.endpoint, contents, cfg)
    for event in t.stream(wire.generate_request(t.endpoint, model, body, stream=True)):
        yield wire.parse_generate(event, cfg)


def count_tokens(
    t: Transport,
    *,
    model: str,
    contents: ContentListUnionDict,
    config: CountTokensConfig | CountTokensConfigDict | None = None,
) -> CountTokensResponse:
    """Count the tokens `contents` would take."""
    request = wire.count_tokens_request(t.endpoint, model, contents, config)
    return wire.parse_count_tokens(t.send(request).json())


def compute_tokens(t: Transport, *, model: str, contents: ContentListUnionDict) -> ComputeTokensResponse:
    """Return the tokens of `contents` (Vertex AI only)."""
    request = wire.compute_tokens_request(t.endpoint, model, contents)
    return wire.parse_compute_tokens(t.send(request).json())


def embed_content(
    t: Transport,
    *,
    model: str,
    contents: ContentListUnionDict,
    config: EmbedContentConfig | EmbedContentConfigDict | None = None,
) -> EmbedContentResponse:
    """Embed one content or a list of them; `config` may set ``output_dimensionality``."""
    request = wire.embed_request(t.endpoint, model, contents, config)
    return wire.parse_embed(t.send(request).json())


def get(t: Transport, *, model: str) -> Model:
    """Get a base model (``gemini-2.0-flash-001``) or a tuned model by its full name."""
    return wire.parse_model(t.send(wire.get_model_request(t.endpoint, model)).json())


def list(t: Transport, *, config: ListModelsConfig | ListModelsConfigDict | None = None) -> Pager[Model]:
    """List base models, or tuned models with ``config={"query_base": False}``, in pages.

    >>> pager = models.list(t, config={"page_size": 10})
    >>> pager[0], pager.next_page()
    """
    cfg = wire.list_config(config)

    def fetch(token: str | None) -> Page[Model]:
        request = wire.list_models_request(t.endpoint, cfg, token)
        return wire.parse_models_page(t.send(request).json())

    return Pager(fetch, fetch(None), cfg.page_size)


def update(t: Transport, *, model: str, config: UpdateModelConfig | UpdateModelConfigDict) -> Model:
    """Update a tuned model's display name, description or default checkpoint."""
    request = wire.update_model_request(t.endpoint, model, config)
    return wire.parse_model(t.send(request).json())


def delete(t: Transport, *, model: str) -> DeleteModelResponse:
    """Delete a tuned model."""
    request = wire.delete_model_request(t.endpoint, model)
    return wire.parse_delete_model(t.send(request).json())


def generate_images(
    t: Transport,
    *,
    model: str,
    prompt: str,
    config: GenerateImagesConfig | GenerateImagesConfigDict | None = None,
) -> GenerateImagesResponse:
    """Generate images from a prompt with an Imagen model.

    >>> response = models.generate_images(
    ...     t, model="imagen-3.0-generate-002", prompt="An umbrella in the rain",
    ...     config={"number_of_images": 1, "output_mime_type": "image/jpeg"},
    ... )
    >>> response.generated_images[0].image.save("umbrella.jpg")
    """
    from genai_min import _images as images  # Imagen's types load on the first image call

    request = images.generate_images_request(t.endpoint, model, prompt, config)
    return images.parse_images(images.GenerateImagesResponse, t.send(request).json())


def upscale_image(
    t: Transport,
    *,
    model: str,
    image: Image | ImageDict,
    upscale_factor: str,
    config: UpscaleImageConfig | UpscaleImageConfigDict | None = None,
) -> UpscaleImageResponse:
    """Upscale an `Image` by `upscale_factor` (``"x2"`` or ``"x4"``); Vertex AI only."""
    from genai_min import _images as images  # Imagen's types load on the first image call

    request = images.upscale_image_request(t.endpoint, model, image, upscale_factor, config)
    return images.parse_images(images.UpscaleImageResponse, t.send(request).json())


def edit_image(
    t: Transport,
    *,
    model: str,
    prompt: str,
    reference_images: Iterable[ReferenceImageUnionDict],
    config: EditImageConfig | EditImageConfigDict | None = None,
) -> EditImageResponse:
    """Edit an image as `prompt` says, guided by reference images (raw, mask, ...); Vertex AI only.

    >>> raw = types.RawReferenceImage(reference_id=1, reference_image=image)
    >>> mask = types.MaskReferenceImage(reference_id=2, config={"mask_mode": "MASK_MODE_BACKGROUND"})
    >>> models.edit_image(t, model="imagen-3.0-capability-001", prompt="Sunlight and clear sky",
    ...                   reference_images=[raw, mask], config={"edit_mode": "EDIT_MODE_INPAINT_INSERTION"})
    """
    from genai_min import _images as images  # Imagen's types load on the first image call

    request = images.edit_image_request(t.endpoint, model, prompt, reference_images, config)
    return images.parse_images(images.EditImageResponse, t.send(request).json())


def generate_videos(
    t: Transport,
    *,
    model: str,
    prompt: str | None = None,
    image: Image | ImageDict | None = None,
    video: Video | VideoDict | None = None,
    config: GenerateVideosConfig | GenerateVideosConfigDict | None = None,
) -> GenerateVideosOperation:
    """Start generating videos with a Veo model from a prompt, a first image or a video to extend.

    The answer is an operation: wait for it with `operations.wait`, then read its result.

    >>> operation = models.generate_videos(t, model="veo-2.0-generate-001", prompt="A neon cat")
    >>> operation = operations.wait(t, operation, interval=20)
    >>> operation.result.generated_videos[0].video.save("cat.mp4")
    """
    from genai_min import _videos as videos  # Veo's types load on the first video call

    request = videos.generate_videos_request(t.endpoint, model, prompt, image, video, config)
    return videos.parse_video_operation(t.send(request).json())
