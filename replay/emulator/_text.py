"""Deterministic stand-ins for what a model computes: sentences, tokens, embeddings, log probabilities.

Everything here is a pure function of its input, so the same request always gets the same answer,
on every machine and Python version (hashes are SHA-256; no `hash()`, no wall clock, no global
random state):

- Text is drawn from a fixed word list by a generator seeded with a hash of the request.
- A token is a run of letters or digits, or one other non-space character; an inline or file part
  counts a flat 258 tokens, as the service charges for one image.
- An embedding is a unit vector of the asked size whose components come from a hash of the text.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Sequence

from replay.emulator._wire import JSONObject, as_dict, as_list, as_str

MEDIA_TOKENS = 258

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_", re.UNICODE)

_OPENERS = ("In short,", "Put simply,", "As it happens,", "On reflection,", "To be brief,", "Broadly,")
_SUBJECTS = (
    "the river", "a quiet lantern", "the orchard", "an old compass", "the northern wind", "a paper boat",
    "the harbour", "a patient gardener", "the tide", "a copper kettle", "the library", "a wandering fox",
)  # fmt: skip
_VERBS = (
    "carries", "remembers", "gathers", "follows", "colours", "shelters", "measures", "answers",
    "brightens", "settles", "guides", "echoes",
)  # fmt: skip
_OBJECTS = (
    "the morning light", "every small question", "a line of distant hills", "the evening rain",
    "a handful of seeds", "the sound of bells", "a well-kept secret", "the edge of the map",
    "a cup of strong tea", "the last train home", "an open window", "a field of barley",
)  # fmt: skip
_ENDINGS = ("today.", "again.", "with care.", "without hurry.", "as ever.", "for a while.")
WORDS = (
    "amber", "birch", "cobalt", "delta", "ember", "fjord", "granite", "heather", "indigo", "juniper",
    "kestrel", "lumen", "meadow", "nimbus", "onyx", "pebble", "quartz", "rowan", "sorrel", "thistle",
)  # fmt: skip


def rng(seed: bytes) -> random.Random:
    """Return a generator seeded from the first 8 bytes of a digest (stable across Python versions)."""
    return random.Random(int.from_bytes(seed[:8], "big"))


def sentences(seed: bytes, count: int = 2) -> str:
    """Compose `count` sentences chosen by `seed`."""
    chooser = rng(seed)
    made = []
    for _ in range(count):
        made.append(
            " ".join(
                (
                    chooser.choice(_OPENERS),
                    chooser.choice(_SUBJECTS),
                    chooser.choice(_VERBS),
                    chooser.choice(_OBJECTS),
                    chooser.choice(_ENDINGS),
                )
            )
        )
    return " ".join(made)


def tokens(text: str) -> list[str]:
    """Split text into the emulator's tokens."""
    return _TOKEN.findall(text)


def count_text(text: str) -> int:
    """Count the tokens of a text."""
    return len(tokens(text))


def truncate(text: str, limit: int) -> tuple[str, bool]:
    """Keep at most `limit` tokens of `text`; tell whether anything was cut."""
    if limit <= 0:
        return "", bool(text)
    for kept, match in enumerate(_TOKEN.finditer(text), start=1):
        if kept == limit:
            end = match.end()
            return text[:end], bool(text[end:].strip())
    return text, False


def count_part(part: JSONObject) -> int:
    """Count the tokens of one part of a content."""
    if "text" in part:
        return count_text(as_str(part.get("text")))
    if "inlineData" in part or "fileData" in part:
        return MEDIA_TOKENS
    for key in ("functionCall", "functionResponse", "executableCode", "codeExecutionResult"):
        if key in part:
            return count_text(repr(part[key]))
    return 0


def modality_of(part: JSONObject) -> str:
    """Return the modality a part is counted under: TEXT, or the kind of its media's MIME type."""
    media = as_dict(part.get("inlineData") or part.get("fileData"))
    if not media:
        return "TEXT"
    mime = as_str(media.get("mimeType"))
    kind = mime.split("/", 1)[0].upper()
    if kind in ("IMAGE", "AUDIO", "VIDEO"):
        return kind
    return "DOCUMENT" if mime == "application/pdf" else "TEXT"


def count_by_modality(contents: Sequence[object]) -> dict[str, int]:
    """Count the tokens of a list of contents by modality, in the order modalities first appear."""
    counts: dict[str, int] = {}
    for content in contents:
        for value in as_list(as_dict(content).get("parts")):
            part = as_dict(value)
            modality = modality_of(part)
            counts[modality] = counts.get(modality, 0) + count_part(part)
    return counts


def count_contents(contents: Sequence[object]) -> int:
    """Count the tokens of a list of contents."""
    return sum(count_part(as_dict(p)) for c in contents for p in as_list(as_dict(c).get("parts")))


def embedding(text: str, dimensions: int) -> list[float]:
    """Return a unit vector of `dimensions` floats derived from `text`."""
    values: list[float] = []
    block = 0
    while len(values) < dimensions:
        chunk = hashlib.sha256(f"{block}:{text}".encode()).digest()
        values.extend((b - 127.5) / 127.5 for b in chunk)
        block += 1
    values = values[:dimensions]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [round(v / norm, 6) for v in values]


def token_id(token: str) -> int:
    """Return a stable vocabulary id for a token."""
    return int.from_bytes(hashlib.sha256(token.encode()).digest()[:3], "big") % 256000


def logprobs(text: str, seed: bytes, top: int) -> tuple[JSONObject, float]:
    """Return a ``logprobsResult`` for `text` and the average log probability of its tokens.

    Each token of the text is the chosen candidate; with `top`, each step also lists that many
    candidates, the chosen one first and likelier than the others.
    """
    chooser = rng(seed)
    chosen: list[object] = []
    steps: list[object] = []
    total = 0.0
    for token in tokens(text):
        probability = -round(chooser.uniform(0.0, 1.5) ** 3, 7)
        total += probability
        picked = {"token": token, "tokenId": token_id(token), "logProbability": probability}
        chosen.append(picked)
        others = [w for w in WORDS if w != token][: max(top - 1, 0)]
        alternatives = [
            {"token": w, "tokenId": token_id(w), "logProbability": round(probability - 2.0 - i, 7)}
            for i, w in enumerate(others)
        ]
        steps.append({"candidates": [picked, *alternatives]})
    result: JSONObject = {"chosenCandidates": chosen}
    if top > 0:
        result["topCandidates"] = steps
    return result, (total / len(chosen) if chosen else 0.0)
