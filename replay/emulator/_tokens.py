"""countTokens, computeTokens and the three embedding methods, on the emulator's own tokeniser.

Token counts come from `_text` (runs of letters or digits, or one other character; 258 per media
part). Embeddings are unit vectors derived from the text, ``outputDimensionality`` long (3072 for
``gemini-embedding-001``, 768 otherwise, at most 3072). The answer shapes follow each backend:

- Gemini ``:embedContent`` ``{"embedding": {"values"}}`` and ``:batchEmbedContents``
  ``{"embeddings": [...]}``; from ``gemini-embedding-2`` on (previews apart), with ``usageMetadata``
  ``{"promptTokenCount", "promptTokenDetails"}`` (sic: not ``promptTokensDetails``);
- Vertex AI ``:embedContent`` adds ``usageMetadata`` with its ``trafficType``; its legacy ``:predict`` answers
  ``{"predictions": [{"embeddings": {"values", "statistics": {"truncated", "token_count"}}}],
  "metadata": {"billableCharacterCount"}}`` (``token_count`` is snake_case on the wire).
"""

from __future__ import annotations

import re

from replay.emulator._catalogue import DEFAULT_DIMENSIONS
from replay.emulator._errors import invalid_argument
from replay.emulator._http import Call
from replay.emulator._text import count_by_modality, count_contents, embedding, token_id, tokens
from replay.emulator._tools import user_text
from replay.emulator._usage import modality_details, traffic_type
from replay.emulator._wire import JSONObject, as_dict, as_int, as_list, as_str, encode_bytes

MAX_DIMENSIONS = 3072
_COUNTS_USAGE = re.compile(r"gemini-embedding-[2-9](?!.*preview)")


def count_tokens(call: Call) -> JSONObject:
    """Answer ``:countTokens`` (Gemini also takes a whole ``generateContentRequest``)."""
    body = call.body
    if "generateContentRequest" in body:
        body = call.field("generateContentRequest")
    contents = as_list(body.get("contents"))
    total = count_contents(contents) + count_contents([as_dict(body.get("systemInstruction"))])
    answer: JSONObject = {"totalTokens": total}
    if call.is_vertex:
        characters = sum(len(user_text(as_dict(c)).replace(" ", "")) for c in contents)
        answer["totalBillableCharacters"] = characters
    answer["promptTokensDetails"] = modality_details(total, count_by_modality(contents))
    return answer


def compute_tokens(call: Call) -> JSONObject:
    """Answer Vertex AI's ``:computeTokens``: each content's tokens and their ids."""
    infos: list[object] = []
    for content in as_list(call.body.get("contents")):
        found = tokens(user_text(as_dict(content)))
        infos.append(
            {
                "tokens": [encode_bytes(t.encode("utf-8")) for t in found],
                "tokenIds": [str(token_id(t)) for t in found],
                "role": as_str(as_dict(content).get("role"), "user"),
            }
        )
    return {"tokensInfo": infos}


def dimensions(model_id: str, asked: object, where: str) -> int:
    """Return the embedding size to produce, checking the asked one."""
    if asked is None:
        return DEFAULT_DIMENSIONS.get(model_id, 768)
    size = as_int(asked, -1)
    if not 1 <= size <= MAX_DIMENSIONS:
        raise invalid_argument(
            f"* {where}: output_dimensionality must be between 1 and {MAX_DIMENSIONS}, not {asked!r}."
        )
    return size


def embed_one(
    call: Call, model_id: str, request: JSONObject, *, where: str = "EmbedContentRequest"
) -> JSONObject:
    """Return ``{"values": [...]}`` for one embed request (``content`` plus settings)."""
    content = as_dict(request.get("content"))
    if not as_list(content.get("parts")):
        raise invalid_argument(f"* {where}.content: content is required and must have parts.")
    config = as_dict(request.get("embedContentConfig")) or request
    size = dimensions(model_id, config.get("outputDimensionality"), f"{where}.output_dimensionality")
    return {"values": embedding(user_text(content), size)}


def embed_content(call: Call, model_id: str) -> JSONObject:
    """Answer ``:embedContent``."""
    vector = embed_one(call, model_id, call.body)
    prompt = count_contents([call.field("content")])
    if not call.is_vertex:
        return _with_gemini_usage({"embedding": vector}, model_id, prompt)
    details = modality_details(prompt, count_by_modality([call.field("content")]))
    usage = {"promptTokenCount": prompt, "promptTokensDetails": details, "totalTokenCount": prompt}
    return {"embedding": vector, "usageMetadata": {**usage, "trafficType": traffic_type(call)}}


def _with_gemini_usage(answer: JSONObject, model_id: str, prompt: int) -> JSONObject:
    """Add the Gemini API's embedding usage to `answer`, for the models that report it."""
    if _COUNTS_USAGE.match(model_id):
        details = [{"modality": "TEXT", "tokenCount": prompt}]
        answer["usageMetadata"] = {"promptTokenCount": prompt, "promptTokenDetails": details}
    return answer


def batch_embed_contents(call: Call, model_id: str) -> JSONObject:
    """Answer Gemini's ``:batchEmbedContents``."""
    requests = as_list(call.body.get("requests"))
    if not requests:
        raise invalid_argument("* BatchEmbedContentsRequest.requests: at least one request is required.")
    where = "BatchEmbedContentsRequest.requests[{}]"
    embeddings: list[object] = [
        embed_one(call, model_id, as_dict(r), where=where.format(i)) for i, r in enumerate(requests)
    ]
    prompt = count_contents([as_dict(r).get("content") for r in requests])
    return _with_gemini_usage({"embeddings": embeddings}, model_id, prompt)


def predict_embeddings(call: Call, model_id: str) -> JSONObject:
    """Answer Vertex AI's legacy ``:predict`` for text embedding models."""
    instances = [as_dict(i) for i in as_list(call.body.get("instances"))]
    if not instances:
        raise invalid_argument("* PredictRequest.instances: at least one instance is required.")
    parameters = call.field("parameters")
    size = dimensions(model_id, parameters.get("outputDimensionality"), "parameters.outputDimensionality")
    predictions: list[object] = []
    characters = 0
    for instance in instances:
        text = as_str(instance.get("content"))
        characters += len(text.replace(" ", ""))
        statistics = {"truncated": False, "token_count": len(tokens(text))}
        predictions.append({"embeddings": {"values": embedding(text, size), "statistics": statistics}})
    return {"predictions": predictions, "metadata": {"billableCharacterCount": characters}}
