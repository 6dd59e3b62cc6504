"""Contents and parts, and the README's rules for turning what callers pass into `list[Content]`.

Whatever callers pass, the result is a valid wire list or a `ConfigError` that says what was wrong:
dicts that do not fit a `Part` or `Content`, and values that cannot travel as JSON (NaN, lone
surrogates, objects in unknown fields), are reported before anything is sent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol, TypeAlias, runtime_checkable

from pydantic import JsonValue

from genai_min._base import Base64Bytes, WireModel, coerce
from genai_min._errors import ConfigError
from genai_min._http import JSONObject


class Blob(WireModel):
    """Bytes sent inline, with their MIME type."""

    mime_type: str | None = None
    data: Base64Bytes | None = None
    display_name: str | None = None


class FileData(WireModel):
    """A reference to an uploaded file or a ``gs://`` object."""

    file_uri: str | None = None
    mime_type: str | None = None
    display_name: str | None = None


class FunctionCall(WireModel):
    """A call of a declared function, as the model asks for it."""

    id: str | None = None
    name: str | None = None
    args: dict[str, JsonValue] | None = None


class FunctionResponse(WireModel):
    """The result of a function call, sent back to the model."""

    id: str | None = None
    name: str | None = None
    response: dict[str, JsonValue] | None = None
    will_continue: bool | None = None
    scheduling: str | None = None


class ExecutableCode(WireModel):
    """Code the model wrote for the code-execution tool."""

    code: str | None = None
    language: str | None = None


class CodeExecutionResult(WireModel):
    """What running the model's code produced."""

    outcome: str | None = None
    output: str | None = None


class VideoMetadata(WireModel):
    """Which part of a video to look at."""

    start_offset: str | None = None
    end_offset: str | None = None
    fps: float | None = None


class Part(WireModel):
    """One piece of a turn: text, inline bytes, a file, a function call or response, or code."""

    text: str | None = None
    thought: bool | None = None
    thought_signature: Base64Bytes | None = None
    inline_data: Blob | None = None
    file_data: FileData | None = None
    function_call: FunctionCall | None = None
    function_response: FunctionResponse | None = None
    executable_code: ExecutableCode | None = None
    code_execution_result: CodeExecutionResult | None = None
    video_metadata: VideoMetadata | None = None

    @classmethod
    def from_text(cls, text: str) -> Part:
        """Make a text part."""
        return cls(text=text)

    @classmethod
    def from_uri(cls, *, file_uri: str, mime_type: str | None = None) -> Part:
        """Make a part that refers to an uploaded file or a ``gs://`` object."""
        return cls(file_data=FileData(file_uri=file_uri, mime_type=mime_type))

    @classmethod
    def from_bytes(cls, *, data: bytes, mime_type: str) -> Part:
        """Make a part that carries bytes inline."""
        return cls(inline_data=Blob(data=data, mime_type=mime_type))

    @classmethod
    def from_function_call(cls, *, name: str, args: dict[str, JsonValue]) -> Part:
        """Make a function-call part (it belongs in a model turn)."""
        return cls(function_call=FunctionCall(name=name, args=args))

    @classmethod
    def from_function_response(cls, *, name: str, response: dict[str, JsonValue]) -> Part:
        """Make a function-response part."""
        return cls(function_response=FunctionResponse(name=name, response=response))


class Content(WireModel):
    """One turn of a conversation: a role (``user`` or ``model``) and its parts."""

    role: str | None = None
    parts: list[Part] | None = None

    def to_wire(self) -> JSONObject:
        """Return the camelCase JSON form; raise `ConfigError` if a value cannot be sent as JSON."""
        try:
            wire = super().to_wire()
            # What httpx will do when it sends the body: strict JSON, encoded as UTF-8.
            json.dumps(wire, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except ValueError as exc:  # also pydantic's serialisation error and UnicodeError
            raise ConfigError(
                f"contents cannot be sent as JSON: {exc}; pass text as valid Unicode, bytes only as "
                "inline data, and JSON values without NaN or infinity in dicts"
            ) from None
        return wire


class UserContent(Content):
    """A turn with the ``user`` role."""

    role: str | None = "user"


class ModelContent(Content):
    """A turn with the ``model`` role."""

    role: str | None = "model"


@runtime_checkable
class FileLike(Protocol):
    """Anything with a URI and a MIME type, such as an uploaded `File`."""

    @property
    def uri(self) -> str | None: ...

    @property
    def mime_type(self) -> str | None: ...


# The model forms; `_content_dicts` adds the dict forms (`PartUnionDict`, `ContentListUnionDict`).
PartUnion: TypeAlias = str | Part | FileLike
ContentUnion: TypeAlias = Content | PartUnion | list[PartUnion]
ContentListUnion: TypeAlias = ContentUnion | Sequence[ContentUnion]


def to_part(value: object) -> Part:
    """Turn a string, `Part`, file or dict into a `Part`."""
    if isinstance(value, Part):
        return value
    if isinstance(value, str):
        return Part(text=value)
    if isinstance(value, dict):
        return coerce(Part, value, what="part")
    if isinstance(value, FileLike) and not isinstance(value, Content):
        if value.uri is None:
            raise ConfigError(f"file {value!r} has no uri yet; wait until it is ACTIVE")
        data = {"file_data": {"file_uri": value.uri, "mime_type": value.mime_type}}
        return coerce(Part, data, what="part")
    raise ConfigError(
        f"cannot use {type(value).__name__} {value!r} as a part; pass a str, Part, dict or File"
    )


def _is_content(value: object) -> bool:
    return isinstance(value, Content) or (isinstance(value, dict) and ("parts" in value or "role" in value))


def _is_function_call(part: Part) -> bool:
    return part.function_call is not None


def to_contents(value: object) -> list[Content]:
    """Normalise `contents` exactly as the official SDK's README describes.

    A `Content` is kept; a string or a non-function-call part becomes a user turn; function-call
    parts become a model turn; in a list, consecutive parts of each kind are grouped into one
    turn, and an inner list becomes one user turn.
    """
    if value is None:
        raise ConfigError("contents must not be None; pass a string, a Part, a Content or a list")
    items = list(value) if isinstance(value, list | tuple) else [value]
    if not items:
        raise ConfigError("contents must not be empty")
    result: list[Content] = []
    pending: list[Part] = []

    def flush() -> None:
        if pending:
            kind = ModelContent if _is_function_call(pending[0]) else UserContent
            result.append(kind(parts=list(pending)))
            pending.clear()

    for item in items:
        if _is_content(item):
            flush()
            result.append(coerce(Content, item, what="content"))
        elif isinstance(item, list | tuple):
            flush()
            if any(_is_content(inner) or isinstance(inner, list | tuple) for inner in item):
                raise ConfigError(
                    "an inner list in contents may hold parts only (str, Part, File), "
                    f"not Content or lists: {item!r}"
                )
            result.append(UserContent(parts=[to_part(inner) for inner in item]))
        else:
            part = to_part(item)
            if pending and _is_function_call(pending[0]) != _is_function_call(part):
                flush()
            pending.append(part)
    flush()
    return result


def to_content(value: object) -> Content:
    """Normalise a system instruction: a string, part or list of parts becomes one user turn."""
    if _is_content(value):
        return coerce(Content, value, what="content")
    items = list(value) if isinstance(value, list | tuple) else [value]
    return Content(role="user", parts=[to_part(item) for item in items])
