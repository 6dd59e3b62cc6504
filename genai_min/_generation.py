"""`GenerateContentConfig` and the body of a ``generateContent`` request built from it."""

from __future__ import annotations

from pydantic import JsonValue

from genai_min._base import ConfigModel, WireModel, coerce
from genai_min._content import to_content, to_contents
from genai_min._endpoint import Endpoint
from genai_min._errors import UnsupportedError
from genai_min._http import JSONObject
from genai_min._names import resource_name
from genai_min._schema import to_api_schema
from genai_min._tools import AutomaticFunctionCallingConfig, CallableTool, ToolConfig, split_tools


class SafetySetting(WireModel):
    """Block threshold for one harm category, e.g. ``HARM_CATEGORY_HATE_SPEECH`` / ``BLOCK_ONLY_HIGH``."""

    category: str | None = None
    threshold: str | None = None
    method: str | None = None


class ThinkingConfig(WireModel):
    """How much the model may think before answering."""

    include_thoughts: bool | None = None
    thinking_budget: int | None = None
    thinking_level: str | None = None


class GenerateContentConfig(ConfigModel):
    """Options of `generate_content`; a dict with the same keys works too.

    `system_instruction` takes a string, a part, a list of parts or a `Content`. `tools` takes
    `Tool`s, dicts and plain Python functions (called for the model unless
    `automatic_function_calling` disables it). `response_schema` takes a pydantic model, an Enum,
    a type such as ``list[Model]``, a `Schema` or a dict; the result is in ``response.parsed``.
    """

    system_instruction: object = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: float | None = None
    candidate_count: int | None = None
    max_output_tokens: int | None = None
    stop_sequences: list[str] | None = None
    response_logprobs: bool | None = None
    logprobs: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    response_mime_type: str | None = None
    response_schema: object = None
    response_json_schema: JsonValue = None
    response_modalities: list[str] | None = None
    media_resolution: str | None = None
    speech_config: dict[str, JsonValue] | None = None
    thinking_config: ThinkingConfig | None = None
    image_config: dict[str, JsonValue] | None = None
    safety_settings: list[SafetySetting] | None = None
    tools: list[object] | None = None
    tool_config: ToolConfig | None = None
    cached_content: str | None = None
    labels: dict[str, str] | None = None
    service_tier: str | None = None
    automatic_function_calling: AutomaticFunctionCallingConfig | None = None
    routing_config: dict[str, JsonValue] | None = None
    model_selection_config: dict[str, JsonValue] | None = None
    audio_timestamp: bool | None = None


# Python name -> wire name, for the fields that go inside `generationConfig`.
_GENERATION_FIELDS = {
    name: GenerateContentConfig.model_fields[name].alias or name
    for name in (
        "temperature",
        "top_p",
        "top_k",
        "candidate_count",
        "max_output_tokens",
        "stop_sequences",
        "response_logprobs",
        "logprobs",
        "presence_penalty",
        "frequency_penalty",
        "seed",
        "response_mime_type",
        "response_json_schema",
        "response_modalities",
        "media_resolution",
        "speech_config",
        "thinking_config",
        "image_config",
        "routing_config",
        "audio_timestamp",
    )
}
_VERTEX_ONLY = ("routing_config", "model_selection_config", "audio_timestamp")


def generate_body(
    endpoint: Endpoint, contents: object, config: GenerateContentConfig | None
) -> tuple[JSONObject, dict[str, CallableTool]]:
    """Build the request body, and return the Python-function tools found in `config`."""
    body: JSONObject = {"contents": [c.to_wire() for c in to_contents(contents)]}
    if config is None:
        return body, {}
    if not endpoint.is_vertex:
        for name in _VERTEX_ONLY:
            if getattr(config, name) is not None:
                raise UnsupportedError(f"config.{name} is only supported by Vertex AI")
        if any(s.method is not None for s in config.safety_settings or ()):
            raise UnsupportedError("safety_settings[].method is only supported by Vertex AI")
    if config.system_instruction is not None:
        body["systemInstruction"] = to_content(config.system_instruction).to_wire()
    if config.safety_settings:
        body["safetySettings"] = [s.to_wire() for s in config.safety_settings]
    tools, callables = split_tools(config.tools)
    if tools:
        body["tools"] = list(tools)
    if config.tool_config is not None:
        body["toolConfig"] = config.tool_config.to_wire()
    if config.cached_content is not None:
        body["cachedContent"] = resource_name(endpoint, "cachedContents", config.cached_content)
    if config.labels is not None:
        body["labels"] = dict(config.labels)
    if config.service_tier is not None:
        body["serviceTier"] = config.service_tier
    if config.model_selection_config is not None:
        body["modelConfig"] = config.model_selection_config
    # Like the official SDK, send `generationConfig` (possibly empty) whenever a config is given.
    body["generationConfig"] = generation_config(config)
    return body, callables


def generation_config(config: GenerateContentConfig) -> JSONObject:
    """Return the ``generationConfig`` object for `config` (empty when it sets none of its fields)."""
    generation: JSONObject = {}
    dumped = config.model_dump(
        mode="json", by_alias=False, exclude_none=True, include=set(_GENERATION_FIELDS)
    )
    for name, value in dumped.items():
        generation[_GENERATION_FIELDS[name]] = value
    if config.thinking_config is not None:
        generation["thinkingConfig"] = config.thinking_config.to_wire()
    if config.response_schema is not None:
        generation["responseSchema"] = to_api_schema(config.response_schema)
    return generation


def coerce_config(config: object) -> GenerateContentConfig | None:
    """Accept a `GenerateContentConfig`, a dict or None."""
    if config is None:
        return None
    return coerce(GenerateContentConfig, config, what="GenerateContentConfig")
