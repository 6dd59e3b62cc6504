"""Cassettes: the `genai-replay/1` JSON files that hold recorded exchanges, and their blobs.

The recorder appends sanitised interactions and saves; the player loads and indexes them. Saving
is atomic (blobs first, then the cassette through a temporary file and a rename), and loading is
strict: anything unexpected raises `CassetteError` naming the file and what to do. The format is
specified in docs/cassette-format.md.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import math
import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path

from genai_min._http import JSON, JSONObject
from replay._errors import CassetteError

FORMAT = "genai-replay/1"
BLOB_THRESHOLD = 64 * 1024
"""Binary bodies larger than this many bytes are stored as blob files beside the cassette."""
BLOB_DIR = "blobs"
LAZY_BLOB = 2**20
"""Blobs larger than this many bytes stay in their file when a cassette is loaded (`Blob`)."""
CHUNK = 2**20
"""The size of the pieces a blob is read, written and served in."""
_DIGEST = re.compile(r"[0-9a-f]{64}")
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{16}\.tmp")
STALE_AFTER = 600.0
"""Seconds after which a temporary file left by a killed writer is removed on the next save beside it."""
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


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
                yield Body(BodyKind.SSE, events=(event,)).to_bytes()
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
            events = _parse_events(content)
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
            return _utf8(json.dumps(self.json, ensure_ascii=False, separators=(",", ":")))
        if self.kind is BodyKind.SSE:
            return b"".join(
                b"data: " + _utf8(json.dumps(e, ensure_ascii=False, separators=(",", ":"))) + b"\r\n\r\n"
                for e in self.events
            )
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


def save_cassette(cassette: Cassette, path: Path) -> None:
    """Write `cassette` to `path` atomically: the old file stays whole until the new one is."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    blobs = path.parent / BLOB_DIR
    # The envelope's keys are written sorted; JSON bodies keep the order they had on the wire, so a
    # client sending its recorded request again sends the bytes the player indexes (`Body.wire`).
    document = {
        "format": FORMAT,
        "interactions": [
            {
                "request": _message_to_json(
                    i.request.headers, i.request.body, blobs, method=i.request.method, url=i.request.url
                ),
                "response": _message_to_json(
                    i.response.headers,
                    i.response.body,
                    blobs,
                    status=i.response.status,
                    **({"cut": i.response.cut} if i.response.cut else {}),
                ),
            }
            for i in cassette.interactions
        ],
        "meta": _meta_to_json(cassette.meta),
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    _write_atomic(path, _utf8(text))
    _sweep_leftovers(path.parent, f".{path.name}.")
    if blobs.is_dir():
        _sweep_leftovers(blobs, ".")


def load_cassette(path: Path) -> Cassette:
    """Read and check a cassette; raise `CassetteError` naming the file and the fix."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CassetteError("no such cassette; record it first", cassette_path=path) from None
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL byte
        raise CassetteError(f"cannot read the cassette: {exc}", cassette_path=path) from exc
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CassetteError(
            f"not valid JSON ({exc}); restore it from version control or record it again",
            cassette_path=path,
        ) from exc
    if not isinstance(document, dict):
        raise CassetteError("a cassette must be a JSON object", cassette_path=path)
    version = document.get("format")
    if version != FORMAT:
        raise CassetteError(
            f"unknown format {version!r}; this genai-replay reads {FORMAT!r}: upgrade "
            "genai-replay, or convert foreign cassettes with `genai-replay import`",
            cassette_path=path,
        )
    blobs = path.parent / BLOB_DIR
    with _reading(path):
        interactions = tuple(
            _interaction_from_json(item, blobs)
            for item in _list(document.get("interactions", []), "interactions")
        )
        meta = _meta_from_json(_object(document.get("meta", {}), "meta"))
    return Cassette(interactions, meta)


class _MalformedError(Exception):
    """A structural problem inside a cassette; turned into `CassetteError` with the path."""


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    try:
        yield
    except _MalformedError as exc:
        raise CassetteError(
            f"{exc}; restore it from version control or record it again", cassette_path=path
        ) from None


def _object(value: object, where: str) -> JSONObject:
    if not isinstance(value, dict):
        raise _MalformedError(f"{where} must be an object, found {type(value).__name__}")
    return value


def _list(value: object, where: str) -> list[JSON]:
    if not isinstance(value, list):
        raise _MalformedError(f"{where} must be a list, found {type(value).__name__}")
    return value


def _headers(value: object, where: str) -> tuple[tuple[str, str], ...]:
    pairs = _object(value, where)
    items = tuple(pairs.items())
    for _, v in items:
        if type(v) is not str:
            raise _MalformedError(f"{where} values must be strings")
    return items  # type: ignore[return-value]  # every value was checked to be a str


def _interaction_from_json(value: JSON, blobs: Path) -> Interaction:
    item = _object(value, "an interaction")
    req = _object(item.get("request"), "request")
    res = _object(item.get("response"), "response")
    method, url, status = req.get("method"), req.get("url"), res.get("status")
    if not isinstance(method, str) or not isinstance(url, str):
        raise _MalformedError("a request needs a string method and url")
    if not isinstance(status, int):
        raise _MalformedError(f"a response needs an integer status, found {status!r}")
    cut = res.get("cut", "")
    if not isinstance(cut, str):
        raise _MalformedError(f"a response's cut must be a string (the error that cut it), found {cut!r}")
    return Interaction(
        Request(
            method,
            url,
            _headers(req.get("headers", {}), "request headers"),
            _body_from_json(req.get("body"), blobs),
        ),
        Response(
            status,
            _headers(res.get("headers", {}), "response headers"),
            _body_from_json(res.get("body"), blobs),
            cut,
        ),
    )


def _body_from_json(value: JSON, blobs: Path) -> Body:
    if value is None:
        return Body()
    body = _object(value, "body")
    if "json" in body:
        return Body(BodyKind.JSON, json=body["json"])
    if "sse" in body:
        events = tuple(_list(body["sse"], "an event stream"))
        delays = tuple(_list(body.get("delays", []), "stream delays"))
        if delays and (
            len(delays) != len(events)
            or not all(isinstance(d, int | float) and math.isfinite(d) and d >= 0 for d in delays)
        ):
            raise _MalformedError("stream delays must be one finite, non-negative number per event")
        return Body(BodyKind.SSE, events=events, delays=delays)  # type: ignore[arg-type]
    if "text" in body:
        if not isinstance(body["text"], str) or _LONE_SURROGATE.search(body["text"]):
            raise _MalformedError("a text body must be a string of valid Unicode")
        return Body(BodyKind.TEXT, text=body["text"])
    if "base64" in body:
        encoded = body["base64"]
        try:
            return Body(BodyKind.BYTES, data=base64.b64decode(str(encoded), validate=True))
        except (binascii.Error, ValueError):
            raise _MalformedError("a base64 body does not decode") from None
    if "blob" in body:
        blob = _checked_blob(_object(body["blob"], "blob"), blobs)
        if isinstance(blob, bytes):
            return Body(BodyKind.BYTES, data=blob)
        return Body(BodyKind.BYTES, blob=blob)
    raise _MalformedError(f"unknown body form with keys {sorted(body)}")


def _checked_blob(ref: JSONObject, blobs: Path) -> Blob | bytes:
    """Return the blob `ref` names (its bytes, when small), once its file has that hash and size."""
    digest, size = ref.get("sha256"), ref.get("size")
    # The digest names a file: anything but 64 hex digits could point outside the blob folder.
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest) or type(size) is not int or size < 0:
        raise _MalformedError(
            f"a blob reference needs sha256 (64 lower-case hex digits) and size (bytes), found {ref!r}"
        )
    blob = Blob(blobs / digest, digest, size)
    hashed = hashlib.sha256()
    length = 0
    held = []
    try:
        for piece in blob.chunks():
            hashed.update(piece)
            length += len(piece)
            if size <= LAZY_BLOB:
                held.append(piece)
    except FileNotFoundError:
        raise _MalformedError(f"blob {digest} ({size} bytes) is missing from {blobs}") from None
    except OSError as exc:
        raise _MalformedError(f"blob {digest} cannot be read: {exc}") from None
    if length != size or hashed.hexdigest() != digest:
        raise _MalformedError(f"blob {digest} does not match its hash and size (corrupted)")
    return b"".join(held) if size <= LAZY_BLOB else blob


def _message_to_json(
    headers: tuple[tuple[str, str], ...], body: Body, blobs: Path, **fields: object
) -> JSONObject:
    out: JSONObject = {"body": _body_to_json(body, blobs), "headers": dict(sorted(dict(headers).items()))}
    out.update(fields)  # type: ignore[arg-type]
    return dict(sorted(out.items()))


def _body_to_json(body: Body, blobs: Path) -> JSON:
    if body.kind is BodyKind.EMPTY:
        return None
    if body.kind is BodyKind.JSON:
        return {"json": body.json}
    if body.kind is BodyKind.SSE:
        if body.delays:
            return {"delays": list(body.delays), "sse": list(body.events)}
        return {"sse": list(body.events)}
    if body.kind is BodyKind.TEXT:
        return {"text": body.text}
    if body.size <= BLOB_THRESHOLD:
        return {"base64": base64.b64encode(body.content).decode("ascii")}
    target = blobs / body.sha256
    if not target.exists():
        blobs.mkdir(parents=True, exist_ok=True)
        _write_atomic(target, body.chunks())
    return {"blob": {"sha256": body.sha256, "size": body.size}}


def _parse_events(content: bytes) -> tuple[JSON, ...] | None:
    """Split an event stream into its JSON events; None if it is not one we can rebuild."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    events: list[JSON] = []
    for block in text.replace("\r\n", "\n").replace("\r", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        if not all(line.startswith("data: ") for line in lines):
            return None
        try:
            events.append(json.loads("\n".join(line[6:] for line in lines)))
        except ValueError:
            return None
    return tuple(events)


def _utf8(text: str) -> bytes:
    """Encode JSON text as UTF-8, keeping lone surrogates (valid JSON escapes) as ``\\uXXXX``."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A high and a low surrogate side by side are one character, as JSON reads them back: write
        # that, so saving again gives the same bytes. Only string contents can hold a lone one, so
        # escaping it keeps the JSON valid and the value equal.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


def _meta_to_json(meta: Meta) -> JSONObject:
    return {
        "api_version": meta.api_version,
        "backend": meta.backend,
        "client": meta.client,
        "client_version": meta.client_version,
        "recorded_against": meta.recorded_against,
        "recorded_at": meta.recorded_at,
    }


def _meta_from_json(value: JSONObject) -> Meta:
    fields = {k: v for k, v in value.items() if k in Meta.__dataclass_fields__}
    if not all(isinstance(v, str) for v in fields.values()):
        raise _MalformedError("meta values must be strings")
    if fields.get("recorded_against", "live") not in RECORDED_AGAINST:
        found = fields["recorded_against"]
        raise _MalformedError(
            f"meta.recorded_against must be one of {', '.join(map(repr, RECORDED_AGAINST))}, found {found!r}"
        )
    return Meta(**fields)  # type: ignore[arg-type]


def _sweep_leftovers(folder: Path, prefix: str) -> None:
    """Remove the temporary files of writers killed long ago (see `_write_atomic`).

    A temporary file younger than `STALE_AFTER` may belong to a writer still at work (another xdist
    worker saving the same cassette), so it is left alone; no write takes that long.
    """
    cutoff = time.time() - STALE_AFTER
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and _TEMPORARY.fullmatch(n)]
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            if os.stat(folder / name).st_mtime < cutoff:
                os.unlink(folder / name)


def _write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write through a temporary file in the same folder, then rename over `path`.

    The temporary file's name is chosen before it is created, so an interrupt at any moment (Ctrl-C,
    a signal handler's SystemExit) leaves nothing behind; only a kill Python never sees (SIGKILL,
    a power cut) can, and that ``.<name>.<random>.tmp`` file is never taken for a cassette or blob.
    The file gets the permissions of any new file (umask), as the cassette it replaces had.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        with open(tmp, "xb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except FileExistsError:
        raise  # another writer's temporary file, not ours to remove
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
