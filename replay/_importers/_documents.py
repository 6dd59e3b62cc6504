"""Read the cassette formats that parse into a document (YAML or JSON): vcrpy, Ruby VCR, go-vcr, req_llm.

Each reader walks the document's interactions and returns `Exchange` values with raw bodies; the
format is recognised from the document's shape, not from the file name.
"""

from __future__ import annotations

from collections.abc import Callable

from genai_min._http import JSON
from replay._importers._exchange import (
    Exchange,
    Foreign,
    ForeignFormatError,
    Message,
    b64decode,
    content_from,
    headers_from,
)

Document = dict[str, object]


def read_document(document: object) -> Foreign:
    """Recognise a parsed YAML or JSON cassette and return its exchanges."""
    if not isinstance(document, dict):
        raise ForeignFormatError(
            f"not a cassette: the file holds {_kind(document)}, where a cassette is a mapping with "
            "`interactions` (vcrpy, go-vcr) or `http_interactions` (Ruby VCR)",
            hint="import cassette files only",
        )
    if document.get("format") == "genai-replay/1":
        raise ForeignFormatError(
            "already a genai-replay cassette", hint="use it as it is; there is nothing to import"
        )
    if "http_interactions" in document:
        items = _list(document["http_interactions"], "http_interactions")
        version = str(document.get("recorded_with", ""))
        return Foreign("ruby-vcr", version, _each(items, "http_interactions", _ruby))
    if "interactions" in document:
        items = _list(document["interactions"], "interactions")
        version = str(document.get("version", ""))
        requests = [i.get("request") for i in items if isinstance(i, dict)]
        if items and not any(isinstance(r, dict) for r in requests):
            raise ForeignFormatError(_not_http(items), hint="")
        if any(isinstance(r, dict) and "url" in r and "uri" not in r for r in requests):
            return Foreign("go-vcr", version, _each(items, "interactions", _go_vcr))
        return Foreign("vcrpy", version, _each(items, "interactions", _vcrpy))
    if isinstance(document.get("request"), dict) and isinstance(document.get("response"), dict):
        return Foreign("req_llm", "", (_req_llm(document),))
    raise ForeignFormatError(
        f"not a cassette format the importer knows (top-level keys {sorted(map(str, document))}); it "
        "reads vcrpy, Ruby VCR and go-vcr YAML, httprr traces and req_llm JSON fixtures",
        hint="convert it to one of those, or record the test again with genai-replay",
    )


def _not_http(items: list[object]) -> str:
    kinds = sorted({str(i.get("kind")) for i in items if isinstance(i, dict) and "kind" in i})
    if kinds:
        return (
            f"holds {len(items)} websocket messages (`kind: {', '.join(kinds)}` entries, as in pydantic-ai's "
            "websocket cassettes), not HTTP exchanges; a genai-replay cassette holds HTTP interactions "
            "only, so there is nothing to import: keep replaying that test with the tool that recorded it"
        )
    return "its interactions have no `request`, so they are not HTTP exchanges; there is nothing to import"


def _each(items: list[object], where: str, read: Callable[[Document, str], Exchange]) -> tuple[Exchange, ...]:
    return tuple(read(_mapping(item, f"{where}[{i}]"), f"{where}[{i}]") for i, item in enumerate(items))


def _vcrpy(item: Document, where: str) -> Exchange:
    req = _mapping(item.get("request"), f"{where}.request")
    res = _mapping(item.get("response"), f"{where}.response")
    return Exchange(
        method=_text(req.get("method"), f"{where}.request.method"),
        url=_text(req.get("uri"), f"{where}.request.uri"),
        request=_vcrpy_message(req, f"{where}.request"),
        status=_status(res.get("status", res.get("status_code")), f"{where}.response.status"),
        response=_vcrpy_message(res, f"{where}.response"),
    )


def _vcrpy_message(side: Document, where: str) -> Message:
    headers = headers_from(side.get("headers"), f"{where}.headers")
    if "parsed_body" in side:  # pydantic-ai's serialiser keeps JSON bodies as YAML mappings
        return Message(headers, parsed=_json(side["parsed_body"], f"{where}.parsed_body"), has_parsed=True)
    # Older vcrpy httpx stubs kept the response body under `content`, next to `status_code`.
    body = side.get("body", side.get("content"))
    if isinstance(body, dict):
        body = body.get("string", body.get("content"))
    return Message(headers, content_from(body, f"{where}.body"))


def _ruby(item: Document, where: str) -> Exchange:
    req = _mapping(item.get("request"), f"{where}.request")
    res = _mapping(item.get("response"), f"{where}.response")
    recorded_at = item.get("recorded_at")
    return Exchange(
        method=_text(req.get("method"), f"{where}.request.method"),
        url=_text(req.get("uri"), f"{where}.request.uri"),
        request=_ruby_message(req, f"{where}.request"),
        status=_status(res.get("status"), f"{where}.response.status"),
        response=_ruby_message(res, f"{where}.response"),
        recorded_at=recorded_at if isinstance(recorded_at, str) else "",
    )


def _ruby_message(side: Document, where: str) -> Message:
    headers = headers_from(side.get("headers"), f"{where}.headers")
    body = side.get("body")
    if not isinstance(body, dict):
        return Message(headers, content_from(body, f"{where}.body"))
    if "base64_string" in body:  # VCR before 2.0 stored every body this way
        return Message(headers, b64decode(body["base64_string"], f"{where}.body.base64_string"))
    return Message(headers, content_from(body.get("string"), f"{where}.body.string"))


def _go_vcr(item: Document, where: str) -> Exchange:
    req = _mapping(item.get("request"), f"{where}.request")
    res = _mapping(item.get("response"), f"{where}.response")
    return Exchange(
        method=_text(req.get("method"), f"{where}.request.method"),
        url=_text(req.get("url"), f"{where}.request.url"),
        request=Message(
            headers_from(req.get("headers"), f"{where}.request.headers"),
            content_from(req.get("body"), f"{where}.request.body"),
        ),
        # `code` is the number; `status` the text ("200 OK"), which older versions held alone.
        status=_status(res.get("code", res.get("status")), f"{where}.response.code"),
        response=Message(
            headers_from(res.get("headers"), f"{where}.response.headers"),
            content_from(res.get("body"), f"{where}.response.body"),
        ),
    )


def _req_llm(document: Document) -> Exchange:
    req = _mapping(document["request"], "request")
    res = _mapping(document["response"], "response")
    body = req.get("body")
    if isinstance(body, dict):  # the bytes sent, with a `canonical_json` twin for humans
        content = b64decode(body.get("b64"), "request.body.b64")
    else:
        content = content_from(body, "request.body")
    response_headers = headers_from(res.get("headers"), "response.headers")
    response_body = res.get("body")
    if isinstance(response_body, dict | list):
        response = Message(response_headers, parsed=_json(response_body, "response.body"), has_parsed=True)
    elif response_body is None:  # a stream: the body is the chunks, in order
        chunks = _list(document.get("chunks", []), "chunks")
        parts = [_mapping(c, f"chunks[{i}]").get("b64") for i, c in enumerate(chunks)]
        data = b"".join(b64decode(part, f"chunks[{i}].b64") for i, part in enumerate(parts))
        response = Message(response_headers, data)
    else:
        response = Message(response_headers, content_from(response_body, "response.body"))
    captured = document.get("captured_at")
    return Exchange(
        method=_text(req.get("method"), "request.method"),
        url=_text(req.get("url"), "request.url"),
        request=Message(headers_from(req.get("headers"), "request.headers"), content),
        status=_status(res.get("status"), "response.status"),
        response=response,
        recorded_at=captured if isinstance(captured, str) else "",
    )


def _status(value: object, where: str) -> int:
    if isinstance(value, dict):
        value = value.get("code")
    if isinstance(value, str) and value.split(" ", 1)[0].isdigit():
        value = int(value.split(" ", 1)[0])
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
        return value
    raise ForeignFormatError(f"{where} must be an HTTP status code, found {value!r}")


def _json(value: object, where: str) -> JSON:
    """Check that a body the foreign tool parsed is JSON, turning YAML's number keys into text."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list):
        return [_json(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        out: dict[str, JSON] = {}
        for key, item in value.items():
            if not isinstance(key, str | int | float) or isinstance(key, bool):
                raise ForeignFormatError(f"{where} has a key that JSON cannot hold: {key!r}")
            out[str(key)] = _json(item, f"{where}.{key}")
        return out
    raise ForeignFormatError(f"{where} holds {_kind(value)}, which JSON cannot hold")


def _mapping(value: object, where: str) -> Document:
    if not isinstance(value, dict):
        raise ForeignFormatError(f"{where} must be a mapping, found {_kind(value)}")
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise ForeignFormatError(f"{where} must be a list, found {_kind(value)}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ForeignFormatError(f"{where} must be non-empty text, found {value!r}")
    return value


def _kind(value: object) -> str:
    return "nothing" if value is None else f"a {type(value).__name__}"
