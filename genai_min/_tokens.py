"""Types of `count_tokens`, `compute_tokens` and `embed_content`."""

from __future__ import annotations

from pydantic import JsonValue

from genai_min._base import Base64Bytes, ConfigModel, WireModel
from genai_min._generation import GenerateContentConfig
from genai_min._responses import ModalityTokenCount


class CountTokensConfig(ConfigModel):
    """Options of `count_tokens`; the system instruction, tools and generation config are Vertex only."""

    system_instruction: object = None
    tools: list[object] | None = None
    generation_config: GenerateContentConfig | None = None


class CountTokensResponse(WireModel):
    """How many tokens the contents take."""

    total_tokens: int | None = None
    cached_content_token_count: int | None = None
    total_billable_characters: int | None = None
    prompt_tokens_details: list[ModalityTokenCount] | None = None


class TokensInfo(WireModel):
    """The tokens of one content, as bytes and ids."""

    tokens: list[Base64Bytes] | None = None
    token_ids: list[int] | None = None
    role: str | None = None


class ComputeTokensResponse(WireModel):
    """The tokens of each content (Vertex AI only)."""

    tokens_info: list[TokensInfo] | None = None


class EmbedContentConfig(ConfigModel):
    """Options of `embed_content`."""

    task_type: str | None = None
    title: str | None = None
    output_dimensionality: int | None = None
    mime_type: str | None = None
    auto_truncate: bool | None = None


class ContentEmbeddingStatistics(WireModel):
    """Vertex AI's notes on one embedding: was the input truncated, how many tokens."""

    truncated: bool | None = None
    token_count: float | None = None


class ContentEmbedding(WireModel):
    """One embedding vector."""

    values: list[float] | None = None
    statistics: ContentEmbeddingStatistics | None = None


class EmbedContentMetadata(WireModel):
    """Vertex AI's billing note on an embedding request."""

    billable_character_count: int | None = None


class EmbedContentResponse(WireModel):
    """One embedding per input, in input order."""

    embeddings: list[ContentEmbedding] | None = None
    metadata: EmbedContentMetadata | None = None
    usage_metadata: dict[str, JsonValue] | None = None
