"""The API's OpenAPI-style `Schema`, and conversion into it from pydantic models, Enums and types.

Used for ``response_schema`` (structured output) and for manual function declarations. The API
spells types in upper case (``OBJECT``, ``STRING``) and has no ``$ref``, so references are inlined.
"""

from __future__ import annotations

import enum
from typing import Any

from pydantic import BaseModel, JsonValue, TypeAdapter, field_validator

from genai_min._base import WireModel
from genai_min._errors import ConfigError
from genai_min._http import JSONObject

_TYPE_NAMES = {
    "string": "STRING",
    "number": "NUMBER",
    "integer": "INTEGER",
    "boolean": "BOOLEAN",
    "array": "ARRAY",
    "object": "OBJECT",
    "null": "NULL",
}
# JSON Schema keywords that the API's Schema carries over with the same meaning.
_COPIED = (
    "title",
    "description",
    "format",
    "enum",
    "required",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "minProperties",
    "maxProperties",
    "default",
    "example",
)


class Schema(WireModel):
    """The subset of OpenAPI 3.0 schemas the API understands."""

    type: str | None = None
    format: str | None = None
    title: str | None = None
    description: str | None = None
    nullable: bool | None = None
    enum: list[str] | None = None
    items: Schema | None = None
    properties: dict[str, Schema] | None = None
    required: list[str] | None = None
    property_ordering: list[str] | None = None
    any_of: list[Schema] | None = None
    min_items: int | None = None
    max_items: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    default: JsonValue = None
    example: JsonValue = None

    @field_validator("type", mode="before")
    @classmethod
    def _upper_type(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


def to_api_schema(value: object) -> JSONObject:
    """Return the wire form of a response schema given as a model, Enum, type, `Schema` or dict."""
    if isinstance(value, Schema):
        return value.to_wire()
    if isinstance(value, dict):
        return _with_ordering(value)
    if isinstance(value, type) and issubclass(value, enum.Enum):
        return {
            "type": "STRING",
            "title": value.__name__,
            "enum": [str(member.value) for member in value],
        }
    try:
        json_schema = TypeAdapter(value).json_schema()  # type: ignore[arg-type]
    except Exception as exc:  # pydantic raises several kinds for unsupported types
        raise ConfigError(
            f"cannot build a response schema from {value!r}: {exc}; pass a pydantic model, an "
            "Enum, a typing type such as list[Model], a genai_min.types.Schema or a dict"
        ) from exc
    return from_json_schema(json_schema)


def _with_ordering(node: JSONObject) -> JSONObject:
    """Copy a dict schema, adding ``propertyOrdering`` (declaration order) where it is missing.

    The official SDK does the same; without it the model may answer with the keys in any order.
    """
    out: JSONObject = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {k: _with_ordering(v) if isinstance(v, dict) else v for k, v in value.items()}
        elif key in ("items", "anyOf", "any_of"):
            out[key] = (
                _with_ordering(value)
                if isinstance(value, dict)
                else [_with_ordering(v) if isinstance(v, dict) else v for v in value]
                if isinstance(value, list)
                else value
            )
        else:
            out[key] = value
    properties = node.get("properties")
    if isinstance(properties, dict) and not {"propertyOrdering", "property_ordering"} & node.keys():
        out["propertyOrdering"] = list(properties)
    return out


def from_json_schema(json_schema: JSONObject) -> JSONObject:
    """Convert a JSON Schema (as pydantic writes it) to the API's Schema, inlining references."""
    defs = json_schema.get("$defs", {})
    return _convert(json_schema, defs if isinstance(defs, dict) else {}, depth=0)


def _convert(node: JSONObject, defs: JSONObject, depth: int) -> JSONObject:
    if depth > 32:
        raise ConfigError("response schema nests too deeply (recursive models are not supported)")
    node = _resolve(node, defs)
    out: JSONObject = {}
    variants = node.get("anyOf") or node.get("oneOf")
    if isinstance(variants, list):
        options = [v for v in variants if isinstance(v, dict) and v.get("type") != "null"]
        if len(options) < len(variants):
            out["nullable"] = True
        if len(options) == 1:
            out.update(_convert(options[0], defs, depth + 1))
        else:
            out["anyOf"] = [_convert(v, defs, depth + 1) for v in options]
    kind = node.get("type")
    if isinstance(kind, list):
        names = [k for k in kind if k != "null"]
        if len(names) < len(kind):
            out["nullable"] = True
        kind = names[0] if len(names) == 1 else None
    if isinstance(kind, str):
        out["type"] = _TYPE_NAMES.get(kind, kind.upper())
    if "const" in node:
        out["enum"] = [str(node["const"])]
        out.setdefault("type", "STRING")
    for key in _COPIED:
        if key in node and key not in out:
            out[key] = node[key]
    if isinstance(out.get("enum"), list):
        out["enum"] = [str(v) for v in out["enum"]]  # type: ignore[union-attr]
        out.setdefault("type", "STRING")
    properties = node.get("properties")
    if isinstance(properties, dict):
        out["properties"] = {
            name: _convert(sub, defs, depth + 1) for name, sub in properties.items() if isinstance(sub, dict)
        }
        out["propertyOrdering"] = list(properties)
    items = node.get("items")
    if isinstance(items, dict):
        out["items"] = _convert(items, defs, depth + 1)
    return out


def _resolve(node: JSONObject, defs: JSONObject) -> JSONObject:
    ref = node.get("$ref")
    all_of = node.get("allOf")
    if ref is None and isinstance(all_of, list) and len(all_of) == 1:
        ref = all_of[0].get("$ref") if isinstance(all_of[0], dict) else None
    if not isinstance(ref, str):
        return node
    target = defs.get(ref.rsplit("/", 1)[-1])
    if not isinstance(target, dict):
        raise ConfigError(f"response schema refers to {ref!r}, which it does not define")
    merged = dict(target)
    merged.update({k: v for k, v in node.items() if k not in ("$ref", "allOf")})
    return merged


def plain_json_schema(annotation: Any) -> JSONObject:
    """Return a JSON Schema for a Python annotation, without pydantic's generated titles."""
    return _strip_titles(TypeAdapter(annotation).json_schema())


# Keywords whose values are data, not schemas: a "title" inside them is the caller's.
_VALUE_KEYWORDS = frozenset({"default", "enum", "const", "examples", "example"})


def _strip_titles(node: JSONObject) -> JSONObject:
    out: JSONObject = {}
    for key, value in node.items():
        if key == "title":
            continue
        if key in _VALUE_KEYWORDS:
            out[key] = value
            continue
        if key in ("properties", "$defs") and isinstance(value, dict):
            out[key] = {
                name: _strip_titles(sub) if isinstance(sub, dict) else sub for name, sub in value.items()
            }
        elif isinstance(value, dict):
            out[key] = _strip_titles(value)
        elif isinstance(value, list):
            out[key] = [_strip_titles(v) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    return out


def is_model_type(value: object) -> bool:
    """Tell whether `value` is a pydantic model class."""
    return isinstance(value, type) and issubclass(value, BaseModel)
