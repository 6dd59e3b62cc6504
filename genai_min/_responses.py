"""`GenerateContentResponse` and its parts, with the helpers the README uses (`.text`, ...)."""

from __future__ import annotations

import enum
import json
from typing import TypeAlias

from pydantic import Field, JsonValue, TypeAdapter, ValidationError

from genai_min._base import WireModel
from genai_min._content import Content, FunctionCall, Part
from genai_min._schema import is_model_type

EnumValue: TypeAlias = str | int
"""A value of one of the API's enums: its name (``"STOP"``), as the service answers `genai_min`, or
its number, as it answers clients that ask for ``$alt=json;enum-encoding=int`` (older Google client
libraries do, and their recordings hold numbers). Numbers are kept: they differ between the two
backends (``HarmCategory``), so no name can be given to them without knowing which one answered."""


class SafetyRating(WireModel):
    """How likely a candidate or prompt is to fall into one harm category."""

    category: EnumValue | None = None
    probability: EnumValue | None = None
    probability_score: float | None = None
    severity: EnumValue | None = None
    severity_score: float | None = None
    blocked: bool | None = None


class Candidate(WireModel):
    """One answer the model produced."""

    content: Content | None = None
    finish_reason: EnumValue | None = None
    finish_message: str | None = None
    index: int | None = None
    safety_ratings: list[SafetyRating] | None = None
    citation_metadata: dict[str, JsonValue] | None = None
    grounding_metadata: dict[str, JsonValue] | None = None
    url_context_metadata: dict[str, JsonValue] | None = None
    logprobs_result: dict[str, JsonValue] | None = None
    avg_logprobs: float | None = None
    token_count: int | None = None


class PromptFeedback(WireModel):
    """Why a prompt was blocked (then there are no candidates)."""

    block_reason: EnumValue | None = None
    block_reason_message: str | None = None
    safety_ratings: list[SafetyRating] | None = None


class ModalityTokenCount(WireModel):
    """Tokens counted for one modality (``TEXT``, ``IMAGE``, ...)."""

    modality: EnumValue | None = None
    token_count: int | None = None


class UsageMetadata(WireModel):
    """Token counts of a request and its answer."""

    prompt_token_count: int | None = None
    candidates_token_count: int | None = None
    total_token_count: int | None = None
    thoughts_token_count: int | None = None
    cached_content_token_count: int | None = None
    tool_use_prompt_token_count: int | None = None
    prompt_tokens_details: list[ModalityTokenCount] | None = None
    candidates_tokens_details: list[ModalityTokenCount] | None = None
    cache_tokens_details: list[ModalityTokenCount] | None = None
    tool_use_prompt_tokens_details: list[ModalityTokenCount] | None = None
    traffic_type: EnumValue | None = None
    service_tier: EnumValue | None = None


class GenerateContentResponse(WireModel):
    """The answer to `generate_content`, or one chunk of a stream.

    `automatic_function_calling_history` holds the turns of the automatic function-calling loop
    and `parsed` the structured result of a `response_schema`; neither is part of the wire form.
    """

    candidates: list[Candidate] | None = None
    prompt_feedback: PromptFeedback | None = None
    usage_metadata: UsageMetadata | None = None
    model_version: str | None = None
    response_id: str | None = None
    create_time: str | None = None
    automatic_function_calling_history: list[Content] | None = Field(default=None, exclude=True)
    parsed: object = Field(default=None, exclude=True)

    @property
    def parts(self) -> list[Part] | None:
        """Return the parts of the first candidate, or None."""
        if not self.candidates or self.candidates[0].content is None:
            return None
        return list(self.candidates[0].content.parts or [])

    @property
    def text(self) -> str | None:
        """Return the text of the first candidate (thoughts left out), or None if it has none."""
        if not self.candidates or self.candidates[0].content is None:
            return None
        texts = [
            part.text
            for part in self.candidates[0].content.parts or ()
            if part.text is not None and not part.thought
        ]
        return "".join(texts) if texts else None

    @property
    def function_calls(self) -> list[FunctionCall] | None:
        """Return the function calls of the first candidate, or None if there are none."""
        if not self.candidates or self.candidates[0].content is None:
            return None
        calls = [
            part.function_call
            for part in self.candidates[0].content.parts or ()
            if part.function_call is not None
        ]
        return calls or None


def parse_structured(text: str | None, schema: object, mime_type: str | None) -> object:
    """Turn the text of a structured answer into the caller's type, as ``response.parsed``.

    A pydantic model or typing type gives an instance, an Enum a member, a dict or `Schema` the
    decoded JSON. Text that does not fit gives None, as in the official SDK: the raw answer is
    still in ``response.text``.
    """
    if text is None or schema is None:
        return None
    try:
        if isinstance(schema, type) and issubclass(schema, enum.Enum):
            value = json.loads(text) if mime_type == "application/json" else text.strip()
            return schema(value)
        if is_model_type(schema) or not isinstance(schema, dict | WireModel):
            return TypeAdapter(schema).validate_json(text)  # type: ignore[arg-type]
        return json.loads(text)
    except (ValueError, ValidationError):
        return None
