"""Which models exist, what each can do, and the model objects that get and list return.

A model is known when its id starts with a family prefix (``gemini-``, ``gemma-``, ``learnlm-``;
``gemini-embedding-``, ``text-embedding-``, ``text-multilingual-embedding-``, ``embedding-``;
``imagen-``, ``virtual-try-on-``, ``image-segmentation-``; ``veo-``), so tests may use any current
or future model name; anything else (``invalid-model-name``) is 404 NOT_FOUND, as is calling a
method the family does not serve (Imagen has no ``generateContent``). Two exceptions narrow this:
the Gemini API serves only the embedding models it names (``gemini-embedding-001``,
``gemini-embedding-2``, ``text-embedding-004``...), not Vertex AI's; and Vertex AI serves partner
publishers' models (``publishers/meta/models/llama-...-maas``, ``publishers/intfloat/models/
multilingual-e5-...-maas``) by their own publisher prefixes. Lists show a
fixed catalogue of sixteen models, enough for two pages at the README's ``page_size=10``. Tuned
models (Gemini ``tunedModels/ID``, Vertex AI ``models/ID`` and ``endpoints/ID``) are known once a
tuning job created them; `resolve_model` asks the tuning store through a callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from replay.emulator._errors import StatusError, not_found
from replay.emulator._http import Call


class Family(Enum):
    """What a model does."""

    GENERATIVE = "generative"
    EMBEDDING = "embedding"
    IMAGE = "image"
    VIDEO = "video"


METHODS: dict[Family, frozenset[str]] = {
    Family.GENERATIVE: frozenset(
        {"generateContent", "streamGenerateContent", "countTokens", "computeTokens", "batchGenerateContent"}
    ),
    Family.EMBEDDING: frozenset(
        {"embedContent", "batchEmbedContents", "asyncBatchEmbedContent", "predict", "countTokens"}
    ),
    Family.IMAGE: frozenset({"predict"}),
    Family.VIDEO: frozenset({"predictLongRunning", "fetchPredictOperation"}),
}

_PREFIXES = (
    ("gemini-embedding-", Family.EMBEDDING),
    ("text-embedding-", Family.EMBEDDING),
    ("text-multilingual-embedding-", Family.EMBEDDING),
    ("embedding-", Family.EMBEDDING),
    ("imagen-", Family.IMAGE),
    ("virtual-try-on-", Family.IMAGE),
    ("image-segmentation-", Family.IMAGE),
    ("veo-", Family.VIDEO),
    ("gemini-", Family.GENERATIVE),
    ("gemma-", Family.GENERATIVE),
    ("learnlm-", Family.GENERATIVE),
)

# Vertex AI's Model Garden: the families of partner publishers' models, by publisher and id prefix.
_PARTNER_PREFIXES: dict[str, tuple[tuple[str, Family], ...]] = {
    "meta": (("llama-", Family.GENERATIVE),),
    "mistralai": (("mistral-", Family.GENERATIVE), ("codestral-", Family.GENERATIVE)),
    "anthropic": (("claude-", Family.GENERATIVE),),
    "intfloat": (("multilingual-e5-", Family.EMBEDDING),),
}
# The embedding models the Gemini API serves; the others of the family are Vertex AI's alone.
_GEMINI_EMBEDDINGS = re.compile(
    r"gemini-embedding-(001|exp(-[0-9-]+)?|[2-9](-preview(-[0-9-]+)?)?)|text-embedding-004|embedding-001"
)

# (id, display name, input limit, output limit): the models that lists show.
CATALOGUE: tuple[tuple[str, str, int, int], ...] = (
    ("gemini-2.5-pro", "Gemini 2.5 Pro", 1048576, 65536),
    ("gemini-2.5-flash", "Gemini 2.5 Flash", 1048576, 65536),
    ("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite", 1048576, 65536),
    ("gemini-2.0-flash", "Gemini 2.0 Flash", 1048576, 8192),
    ("gemini-2.0-flash-001", "Gemini 2.0 Flash 001", 1048576, 8192),
    ("gemini-2.0-flash-lite", "Gemini 2.0 Flash-Lite", 1048576, 8192),
    ("gemini-2.0-flash-lite-001", "Gemini 2.0 Flash-Lite 001", 1048576, 8192),
    ("gemma-3-27b-it", "Gemma 3 27B", 131072, 8192),
    ("text-embedding-004", "Text Embedding 004", 2048, 1),
    ("gemini-embedding-001", "Gemini Embedding 001", 2048, 1),
    ("imagen-3.0-generate-002", "Imagen 3.0", 480, 8192),
    ("imagen-3.0-capability-001", "Imagen 3.0 Capability", 480, 8192),
    ("imagen-4.0-generate-001", "Imagen 4", 480, 8192),
    ("veo-2.0-generate-001", "Veo 2", 480, 8192),
    ("veo-3.0-generate-001", "Veo 3", 1024, 8192),
    ("veo-3.0-fast-generate-001", "Veo 3 fast", 1024, 8192),
)

_GEMINI_METHODS = {
    Family.GENERATIVE: ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"],
    Family.EMBEDDING: ["embedContent", "countTokens", "countTextTokens", "asyncBatchEmbedContent"],
    Family.IMAGE: ["predict"],
    Family.VIDEO: ["predictLongRunning"],
}

DEFAULT_DIMENSIONS = {"gemini-embedding-001": 3072}


_THINKING = re.compile(r"gemini-(2\.5|[3-9])|gemini-(flash|pro)(-lite)?-latest")
_LEGACY = re.compile(r"gemini-(1\.5|2\.0)")
_GEMINI_3 = re.compile(r"gemini-[3-9]")


@dataclass(frozen=True)
class Traits:
    """Where generations of Gemini models answer differently on the wire (seen in corpus/real)."""

    is_thinking: bool
    """2.5 and later think: they report ``thoughtsTokenCount`` and sign their function calls."""
    has_part_ids: bool
    """Gemini 3 gives function calls and code execution parts an ``id``, and signs text too."""
    is_legacy: bool
    """1.5 and 2.0 report ``avgLogprobs`` and ``candidatesTokensDetails`` on the Gemini API too."""


def traits(model_id: str) -> Traits:
    """Return the wire traits of a base model id."""
    is_thinking = _THINKING.match(model_id) is not None
    has_part_ids = _GEMINI_3.match(model_id) is not None
    return Traits(is_thinking, has_part_ids, _LEGACY.match(model_id) is not None)


def family_of(model_id: str, publisher: str = "google") -> Family | None:
    """Return the family of a base model id of `publisher`, or None when no such model exists."""
    prefixes = _PREFIXES if publisher == "google" else _PARTNER_PREFIXES.get(publisher, ())
    return next((family for prefix, family in prefixes if model_id.startswith(prefix)), None)


@dataclass(frozen=True)
class ModelRef:
    """A model a request names: its path as sent, the base model it runs, and its family."""

    path: str
    base_id: str
    family: Family
    is_tuned: bool = False


TunedLookup = Callable[[str], str | None]
"""Map a tuned resource (``tunedModels/x``, ``models/123``, ``endpoints/456``) to its base model id."""


def resolve_model(call: Call, path: str, method: str, tuned: TunedLookup) -> ModelRef:
    """Find the model `path` names (as in the URL), or raise the service's 404."""
    parts = path.split("/")
    base_id: str | None = None
    publisher = "google"
    is_tuned = False
    if len(parts) == 4 and parts[0] == "publishers" and parts[2] == "models" and call.is_vertex:
        base_id, publisher = parts[3].split("@", 1)[0], parts[1]
    elif len(parts) == 2 and parts[0] == "models" and not call.is_vertex:
        base_id = parts[1]
    elif len(parts) == 2 and parts[0] in ("tunedModels", "models", "endpoints"):
        base_id = tuned(f"{parts[0]}/{parts[1].split('@', 1)[0]}")
        is_tuned = True
    family = family_of(base_id, publisher) if base_id else None
    if family is Family.EMBEDDING and not call.is_vertex and not _GEMINI_EMBEDDINGS.fullmatch(base_id or ""):
        family = None
    if base_id is None or family is None or method not in METHODS[family]:
        raise model_not_found(call, path, method)
    return ModelRef(path, base_id, family, is_tuned)


def model_not_found(call: Call, path: str, method: str) -> StatusError:
    """Build the 404 the service answers for an unknown model or an unsupported method."""
    if call.is_vertex:
        full = f"{call.parent()}{path}"
        if path.startswith("publishers/"):
            return not_found(
                f"Publisher Model `{full}` was not found or your project does not have access to it. "
                "Please ensure you are using a valid model version. For more information, see: "
                "https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions"
            )
        return not_found(f"The resource `{full}` was not found or does not support {method}.")
    return not_found(
        f"{path} is not found for API version {call.version}, or is not supported for {method}. "
        "Call ListModels to see the list of available models and their supported methods."
    )


def gemini_model(model_id: str) -> dict[str, object]:
    """Return the Gemini API's Model object for a base model id."""
    family = family_of(model_id) or Family.GENERATIVE
    display, limit_in, limit_out = next(
        ((d, i, o) for m, d, i, o in CATALOGUE if m == model_id),
        (model_id, 1048576, 8192),
    )
    version = model_id.rsplit("-", 1)[-1] if model_id[-3:].isdigit() else "001"
    model: dict[str, object] = {
        "name": f"models/{model_id}",
        "version": version,
        "displayName": display,
        "description": f"{display}, as served by the local emulator.",
        "inputTokenLimit": limit_in,
        "outputTokenLimit": limit_out,
        "supportedGenerationMethods": list(_GEMINI_METHODS[family]),
    }
    if family is Family.GENERATIVE:
        model.update({"temperature": 1, "topP": 0.95, "topK": 64, "maxTemperature": 2})
        if model_id.startswith("gemini-2.5"):
            model["thinking"] = True
    return model


def vertex_model(model_id: str) -> dict[str, object]:
    """Return Vertex AI's PublisherModel object for a base model id."""
    version = model_id.rsplit("-", 1)[-1] if model_id[-3:].isdigit() else "default"
    return {
        "name": f"publishers/google/models/{model_id}",
        "versionId": version,
        "openSourceCategory": "PROPRIETARY",
        "launchStage": "GA",
        "versionState": "VERSION_STATE_STABLE",
        "publisherModelTemplate": (
            f"projects/{{project}}/locations/{{location}}/publishers/google/models/{model_id}@{version}"
        ),
    }


def get_base_model(call: Call, model_id: str) -> dict[str, object]:
    """Answer a GET of a base model, or raise 404."""
    if family_of(model_id) is None and call.is_vertex:
        raise not_found(f"Publisher Model `publishers/google/models/{model_id}` not found.")
    if family_of(model_id) is None:
        raise not_found(
            f"models/{model_id} is not found for API version {call.version}, or is not supported for "
            "GetModel. Call ListModels to see the list of available models and their supported methods."
        )
    return vertex_model(model_id) if call.is_vertex else gemini_model(model_id)


def base_models(call: Call) -> list[dict[str, object]]:
    """Return the catalogue as the backend lists it."""
    make = vertex_model if call.is_vertex else gemini_model
    return [make(model_id) for model_id, *_ in CATALOGUE]
