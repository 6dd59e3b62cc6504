"""Base classes for the wire types: snake_case in Python, camelCase on the wire.

Response types keep fields they do not know (the API grows) and write them back unchanged;
request configs reject unknown fields, so a typo fails before anything is sent. Each model builds
its validator and serialiser when first used (pydantic's ``defer_build``), so importing a module
costs only its class definitions, and a script builds only the models it uses. A process about to
fork many children (a prefork server) may call `build_loaded_models` first, so that they share the
built models instead of each building them again.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    ValidationError,
)
from pydantic.alias_generators import to_camel

from genai_min._errors import ConfigError
from genai_min._http import JSONObject


class WireModel(BaseModel):
    """A value that travels on the wire; unknown fields are kept."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
        arbitrary_types_allowed=True,
        defer_build=True,
    )

    def to_wire(self) -> JSONObject:
        """Return the camelCase JSON form, leaving out unset fields."""
        return self.model_dump(mode="json", exclude_none=True)


class ConfigModel(WireModel):
    """Options a caller passes to a function; unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


def build_loaded_models() -> None:
    """Build every loaded wire type that is still deferred (a no-op once all are built)."""
    pending: list[type[WireModel]] = [WireModel]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if not model.__pydantic_complete__:
            model.model_rebuild(raise_errors=False)


M = TypeVar("M", bound=BaseModel)


def coerce(kind: type[M], value: object, *, what: str) -> M:
    """Accept a model or a dict for `kind`, as the official SDK does; explain what was wrong."""
    if isinstance(value, kind):
        return value
    try:
        return kind.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(
            f"invalid {what}: {problems}. See the fields of genai_min.types.{kind.__name__}"
        ) from None


def _decode_base64(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = value.strip()
    text += "=" * (-len(text) % 4)
    try:
        # Both alphabets occur: the SDK sends URL-safe, the service and Imagen use standard.
        altchars = b"-_" if "-" in text or "_" in text else None
        return base64.b64decode(text, altchars=altchars, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not valid base64: {value[:40]!r}") from exc


def _encode_base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


Base64Bytes = Annotated[
    bytes,
    BeforeValidator(_decode_base64),
    PlainSerializer(_encode_base64, return_type=str, when_used="json"),
]
"""Bytes in Python; standard base64 on the wire; either alphabet, padded or not, when parsed."""


def parse(kind: type[M], data: object) -> M:
    """Parse a response body into `kind`, or raise `ResponseError` naming the bad fields."""
    from genai_min._errors import ResponseError

    try:
        return kind.model_validate(data)
    except ValidationError as exc:
        raise ResponseError(
            f"the service's answer does not fit {kind.__name__}: {exc.errors()[0]['msg']} at "
            f"{'.'.join(str(p) for p in exc.errors()[0]['loc'])}"
        ) from exc
