"""The ``usageMetadata`` of a generated answer: what the prompt, the answer, thoughts and tools cost.

Counts come from `_text`'s tokeniser (258 per media part). Both backends report the prompt by
modality (an inline image under IMAGE); Vertex AI also reports the answer by modality and its
``trafficType`` (PROVISIONED_THROUGHPUT when the request asks for its provisioned throughput with
``X-Vertex-AI-LLM-Request-Type: dedicated``, else ON_DEMAND), and so does the
Gemini API for 1.5 and 2.0 models and for answers with image or audio parts. Gemini API answers
carry their ``serviceTier``. A cached prefix, the service's own tools and thinking add their counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from replay.emulator._catalogue import Traits
from replay.emulator._http import Call
from replay.emulator._text import MEDIA_TOKENS, count_text
from replay.emulator._wire import JSONObject, as_dict, as_list, as_str

SERVICE_TIER = "standard"
"""The tier the Gemini API says it served an answer in, in lower case as it sends it."""


@dataclass(frozen=True)
class Counts:
    """What an answer cost besides the answer itself."""

    prompt: int
    thoughts: int = 0
    cached: int | None = None
    """Tokens of the cached prefix, when the request named a cache."""
    tools: int = 0
    """Tokens the service's own tools added to the prompt."""
    prompt_details: dict[str, int] | None = None
    """The prompt's tokens by modality, when it holds more than text; the rest counts as TEXT."""


def traffic_type(call: Call) -> str:
    """Return the Vertex AI traffic type a request is served as."""
    if call.headers.get("x-vertex-ai-llm-request-type", "").strip().lower() == "dedicated":
        return "PROVISIONED_THROUGHPUT"
    return "ON_DEMAND"


def modality_details(total: int, by_modality: dict[str, int] | None) -> list[object]:
    """List a prompt's tokens by modality; whatever `by_modality` leaves out is TEXT."""
    counts = dict(by_modality or {})
    counts["TEXT"] = counts.get("TEXT", 0) + total - sum(counts.values())
    return [{"modality": m, "tokenCount": n} for m, n in counts.items() if n or m == "TEXT"]


def usage_metadata(call: Call, traits: Traits, counts: Counts, candidates: list[JSONObject]) -> JSONObject:
    """Build the usage metadata of an answer whose candidates are `candidates`."""
    details = _output_details(candidates)
    answered = sum(details.values())
    meta: JSONObject = {"promptTokenCount": counts.prompt}
    if answered:
        meta["candidatesTokenCount"] = answered
    meta["totalTokenCount"] = counts.prompt + answered + counts.thoughts + counts.tools
    if call.is_vertex:
        meta["trafficType"] = traffic_type(call)
    if counts.cached is not None:
        meta["cachedContentTokenCount"] = counts.cached
    meta["promptTokensDetails"] = modality_details(counts.prompt, counts.prompt_details)
    if counts.cached is not None:
        meta["cacheTokensDetails"] = [{"modality": "TEXT", "tokenCount": counts.cached}]
    if answered and (call.is_vertex or traits.is_legacy or len(details) > 1):
        meta["candidatesTokensDetails"] = [{"modality": m, "tokenCount": n} for m, n in details.items()]
    if counts.tools:
        meta["toolUsePromptTokenCount"] = counts.tools
        meta["toolUsePromptTokensDetails"] = [{"modality": "TEXT", "tokenCount": counts.tools}]
    if counts.thoughts:
        meta["thoughtsTokenCount"] = counts.thoughts
    if not call.is_vertex:
        meta["serviceTier"] = SERVICE_TIER
    return meta


def thought_tokens(traits: Traits, config: JSONObject, seed: bytes) -> int:
    """Return how many tokens the model thought: none for non-thinking models or a zero budget."""
    thinking = as_dict(config.get("thinkingConfig"))
    budget = thinking.get("thinkingBudget")
    if budget == 0 or not (traits.is_thinking or thinking):
        return 0
    return 20 + seed[5] % 80


def _output_details(candidates: list[JSONObject]) -> dict[str, int]:
    """Count the answer's tokens by modality: text by the tokeniser, each media part flat."""
    counts: dict[str, int] = {}
    for candidate in candidates:
        for value in as_list(as_dict(candidate.get("content")).get("parts")):
            part = as_dict(value)
            if "inlineData" in part:
                mime = as_str(as_dict(part["inlineData"]).get("mimeType"))
                modality = "IMAGE" if mime.startswith("image/") else "AUDIO"
                counts[modality] = counts.get(modality, 0) + MEDIA_TOKENS
            elif "functionCall" in part:
                counts["TEXT"] = counts.get("TEXT", 0) + count_text(json.dumps(part["functionCall"]))
            elif not part.get("thought"):
                counts["TEXT"] = counts.get("TEXT", 0) + count_text(as_str(part.get("text")))
    return counts
