"""Pure request builders and response parsers of the `models` calls, shared by sync and async.

Every function here is free of I/O: it turns typed arguments into an `HttpRequest`, or a parsed
body into typed results, so `models` and `aio.models` differ only in how they send.
"""

from __future__ import annotations

from collections.abc import Sequence

from genai_min._base import coerce, parse
from genai_min._content import Content, to_content, to_contents
from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError, UnsupportedError
from genai_min._generation import GenerateContentConfig, generation_config
from genai_min._http import JSON, HttpRequest, JSONObject
from genai_min._model_info import DeleteModelResponse, ListModelsConfig, Model, UpdateModelConfig
from genai_min._names import model_path, path_segment
from genai_min._pager import Page, page_query
from genai_min._responses import GenerateContentResponse, parse_structured
from genai_min._tokens import (
    ComputeTokensResponse,
    CountTokensConfig,
    CountTokensResponse,
    EmbedContentConfig,
    EmbedContentResponse,
)
from genai_min._tools import split_tools


def generate_request(endpoint: Endpoint, model: str, body: JSONObject, *, stream: bool) -> HttpRequest:
    """Build ``:generateContent`` or ``:streamGenerateContent?alt=sse``."""
    method = "streamGenerateContent" if stream else "generateContent"
    path = f"{path_segment(model_path(endpoint, model))}:{method}"
    query = (("alt", "sse"),) if stream else ()
    return HttpRequest("POST", path, query, json=body, is_stream=stream)


def parse_generate(data: JSON, config: GenerateContentConfig | None) -> GenerateContentResponse:
    """Parse a generate answer (or stream chunk); fill ``parsed`` when a schema was asked for."""
    response = parse(GenerateContentResponse, data)
    if config is not None and config.response_schema is not None:
        response.parsed = parse_structured(response.text, config.response_schema, config.response_mime_type)
    return response


def count_tokens_request(endpoint: Endpoint, model: str, contents: object, config: object) -> HttpRequest:
    """Build ``:countTokens``; the config's extras are accepted by Vertex AI only."""
    cfg = coerce(CountTokensConfig, config or {}, what="CountTokensConfig")
    body: JSONObject = {"contents": _wire(to_contents(contents))}
    extras = cfg.system_instruction is not None or cfg.tools or cfg.generation_config is not None
    if extras and not endpoint.is_vertex:
        raise UnsupportedError(
            "count_tokens takes system_instruction, tools and generation_config on Vertex AI "
            "only; leave them out for the Gemini Developer API"
        )
    if cfg.system_instruction is not None:
        body["systemInstruction"] = to_content(cfg.system_instruction).to_wire()
    if cfg.tools:
        body["tools"] = list(split_tools(cfg.tools)[0])
    if cfg.generation_config is not None:
        body["generationConfig"] = generation_config(cfg.generation_config)
    return HttpRequest("POST", f"{path_segment(model_path(endpoint, model))}:countTokens", json=body)


def compute_tokens_request(endpoint: Endpoint, model: str, contents: object) -> HttpRequest:
    """Build ``:computeTokens`` (Vertex AI only)."""
    if not endpoint.is_vertex:
        raise UnsupportedError(
            "compute_tokens is only supported by Vertex AI; use count_tokens on the Gemini Developer API"
        )
    body: JSONObject = {"contents": _wire(to_contents(contents))}
    return HttpRequest("POST", f"{path_segment(model_path(endpoint, model))}:computeTokens", json=body)


def parse_count_tokens(data: JSON) -> CountTokensResponse:
    """Parse a ``countTokens`` answer."""
    return parse(CountTokensResponse, data)


def parse_compute_tokens(data: JSON) -> ComputeTokensResponse:
    """Parse a ``computeTokens`` answer."""
    return parse(ComputeTokensResponse, data)


def _is_vertex_gemini_embedding(model: str) -> bool:
    # Vertex serves Gemini-family embedding models through :embedContent, the older text
    # embedding models (and gemini-embedding-001) through :predict.
    name = model.rsplit("/", 1)[-1]
    return ("gemini" in name and name != "gemini-embedding-001") or "maas" in model


def embed_request(endpoint: Endpoint, model: str, contents: object, config: object) -> HttpRequest:
    """Build the embedding request: batch on Gemini, ``predict`` or ``embedContent`` on Vertex."""
    cfg = coerce(EmbedContentConfig, config or {}, what="EmbedContentConfig")
    items = list(contents) if isinstance(contents, list | tuple) else [contents]
    if not items:
        raise ConfigError("embed_content needs at least one content")
    path = path_segment(model_path(endpoint, model))
    if not endpoint.is_vertex:
        if cfg.auto_truncate is not None or cfg.mime_type is not None:
            raise UnsupportedError("auto_truncate and mime_type are only supported by Vertex AI")
        extra = cfg.model_dump(exclude_none=True, include={"task_type", "title", "output_dimensionality"})
        requests: list[JSON] = [
            {
                "model": model_path(endpoint, model),
                "content": _one_content(item).to_wire(),
                **{_camel(k): v for k, v in extra.items()},
            }
            for item in items
        ]
        return HttpRequest("POST", f"{path}:batchEmbedContents", json={"requests": requests})
    if _is_vertex_gemini_embedding(model):
        if len(items) != 1:
            raise ConfigError(f"{model} embeds one content per request; got {len(items)}")
        settings = cfg.model_dump(exclude_none=True, exclude={"mime_type"})
        body: JSONObject = {"content": _one_content(items[0]).to_wire()}
        if settings:
            body["embedContentConfig"] = {_camel(k): v for k, v in settings.items()}
        return HttpRequest("POST", f"{path}:embedContent", json=body)
    instance_fields = cfg.model_dump(exclude_none=True, include={"task_type", "title", "mime_type"})
    # `instances` are free-form values read by the model server, which spells them snake_case.
    instances: list[JSON] = [{"content": _text_of(item), **instance_fields} for item in items]
    body = {"instances": instances}
    parameters = cfg.model_dump(exclude_none=True, include={"output_dimensionality", "auto_truncate"})
    if parameters:
        body["parameters"] = {_camel(k): v for k, v in parameters.items()}
    return HttpRequest("POST", f"{path}:predict", json=body)


def parse_embed(data: JSON) -> EmbedContentResponse:
    """Parse any of the three embedding answers into one `EmbedContentResponse`."""
    if isinstance(data, dict) and "predictions" in data:
        predictions = data.get("predictions")
        embeddings = (
            [p.get("embeddings") for p in predictions or () if isinstance(p, dict)]
            if isinstance(predictions, list)
            else []
        )
        return parse(EmbedContentResponse, {"embeddings": embeddings, "metadata": data.get("metadata")})
    if isinstance(data, dict) and "embedding" in data:
        rest = {k: v for k, v in data.items() if k != "embedding"}
        return parse(EmbedContentResponse, {"embeddings": [data["embedding"]], **rest})
    return parse(EmbedContentResponse, data)


def get_model_request(endpoint: Endpoint, model: str) -> HttpRequest:
    """Build the GET of a base or tuned model."""
    return HttpRequest("GET", path_segment(model_path(endpoint, model)))


def list_models_request(endpoint: Endpoint, config: ListModelsConfig, page_token: str | None) -> HttpRequest:
    """Build one page of ``models.list``: base models by default, tuned with ``query_base=False``."""
    query: list[tuple[str, str]] = []
    if endpoint.is_vertex:
        path = "publishers/google/models" if config.query_base else "models"
        if not config.query_base:
            query.append(("filter", "labels.tune-type:*"))
    else:
        path = "models" if config.query_base else "tunedModels"
    if config.filter:
        query.append(("filter", config.filter))
    query += page_query(config.page_size, page_token or config.page_token)
    return HttpRequest("GET", path, tuple(query))


def parse_models_page(data: JSON) -> Page[Model]:
    """Parse one page of models, whichever key the backend lists them under."""
    if not isinstance(data, dict):
        return [], None
    items = data.get("models") or data.get("tunedModels") or data.get("publisherModels") or []
    token = data.get("nextPageToken")
    models = [parse(Model, item) for item in items] if isinstance(items, list) else []
    return models, token if isinstance(token, str) and token else None


def list_config(config: object) -> ListModelsConfig:
    """Accept a `ListModelsConfig`, a dict or None."""
    return coerce(ListModelsConfig, config or {}, what="ListModelsConfig")


def update_model_request(endpoint: Endpoint, model: str, config: object) -> HttpRequest:
    """Build the PATCH of a tuned model, with an ``updateMask`` naming the fields it sets."""
    cfg = coerce(UpdateModelConfig, config or {}, what="UpdateModelConfig")
    body = cfg.to_wire()
    if not body:
        raise ConfigError(
            "models.update needs at least one of display_name, description, default_checkpoint_id"
        )
    name = model_path(endpoint, model)
    if endpoint.is_vertex:
        name = name.split("@", 1)[0]  # Vertex updates the model, not one of its versions
    mask = ",".join(body)
    return HttpRequest("PATCH", path_segment(name), (("updateMask", mask),), json=body)


def parse_model(data: JSON) -> Model:
    """Parse a model."""
    return parse(Model, data)


def delete_model_request(endpoint: Endpoint, model: str) -> HttpRequest:
    """Build the DELETE of a tuned model."""
    return HttpRequest("DELETE", path_segment(model_path(endpoint, model)))


def parse_delete_model(data: JSON) -> DeleteModelResponse:
    """Parse the answer to a delete: empty, or an operation."""
    return parse(DeleteModelResponse, data)


def _wire(contents: Sequence[Content]) -> list[JSON]:
    return [c.to_wire() for c in contents]


def _one_content(item: object) -> Content:
    contents = to_contents(item)
    if len(contents) != 1:
        raise ConfigError(f"each embedded item must make one content, got {len(contents)}")
    return contents[0]


def _text_of(item: object) -> str:
    parts = _one_content(item).parts or []
    texts = [p.text for p in parts if p.text is not None]
    if len(texts) != len(parts):
        raise UnsupportedError("this Vertex AI embedding model takes text only; pass strings or text parts")
    return "".join(texts)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)
