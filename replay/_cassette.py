"""Cassettes: the recorded exchanges of one test as frozen values, and the bodies they hold.

The recorder builds these values and the player indexes them; `replay._cassette_json` saves and
loads them in the `genai-replay/1` format (docs/cassette-format.md), `replay._store` keeps the files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path

from genai_min._http import JSON, encode_json
from genai_min._sse import encode_event, parse_events

FORMAT = "genai-replay/1"
BLOB_THRESHOLD = 64 * 1024
"""Binary bodies larger than this many bytes are stored as blob files beside the cassette."""
BLOB_DIR = "blobs"
LAZY_BLOB = 2**20
"""Blobs larger than this many bytes stay in their file when a cassette is loaded (`Blob`)."""
CHUNK = 2**20
"""The size of the pieces a blob is read, written and served in."""


class BodyKind(Enum):
    """How a body is stored: nothing, parsed JSON, server-sent events, text, or raw bytes."""

    EMPTY = "empty"
    JSON = "json"
    SSE = "sse"
    TEXT = "text"
    BYTES = "bytes"


@dataclass(frozen=True)
class Blob:
    """Binary content kept in a file and read only when asked for: a cassette's blob, or one staged.

    Its `sha256` and `size` were checked when the file was written or loaded, so equality and
    lookups never need the bytes.
    """

    path: Path
    sha256: str
    size: int

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """Yield the content `size` bytes at a time, never holding more than one piece."""
        with self.path.open("rb") as handle:
            while piece := handle.read(size):
                yield piece

    def read(self) -> bytes:
        """Return the whole content (a transient copy: nothing keeps it)."""
        return self.path.read_bytes()


@dataclass(frozen=True, eq=False)
class Body:
    """A request or response body in the form the cassette keeps it.

    Binary content is in `data`, or, for a large body, in the file `blob` names (then `data` is
    empty): `content`, `size`, `sha256` and `chunks` read either. Two bodies are equal when their
    kind and content are, wherever the bytes are kept.
    """

    kind: BodyKind = BodyKind.EMPTY
    json: JSON = None
    events: tuple[JSON, ...] = ()
    text: str = ""
    data: bytes = b""
    delays: tuple[float, ...] = ()
    """For a stream recorded with timing: seconds before each event (the first from the response)."""
    blob: Blob | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Body):
            return NotImplemented
        if self.kind is not other.kind:
            return False
        if self.kind is BodyKind.BYTES:
            if self.blob is None and other.blob is None:
                return self.data == other.data
            return self.size == other.size and self.sha256 == other.sha256
        return (self.json, self.events, self.text, self.delays) == (
            other.json,
            other.events,
            other.text,
            other.delays,
        )

    __hash__ = None  # type: ignore[assignment]  # a JSON body holds dicts and lists

    @property
    def content(self) -> bytes:
        """The binary content, read from the blob file when it is kept there."""
        return self.data if self.blob is None else self.blob.read()

    @property
    def size(self) -> int:
        """The length of the bytes on the wire (of the binary content without reading a blob)."""
        if self.kind is BodyKind.BYTES:
            return len(self.data) if self.blob is None else self.blob.size
        return len(self.wire)

    @cached_property
    def sha256(self) -> str:
        """The SHA-256 of the bytes on the wire, in hex (a blob's is known without reading it)."""
        if self.blob is not None:
            return self.blob.sha256
        return hashlib.sha256(self.wire).hexdigest()

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """Yield the bytes on the wire as a replay sends them: a stream one event at a time, the rest in
        pieces of at most `size`, a blob read from its file piece by piece."""
        if self.kind is BodyKind.SSE:
            for event in self.events:
                yield encode_event(event)
            return
        if self.blob is not None:
            yield from self.blob.chunks(size)
            return
        wire = self.wire
        for start in range(0, len(wire), size):
            yield wire[start : start + size]

    @classmethod
    def from_bytes(cls, content: bytes, content_type: str = "") -> Body:
        """Classify raw bytes: JSON and event streams are parsed, text kept, the rest is bytes."""
        if not content:
            return cls()
        media = content_type.split(";", 1)[0].strip().lower()
        if media == "text/event-stream":
            events = parse_events(content)
            if events is not None:
                return cls(BodyKind.SSE, events=events)
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            return cls(BodyKind.BYTES, data=content)
        if media.endswith("json") or media == "":
            try:
                return cls(BodyKind.JSON, json=json.loads(text))
            except ValueError:
                pass
        if not is_binary(media):
            return cls(BodyKind.TEXT, text=text)
        return cls(BodyKind.BYTES, data=content)

    @property
    def wire(self) -> bytes:
        """The bytes on the wire, built once per body (`to_bytes`, cached) but read anew from a blob."""
        if self.blob is not None:
            return self.blob.read()
        cached: bytes | None = self.__dict__.get("_wire")
        if cached is None:
            cached = self.__dict__["_wire"] = self.to_bytes()
        return cached

    def to_bytes(self) -> bytes:
        """Rebuild the bytes on the wire; event streams get the service's CRLF framing back."""
        if self.kind is BodyKind.JSON:
            return encode_json(self.json)
        if self.kind is BodyKind.SSE:
            return b"".join(encode_event(e) for e in self.events)
        if self.kind is BodyKind.TEXT:
            return self.text.encode()
        return self.content


def is_binary(content_type: str) -> bool:
    """Tell whether a body of this content type is kept as bytes whatever it holds (`Body.from_bytes`)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media != "" and not media.startswith("text/") and not media.endswith(("json", "xml"))


@dataclass(frozen=True)
class Request:
    """A recorded request: method, full URL, kept headers (lower-case) and body."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: Body = field(default_factory=Body)


@dataclass(frozen=True)
class Response:
    """A recorded response: status, kept headers (lower-case) and body.

    `cut` says the answer broke off after `body` (a stream cut mid-way), with the error the HTTP
    library raised, as ``<error class>: <message>``; empty for a whole answer.
    """

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: Body = field(default_factory=Body)
    cut: str = ""


@dataclass(frozen=True)
class Interaction:
    """One request and the response it got."""

    request: Request
    response: Response


RECORDED_AGAINST = ("live", "emulator", "imported")
"""What a cassette's answers came from: recorded here from the live API, recorded here from the
emulator, or imported from another tool's recording (of the live API, by whoever made it)."""


@dataclass(frozen=True)
class Meta:
    """What recorded a cassette: live API, emulator or another tool; backend, API version, client, time."""

    recorded_against: str = "live"
    backend: str = "gemini"
    api_version: str = ""
    client: str = ""
    client_version: str = ""
    recorded_at: str = ""


@dataclass(frozen=True)
class Cassette:
    """The interactions of one test, in recorded order, with their metadata."""

    interactions: tuple[Interaction, ...] = ()
    meta: Meta = field(default_factory=Meta)
