"""The dict forms of `GenerateContentConfig`, its tools and schemas, and the token and embedding configs.

Each ``XDict`` lists the snake_case keys of the model `X` (in `_generation`, `_tools`, `_schema` and
`_tokens`), so a type checker rejects a misspelt key; at run time the dict is validated into `X`.
A field that takes a model takes its dict form too.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import TypeAlias, TypedDict

from genai_min._content_dicts import ContentUnionDict
from genai_min._generation import GenerateContentConfig, SafetySetting, ThinkingConfig
from genai_min._http import JSON
from genai_min._schema import Schema
from genai_min._tools import (
    AutomaticFunctionCallingConfig,
    FunctionCallingConfig,
    FunctionDeclaration,
    Tool,
    ToolConfig,
)


class SchemaDict(TypedDict, total=False):
    """The dict form of `Schema`, the subset of OpenAPI 3.0 schemas the API understands."""

    type: str | None
    format: str | None
    title: str | None
    description: str | None
    nullable: bool | None
    enum: list[str] | None
    items: Schema | SchemaDict | None
    properties: dict[str, Schema | SchemaDict] | None
    required: list[str] | None
    property_ordering: list[str] | None
    any_of: list[Schema | SchemaDict] | None
    min_items: int | None
    max_items: int | None
    minimum: float | None
    maximum: float | None
    min_length: int | None
    max_length: int | None
    pattern: str | None
    default: JSON
    example: JSON


SchemaUnionDict: TypeAlias = (
    Schema | SchemaDict | type | types.GenericAlias | types.UnionType | dict[str, JSON]
)
"""A response schema: a `Schema` or its dict, a pydantic model or Enum class, a type such as
``list[Model]``, or a schema dict in the API's own (camelCase) spelling, sent as it is."""


class FunctionDeclarationDict(TypedDict, total=False):
    """The dict form of `FunctionDeclaration`: a function's name, description and parameters."""

    name: str | None
    description: str | None
    parameters: Schema | SchemaDict | None
    parameters_json_schema: JSON
    response: Schema | SchemaDict | None
    response_json_schema: JSON
    behavior: str | None


class ToolDict(TypedDict, total=False):
    """The dict form of `Tool`: function declarations or a built-in tool such as ``google_search``."""

    function_declarations: list[FunctionDeclaration | FunctionDeclarationDict] | None
    google_search: dict[str, JSON] | None
    google_search_retrieval: dict[str, JSON] | None
    code_execution: dict[str, JSON] | None
    url_context: dict[str, JSON] | None
    retrieval: dict[str, JSON] | None


ToolUnionDict: TypeAlias = Tool | ToolDict | Callable[..., object]
"""A tool: a `Tool` or its dict, or a Python function (declared from its signature and docstring)."""


class FunctionCallingConfigDict(TypedDict, total=False):
    """The dict form of `FunctionCallingConfig`: mode ``AUTO``, ``ANY``, ``NONE`` or ``VALIDATED``."""

    mode: str | None
    allowed_function_names: list[str] | None


class ToolConfigDict(TypedDict, total=False):
    """The dict form of `ToolConfig`."""

    function_calling_config: FunctionCallingConfig | FunctionCallingConfigDict | None
    retrieval_config: dict[str, JSON] | None


class AutomaticFunctionCallingConfigDict(TypedDict, total=False):
    """The dict form of `AutomaticFunctionCallingConfig` (the client-side function-calling loop)."""

    disable: bool
    maximum_remote_calls: int
    ignore_call_history: bool


class SafetySettingDict(TypedDict, total=False):
    """The dict form of `SafetySetting`: a harm category and its block threshold."""

    category: str | None
    threshold: str | None
    method: str | None


class ThinkingConfigDict(TypedDict, total=False):
    """The dict form of `ThinkingConfig`."""

    include_thoughts: bool | None
    thinking_budget: int | None
    thinking_level: str | None


class GenerateContentConfigDict(TypedDict, total=False):
    """The dict form of `GenerateContentConfig`, the options of `generate_content`."""

    system_instruction: ContentUnionDict | None
    temperature: float | None
    top_p: float | None
    top_k: float | None
    candidate_count: int | None
    max_output_tokens: int | None
    stop_sequences: list[str] | None
    response_logprobs: bool | None
    logprobs: int | None
    presence_penalty: float | None
    frequency_penalty: float | None
    seed: int | None
    response_mime_type: str | None
    response_schema: SchemaUnionDict | None
    response_json_schema: JSON
    response_modalities: list[str] | None
    media_resolution: str | None
    speech_config: dict[str, JSON] | None
    thinking_config: ThinkingConfig | ThinkingConfigDict | None
    image_config: dict[str, JSON] | None
    safety_settings: list[SafetySetting | SafetySettingDict] | None
    tools: list[ToolUnionDict] | None
    tool_config: ToolConfig | ToolConfigDict | None
    cached_content: str | None
    labels: dict[str, str] | None
    service_tier: str | None
    automatic_function_calling: AutomaticFunctionCallingConfig | AutomaticFunctionCallingConfigDict | None
    routing_config: dict[str, JSON] | None
    model_selection_config: dict[str, JSON] | None
    audio_timestamp: bool | None


class CountTokensConfigDict(TypedDict, total=False):
    """The dict form of `CountTokensConfig`; its keys are accepted by Vertex AI only."""

    system_instruction: ContentUnionDict | None
    tools: list[ToolUnionDict] | None
    generation_config: GenerateContentConfig | GenerateContentConfigDict | None


class EmbedContentConfigDict(TypedDict, total=False):
    """The dict form of `EmbedContentConfig`."""

    task_type: str | None
    title: str | None
    output_dimensionality: int | None
    mime_type: str | None
    auto_truncate: bool | None
