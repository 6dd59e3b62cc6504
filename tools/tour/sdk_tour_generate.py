"""The official SDK tour, part 1: generate content (text, files, contents forms, configs) and streaming."""

from __future__ import annotations

from google import genai
from google.genai import types

from tools.tour.examples import (
    IMAGE_BYTES,
    IMAGE_MIME_TYPE,
    MODEL,
    checked_text,
    local_files,
    quote,
    scones_uri,
    stream_line,
    text_line,
)
from tools.tour.steps import Backend, Step, step

FILES_ARE_GEMINI_ONLY = (
    "Files are only supported in Gemini Developer API: on Vertex AI the SDK's files.upload raises "
    "ValueError('This method is only supported in the Gemini Developer client.')"
)


def generate_text(client: genai.Client) -> str:
    """Generate Content with text content."""
    response = client.models.generate_content(model=MODEL, contents="Why is the sky blue?")
    return text_line("generate", response)


async def generate_text_async(client: genai.Client) -> str:
    """Generate Content (Asynchronous Non-Streaming)."""
    response = await client.aio.models.generate_content(model=MODEL, contents="Tell me a story in 300 words.")
    return text_line("generate (async)", response)


def generate_with_uploaded_file(client: genai.Client) -> str:
    """Generate Content with an uploaded file (Gemini Developer API only)."""
    with local_files("a11.txt") as (path,):
        file = client.files.upload(file=path)
    response = client.models.generate_content(model=MODEL, contents=["Could you summarize this file?", file])
    return text_line(f"generate with {file.name}", response)


async def generate_with_uploaded_file_async(client: genai.Client) -> str:
    """Generate Content with an uploaded file, async."""
    with local_files("a11.txt") as (path,):
        file = await client.aio.files.upload(file=path)
    response = await client.aio.models.generate_content(
        model=MODEL, contents=["Could you summarize this file?", file]
    )
    return text_line(f"generate with {file.name}", response)


def _contents_forms(image_uri: str) -> list[types.ContentListUnionDict]:
    """The README's ways to give `contents`: a Content, a string, strings, parts, mixed function parts."""
    return [
        types.Content(role="user", parts=[types.Part.from_text(text="Why is the sky blue?")]),
        "Why is the sky blue?",
        ["Why is the sky blue?", "Why is the cloud white?"],
        types.Part.from_uri(file_uri=image_uri, mime_type="image/jpeg"),
        [
            types.Part.from_text(text="What is this image about?"),
            types.Part.from_uri(file_uri=image_uri, mime_type="image/jpeg"),
        ],
        [
            "Weather in Boston and New York?",
            types.Part.from_function_call(name="get_weather_by_location", args={"location": "Boston"}),
            types.Part.from_function_call(name="get_weather_by_location", args={"location": "New York"}),
            types.Part.from_function_response(name="get_weather_by_location", response={"result": "sunny"}),
            types.Part.from_function_response(name="get_weather_by_location", response={"result": "rainy"}),
        ],
    ]


def contents_forms(client: genai.Client) -> str:
    """How to structure the contents argument: each form the README lists."""
    texts = [
        checked_text(client.models.generate_content(model=MODEL, contents=contents))
        for contents in _contents_forms(scones_uri(bool(client.vertexai)))
    ]
    return f"contents forms: {len(texts)} answers, first {quote(texts[0])}"


async def contents_forms_async(client: genai.Client) -> str:
    """How to structure the contents argument, async."""
    texts = [
        checked_text(await client.aio.models.generate_content(model=MODEL, contents=contents))
        for contents in _contents_forms(scones_uri(bool(client.vertexai)))
    ]
    return f"contents forms: {len(texts)} answers, first {quote(texts[0])}"


SYSTEM_INSTRUCTION = types.GenerateContentConfig(
    system_instruction="I say high, you say low", max_output_tokens=3, temperature=0.3
)
TYPED_CONFIG = types.GenerateContentConfig(
    temperature=0,
    top_p=0.95,
    top_k=20,
    candidate_count=1,
    seed=5,
    max_output_tokens=100,
    stop_sequences=["STOP!"],
    presence_penalty=0.0,
    frequency_penalty=0.0,
)
SAFETY = types.GenerateContentConfig(
    safety_settings=[
        types.SafetySetting(category="HARM_CATEGORY_HATE_SPEECH", threshold="BLOCK_ONLY_HIGH"),
    ]
)


def configs(client: genai.Client) -> str:
    """System Instructions and Other Configs, Typed Config, and Safety Settings."""
    high = client.models.generate_content(model=MODEL, contents="high", config=SYSTEM_INSTRUCTION)
    typed = client.models.generate_content(
        model=MODEL, contents=types.Part.from_text(text="Why is the sky blue?"), config=TYPED_CONFIG
    )
    safe = client.models.generate_content(model=MODEL, contents="Say something bad.", config=SAFETY)
    return "; ".join(text_line(k, r) for k, r in [("system", high), ("typed", typed), ("safety", safe)])


async def configs_async(client: genai.Client) -> str:
    """System instruction, typed config and safety settings, async."""
    high = await client.aio.models.generate_content(model=MODEL, contents="high", config=SYSTEM_INSTRUCTION)
    typed = await client.aio.models.generate_content(
        model=MODEL, contents=types.Part.from_text(text="Why is the sky blue?"), config=TYPED_CONFIG
    )
    safe = await client.aio.models.generate_content(model=MODEL, contents="Say something bad.", config=SAFETY)
    return "; ".join(text_line(k, r) for k, r in [("system", high), ("typed", typed), ("safety", safe)])


def _image_contents(image_uri: str) -> list[list[types.PartUnionDict]]:
    """An image in Cloud Storage, then the same question about local image bytes."""
    return [
        ["What is this image about?", types.Part.from_uri(file_uri=image_uri, mime_type="image/jpeg")],
        ["What is this image about?", types.Part.from_bytes(data=IMAGE_BYTES, mime_type=IMAGE_MIME_TYPE)],
    ]


def stream_text(client: genai.Client) -> str:
    """Generate Content (Synchronous Streaming): text."""
    chunks = list(
        client.models.generate_content_stream(model=MODEL, contents="Tell me a story in 300 words.")
    )
    return stream_line("stream", chunks)


async def stream_text_async(client: genai.Client) -> str:
    """Generate Content (Asynchronous Streaming)."""
    stream = await client.aio.models.generate_content_stream(
        model=MODEL, contents="Tell me a story in 300 words."
    )
    return stream_line("stream (async)", [chunk async for chunk in stream])


def stream_image(client: genai.Client) -> str:
    """Streaming for image content, from a URI and from bytes."""
    lines = []
    for contents in _image_contents(scones_uri(bool(client.vertexai))):
        chunks = list(client.models.generate_content_stream(model=MODEL, contents=contents))
        lines.append(stream_line("stream image", chunks))
    return "; ".join(lines)


async def stream_image_async(client: genai.Client) -> str:
    """Streaming for image content, async."""
    lines = []
    for contents in _image_contents(scones_uri(bool(client.vertexai))):
        stream = await client.aio.models.generate_content_stream(model=MODEL, contents=contents)
        lines.append(stream_line("stream image", [chunk async for chunk in stream]))
    return "; ".join(lines)


STEPS: list[Step] = [
    step("Generate Content", generate_text, generate_text_async),
    step(
        "Generate Content: with uploaded file",
        generate_with_uploaded_file,
        generate_with_uploaded_file_async,
        only=Backend.GEMINI,
        reason=FILES_ARE_GEMINI_ONLY,
    ),
    step("How to structure contents argument", contents_forms, contents_forms_async),
    step("System Instructions and Other Configs; Typed Config; Safety Settings", configs, configs_async),
    step("Generate Content (Streaming): text", stream_text, stream_text_async),
    step("Generate Content (Streaming): image", stream_image, stream_image_async),
]
