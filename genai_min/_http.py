"""The plain request and response values between `genai_min`'s functions and the transport.

Resource functions build an `HttpRequest` without any I/O; the transport turns it into an httpx
request, and hands back an `HttpResponse` (or a stream of decoded events) for the parsers.
`encode_json` writes JSON values the way the service does, for bodies and stream events alike.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TypeAlias

from genai_min._errors import ResponseError

JSON: TypeAlias = dict[str, "JSON"] | list["JSON"] | str | int | float | bool | None
JSONObject: TypeAlias = dict[str, JSON]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class HttpRequest:
    """One API call, described without the host, version, project or credentials.

    `path` is relative to the versioned root (``models/x:generateContent``); the transport adds the
    base URL, the API version and, on Vertex AI, the ``projects/P/locations/L/`` prefix. A path that
    starts with ``http://`` or ``https://`` is used as it is (upload session URLs).
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    json: JSON = None
    content: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    is_stream: bool = False
    is_upload: bool = False
    is_authenticated: bool = True

    @property
    def is_absolute(self) -> bool:
        """Tell whether `path` is a full URL that needs no base URL or version."""
        return self.path.startswith(("http://", "https://"))


@dataclass(frozen=True)
class HttpResponse:
    """A complete HTTP response: status, lower-cased headers and the raw body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""

    def json(self) -> JSON:
        """Return the body parsed as JSON; an empty body is an empty object.

        Raise `ResponseError` when it is not JSON (a proxy's or a sign-in page, for instance).
        """
        if not self.content.strip():
            return {}
        try:
            return json.loads(self.content)  # type: ignore[no-any-return]
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
            shown = self.content[:200].decode("utf-8", "replace")
            raise ResponseError(
                f"the answer (HTTP {self.status}, {self.headers.get('content-type', 'no content type')}) "
                f"is not JSON: {shown!r}; check that the base URL points at the Gemini API or Vertex AI",
                body=self.content,
            ) from exc


def encode_json(value: JSON, *, indent: int | None = None) -> bytes:
    """Serialise `value` as UTF-8 JSON: compact as the service writes it, or indented by `indent`.

    A lone surrogate (which a JSON string escape may hold, and `json.loads` gives back) is kept as a
    ``\\uXXXX`` escape, so every value read from JSON can be written again.
    """
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A high and a low surrogate side by side are one character, as JSON reads them back: write
        # that, so saving again gives the same bytes. Only string contents can hold a lone one, so
        # escaping it keeps the JSON valid and the value equal.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")
