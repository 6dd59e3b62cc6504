"""Async model calls: the same arguments and results as `genai_min.models`, awaited.

response = await aio.models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi")
async for chunk in await aio.models.generate_content_stream(t, model=..., contents=...):
    print(chunk.text, end="")
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING

from genai_min import _model_requests as wire
from genai_min._afc import FunctionCallingLoop, arun_call
from genai_min._generation import GenerateContentConfig, coerce_config, generate_body
from genai_min._http import JSONObject
from genai_min._model_info import DeleteModelResponse, Model
from genai_min._pager import AsyncPager, Page
from genai_min._responses import GenerateContentResponse
from genai_min._tokens import ComputeTokensResponse, CountTokensResponse, EmbedContentResponse
from genai_min._transport import Transport

if TYPE_CHECKING:
    from genai_min._content_dicts import ContentListUnionDict
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


async def generate_content(
    t: Transport,
    *,
    model: str,
    contents: ContentListUnionDict,
    config: GenerateContentConfig | GenerateContentConfigDict | None = None,
) -> GenerateContentResponse:
    """Generate a response; run Python-function tools (sync or async) unless disabled."""
    cfg = coerce_config(config)
    body, tools = generate_body(t.endpoint, contents, cfg)
    loop = FunctionCallingLoop.start(body, cfg, tools)
    while True:
        data = (await t.asend(wire.generate_request(t.endpoint, model, body, stream=False))).json()
        response = wire.parse_generate(data, cfg)
        calls = loop.pending_calls(response) if loop else []
        if not calls or loop is None:
            return loop.finish(response) if loop else response
        body = loop.add_round(response, [await arun_call(tool, call) for tool, call in calls])


async def generate_content_stream(
    t: Transport,
    *,
    model: str,
    contents: ContentListUnionDict,
    config: GenerateContentConfig | GenerateContentConfigDict | None = None,
) -> AsyncIterator[GenerateContentResponse]:
    """Open a stream of response chunks, as the official SDK does.

    Awaiting sends the request (an error status raises here); iterate the result with
    ``async for`` to get each chunk as the server sends it.
    """
    cfg = coerce_config(config)
    body, _ = generate_body(t.endpoint, contents, cfg)
    events = await t.astream(wire.generate_request(t.endpoint, model, body, stream=True))
    return _chunks(events, cfg)


async def _chunks(
    events: AsyncIterator[JSONObject], cfg: GenerateContentConfig | None
) -> AsyncIterator[GenerateContentResponse]:
    async for event in events:
        yield wire.parse_generate(event, cfg)


async def count_tokens(
    t: Transport,
    *,
    model: str,
    contents: ContentListUnionDict,
    config: CountTokensConfig | CountTokensConfigDict | None = None,
) -> CountTokensResponse:
    """Count the tokens `contents` would take."""
    request = wire.count_tokens_request(t.endpoint, model, contents, config)
    return wire.parse_count_tokens((await t.asend(request)).json())


async def compute_tokens(
    t: Transport, *, model: str, contents: ContentListUnionDict
) -> ComputeTokensResponse:
    """Return the tokens of `contents` (Vertex AI only)."""
    request = wire.compute_tokens_request(t.endpoint, model, contents)
    return wire.parse_compute_tokens((await t.asend(request)).json())


async def embed_content(
    t: Transport,
    *,
    model: str,
    contents: ContentListUnionDict,
    config: EmbedContentConfig | EmbedContentConfigDict | None = None,
) -> EmbedContentResponse:
    """Embed one content or a list of them."""
    request = wire.embed_request(t.endpoint, model, contents, config)
    return wire.parse_embed((await t.asend(request)).json())


async def get(t: Transport, *, model: str) -> Model:
    """Get a base or tuned model."""
    return wire.parse_model((await t.asend(wire.get_model_request(t.endpoint, model))).json())


async def list(
    t: Transport, *, config: ListModelsConfig | ListModelsConfigDict | None = None
) -> AsyncPager[Model]:
    """List base or tuned models; ``async for model in await aio.models.list(t)``."""
    cfg = wire.list_config(config)

    async def fetch(token: str | None) -> Page[Model]:
        request = wire.list_models_request(t.endpoint, cfg, token)
        return wire.parse_models_page((await t.asend(request)).json())

    return AsyncPager(fetch, await fetch(None), cfg.page_size)


async def update(t: Transport, *, model: str, config: UpdateModelConfig | UpdateModelConfigDict) -> Model:
    """Update a tuned model's display name, description or default checkpoint."""
    request = wire.update_model_request(t.endpoint, model, config)
    return wire.parse_model((await t.asend(request)).json())


async def delete(t: Transport, *, model: str) -> DeleteModelResponse:
    """Delete a tuned model."""
    request = wire.delete_model_request(t.endpoint, model)
    return wire.parse_delete_model((await t.asend(request)).json())


async def generate_images(
    t: Transport,
    *,
    model: str,
    prompt: str,
    config: GenerateImagesConfig | GenerateImagesConfigDict | None = None,
) -> GenerateImagesResponse:
    """Generate images from a prompt with an Imagen model."""
    from genai_min import _images as images  # Imagen's types load on the first image call

    request = images.generate_images_request(t.endpoint, model, prompt, config)
    return images.parse_images(images.GenerateImagesResponse, (await t.asend(request)).json())


async def upscale_image(
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
    return images.parse_images(images.UpscaleImageResponse, (await t.asend(request)).json())


async def edit_image(
    t: Transport,
    *,
    model: str,
    prompt: str,
    reference_images: Iterable[ReferenceImageUnionDict],
    config: EditImageConfig | EditImageConfigDict | None = None,
) -> EditImageResponse:
    """Edit an image as `prompt` says, guided by reference images; Vertex AI only."""
    from genai_min import _images as images  # Imagen's types load on the first image call

    request = images.edit_image_request(t.endpoint, model, prompt, reference_images, config)
    return images.parse_images(images.EditImageResponse, (await t.asend(request)).json())


async def generate_videos(
    t: Transport,
    *,
    model: str,
    prompt: str | None = None,
    image: Image | ImageDict | None = None,
    video: Video | VideoDict | None = None,
    config: GenerateVideosConfig | GenerateVideosConfigDict | None = None,
) -> GenerateVideosOperation:
    """Start generating videos with a Veo model; wait with ``await aio.operations.wait(t, operation)``."""
    from genai_min import _videos as videos  # Veo's types load on the first video call

    request = videos.generate_videos_request(t.endpoint, model, prompt, image, video, config)
    return videos.parse_video_operation((await t.asend(request)).json())
