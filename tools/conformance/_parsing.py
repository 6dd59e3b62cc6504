"""Parse each real answer with `genai_min`'s own parser, and check that its types lose nothing.

Every `genai_min` parser builds its models through `genai_min._base.parse(kind, data)`. While a
parser runs, each module's `parse` is swapped for one that also keeps `(kind, data, model)`; each
model is then dumped again (by alias, unset fields left out) and compared with the `data` it was
built from. Unknown fields are kept by the wire types, so what this finds is known fields read
into the wrong type, renamed, or changed. Equal means equal JSON, except where the wire format has
two spellings of one value: keys in camelCase or snake_case, an int64 as a decimal string or a
number, bytes in either base64 alphabet, padded or not. Changes `genai_min` makes on purpose are
in `_allowances.PARSE_ALLOWANCES`.

An error answer is parsed as `genai_min` does (`APIError.from_response`): its code, status and
message must be the envelope's.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import sys
from collections.abc import Callable, Iterator
from unittest import mock

from pydantic import BaseModel

import genai_min._base
from genai_min import _batches, _caches, _files, _images, _model_requests, _upload, _videos
from genai_min._errors import APIError, GenAIError
from genai_min._http import JSON, HttpResponse
from genai_min._images import GenerateImagesResponse
from genai_min._sse import decode_json_stream, decode_sse
from replay import BodyKind
from tools.conformance._allowances import PARSE_ALLOWANCES
from tools.conformance._corpus import Exchange
from tools.conformance._outcome import PASSED, Outcome, failed, not_applicable

Parser = Callable[[JSON], object]
Built = tuple[type[BaseModel], object, BaseModel]

PARSERS: dict[str, Parser] = {
    "models.generateContent": lambda data: _model_requests.parse_generate(data, None),
    "models.streamGenerateContent": lambda data: _model_requests.parse_generate(data, None),
    "models.countTokens": _model_requests.parse_count_tokens,
    "models.computeTokens": _model_requests.parse_compute_tokens,
    "models.embedContent": _model_requests.parse_embed,
    "models.batchEmbedContents": _model_requests.parse_embed,
    "models.predictLongRunning": _videos.parse_video_operation,
    "models.operations.get": _videos.parse_video_operation,
    "models.fetchPredictOperation": _videos.parse_video_operation,
    "models.get": _model_requests.parse_model,
    "models.list": _model_requests.parse_models_page,
    "files.create": _upload.parse_uploaded,
    "files.get": _files.parse_file,
    "files.list": _files.parse_files_page,
    "files.delete": _files.parse_delete,
    "cachedContents.create": _caches.parse_cache,
    "cachedContents.get": _caches.parse_cache,
    "cachedContents.patch": _caches.parse_cache,
    "cachedContents.list": _caches.parse_page,
    "models.batchGenerateContent": _batches.parse_batch_job,
    "batches.get": _batches.parse_batch_job,
    "batches.list": _batches.parse_page,
    "batches.delete": _batches.parse_delete,
}
"""The parser `genai_min` runs on each operation's answer; ``models.predict`` is chosen by model."""

NOTHING_PARSED = {
    "cachedContents.delete": "caches.delete returns nothing; the answer is not read",
    "files.download": "the answer is the file's bytes, which files.download returns as they are",
}


def parse_exchange(exchange: Exchange) -> Outcome:
    """Parse the exchange's answer as `genai_min` would, and compare every model with its source."""
    request, response = exchange.interaction.request, exchange.interaction.response
    if not exchange.is_on_surface:
        return not_applicable(f"{exchange.label} is not on the README's surface, so genai_min has no parser")
    content = response.body.to_bytes()
    if response.status >= 400:
        return _parse_error(response.status, dict(response.headers), content)
    if response.status >= 300:
        return not_applicable(f"an HTTP {response.status} redirect, which files.download follows")
    if exchange.label in NOTHING_PARSED:
        return not_applicable(NOTHING_PARSED[exchange.label])
    if exchange.label == "files.create" and response.body.kind is BodyKind.EMPTY:
        return not_applicable("the start of an upload answers with headers only (read by parse_start)")
    parser = _parser(exchange)
    if parser is None:
        return not_applicable(f"genai_min has no parser for {exchange.label}")
    try:
        if response.body.kind is BodyKind.SSE:
            bodies: list[JSON] = list(decode_sse([content]))
        elif request.url.split("?")[0].endswith(":streamGenerateContent"):
            bodies = list(decode_json_stream(content))
        else:
            bodies = [HttpResponse(response.status, dict(response.headers), content).json()]
        built: list[Built] = []
        with _keeping(built):
            for body in bodies:
                parser(body)
    except GenAIError as exc:
        return failed(f"{type(exc).__name__}: {exc}")
    problems = [problem for kind, data, model in built for problem in _losses(kind, data, model)]
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return failed("; ".join(problems[:3]) + more)
    return PASSED


def _parser(exchange: Exchange) -> Parser | None:
    if exchange.label == "models.predict":
        if "imagen-" in exchange.interaction.request.url:
            return lambda data: _images.parse_images(GenerateImagesResponse, data)
        return _model_requests.parse_embed
    return PARSERS.get(exchange.label)


def _parse_error(status: int, headers: dict[str, str], content: bytes) -> Outcome:
    error = APIError.from_response(HttpResponse(status, headers, content))
    details = error.details
    envelope = details.get("error") if isinstance(details, dict) else None
    if not isinstance(envelope, dict):
        return failed(f"APIError.details holds no error envelope: {str(details)[:120]!r}")
    expected = (status, envelope.get("status"), envelope.get("message"))
    if (error.code, error.status, error.message) != expected:
        return failed(f"APIError has {(error.code, error.status, error.message)!r}, the body {expected!r}")
    return PASSED


@contextlib.contextmanager
def _keeping(built: list[Built]) -> Iterator[None]:
    """Make every `genai_min` module's `parse` also append what it builds to `built`."""
    original = genai_min._base.parse

    def keep(kind: type[BaseModel], data: object) -> BaseModel:
        model = original(kind, data)
        built.append((kind, data, model))
        return model

    with contextlib.ExitStack() as stack:
        for name, module in list(sys.modules.items()):
            if name.startswith("genai_min.") and getattr(module, "parse", None) is original:
                stack.enter_context(mock.patch.object(module, "parse", keep))
        yield


def _losses(kind: type[BaseModel], data: object, model: BaseModel) -> list[str]:
    dumped = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    found = []
    for path, what in _differences(data, dumped, ""):
        general = re.sub(r"\[\d+\]", "[]", path)
        if (kind.__name__, general) not in PARSE_ALLOWANCES:
            found.append(f"{kind.__name__}{'.' if path and path[0] != '[' else ''}{path}: {what}")
    return found


def _differences(original: object, dumped: object, path: str) -> Iterator[tuple[str, str]]:
    """Yield where `dumped` differs from `original`, and how, allowing the wire's spellings."""
    if isinstance(original, dict) and isinstance(dumped, dict):
        spelt = {_key(k): k for k in dumped}
        for key, value in original.items():
            where = f"{path}.{key}" if path else key
            if _key(key) not in spelt:
                yield where, "lost"
            else:
                yield from _differences(value, dumped[spelt.pop(_key(key))], where)
        for key in spelt.values():
            yield (f"{path}.{key}" if path else key), "added"
    elif isinstance(original, list) and isinstance(dumped, list) and len(original) == len(dumped):
        for index, (item, again) in enumerate(zip(original, dumped, strict=True)):
            yield from _differences(item, again, f"{path}[{index}]")
    elif not _is_same_value(original, dumped):
        yield path, f"{_short(original)} became {_short(dumped)}"


def _is_same_value(original: object, dumped: object) -> bool:
    if isinstance(original, bool) or isinstance(dumped, bool):
        return original is dumped
    if isinstance(original, int | float) and isinstance(dumped, int | float):
        return original == dumped
    if isinstance(original, str) and isinstance(dumped, int):
        return re.fullmatch(r"-?[0-9]+", original) is not None and int(original) == dumped
    if isinstance(original, str) and isinstance(dumped, str):
        if original == dumped:
            return True
        decoded = _base64(original)
        return decoded is not None and decoded == _base64(dumped)
    return original == dumped and type(original) is type(dumped)


def _base64(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def _key(name: str) -> str:
    return name.replace("_", "").lower()


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
