"""When the emulated model calls a declared function, which one, and with which arguments.

Rules, from ``toolConfig.functionCallingConfig.mode`` (AUTO when absent) and the conversation since
the last user turn that holds text (a "round" is one model turn of function calls answered by the
caller's function responses):

- NONE, or no ``functionDeclarations`` in ``tools``: never call; answer with text.
- AUTO and VALIDATED: call when the last user turn is text (no round yet); after the caller's
  function response, answer with text that quotes it.
- ANY: call on every turn until `afc_depth` rounds have happened, then answer with text. This caps
  the SDK's automatic function calling loop, which would otherwise go on to its own limit.
- ``allowedFunctionNames`` narrows the choice. The function chosen is the one whose name shares
  most words with the prompt (the first declared on a tie); its arguments are generated from its
  ``parameters`` or ``parametersJsonSchema``, with place- and name-like strings taken from the
  prompt's last capitalised phrase ("Boston").
"""

from __future__ import annotations

import json
import re

from replay.emulator._schema_values import value_for
from replay.emulator._wire import JSONObject, as_dict, as_list, as_str, digest

_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
_WORD = re.compile(r"[A-Za-z][a-z]*|[0-9]+")


def declarations(body: JSONObject) -> list[JSONObject]:
    """Return every function declaration of the request's tools."""
    return [
        as_dict(d)
        for tool in as_list(body.get("tools"))
        for d in as_list(as_dict(tool).get("functionDeclarations"))
    ]


def user_text(content: JSONObject) -> str:
    """Join the text parts of one content."""
    return " ".join(
        as_str(as_dict(p).get("text")) for p in as_list(content.get("parts")) if "text" in as_dict(p)
    )


def last_user_text(contents: list[JSONObject]) -> str:
    """Return the text of the last user turn that has any."""
    for content in reversed(contents):
        if as_str(content.get("role"), "user") != "model" and (text := user_text(content).strip()):
            return text
    return ""


def subject_of(text: str) -> str:
    """Return the last capitalised phrase of `text` that does not open it ("Boston")."""
    found = [m.group(0) for m in _CAPITALISED.finditer(text) if m.start() > 0]
    return found[-1] if found else ""


def rounds_since_text(contents: list[JSONObject]) -> int:
    """Count the model's function-call turns since the last user turn with text."""
    rounds = 0
    for content in reversed(contents):
        parts = [as_dict(p) for p in as_list(content.get("parts"))]
        if as_str(content.get("role"), "user") == "model":
            rounds += any("functionCall" in p for p in parts)
        elif any("text" in p and as_str(p.get("text")).strip() for p in parts):
            break
    return rounds


def function_responses(contents: list[JSONObject]) -> list[JSONObject]:
    """Return the function responses of the last turn (empty unless it answers calls)."""
    if not contents:
        return []
    parts = [as_dict(p) for p in as_list(contents[-1].get("parts"))]
    return [as_dict(p["functionResponse"]) for p in parts if "functionResponse" in p]


def choose_calls(body: JSONObject, contents: list[JSONObject], afc_depth: int) -> list[JSONObject]:
    """Return the function-call parts the model answers with, or [] to answer with text."""
    declared = declarations(body)
    config = as_dict(as_dict(body.get("toolConfig")).get("functionCallingConfig"))
    mode = as_str(config.get("mode"), "AUTO").upper() or "AUTO"
    allowed = {as_str(n) for n in as_list(config.get("allowedFunctionNames"))}
    if allowed:
        declared = [d for d in declared if as_str(d.get("name")) in allowed]
    if not declared or mode == "NONE" or afc_depth <= 0:
        return []
    rounds = rounds_since_text(contents)
    if (mode == "ANY" and rounds >= afc_depth) or (mode != "ANY" and rounds > 0):
        return []
    prompt = last_user_text(contents)
    # max() keeps the first of equal scores, so declaration order breaks ties.
    chosen = max(declared, key=lambda d: _overlap(as_str(d.get("name")), prompt))
    schema = chosen.get("parametersJsonSchema", chosen.get("parameters"))
    args = (
        value_for(schema, digest("args", chosen, prompt, rounds), subject=subject_of(prompt))
        if schema
        else {}
    )
    return [
        {"functionCall": {"name": as_str(chosen.get("name")), "args": args if isinstance(args, dict) else {}}}
    ]


def quote_responses(responses: list[JSONObject]) -> str:
    """Say what the functions answered, so tests can see the results reached the model."""
    said = [
        f"{as_str(r.get('name'), 'the function')} returned {json.dumps(r.get('response'), sort_keys=True)}."
        for r in responses
    ]
    return " ".join(said)


def _overlap(name: str, prompt: str) -> int:
    """Score how many words of a function name occur in the prompt (``get_current_weather``)."""
    wanted = {w.lower() for w in _WORD.findall(name.replace("_", " "))}
    present = {w.lower() for w in _WORD.findall(prompt)}
    return len(wanted & present)
