"""The shape of an answer: every key path it has, with the JSON types found there.

Paths write array items as ``[]`` and keys in camelCase (``candidates[].content.parts[].text``).
The walk follows the operation's response schema where it can, so that free-form values have no
paths of their own: below a Struct or an open object (a function call's ``args``) only the object
itself counts, and a map's keys become ``*``. Everything else, Any and Value included, is walked as
found, since what they hold (an operation's ``response``, Imagen's ``predictions``) is the shape
that matters. An enum's values have the type ``enum``, whether sent as names or as numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from genai_min._http import JSON
from replay._schemas import _route

Paths = dict[str, set[str]]


def json_type(value: object) -> str:
    """Name the JSON type of a value; integers and floats are both ``number``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shape_of(method: str, url: str, body: JSON, *, is_error: bool = False) -> Paths:
    """Return the key paths of an answer (each chunk of a stream, when it is a list of chunks)."""
    route = None if is_error else _route(method, url)
    paths: Paths = defaultdict(set)
    if route is None:
        _walk(body, None, {}, "", paths)
        return dict(paths)
    document = route.schema_file.document
    defs = document["$defs"]
    assert isinstance(defs, dict)
    chunks = body if route.operation.is_streaming and isinstance(body, list) else [body]
    for chunk in chunks:
        _walk(chunk, {"$ref": route.response}, defs, "", paths)
    return dict(paths)


def _walk(
    value: JSON, schema: Mapping[str, object] | None, defs: Mapping[str, object], path: str, out: Paths
) -> None:
    schema = _resolve(schema, defs)
    if path:
        # An enum travels as its name, or as its number when the client asked for integer enums.
        is_enum = schema is not None and "then" in schema and isinstance(value, str | int)
        out[path].add("enum" if is_enum else json_type(value))
    if schema is not None and _is_free_form(schema) and isinstance(value, dict) and "@type" not in value:
        return
    if isinstance(value, dict):
        properties = schema.get("properties") if schema is not None else None
        values = schema.get("additionalProperties") if schema is not None else None
        for key, item in value.items():
            if isinstance(properties, dict) and key in properties:
                _walk(item, properties[key], defs, _join(path, _camel(key)), out)
            elif isinstance(values, dict):
                _walk(item, values, defs, _join(path, "*"), out)
            else:
                _walk(item, None, defs, _join(path, _camel(key)), out)
    elif isinstance(value, list):
        items = schema.get("items") if schema is not None else None
        for item in value:
            _walk(item, items if isinstance(items, dict) else None, defs, path + "[]", out)


def _is_free_form(schema: Mapping[str, object]) -> bool:
    """Tell whether a schema is an object of the caller's own keys: a Struct, or an open object.

    An Any is open too, but it names its message in ``@type``, and is walked.
    """
    kinds = schema.get("type")
    is_object = kinds == "object" or (isinstance(kinds, list) and "object" in kinds)
    is_map = isinstance(schema.get("additionalProperties"), dict)
    return is_object and "properties" not in schema and not is_map


def _resolve(schema: Mapping[str, object] | None, defs: Mapping[str, object]) -> Mapping[str, object] | None:
    while schema is not None and isinstance(schema.get("$ref"), str):
        target = defs.get(str(schema["$ref"]).rsplit("/", 1)[-1])
        schema = target if isinstance(target, dict) else None
    return schema


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _camel(key: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), key)


@dataclass
class OperationShapes:
    """What real traffic and the emulator answered to the same requests of one operation."""

    backend: str
    label: str
    compared: int = 0
    real: Paths = field(default_factory=lambda: defaultdict(set))
    emulated: Paths = field(default_factory=lambda: defaultdict(set))
    differences: list[str] = field(default_factory=list)
    """Exchanges the emulator answered differently (another status, an error), with the cause."""
    invalid: list[str] = field(default_factory=list)
    """Where the emulator's answers break the schemas (unknown fields refused, as for real ones)."""

    def add(self, real: Paths, emulated: Paths) -> None:
        """Add the shapes of one real answer and of the emulator's answer to the same request."""
        self.compared += 1
        for target, paths in ((self.real, real), (self.emulated, emulated)):
            for path, kinds in paths.items():
                target[path] |= kinds

    @property
    def missing(self) -> list[str]:
        """Return the paths real answers have and the emulator's lack."""
        return sorted(path for path in self.real if path not in self.emulated)

    @property
    def mismatched(self) -> list[str]:
        """Return the paths where real answers hold a JSON type the emulator's never do there."""
        return sorted(
            f"{path}: {'/'.join(sorted(self.real[path] - self.emulated[path] - {'null'}))} "
            f"(emulator: {'/'.join(sorted(self.emulated[path]))})"
            for path in self.real
            if path in self.emulated and self.real[path] - self.emulated[path] - {"null"}
        )
