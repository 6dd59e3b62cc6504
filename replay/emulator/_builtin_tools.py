"""The tools the service runs itself: code execution, Google Search and file search grounding.

Asked for in ``tools`` (``codeExecution``, ``googleSearch`` or ``googleSearchRetrieval``,
``fileSearch``), they shape the answer as the service does (corpus/real):

- code execution puts an ``executableCode`` part and its ``codeExecutionResult`` before the text:
  a product of two numbers, printed;
- a search leaves ``groundingMetadata`` on the candidate: the web pages (or, for file search, the
  passages of the first store named) and which sentence of the answer each one supports, by UTF-8
  offsets, with Google Search's ``webSearchQueries`` and ``searchEntryPoint``;
- with ``toolConfig.includeServerSideToolInvocations``, a search is shown as ``toolCall`` and
  ``toolResponse`` parts before the text;
- every run counts ``toolUsePromptTokenCount`` in the usage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from replay.emulator._text import WORDS, count_text, rng
from replay.emulator._wire import JSONObject, as_dict, as_list, as_str, digest

SEARCH_TOOLS = ("googleSearch", "googleSearchRetrieval")
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")


@dataclass(frozen=True)
class ToolRun:
    """What the service's own tools add to one candidate."""

    parts: list[JSONObject] = field(default_factory=list)
    """Parts to put before the answer's text."""
    searches: tuple[str, ...] = ()
    """The searches run: ``googleSearch`` and ``fileSearch``, as named in ``tools``."""
    store: str = ""
    """The file search store searched."""
    prompt_tokens: int = 0
    """The tokens the tools' results add to the prompt (``toolUsePromptTokenCount``)."""


def run_tools(body: JSONObject, prompt: str, seed: bytes, *, has_ids: bool) -> ToolRun:
    """Run the built-in tools that `body` asks for, on `prompt`; an empty run when there are none."""
    tools = [as_dict(t) for t in as_list(body.get("tools"))]
    names = {name for tool in tools for name in tool}
    parts: list[JSONObject] = []
    chooser = rng(digest(seed, "tools"))
    searches = tuple(
        name
        for name, asked in (("googleSearch", SEARCH_TOOLS), ("fileSearch", ("fileSearch",)))
        if names.intersection(asked)
    )
    if as_dict(body.get("toolConfig")).get("includeServerSideToolInvocations") is True:
        for search in searches:
            kind = "FILE_SEARCH" if search == "fileSearch" else "GOOGLE_SEARCH_WEB"
            call_id = "".join(chooser.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(8))
            parts.append({"toolCall": {"toolType": kind, "id": call_id}})
            parts.append({"toolResponse": {"toolType": kind, "id": call_id}})
    if "codeExecution" in names:
        left, right = chooser.randint(100, 999), chooser.randint(100, 999)
        code: JSONObject = {"language": "PYTHON", "code": f"result = {left} * {right}\nprint(result)\n"}
        result: JSONObject = {"outcome": "OUTCOME_OK", "output": f"{left * right}\n"}
        if has_ids:
            code["id"] = result["id"] = f"call_{chooser.randint(10000, 99999)}"
        parts += [{"executableCode": code}, {"codeExecutionResult": result}]
    if not parts and not searches:
        return ToolRun()
    stores = [
        as_str(s)
        for tool in tools
        for s in as_list(as_dict(tool.get("fileSearch")).get("fileSearchStoreNames"))
    ]
    used = sum(count_text(str(p)) for p in parts) + 100 * len(searches) + count_text(prompt)
    return ToolRun(parts, searches, stores[0] if stores else "fileSearchStores/default", used)


def grounding_metadata(run: ToolRun, prompt: str, text: str) -> JSONObject | None:
    """Return the candidate's ``groundingMetadata`` for the searches of `run`, or None."""
    if not run.searches:
        return None
    chunks: list[object] = []
    topic = " ".join(w.lower() for w in re.findall(r"[A-Za-z]+", prompt)[:6]) or "the question"
    if "googleSearch" in run.searches:
        for site in ("wikipedia.org", "example.com"):
            chunks.append({"web": {"uri": f"https://{site}/search?q={quote_plus(topic)}", "title": site}})
    if "fileSearch" in run.searches:
        words = " ".join(WORDS[: 4 + len(topic) % 6])
        passage = f"{topic.capitalize()}: {words}.\n"
        chunks.append({"retrievedContext": {"text": passage, "fileSearchStore": run.store}})
    metadata: JSONObject = {"groundingChunks": chunks, "groundingSupports": _supports(text, len(chunks))}
    if "googleSearch" in run.searches:
        metadata["webSearchQueries"] = [topic]
        link = f"https://www.google.com/search?q={quote_plus(topic)}"
        chip = f'<div class="container"><a class="chip" href="{link}">{topic}</a></div>'
        metadata["searchEntryPoint"] = {"renderedContent": chip}
    return metadata


def _supports(text: str, sources: int) -> list[object]:
    """Say which source supports each sentence of `text`, by UTF-8 byte offsets."""
    supports: list[object] = []
    for index, match in enumerate(_SENTENCE.finditer(text)):
        sentence = match.group(0).strip()
        if not sentence:
            continue
        start = len(text[: match.start() + match.group(0).index(sentence)].encode("utf-8"))
        segment: JSONObject = {"endIndex": start + len(sentence.encode("utf-8")), "text": sentence}
        if start:  # proto3 JSON leaves a zero out, and so does the service
            segment["startIndex"] = start
        supports.append({"segment": segment, "groundingChunkIndices": [index % max(sources, 1)]})
    return supports
