"""Types of the model-management calls: `get`, `list`, `update` and `delete`."""

from __future__ import annotations

from pydantic import JsonValue

from genai_min._base import ConfigModel, WireModel


class TunedModelInfo(WireModel):
    """Where a tuned model came from (Vertex AI)."""

    base_model: str | None = None
    create_time: str | None = None
    update_time: str | None = None


class Model(WireModel):
    """A base or tuned model, as either backend describes it.

    Gemini and Vertex AI describe models with different fields; the common ones are typed here and
    every other field is kept as it came.
    """

    name: str | None = None
    display_name: str | None = None
    description: str | None = None
    version: str | None = None
    version_id: str | None = None
    base_model_id: str | None = None
    input_token_limit: int | None = None
    output_token_limit: int | None = None
    supported_generation_methods: list[str] | None = None
    supported_actions: list[str] | None = None
    temperature: float | None = None
    max_temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    thinking: bool | None = None
    labels: dict[str, str] | None = None
    default_checkpoint_id: str | None = None
    checkpoints: list[dict[str, JsonValue]] | None = None
    deployed_models: list[dict[str, JsonValue]] | None = None
    tuned_model_info: TunedModelInfo | None = None
    state: str | None = None
    base_model: str | None = None
    create_time: str | None = None
    update_time: str | None = None


class ListModelsConfig(ConfigModel):
    """Options of `models.list`: page size and token, base (default) or tuned models, a filter."""

    page_size: int | None = None
    page_token: str | None = None
    filter: str | None = None
    query_base: bool = True


class UpdateModelConfig(ConfigModel):
    """Fields of a tuned model that `models.update` changes."""

    display_name: str | None = None
    description: str | None = None
    default_checkpoint_id: str | None = None


class DeleteModelResponse(WireModel):
    """The answer to `models.delete` (empty, or a long-running operation on Vertex AI)."""

    name: str | None = None
    done: bool | None = None
    error: dict[str, JsonValue] | None = None
