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
  adds a thought part; thinking models (2.5 and later) report ``thoughtsTokenCount``;
- the service's own tools (code execution, Google Search, file search) add their parts and
  ``groundingMetadata`` as `_builtin_tools` describes; ``responseLogprobs`` adds a
  ``logprobsResult`` (``logprobs`` top candidates per token) and its ``avgLogprobs``.

What differs by model generation follows `_catalogue.traits`, as the service does: thinking models
sign their function calls (``thoughtSignature``), Gemini 3 gives calls and code parts an ``id`` and
signs its text too, and 1.5 and 2.0 report ``avgLogprobs`` and ``candidatesTokensDetails`` on the
Gemini API (Vertex AI always does). Gemini API answers say their ``serviceTier`` ("standard") and,
for function calls, ``finishMessage``.

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

from replay.emulator._builtin_tools import ToolRun, grounding_metadata, run_tools
from replay.emulator._catalogue import ModelRef, Traits, traits
from replay.emulator._http import Call
from replay.emulator._media_bytes import pcm, png
from replay.emulator._schema_values import value_for
from replay.emulator._text import (
    count_by_modality,
    count_contents,
    count_text,
    logprobs,
    rng,
    sentences,
    truncate,
)
from replay.emulator._tools import (
    choose_calls,
    function_responses,
    last_user_text,
    quote_responses,
    subject_of,
)
from replay.emulator._usage import SERVICE_TIER, Counts, thought_tokens, traffic_type, usage_metadata
from replay.emulator._wire import JSONObject, as_dict, as_int, as_list, as_str, digest, encode_bytes

BLOCK_PROMPT = "emulator:block-prompt"
BLOCK_RESPONSE = "emulator:block-response"
FUNCTION_CALL_MESSAGE = "Model generated function call(s)."
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
    traits: Traits
    tools: ToolRun


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
    model_traits = traits(model.base_id)
    tools = ToolRun()
    candidates: list[JSONObject] = []
    if BLOCK_PROMPT in said:
        answer["promptFeedback"] = _blocked_feedback(call)
    else:
        tools = run_tools(body, last_user_text(contents), seed, has_ids=model_traits.has_part_ids)
        prompt = _Prompt(call, body, contents, config, afc_depth, BLOCK_RESPONSE in said, model_traits, tools)
        count = max(as_int(config.get("candidateCount"), 1), 1)
        candidates = [_candidate(prompt, digest(seed, i), i) for i in range(count)]
        answer["candidates"] = candidates
    answer["usageMetadata"] = usage_metadata(
        call,
        model_traits,
        Counts(
            prompt_tokens,
            thought_tokens(model_traits, config, seed) if candidates else 0,
            cached.token_count if cached else None,
            tools.prompt_tokens,
            count_by_modality([*contents, system]),
        ),
        candidates,
    )
    answer["modelVersion"] = model.base_id
    if call.is_vertex:
        answer["createTime"] = now
    answer["responseId"] = base64.urlsafe_b64encode(seed[:17]).decode("ascii")[:23]
    return answer


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
            chunk["usageMetadata"] = {"trafficType": traffic_type(call)}
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
                "serviceTier": SERVICE_TIER,
            }
        chunk.update({k: v for k, v in answer.items() if k in ("modelVersion", "createTime", "responseId")})
        chunks.append(chunk)
    return chunks


def _candidate(prompt: _Prompt, seed: bytes, index: int) -> JSONObject:
    candidate: JSONObject = {}
    average = -round(rng(seed).uniform(0.05, 0.9), 6)
    is_averaged = prompt.call.is_vertex or prompt.traits.is_legacy
    if prompt.is_blocked:
        candidate = {"content": {}, "finishReason": "SAFETY", "safetyRatings": _ratings(blocked=True)}
    else:
        parts, finish = _parts(prompt, seed)
        candidate = {"content": {"role": "model", "parts": parts}, "finishReason": finish}
        is_calling = any("functionCall" in p for p in parts)
        if is_calling and not prompt.call.is_vertex and not prompt.traits.is_legacy:
            candidate["finishMessage"] = FUNCTION_CALL_MESSAGE
        if prompt.body.get("safetySettings"):
            candidate["safetyRatings"] = _ratings(blocked=False)
        text = "".join(as_str(p.get("text")) for p in parts if not p.get("thought"))
        grounding = grounding_metadata(prompt.tools, last_user_text(prompt.contents), text)
        if grounding is not None:
            candidate["groundingMetadata"] = grounding
        if prompt.config.get("responseLogprobs") is True:
            top = as_int(prompt.config.get("logprobs"), 0)
            candidate["logprobsResult"], average = logprobs(text, digest(seed, "logprobs"), top)
            is_averaged = True
    if is_averaged:
        candidate["avgLogprobs"] = average
    if not prompt.call.is_vertex:
        candidate["index"] = index
    return candidate


def _parts(prompt: _Prompt, seed: bytes) -> tuple[list[JSONObject], str]:
    parts: list[JSONObject] = []
    config = prompt.config
    if as_dict(config.get("thinkingConfig")).get("includeThoughts") is True:
        parts.append({"text": "Thinking it over: " + sentences(digest(seed, "thought"), 1), "thought": True})
    calls = choose_calls(prompt.body, prompt.contents, prompt.afc_depth)
    if calls:
        for number, call in enumerate(calls):
            if prompt.traits.has_part_ids:
                number_id = int.from_bytes(digest(seed, number)[:3], "big")
                as_dict(call["functionCall"])["id"] = f"call_{number_id}"
        if prompt.traits.is_thinking:
            calls[0]["thoughtSignature"] = _signature(seed)
        return parts + calls, "STOP"
    text, finish = _text(prompt.contents, config, seed)
    parts += prompt.tools.parts
    answer: JSONObject = {"text": text}
    if prompt.traits.has_part_ids:
        answer["thoughtSignature"] = _signature(digest(seed, "text"))
    parts.append(answer)
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


def _signature(seed: bytes) -> str:
    """Return an opaque thought signature: bytes the caller must send back with the part."""
    return encode_bytes(b"\x12" + digest(seed, "signature") + digest(seed, "more")[:16])


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
    """Spread the parts over up to three chunks: text in pieces, the parts before it first, after it last."""
    texts = [p for p in parts if "text" in p and not p.get("thought")]
    if len(texts) != 1 or any("functionCall" in p for p in parts):
        return [parts]
    words = as_str(texts[0].get("text")).split(" ")
    size = max(1, -(-len(words) // 3))
    pieces = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
    pieces = [p + (" " if i < len(pieces) - 1 else "") for i, p in enumerate(pieces)]
    position = next(i for i, p in enumerate(parts) if p is texts[0])
    chunks: list[list[JSONObject]] = [[{"text": piece}] for piece in pieces] or [[{"text": ""}]]
    # A signature travels with the last piece of the text it signs, as in the service's streams.
    chunks[-1][0].update({k: v for k, v in texts[0].items() if k != "text"})
    chunks[0] = parts[:position] + chunks[0]
    chunks[-1] = chunks[-1] + parts[position + 1 :]
    return chunks
