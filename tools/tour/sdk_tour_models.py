"""The official SDK tour, part 3: tokens, embeddings, listing models, errors, Imagen and Veo."""

from __future__ import annotations

import asyncio
import time

from google import genai
from google.genai import errors, types

from tools.tour.examples import (
    EMBEDDING_MODEL,
    IMAGEN_EDIT_MODEL,
    IMAGEN_MODEL,
    MODEL,
    VEO_MODEL,
    names_line,
)
from tools.tour.steps import AsyncSleep, Backend, Sleep, Step, step

VERTEX_ONLY = (
    "the SDK raises ValueError('This method is only supported in Gemini Enterprise Agent Platform mode, "
    "not in Gemini Developer API mode.')"
)


def _tokens_line(counted: types.CountTokensResponse) -> str:
    assert counted.total_tokens, f"expected a token count, got {counted!r}"
    return f"count tokens: {counted.total_tokens}"


def count_tokens(client: genai.Client) -> str:
    """Count Tokens."""
    return _tokens_line(client.models.count_tokens(model=MODEL, contents="why is the sky blue?"))


async def count_tokens_async(client: genai.Client) -> str:
    """Count Tokens (Asynchronous)."""
    return _tokens_line(await client.aio.models.count_tokens(model=MODEL, contents="why is the sky blue?"))


def _computed_line(computed: types.ComputeTokensResponse) -> str:
    info = (computed.tokens_info or [])[0]
    assert info.tokens, f"expected tokens, got {info!r}"
    assert len(info.tokens) == len(info.token_ids or []), "expected an id for every token"
    return f"compute tokens: {len(info.tokens)} tokens, first {info.tokens[0]!r}"


def compute_tokens(client: genai.Client) -> str:
    """Compute Tokens (Vertex AI only)."""
    return _computed_line(client.models.compute_tokens(model=MODEL, contents="why is the sky blue?"))


async def compute_tokens_async(client: genai.Client) -> str:
    """Compute Tokens, async."""
    return _computed_line(
        await client.aio.models.compute_tokens(model=MODEL, contents="why is the sky blue?")
    )


EMBED_MANY = ["why is the sky blue?", "What is your age?"]
EMBED_CONFIG = types.EmbedContentConfig(output_dimensionality=10)


def _embed_line(one: types.EmbedContentResponse, many: types.EmbedContentResponse) -> str:
    single = [e.values or [] for e in one.embeddings or []]
    assert len(single) == 1, f"expected one embedding, got {one!r}"
    assert single[0], "expected the embedding to have values"
    sizes = [len(e.values or []) for e in many.embeddings or []]
    assert sizes == [10, 10], f"expected two embeddings of 10 values, got sizes {sizes}"
    return f"embed: 1 x {len(single[0])} values, then 2 x 10 values"


def embed_content(client: genai.Client) -> str:
    """Embed Content: one content, then several with an output dimensionality."""
    one = client.models.embed_content(model=EMBEDDING_MODEL, contents="why is the sky blue?")
    many = client.models.embed_content(model=EMBEDDING_MODEL, contents=EMBED_MANY, config=EMBED_CONFIG)
    return _embed_line(one, many)


async def embed_content_async(client: genai.Client) -> str:
    """Embed Content, async."""
    one = await client.aio.models.embed_content(model=EMBEDDING_MODEL, contents="why is the sky blue?")
    many = await client.aio.models.embed_content(
        model=EMBEDDING_MODEL, contents=EMBED_MANY, config=EMBED_CONFIG
    )
    return _embed_line(one, many)


def list_base_models(client: genai.Client) -> str:
    """List Base Models: iterate, then page through with the pager."""
    every = [model.name for model in client.models.list()]
    pager = client.models.list(config={"page_size": 10})
    assert pager.page_size == 10, "expected the page size asked for"
    assert len(pager.page) == 10, "expected a full first page"
    first = pager[0].name
    pager.next_page()
    assert pager[0].name != first, "expected the second page to start elsewhere"
    return names_line("base models", every) + f"; pages of {pager.page_size}"


async def list_base_models_async(client: genai.Client) -> str:
    """List Base Models (Asynchronous)."""
    every = [model.name async for model in await client.aio.models.list()]
    async_pager = await client.aio.models.list(config={"page_size": 10})
    assert async_pager.page_size == 10, "expected the page size asked for"
    assert len(async_pager.page) == 10, "expected a full first page"
    first = async_pager[0].name
    await async_pager.next_page()
    assert async_pager[0].name != first, "expected the second page to start elsewhere"
    return names_line("base models", every) + f"; pages of {async_pager.page_size}"


def _error_line(error: errors.APIError) -> str:
    assert error.code == 404, f"expected 404, got {error.code}"
    assert error.message, "expected an error message"
    return f"error: {error.code} {error.status}"


def error_handling(client: genai.Client) -> str:
    """Error Handling: an unknown model raises APIError."""
    try:
        client.models.generate_content(model="invalid-model-name", contents="What is your name?")
    except errors.APIError as e:
        return _error_line(e)
    raise AssertionError("expected an APIError for an unknown model")


async def error_handling_async(client: genai.Client) -> str:
    """Error Handling, async."""
    try:
        await client.aio.models.generate_content(model="invalid-model-name", contents="What is your name?")
    except errors.APIError as e:
        return _error_line(e)
    raise AssertionError("expected an APIError for an unknown model")


GENERATE_IMAGES = types.GenerateImagesConfig(
    number_of_images=1, include_rai_reason=True, output_mime_type="image/jpeg"
)
UPSCALE = types.UpscaleImageConfig(include_rai_reason=True, output_mime_type="image/jpeg")
EDIT = types.EditImageConfig(
    edit_mode="EDIT_MODE_INPAINT_INSERTION",
    number_of_images=1,
    include_rai_reason=True,
    output_mime_type="image/jpeg",
)
UMBRELLA = "An umbrella in the foreground, and a rainy night sky in the background"


def _references(image: types.Image) -> list[types.ReferenceImage]:
    """A raw reference of the generated image, and a mask the model computes of its background."""
    raw_ref_image = types.RawReferenceImage(reference_id=1, reference_image=image)
    mask_ref_image = types.MaskReferenceImage(
        reference_id=2, config=types.MaskReferenceConfig(mask_mode="MASK_MODE_BACKGROUND", mask_dilation=0)
    )
    return [raw_ref_image, mask_ref_image]


def _image_of(
    response: types.GenerateImagesResponse | types.UpscaleImageResponse | types.EditImageResponse,
) -> types.Image:
    images = response.generated_images or []
    assert len(images) == 1, f"expected one image, got {response!r}"
    image = images[0].image
    assert image is not None, "expected the generated image to carry an image"
    assert image.image_bytes, "expected image bytes"
    assert image.mime_type == "image/jpeg", f"expected a JPEG, got {image.mime_type}"
    return image


def _edited_line(
    image: types.Image, upscaled: types.UpscaleImageResponse, edited: types.EditImageResponse
) -> str:
    for response in (upscaled, edited):
        assert _image_of(response).image_bytes != image.image_bytes, "expected a new image"
    return "imagen: upscaled x2 and edited the generated JPEG"


def generate_images(client: genai.Client) -> str:
    """Imagen: Generate Image (Vertex AI only in this SDK)."""
    response1 = client.models.generate_images(model=IMAGEN_MODEL, prompt=UMBRELLA, config=GENERATE_IMAGES)
    return f"imagen: generated a JPEG of {len(_image_of(response1).image_bytes or b'')} bytes"


async def generate_images_async(client: genai.Client) -> str:
    """Imagen: Generate Image, async."""
    response1 = await client.aio.models.generate_images(
        model=IMAGEN_MODEL, prompt=UMBRELLA, config=GENERATE_IMAGES
    )
    return f"imagen: generated a JPEG of {len(_image_of(response1).image_bytes or b'')} bytes"


def upscale_and_edit_image(client: genai.Client) -> str:
    """Imagen: upscale a generated image, then edit it (Vertex AI only)."""
    image = _image_of(
        client.models.generate_images(model=IMAGEN_MODEL, prompt=UMBRELLA, config=GENERATE_IMAGES)
    )
    response2 = client.models.upscale_image(
        model=IMAGEN_MODEL, image=image, upscale_factor="x2", config=UPSCALE
    )
    response3 = client.models.edit_image(
        model=IMAGEN_EDIT_MODEL,
        prompt="Sunlight and clear sky",
        reference_images=_references(image),
        config=EDIT,
    )
    return _edited_line(image, response2, response3)


async def upscale_and_edit_image_async(client: genai.Client) -> str:
    """Imagen: upscale and edit, async."""
    aio_models = client.aio.models
    image = _image_of(
        await aio_models.generate_images(model=IMAGEN_MODEL, prompt=UMBRELLA, config=GENERATE_IMAGES)
    )
    response2 = await aio_models.upscale_image(
        model=IMAGEN_MODEL, image=image, upscale_factor="x2", config=UPSCALE
    )
    response3 = await aio_models.edit_image(
        model=IMAGEN_EDIT_MODEL,
        prompt="Sunlight and clear sky",
        reference_images=_references(image),
        config=EDIT,
    )
    return _edited_line(image, response2, response3)


VIDEO_CONFIG = types.GenerateVideosConfig(number_of_videos=1, fps=24, duration_seconds=5, enhance_prompt=True)
NEON_CAT = "A neon hologram of a cat driving at top speed"


def _video_line(operation: types.GenerateVideosOperation, polls: int) -> str:
    videos = operation.result.generated_videos if operation.result else None
    assert videos, f"expected a video, got {operation!r}"
    video = videos[0].video
    assert video is not None, "expected the generated video to carry a video"
    assert video.video_bytes, "expected the video's bytes (Vertex AI sends them inline)"
    return f"veo: 1 video of {len(video.video_bytes)} bytes after {polls} polls"


def generate_videos(client: genai.Client, *, sleep: Sleep = time.sleep) -> str:
    """Veo: create the operation, then poll it until it is done."""
    operation = client.models.generate_videos(model=VEO_MODEL, prompt=NEON_CAT, config=VIDEO_CONFIG)
    polls = 0
    while not operation.done:
        sleep(20)
        operation = client.operations.get(operation)
        polls += 1
    return _video_line(operation, polls)


async def generate_videos_async(client: genai.Client, *, sleep: AsyncSleep = asyncio.sleep) -> str:
    """Veo, async."""
    operation = await client.aio.models.generate_videos(model=VEO_MODEL, prompt=NEON_CAT, config=VIDEO_CONFIG)
    polls = 0
    while not operation.done:
        await sleep(20)
        operation = await client.aio.operations.get(operation)
        polls += 1
    return _video_line(operation, polls)


STEPS: list[Step] = [
    step("Count Tokens", count_tokens, count_tokens_async),
    step("Compute Tokens", compute_tokens, compute_tokens_async, only=Backend.VERTEX, reason=VERTEX_ONLY),
    step("Embed Content", embed_content, embed_content_async),
    step("List Base Models", list_base_models, list_base_models_async),
    step("Error Handling", error_handling, error_handling_async),
    step(
        "Imagen: Generate Image",
        generate_images,
        generate_images_async,
        only=Backend.VERTEX,
        reason=VERTEX_ONLY,
    ),
    step(
        "Imagen: Upscale and Edit Image",
        upscale_and_edit_image,
        upscale_and_edit_image_async,
        only=Backend.VERTEX,
        reason=VERTEX_ONLY,
    ),
    step(
        "Veo: Generate Videos",
        generate_videos,
        generate_videos_async,
        only=Backend.VERTEX,
        reason=VERTEX_ONLY,
        is_polling=True,
    ),
]
