"""Helpers for reading request bodies the way Google's front ends do, and for writing answers.

Requests arrive in either key spelling: the official SDK dumps some nested objects with their Python
(snake_case) names. Every body is therefore rewritten to lowerCamelCase once, on arrival, so the rest
of the emulator reads one spelling. Keys that are data rather than field names (schema property
names, function-call arguments, labels, metadata) are left exactly as sent. Bytes fields are decoded
from standard or URL-safe base64, padded or not.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from datetime import UTC, datetime

JSONObject = dict[str, object]
"""A parsed JSON object whose values are read with the `as_*` helpers."""

# Keys whose value is a map from user-chosen names to values: keep those names as sent.
_NAMED_MAPS = frozenset({"properties", "$defs", "definitions", "patternProperties", "dependentSchemas"})
# Keys whose whole value is user data: keep it verbatim, at every depth.
_OPAQUE = frozenset({"args", "labels", "metadata", "default", "example", "const", "enum", "structValue"})
_SNAKE = re.compile(r"_([a-z0-9])")


def camel_name(name: str) -> str:
    """Spell a field name the proto3-JSON way: ``mime_type`` becomes ``mimeType``."""
    if "_" not in name or name.startswith("_"):
        return name
    return _SNAKE.sub(lambda m: m.group(1).upper(), name)


def camel_keys(value: object, *, parent: str = "") -> object:
    """Return `value` with every field name in lowerCamelCase, leaving user data alone."""
    if isinstance(value, list):
        return [camel_keys(item, parent=parent) for item in value]
    if not isinstance(value, dict):
        return value
    result: JSONObject = {}
    for key, item in value.items():
        name = camel_name(key) if isinstance(key, str) else key
        if name in _OPAQUE or (name == "response" and parent == "functionResponse"):
            result[name] = item
        elif name in _NAMED_MAPS and isinstance(item, dict):
            result[name] = {k: camel_keys(v, parent=name) for k, v in item.items()}
        else:
            result[name] = camel_keys(item, parent=name)
    return result


def as_dict(value: object) -> JSONObject:
    """Return `value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[object]:
    """Return `value` if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def as_str(value: object, default: str = "") -> str:
    """Return `value` if it is a string, else `default`."""
    return value if isinstance(value, str) else default


def as_int(value: object, default: int) -> int:
    """Read an integer sent as a JSON number or (int64) string; `default` when absent or malformed."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return default


def as_float(value: object) -> float | None:
    """Read a JSON number; None when absent or not a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def decode_bytes(text: str) -> bytes:
    """Decode base64 in either alphabet, with or without padding; raise ValueError when malformed."""
    cleaned = "".join(text.split()).replace("-", "+").replace("_", "/").rstrip("=")
    if len(cleaned) % 4 == 1:
        raise ValueError("base64 text of impossible length")
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
    except binascii.Error as exc:
        raise ValueError(str(exc)) from exc


def encode_bytes(data: bytes) -> str:
    """Encode bytes as the service does in answers: standard base64 with padding."""
    return base64.b64encode(data).decode("ascii")


def digest(*parts: object) -> bytes:
    """Hash JSON-able values in a stable form (sorted keys): the seed of every generated answer."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).digest()


def timestamp(seconds: float) -> str:
    """Format seconds since the epoch as RFC 3339 in UTC with microseconds, as the service does."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str) -> float:
    """Read an RFC 3339 time (``Z`` or an offset, any number of fraction digits); ValueError if not one."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", text.strip())
    if match is None:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    whole, fraction, zone = match.groups()
    moment = datetime.fromisoformat(whole + ("+00:00" if zone == "Z" else zone))
    return moment.timestamp() + (float(f"0.{fraction}") if fraction else 0.0)


def parse_duration(text: str) -> float:
    """Read a proto3 duration such as ``"3600s"`` or ``"1.5s"``; ValueError if not one."""
    match = re.fullmatch(r"(-?\d+(?:\.\d{1,9})?)s", text.strip())
    if match is None:
        raise ValueError(f"not a duration in seconds: {text!r}")
    return float(match.group(1))


def json_bytes(value: object) -> bytes:
    """Serialise an answer, pretty-printed like the service's JSON (stream events: `encode_event`)."""
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
