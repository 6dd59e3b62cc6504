"""The `genai-replay/1` JSON form of a cassette: `save_cassette` writes it, `load_cassette` reads it.

Saving writes blobs first, then the cassette, each atomically (`replay._store`), and loading is
strict: anything unexpected raises `CassetteError` naming the file, the interaction and what to do,
so that no command meets a value it cannot handle later: JSON nested past `MAX_DEPTH`, a URL that
does not parse, a status outside 100..599, a header HTTP forbids (`replay._http_values`). The
format is specified in docs/cassette-format.md.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import math
from collections.abc import Iterator
from pathlib import Path

from genai_min._http import JSON, JSONObject, encode_json
from replay._cassette import (
    BLOB_DIR,
    BLOB_THRESHOLD,
    FORMAT,
    RECORDED_AGAINST,
    Body,
    BodyKind,
    Cassette,
    Interaction,
    Meta,
    Request,
    Response,
)
from replay._errors import CassetteError
from replay._http_values import header_problem, is_status, url_problem
from replay._json_depth import depth_problem, nests_deeper
from replay._store import BlobError, read_blob, sweep_leftovers, write_atomic, write_blob


def save_cassette(cassette: Cassette, path: Path) -> None:
    """Write `cassette` to `path` atomically: the old file stays whole until the new one is."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    blobs = path.parent / BLOB_DIR
    # The envelope's keys are written sorted; JSON bodies keep the order they had on the wire, so a
    # client sending its recorded request again sends the bytes the player indexes (`Body.wire`).
    document: JSONObject = {
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
    write_atomic(path, encode_json(document, indent=2) + b"\n")
    sweep_leftovers(path.parent, f".{path.name}.")
    if blobs.is_dir():
        sweep_leftovers(blobs, ".")


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
    except RecursionError:
        raise CassetteError(depth_problem(raw), cassette_path=path) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CassetteError(
            f"not valid JSON ({exc}); restore it from version control or record it again",
            cassette_path=path,
        ) from exc
    if nests_deeper(document):
        raise CassetteError(depth_problem(raw), cassette_path=path)
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
            _interaction_at(index, item, blobs)
            for index, item in enumerate(_list(document.get("interactions", []), "interactions"))
        )
        meta = _meta_from_json(_object(document.get("meta", {}), "meta"))
    return Cassette(interactions, meta)


class _MalformedError(Exception):
    """A structural problem inside a cassette; turned into `CassetteError` with the path.

    `where` is the part of the cassette it is in (``interactions[2].response.body``), once known.
    """

    where = ""


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    try:
        yield
    except _MalformedError as exc:
        where = f"{exc.where}: " if exc.where else ""
        raise CassetteError(
            f"{where}{exc}; restore it from version control or record it again", cassette_path=path
        ) from None


@contextlib.contextmanager
def _within(where: str) -> Iterator[None]:
    """Name the part of the cassette a problem found in this block is in, unless a nearer part was named."""
    try:
        yield
    except _MalformedError as exc:
        exc.where = exc.where or where
        raise


def _object(value: object, where: str) -> JSONObject:
    if not isinstance(value, dict):
        raise _MalformedError(f"{where} must be an object, found {type(value).__name__}")
    return value


def _list(value: object, where: str) -> list[JSON]:
    if not isinstance(value, list):
        raise _MalformedError(f"{where} must be a list, found {type(value).__name__}")
    return value


def _headers(value: object, side: str) -> tuple[tuple[str, str], ...]:
    pairs = _object(value, f"{side} headers")
    items = tuple(pairs.items())
    for name, v in items:
        if type(v) is not str:
            raise _MalformedError(f"{side} headers values must be strings")
        problem = header_problem(name, v)
        if problem is not None:
            raise _MalformedError(f"{side} header {name!r}: {problem}")
    return items  # type: ignore[return-value]  # every value was checked to be a str


def _interaction_at(index: int, value: JSON, blobs: Path) -> Interaction:
    where = f"interactions[{index}]"
    with _within(where):
        item = _object(value, "an interaction")
        req = _object(item.get("request"), "request")
        res = _object(item.get("response"), "response")
        method, url, status = req.get("method"), req.get("url"), res.get("status")
        if not isinstance(method, str) or not isinstance(url, str):
            raise _MalformedError("a request needs a string method and url")
        problem = url_problem(url)
        if problem is not None:
            raise _MalformedError(problem)
        if not is_status(status):
            raise _MalformedError(
                f"a response needs an integer status from 100 to 599, found {_shown(status)}"
            )
        cut = res.get("cut", "")
        if not isinstance(cut, str):
            raise _MalformedError(f"a response's cut must be a string (the error that cut it), found {cut!r}")
        return Interaction(
            Request(
                method,
                url,
                _headers(req.get("headers", {}), "request"),
                _body_from_json(req.get("body"), blobs, f"{where}.request.body"),
            ),
            Response(
                status,
                _headers(res.get("headers", {}), "response"),
                _body_from_json(res.get("body"), blobs, f"{where}.response.body"),
                cut,
            ),
        )


def _body_from_json(value: JSON, blobs: Path, where: str) -> Body:
    with _within(where):
        return _body(value, blobs)


def _body(value: JSON, blobs: Path) -> Body:
    if value is None:
        return Body()
    body = _object(value, "body")
    kinds = [key for key in body if key in _BODY_KINDS]
    if len(kinds) > 1:
        raise _MalformedError(
            f"a body has exactly one kind, found {' and '.join(map(repr, kinds))}: keep the one the "
            "exchange had"
        )
    extra = sorted(set(body) - set(_BODY_KINDS) - ({"delays"} if "sse" in body else set()))
    if extra and kinds:
        raise _MalformedError(f"a {kinds[0]!r} body has unknown keys {extra}")
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
        if not isinstance(body["text"], str) or not _is_unicode(body["text"]):
            raise _MalformedError("a text body must be a string of valid Unicode")
        return Body(BodyKind.TEXT, text=body["text"])
    if "base64" in body:
        encoded = body["base64"]
        try:
            return Body(BodyKind.BYTES, data=base64.b64decode(str(encoded), validate=True))
        except (binascii.Error, ValueError):
            raise _MalformedError("a base64 body does not decode") from None
    if "blob" in body:
        try:
            blob = read_blob(_object(body["blob"], "blob"), blobs)
        except BlobError as exc:
            raise _MalformedError(str(exc)) from None
        if isinstance(blob, bytes):
            return Body(BodyKind.BYTES, data=blob)
        return Body(BodyKind.BYTES, blob=blob)
    raise _MalformedError(f"unknown body form with keys {sorted(body)}")


_BODY_KINDS = ("json", "sse", "text", "base64", "blob")


def _shown(value: JSON, limit: int = 60) -> str:
    """Show a value as it is written in the cassette (``true``, not ``True``), cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def _is_unicode(text: str) -> bool:
    """Tell whether `text` is valid Unicode: it holds no lone surrogate, which UTF-8 cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
    write_blob(body, blobs)
    return {"blob": {"sha256": body.sha256, "size": body.size}}


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
