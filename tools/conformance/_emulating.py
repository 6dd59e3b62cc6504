"""Send every recorded request of the README's surface to the emulator, cassette by cassette.

Each imported file is played against a freshly reset emulator, in recorded order, so that a get,
a poll or a delete finds what the file's own create made. Names the service gave (``files/abc``,
``cachedContents/x``, an operation, an upload session URL, a page token) are mapped to the names
the emulator gave in its answer at the same place, and replaced in later requests. Requests carry
a key (Gemini) or a bearer token (Vertex AI), which the emulator accepts when started without one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx

from genai_min._http import JSON
from replay import Body, BodyKind, check_response
from replay._schemas import check_error
from replay.emulator import Emulator
from tools.conformance._corpus import Corpus, Exchange
from tools.conformance._outcome import json_of
from tools.conformance._shapes import OperationShapes, shape_of

MAPPED_KEYS = frozenset({"name", "uri", "fileUri", "nextPageToken"})
"""Keys whose values name something the service made, so the emulator's own value replaces them."""
MAPPED_HEADERS = ("x-goog-upload-url", "location")
ERRORS = "error envelope"
"""The label under which error answers are compared, whatever their operation."""
AUTH = {"gemini": ("x-goog-api-key", "conformance"), "vertex": ("authorization", "Bearer conformance")}
Key = tuple[str, str]


def compare_with_emulator(corpus: Corpus, emulator: Emulator) -> dict[Key, OperationShapes]:
    """Play the corpus against `emulator`; return the shapes of both sides, by backend and operation.

    Error answers are gathered under the label ``error envelope``, when both sides failed.
    """
    shapes: dict[Key, OperationShapes] = {}
    by_file: dict[str, list[Exchange]] = {}
    for exchange in corpus.exchanges:
        by_file.setdefault(exchange.source, []).append(exchange)
    with httpx.Client(base_url=emulator.url, timeout=30) as client:
        for exchanges in by_file.values():
            emulator.reset()
            names: dict[str, str] = {}
            for exchange in exchanges:
                if exchange.is_on_surface:
                    _compare(client, exchange, names, shapes)
    return shapes


def _compare(
    client: httpx.Client, exchange: Exchange, names: dict[str, str], shapes: dict[Key, OperationShapes]
) -> None:
    request, real = exchange.interaction.request, exchange.interaction.response
    answer = client.send(_request(client, exchange, names))
    body = Body.from_bytes(answer.content, answer.headers.get("content-type", ""))
    for header in MAPPED_HEADERS:
        if header in dict(real.headers) and header in answer.headers:
            names[dict(real.headers)[header]] = answer.headers[header]
    is_json, real_json = json_of(real.body)
    is_emulated_json, emulated_json = json_of(body)
    key = (exchange.backend, exchange.label)
    found = shapes.setdefault(key, OperationShapes(*key))
    url = urlsplit(request.url)._replace(query="").geturl() if exchange.is_upload_chunk else request.url
    if is_emulated_json:
        check = check_error if answer.status_code >= 300 else check_response
        found.invalid += [
            f"{exchange.name}: {v.path or '(the body)'}: {v.message}"
            for v in check(request.method, url, emulated_json, is_strict=True)
        ]
    if real.status < 300 <= answer.status_code:
        found.differences.append(f"{exchange.name}: HTTP {answer.status_code}, {_message(emulated_json)}")
        return
    if real.status >= 300:
        if answer.status_code >= 300 and is_json and is_emulated_json:
            errors_key = (exchange.backend, ERRORS)
            errors = shapes.setdefault(errors_key, OperationShapes(*errors_key))
            errors.add(
                shape_of(request.method, request.url, real_json, is_error=True),
                shape_of(request.method, request.url, emulated_json, is_error=True),
            )
        return
    if not (is_json and is_emulated_json):
        return  # bytes (a download) or an empty answer (an upload's start): no fields to compare
    if not exchange.label.startswith(("models.list", "models.get")):
        names.update(_new_names(real_json, emulated_json))
    elif isinstance(real_json, dict) and isinstance(emulated_json, dict):
        token = real_json.get("nextPageToken"), emulated_json.get("nextPageToken")
        if isinstance(token[0], str) and isinstance(token[1], str):
            names[token[0]] = token[1]
    found.add(shape_of(request.method, url, real_json), shape_of(request.method, url, emulated_json))


def _request(client: httpx.Client, exchange: Exchange, names: dict[str, str]) -> httpx.Request:
    recorded = exchange.interaction.request
    url = _renamed(recorded.url, names)
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = dict(recorded.headers)
    name, value = AUTH["vertex" if exchange.backend == "vertex" else "gemini"]
    headers[name] = value
    content = recorded.body.to_bytes()
    if recorded.body.kind is BodyKind.JSON:
        content = _renamed(content.decode("utf-8"), names).encode("utf-8")
    return client.build_request(recorded.method, target, headers=headers, content=content or None)


def _renamed(text: str, names: dict[str, str]) -> str:
    for real in sorted(names, key=len, reverse=True):
        text = text.replace(real, names[real])
    return text


def _new_names(real: JSON, emulated: JSON) -> Iterator[tuple[str, str]]:
    """Pair the service's names with the emulator's, where both answers have one at the same place."""
    if isinstance(real, dict) and isinstance(emulated, dict):
        for key, value in real.items():
            other = emulated.get(key)
            if key in MAPPED_KEYS and isinstance(value, str) and isinstance(other, str) and value != other:
                if "/" in value or key == "nextPageToken":
                    yield value, other
            else:
                yield from _new_names(value, other)
    elif isinstance(real, list) and isinstance(emulated, list):
        for value, other in zip(real, emulated, strict=False):
            yield from _new_names(value, other)


def _message(body: JSON) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return str(message).splitlines()[0][:200] if message else json.dumps(body)[:200]
