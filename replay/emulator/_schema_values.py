"""Make a value that satisfies a response schema, for structured output and function arguments.

Both schema dialects of the API are read: the OpenAPI subset of `responseSchema` and function
`parameters` (upper-case ``type``, ``nullable``, ``propertyOrdering``) and the plain JSON Schema of
`responseJsonSchema` / `parametersJsonSchema` (lower-case or list ``type``, ``const``, ``oneOf``,
``allOf``, ``$ref`` into ``$defs``). Rules, all deterministic for a given seed:

- objects carry every declared property (required or not), in ``propertyOrdering`` when given;
- arrays hold ``minItems`` items, or two when unconstrained (never more than ``maxItems``);
- enums, ``const`` and ``default`` are honoured; the first branch of ``anyOf``/``oneOf`` is used
  (a non-null one when there is a choice), and ``allOf`` branches are merged;
- numbers respect ``minimum``/``maximum``; strings respect ``format`` (date, date-time, time,
  email, uri, uuid), ``minLength`` and ``maxLength``;
- a string argument named like a place or a person (``location``, ``city``, ``name``...) takes the
  capitalised word of the prompt when there is one, so ``get_weather`` is asked about Boston.
"""

from __future__ import annotations

import math
import random
import re

from replay.emulator._text import WORDS, rng
from replay.emulator._wire import JSONObject, as_dict, as_float, as_int, as_list, as_str

_MAX_DEPTH = 8
_NAMED = re.compile(r"(location|city|place|country|name|person|town|region|state|destination)", re.I)


def value_for(schema: object, seed: bytes, *, subject: str = "") -> object:
    """Return a value valid under `schema`; `subject` (a word of the prompt) fills naming strings."""
    root = as_dict(schema)
    return _Maker(root, rng(seed), subject).make(root, "", 0)


class _Maker:
    def __init__(self, root: JSONObject, chooser: random.Random, subject: str) -> None:
        self.root = root
        self.chooser = chooser
        self.subject = subject

    def make(self, schema: JSONObject, name: str, depth: int) -> object:
        schema = self.resolve(schema)
        if "const" in schema:
            return schema["const"]
        enum = as_list(schema.get("enum"))
        if enum:
            return self.chooser.choice(enum)
        for key in ("anyOf", "oneOf"):
            branches = [as_dict(b) for b in as_list(schema.get(key))]
            if branches:
                usable = [b for b in branches if self.kind(self.resolve(b)) != "null"] or branches
                return self.make({**_without(schema, key), **usable[0]}, name, depth)
        if "allOf" in schema:
            merged = _without(schema, "allOf")
            for branch in as_list(schema.get("allOf")):
                merged = _merge(merged, self.resolve(as_dict(branch)))
            return self.make(merged, name, depth)
        kind = self.kind(schema)
        if kind == "object":
            return self.make_object(schema, depth)
        if kind == "array":
            return self.make_array(schema, name, depth)
        if kind == "integer":
            return int(self.number(schema, integer=True))
        if kind == "number":
            return self.number(schema, integer=False)
        if kind == "boolean":
            return self.chooser.random() < 0.5
        if kind == "null":
            return None
        return self.string(schema, name)

    def resolve(self, schema: JSONObject) -> JSONObject:
        ref = as_str(schema.get("$ref"))
        for _ in range(_MAX_DEPTH):
            if not ref.startswith("#/"):
                break
            target: object = self.root
            for part in ref[2:].split("/"):
                target = as_dict(target).get(part.replace("~1", "/").replace("~0", "~"))
            schema = {**_without(schema, "$ref"), **as_dict(target)}
            ref = as_str(schema.get("$ref"))
        return schema

    @staticmethod
    def kind(schema: JSONObject) -> str:
        declared = schema.get("type")
        if isinstance(declared, list):
            names = [as_str(t).lower() for t in declared]
            declared = next((t for t in names if t != "null"), names[0] if names else "")
        kind = as_str(declared).lower()
        if kind and kind != "type_unspecified":
            return kind
        if "properties" in schema:
            return "object"
        if "items" in schema or "prefixItems" in schema:
            return "array"
        return "string"

    def make_object(self, schema: JSONObject, depth: int) -> JSONObject:
        properties = as_dict(schema.get("properties"))
        order = [as_str(n) for n in as_list(schema.get("propertyOrdering")) if as_str(n) in properties]
        order += [n for n in properties if n not in order]
        required = {as_str(n) for n in as_list(schema.get("required"))}
        if depth >= _MAX_DEPTH:
            order = [n for n in order if n in required]
        return {n: self.make(as_dict(properties[n]), n, depth + 1) for n in order}

    def make_array(self, schema: JSONObject, name: str, depth: int) -> list[object]:
        prefix = [as_dict(s) for s in as_list(schema.get("prefixItems"))]
        low = as_int(schema.get("minItems"), 0)
        high = as_int(schema.get("maxItems"), max(low, 2))
        count = low if depth >= _MAX_DEPTH else max(low, min(2, high))
        items = as_dict(schema.get("items"))
        made = [self.make(p, name, depth + 1) for p in prefix[:count]]
        made += [self.make(items, name, depth + 1) for _ in range(count - len(made))]
        return made

    def number(self, schema: JSONObject, *, integer: bool) -> float:
        default = as_float(schema.get("default"))
        if default is not None:
            return default
        step = 1.0 if integer else 0.5
        low = as_float(schema.get("minimum"))
        if low is None:
            above = as_float(schema.get("exclusiveMinimum"))
            low = above + step if above is not None else 0.0
        high = as_float(schema.get("maximum"))
        if high is None:
            below = as_float(schema.get("exclusiveMaximum"))
            high = below - step if below is not None else low + 100.0
        high = max(high, low)
        if integer:
            first, last = math.ceil(low), math.floor(high)
            return float(self.chooser.randint(first, max(first, last)))
        return min(max(round(self.chooser.uniform(low, high), 2), low), high)

    def string(self, schema: JSONObject, name: str) -> str:
        if isinstance(schema.get("default"), str):
            return as_str(schema.get("default"))
        fmt = as_str(schema.get("format")).lower()
        day = self.chooser.randint(1, 28)
        if fmt == "date-time":
            return f"2025-01-{day:02d}T12:00:00Z"
        if fmt == "date":
            return f"2025-01-{day:02d}"
        if fmt == "time":
            return f"12:{day:02d}:00"
        if fmt == "email":
            return f"{self.chooser.choice(WORDS)}@example.com"
        if fmt in ("uri", "url"):
            return f"https://example.com/{self.chooser.choice(WORDS)}"
        if fmt == "uuid":
            return f"{self.chooser.getrandbits(32):08x}-0000-4000-8000-{self.chooser.getrandbits(48):012x}"
        text = self.subject if self.subject and _NAMED.search(name) else ""
        if not text:
            text = " ".join(self.chooser.choice(WORDS) for _ in range(2))
        while len(text) < as_int(schema.get("minLength"), 0):
            text += " " + self.chooser.choice(WORDS)
        high = as_int(schema.get("maxLength"), 0)
        return text[:high] if high > 0 else text


def _without(schema: JSONObject, key: str) -> JSONObject:
    return {k: v for k, v in schema.items() if k != key}


def _merge(first: JSONObject, second: JSONObject) -> JSONObject:
    merged = {**first, **second}
    if "properties" in first and "properties" in second:
        merged["properties"] = {**as_dict(first["properties"]), **as_dict(second["properties"])}
    required = [*as_list(first.get("required")), *as_list(second.get("required"))]
    if required:
        merged["required"] = required
    return merged
