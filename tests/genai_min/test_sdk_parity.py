"""genai_min sends what the official SDK sends for the README's examples, up to key case.

`../shared/reference/sdk-captures/` holds every request google-genai 3.3.0 sent for each README
example on both backends. Each example here runs the genai_min equivalent against an answerer that
replies as the capture's canned server did, and compares method, path, query and body, with keys
compared case- and underscore-insensitively (proto JSON accepts both spellings).

Differences we chose, and leave out of the comparison: `models.update` adds an `updateMask` query.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from google.oauth2.credentials import Credentials

import genai_min
from genai_min import aio, chats, models, types

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CAPTURES = SHARED / "reference" / "sdk-captures"
MODEL = "gemini-2.0-flash-001"
STORY = (
    "The sky looks blue because air molecules scatter short blue wavelengths of sunlight much more "
    "strongly than long red ones, so blue light reaches your eyes from every direction."
)
TUNED = "projects/123456789012/locations/us-central1/models/200889301693073224@1"
GCS_IMAGE = "gs://generativeai-downloads/images/scones.jpg"
PNG = base64.b64decode("iVBORw0KGgo" + "A" * 85)


def get_current_weather(location: str) -> str:
    """Returns the current weather.

    Args:
      location: The city and state, e.g. San Francisco, CA
    """
    return "sunny"


def answer(request: httpx.Request) -> httpx.Response:
    """Reply as the capture's canned server did, enough for each example to proceed."""
    path = request.url.path
    body = json.loads(request.content) if request.content else {}
    if "invalid-model-name" in path:
        return httpx.Response(
            404, json={"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}}
        )
    if request.method == "GET" and path.endswith(("/models", "/tunedModels")):
        page: dict[str, Any] = {"models": [{"name": TUNED}]}
        if "pageToken" not in request.url.params:
            page["nextPageToken"] = "cGFnZS0y"
        return httpx.Response(200, json=page)
    if request.method in ("GET", "PATCH"):
        return httpx.Response(200, json={"name": TUNED})
    if path.endswith((":countTokens",)):
        return httpx.Response(200, json={"totalTokens": 6})
    if path.endswith(":computeTokens"):
        return httpx.Response(200, json={"tokensInfo": []})
    if path.endswith((":batchEmbedContents", ":predict")):
        return httpx.Response(200, json={"embeddings": [], "predictions": []})
    last = body["contents"][-1]
    wants_call = body.get("tools") and "text" in last["parts"][0] and last["role"] == "user"
    part = {"functionCall": {"name": "get_current_weather", "args": {"location": "Boston, MA"}}}
    reply = {
        "candidates": [{"content": {"role": "model", "parts": [part if wants_call else {"text": STORY}]}}]
    }
    if path.endswith(":streamGenerateContent"):
        return httpx.Response(
            200,
            content=f"data: {json.dumps(reply)}\r\n\r\n".encode(),
            headers={"content-type": "text/event-stream"},
        )
    return httpx.Response(200, json=reply)


def ex_contents_forms(t: genai_min.Transport) -> None:
    uri = types.Part.from_uri(file_uri=GCS_IMAGE, mime_type="image/jpeg")
    for contents in (
        types.Content(role="user", parts=[types.Part.from_text("Why is the sky blue?")]),
        "Why is the sky blue?",
        ["Why is the sky blue?", "Why is the cloud white?"],
        uri,
        ["What is this image about?", uri],
    ):
        models.generate_content(t, model=MODEL, contents=contents)


def ex_function_call_part_contents(t: genai_min.Transport) -> None:
    call = types.Part.from_function_call
    reply = types.Part.from_function_response
    models.generate_content(
        t,
        model=MODEL,
        contents=[
            "Weather in Boston and New York?",
            call(name="get_weather_by_location", args={"location": "Boston"}),
            call(name="get_weather_by_location", args={"location": "New York"}),
            types.UserContent(
                parts=[
                    reply(name="get_weather_by_location", response={"result": "sunny"}),
                    reply(name="get_weather_by_location", response={"result": "rain"}),
                ]
            ),
        ],
    )


def ex_list_models(t: genai_min.Transport) -> None:
    list(models.list(t))
    pager = models.list(t, config={"page_size": 10})
    pager.next_page()


async def ex_list_models_async(t: genai_min.Transport) -> None:
    [m async for m in await aio.models.list(t)]
    await aio.models.list(t, config={"page_size": 10})


def ex_manual_round_trip(t: genai_min.Transport) -> None:
    tool = types.Tool(
        function_declarations=[
            types.FunctionDeclaration(
                name="get_current_weather",
                description="Get the current weather in a given location",
                parameters=types.Schema(
                    type="OBJECT",
                    required=["location"],
                    properties={
                        "location": types.Schema(
                            type="STRING", description="The city and state, e.g. San Francisco, CA"
                        ),
                    },
                ),
            )
        ]
    )
    ask = types.Content(role="user", parts=[types.Part.from_text("What is the weather like in Boston?")])
    response = models.generate_content(t, model=MODEL, contents=ask, config={"tools": [tool]})
    assert response.candidates is not None and response.function_calls is not None
    result = types.Part.from_function_response(name="get_current_weather", response={"result": "sunny"})
    models.generate_content(
        t,
        model=MODEL,
        config={"tools": [tool]},
        contents=[
            ask,
            response.candidates[0].content,
            types.Content(role="tool", parts=[result]),
        ],
    )


def ex_any_mode(t: genai_min.Transport) -> None:
    any_mode = {"function_calling_config": {"mode": "ANY"}}
    ask = "What is the weather like in Boston?"
    models.generate_content(
        t,
        model=MODEL,
        contents=ask,
        config={
            "tools": [get_current_weather],
            "automatic_function_calling": {"disable": True},
            "tool_config": any_mode,
        },
    )
    models.generate_content(
        t,
        model=MODEL,
        contents=ask,
        config={
            "tools": [get_current_weather],
            "automatic_function_calling": {"maximum_remote_calls": 2},
            "tool_config": any_mode,
        },
    )


def ex_json_schema_pydantic(t: genai_min.Transport) -> None:
    import pydantic

    class CountryInfo(pydantic.BaseModel):
        name: str
        population: int
        capital: str
        continent: str
        gdp: int
        official_language: str
        total_area_sq_mi: int

    models.generate_content(
        t,
        model=MODEL,
        contents="Give me information for the United States.",
        config={"response_mime_type": "application/json", "response_schema": CountryInfo},
    )


def ex_json_schema_dict(t: genai_min.Transport) -> None:
    fields = {
        "name": "STRING",
        "population": "INTEGER",
        "capital": "STRING",
        "continent": "STRING",
        "gdp": "INTEGER",
        "official_language": "STRING",
        "total_area_sq_mi": "INTEGER",
    }
    schema = {
        "required": list(fields),
        "properties": {k: {"type": v} for k, v in fields.items()},
        "type": "OBJECT",
    }
    models.generate_content(
        t,
        model=MODEL,
        contents="Give me information for the United States.",
        config={"response_mime_type": "application/json", "response_schema": schema},
    )


def ex_enum(mime: str) -> Callable[[genai_min.Transport], None]:
    import enum

    class InstrumentEnum(enum.Enum):
        PERCUSSION = "Percussion"
        STRING = "String"
        WOODWIND = "Woodwind"
        BRASS = "Brass"
        KEYBOARD = "Keyboard"

    def run(t: genai_min.Transport) -> None:
        models.generate_content(
            t,
            model=MODEL,
            contents="What instrument plays multiple notes at once?",
            config={"response_mime_type": mime, "response_schema": InstrumentEnum},
        )

    return run


def ex_stream_image(t: genai_min.Transport) -> None:
    for part in (
        types.Part.from_uri(file_uri=GCS_IMAGE, mime_type="image/jpeg"),
        types.Part.from_bytes(data=PNG, mime_type="image/png"),
    ):
        list(models.generate_content_stream(t, model=MODEL, contents=["What is this image about?", part]))


async def ex_async_generate_and_stream(t: genai_min.Transport) -> None:
    await aio.models.generate_content(t, model=MODEL, contents="Tell me a story in 300 words.")
    [c async for c in await aio.models.generate_content_stream(t, model=MODEL, contents="Tell me a story.")]


async def ex_count_tokens(t: genai_min.Transport) -> None:
    models.count_tokens(t, model=MODEL, contents="why is the sky blue?")
    await aio.models.count_tokens(t, model=MODEL, contents="why is the sky blue?")


def ex_embed(t: genai_min.Transport) -> None:
    models.embed_content(t, model="text-embedding-004", contents="why is the sky blue?")
    models.embed_content(
        t,
        model="text-embedding-004",
        contents=["why is the sky blue?", "What is your age?"],
        config=types.EmbedContentConfig(output_dimensionality=10),
    )


async def ex_chats(t: genai_min.Transport) -> None:
    chat = chats.create(t, model=MODEL)
    chat.send_message("tell me a story")
    chat.send_message("summarize the story you told me in 1 sentence")
    list(chats.create(t, model=MODEL).send_message_stream("tell me a story"))
    achat = aio.chats.create(t, model=MODEL)
    await achat.send_message("tell me a story")
    [c async for c in await achat.send_message_stream("tell me a story")]


def ex_error(t: genai_min.Transport) -> None:
    with pytest.raises(genai_min.ClientError):
        models.generate_content(t, model="invalid-model-name", contents="What is your name?")


def ex_tuned_models(t: genai_min.Transport) -> None:
    models.get(t, model=TUNED)
    models.update(
        t, model=TUNED, config={"display_name": "my tuned model", "description": "my tuned model description"}
    )
    models.list(t, config={"page_size": 10, "query_base": False})


def generate(contents: str, config: dict[str, Any] | None = None) -> Callable[[genai_min.Transport], None]:
    def run(t: genai_min.Transport) -> None:
        models.generate_content(t, model=MODEL, contents=contents, config=config)

    return run


ASK = "What is the weather like in Boston?"
# example name -> (runner, capture sequence numbers to compare or None for all)
EXAMPLES: dict[str, tuple[Callable[[genai_min.Transport], Any], tuple[int, ...] | None]] = {
    "generate_text": (generate("Why is the sky blue?"), None),
    "contents_forms": (ex_contents_forms, None),
    "function_call_part_contents": (ex_function_call_part_contents, None),
    "system_instruction_config": (
        generate(
            "high",
            {"system_instruction": "I say high, you say low", "max_output_tokens": 3, "temperature": 0.3},
        ),
        None,
    ),
    "typed_config": (
        lambda t: models.generate_content(
            t,
            model=MODEL,
            contents=types.Part.from_text("Why is the sky blue?"),
            config=types.GenerateContentConfig(
                temperature=0,
                top_p=0.95,
                top_k=20,
                candidate_count=1,
                seed=5,
                max_output_tokens=100,
                stop_sequences=["STOP!"],
                presence_penalty=0.0,
                frequency_penalty=0.0,
            ),
        ),
        None,
    ),
    "list_models_pager": (ex_list_models, None),
    "list_models_async": (ex_list_models_async, None),
    "safety_settings": (
        generate(
            "Say something bad.",
            {"safety_settings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_ONLY_HIGH"}]},
        ),
        None,
    ),
    "automatic_function_calling": (generate(ASK, {"tools": [get_current_weather]}), None),
    "afc_disabled": (
        generate(ASK, {"tools": [get_current_weather], "automatic_function_calling": {"disable": True}}),
        None,
    ),
    "manual_declaration_round_trip": (ex_manual_round_trip, None),
    "any_mode": (ex_any_mode, None),
    "json_schema_pydantic": (ex_json_schema_pydantic, None),
    "json_schema_dict": (ex_json_schema_dict, None),
    "enum_text": (ex_enum("text/x.enum"), None),
    "enum_json": (ex_enum("application/json"), None),
    "stream_text": (
        lambda t: list(
            models.generate_content_stream(t, model=MODEL, contents="Tell me a story in 300 words.")
        ),
        None,
    ),
    "stream_image_uri_and_bytes": (ex_stream_image, None),
    "async_generate_and_stream": (ex_async_generate_and_stream, None),
    "count_tokens": (ex_count_tokens, None),
    "compute_tokens": (
        lambda t: models.compute_tokens(t, model=MODEL, contents="why is the sky blue?"),
        None,
    ),
    "embed_content": (ex_embed, None),
    "chats": (ex_chats, None),
    "error_handling": (ex_error, None),
    "tunings": (ex_tuned_models, (5, 6, 7)),
}


def norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {k.replace("_", "").lower(): norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [norm(v) for v in value]
    return value


def captured(backend: str) -> dict[str, list[dict[str, Any]]]:
    path = CAPTURES / f"{backend}.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent: the SDK captures live in ../shared beside the repository")
    by_example: dict[str, list[dict[str, Any]]] = {}
    for line in path.read_text().splitlines():
        record = json.loads(line)
        by_example.setdefault(record["example"], []).append(record)
    return by_example


@pytest.mark.parametrize("backend", ["gemini", "vertex"])
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_requests_match_the_official_sdk(backend: str, example: str) -> None:
    records = captured(backend).get(example)
    if records is None:
        pytest.skip(f"the SDK does not run {example} on {backend}")
    run, seqs = EXAMPLES[example]
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return answer(request)

    mock = httpx.MockTransport(handle)
    if backend == "gemini":
        t = genai_min.Transport(api_key="k", transport=mock, async_transport=mock)
    else:
        t = genai_min.Transport(
            vertexai=True,
            project="acceptance-project",
            location="us-central1",
            credentials=Credentials(token="t"),
            transport=mock,
            async_transport=mock,
        )
    result = run(t)
    if asyncio.iscoroutine(result):
        asyncio.run(result)
    if seqs is not None:
        records = [r for r in records if r["seq"] in seqs]
        seen = seen[: len(records)]
    assert len(seen) == len(records), [f"{r.method} {r.url.path}" for r in seen]
    for ours, theirs in zip(seen, records, strict=True):
        query = [(k, v) for k, v in ours.url.params.multi_items() if k != "updateMask"]
        assert (ours.method, ours.url.path, query) == (
            theirs["method"],
            theirs["path"],
            parse_qsl(theirs["query"]),
        )
        body = json.loads(ours.content) if ours.content else None
        assert norm(body) == norm(theirs["body"])
