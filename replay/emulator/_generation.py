"""generateContent and streamGenerateContent: the emulated model's answers, whole or in chunks.

An answer is a deterministic function of the request: a SHA-256 seed is taken over the model, the
contents, the system instruction, the tools, the generation config and any cached contents, and
drives every choice. What the model says:

- function calls for declared tools, as `_tools` decides;
- with ``responseMimeType: application/json``, JSON that validates against ``responseJsonSchema``
  or ``responseSchema`` (``{"response": "..."}`` without a schema); with ``text/x.enum``, one of
  the schema's enum values; otherwise two sentences, or a line quoting the caller's function
  responses first;
- ``maxOutputTokens`` cuts plain text (finish reason MAX_TOKENS); ``stopSequences`` cut it
  before the first stop sequence; ``candidateCount`` gives that many candidates;
- ``responseModalities`` with IMAGE or AUDIO adds an inline PNG or PCM part; ``includeThoughts``
  adds a thought part; Gemini 2.5 models report ``thoughtsTokenCount``.

Trigger words (anywhere in a user turn's text, any case):

- ``emulator:block-prompt`` blocks the prompt: ``promptFeedback.blockReason`` SAFETY, no candidates.
- ``emulator:block-response`` stops the candidate with finish reason SAFETY and a blocked rating.

Safety ratings (all NEGLIGIBLE) are returned when the request sets ``safetySettings``.
Streaming cuts the same answer into up to three chunks; Gemini chunks carry running usage, Vertex
AI chunks only ``trafficType`` until the last, which carries the finish reason and full usage.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from replay.emulator._catalogue import ModelRef
from replay.emulator._http import Call
from replay.emulator._media_bytes import pcm, png
from replay.emulator._schema_values import value_for
from replay.emulator._text import count_contents, count_text, rng, sentences, truncate
from replay.emulator._tools import (
    choose_calls,
    function_responses,
    last_user_text,
    quote_responses,
    subject_of,
)
from replay.emulator._wire import JSONObject, as_dict, as_int, as_list, as_str, digest, encode_bytes

BLOCK_PROMPT = "emulator:block-prompt"
BLOCK_RESPONSE = "emulator:block-response"
HARM_CATEGORIES = (
    "HARM_CATEGORY_HATE_SPEECH",
    "HARM_CATEGORY_DANGEROUS_CONTENT",
    "HARM_CATEGORY_HARASSMENT",
    "HARM_CATEGORY_SEXUALLY_EXPLICIT",
)


@dataclass(frozen=True)
class CachedPrefix:
    """The contents a request's ``cachedContent`` adds in front of its own."""

    contents: tuple[object, ...]
    token_count: int


@dataclass(frozen=True)
class _Prompt:
    """What every candidate of one answer is made from."""

    call: Call
    body: JSONObject
    contents: list[JSONObject]
    config: JSONObject
    afc_depth: int
    is_blocked: bool


def generate(
    call: Call, model: ModelRef, body: JSONObject, *, afc_depth: int, cached: CachedPrefix | None, now: str
) -> JSONObject:
    """Answer a generate request with one whole GenerateContentResponse."""
    contents = [as_dict(c) for c in as_list(body.get("contents"))]
    config = as_dict(body.get("generationConfig"))
    system = as_dict(body.get("systemInstruction"))
    cached_contents = cached.contents if cached else None
    seed = digest(
        model.base_id, contents, system, body.get("tools"), body.get("toolConfig"), config, cached_contents
    )
    prompt_tokens = (
        count_contents(contents) + count_contents([system]) + (cached.token_count if cached else 0)
    )
    said = " ".join(last_user_text([c]) for c in contents).lower()
    answer: JSONObject = {}
    if BLOCK_PROMPT in said:
        answer["promptFeedback"] = _blocked_feedback(call)
        candidate_tokens = thought_tokens = 0
    else:
        prompt = _Prompt(call, body, contents, config, afc_depth, BLOCK_RESPONSE in said)
        count = max(as_int(config.get("candidateCount"), 1), 1)
        candidates = [_candidate(prompt, digest(seed, i), i) for i in range(count)]
        answer["candidates"] = [c for c, _ in candidates]
        candidate_tokens = sum(n for _, n in candidates)
        thought_tokens = _thought_tokens(model, config, seed)
    answer["usageMetadata"] = usage(call, prompt_tokens, candidate_tokens, thought_tokens, cached)
    answer["modelVersion"] = model.base_id
    if call.is_vertex:
        answer["createTime"] = now
    answer["responseId"] = base64.urlsafe_b64encode(seed[:17]).decode("ascii")[:23]
    return answer


def usage(
    call: Call, prompt: int, candidates: int, thoughts: int = 0, cached: CachedPrefix | None = None
) -> JSONObject:
    """Build the usage metadata of an answer."""
    meta: JSONObject = {"promptTokenCount": prompt}
    if candidates:
        meta["candidatesTokenCount"] = candidates
    meta["totalTokenCount"] = prompt + candidates + thoughts
    if call.is_vertex:
        meta["trafficType"] = "ON_DEMAND"
    if cached is not None:
        meta["cachedContentTokenCount"] = cached.token_count
    meta["promptTokensDetails"] = [{"modality": "TEXT", "tokenCount": prompt}]
    if cached is not None:
        meta["cacheTokensDetails"] = [{"modality": "TEXT", "tokenCount": cached.token_count}]
    if call.is_vertex and candidates:
        meta["candidatesTokensDetails"] = [{"modality": "TEXT", "tokenCount": candidates}]
    if thoughts:
        meta["thoughtsTokenCount"] = thoughts
    return meta


def stream_chunks(call: Call, answer: JSONObject) -> list[JSONObject]:
    """Cut a whole answer into the chunks of a server-sent-event stream."""
    candidates = [as_dict(c) for c in as_list(answer.get("candidates"))]
    if not candidates:
        return [answer]
    pieces = [
        _split_parts([as_dict(p) for p in as_list(as_dict(c.get("content")).get("parts"))])
        for c in candidates
    ]
    total = max(len(p) for p in pieces)
    usage_meta = as_dict(answer.get("usageMetadata"))
    chunks: list[JSONObject] = []
    for index in range(total):
        is_last = index == total - 1
        chunk_candidates = []
        for candidate, parts in zip(candidates, pieces, strict=True):
            piece: JSONObject = {
                "content": {"role": "model", "parts": parts[index] if index < len(parts) else []}
            }
            if "index" in candidate:
                piece["index"] = candidate["index"]
            if is_last:
                piece.update({k: v for k, v in candidate.items() if k not in ("content", "index")})
            chunk_candidates.append(piece)
        chunk: JSONObject = {"candidates": chunk_candidates}
        if is_last:
            chunk["usageMetadata"] = usage_meta
        elif call.is_vertex:
            chunk["usageMetadata"] = {"trafficType": "ON_DEMAND"}
        else:
            sent = sum(
                count_text(as_str(part.get("text")))
                for chunked in pieces
                for parts_so_far in chunked[: index + 1]
                for part in parts_so_far
            )
            chunk["usageMetadata"] = {
                "promptTokenCount": usage_meta.get("promptTokenCount", 0),
                "candidatesTokenCount": sent,
                "totalTokenCount": as_int(usage_meta.get("promptTokenCount"), 0) + sent,
            }
        chunk.update({k: v for k, v in answer.items() if k in ("modelVersion", "createTime", "responseId")})
        chunks.append(chunk)
    return chunks


def _candidate(prompt: _Prompt, seed: bytes, index: int) -> tuple[JSONObject, int]:
    candidate: JSONObject = {}
    tokens = 0
    if prompt.is_blocked:
        candidate = {"content": {}, "finishReason": "SAFETY", "safetyRatings": _ratings(blocked=True)}
    else:
        parts, finish = _parts(prompt, seed)
        tokens = sum(count_text(as_str(p.get("text"))) for p in parts if not p.get("thought"))
        tokens += sum(count_text(json.dumps(p["functionCall"])) for p in parts if "functionCall" in p)
        candidate = {"content": {"role": "model", "parts": parts}, "finishReason": finish}
        if prompt.body.get("safetySettings"):
            candidate["safetyRatings"] = _ratings(blocked=False)
    if prompt.call.is_vertex:
        candidate["avgLogprobs"] = -round(rng(seed).uniform(0.05, 0.9), 6)
    else:
        candidate["index"] = index
    return candidate, tokens


def _parts(prompt: _Prompt, seed: bytes) -> tuple[list[JSONObject], str]:
    parts: list[JSONObject] = []
    config = prompt.config
    if as_dict(config.get("thinkingConfig")).get("includeThoughts") is True:
        parts.append({"text": "Thinking it over: " + sentences(digest(seed, "thought"), 1), "thought": True})
    calls = choose_calls(prompt.body, prompt.contents, prompt.afc_depth)
    if calls:
        return parts + calls, "STOP"
    text, finish = _text(prompt.contents, config, seed)
    parts.append({"text": text})
    modalities = {as_str(m).upper() for m in as_list(config.get("responseModalities"))}
    if "IMAGE" in modalities:
        parts.append({"inlineData": {"mimeType": "image/png", "data": encode_bytes(png(seed))}})
    if "AUDIO" in modalities:
        audio = {"mimeType": "audio/L16;codec=pcm;rate=24000", "data": encode_bytes(pcm(seed))}
        parts.append({"inlineData": audio})
    return parts, finish


def _text(contents: list[JSONObject], config: JSONObject, seed: bytes) -> tuple[str, str]:
    mime = as_str(config.get("responseMimeType"), "text/plain")
    schema = config.get("responseJsonSchema", config.get("responseSchema"))
    prompt = last_user_text(contents)
    if mime == "text/x.enum":
        options = [as_str(v) for v in as_list(as_dict(schema).get("enum"))]
        return (rng(seed).choice(options) if options else sentences(seed, 1)), "STOP"
    if mime == "application/json":
        value = (
            value_for(schema, seed, subject=subject_of(prompt))
            if schema
            else {"response": sentences(seed, 1)}
        )
        return json.dumps(value, ensure_ascii=False), "STOP"
    responses = function_responses(contents)
    text = (quote_responses(responses) + " " if responses else "") + sentences(seed, 2)
    for stop in (as_str(s) for s in as_list(config.get("stopSequences"))):
        if stop and stop in text:
            text = text[: text.index(stop)]
    limit = config.get("maxOutputTokens")
    if isinstance(limit, int) and not isinstance(limit, bool):
        text, is_cut = truncate(text, limit)
        if is_cut:
            return text, "MAX_TOKENS"
    return text, "STOP"


def _thought_tokens(model: ModelRef, config: JSONObject, seed: bytes) -> int:
    thinking = as_dict(config.get("thinkingConfig"))
    budget = thinking.get("thinkingBudget")
    if budget == 0 or not (model.base_id.startswith("gemini-2.5") or thinking):
        return 0
    return 20 + seed[5] % 80


def _ratings(*, blocked: bool) -> list[object]:
    ratings: list[object] = []
    for category in HARM_CATEGORIES:
        rating: JSONObject = {"category": category, "probability": "NEGLIGIBLE"}
        if blocked and category == HARM_CATEGORIES[0]:
            rating = {"category": category, "probability": "HIGH", "blocked": True}
        ratings.append(rating)
    return ratings


def _blocked_feedback(call: Call) -> JSONObject:
    feedback: JSONObject = {"blockReason": "SAFETY", "safetyRatings": _ratings(blocked=True)}
    if call.is_vertex:
        feedback["blockReasonMessage"] = "The prompt was blocked by the emulator's safety trigger."
    return feedback


def _split_parts(parts: list[JSONObject]) -> list[list[JSONObject]]:
    """Spread the parts over up to three chunks: text in pieces, anything else whole."""
    texts = [p for p in parts if "text" in p and not p.get("thought")]
    if len(texts) != 1 or any("functionCall" in p for p in parts):
        return [parts]
    words = as_str(texts[0].get("text")).split(" ")
    size = max(1, -(-len(words) // 3))
    pieces = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
    pieces = [p + (" " if i < len(pieces) - 1 else "") for i, p in enumerate(pieces)]
    others = [p for p in parts if p is not texts[0]]
    thoughts = [p for p in others if p.get("thought")]
    media = [p for p in others if not p.get("thought")]
    chunks: list[list[JSONObject]] = [[{"text": piece}] for piece in pieces] or [[]]
    chunks[0] = thoughts + chunks[0]
    chunks[-1] = chunks[-1] + media
    return chunks
