"""Where `genai_min`'s plain `HttpRequest` and `HttpResponse` meet httpx, as functions without state.

`Transport` holds the clients and runs the send, retry and stream flow; these helpers build the
httpx request it sends (URL query and headers), read the answer back, and translate httpx's
failures into `genai_min` errors, so the transport's flow reads without the httpx details.
"""

from __future__ import annotations

import contextlib
import math
import platform
from collections.abc import Iterator, Mapping

import httpx

from genai_min._errors import RequestTimeoutError, TransportError
from genai_min._http import HttpRequest, HttpResponse, JSONObject
from genai_min._sse import decode_json_stream
from genai_min._version import __version__

CLIENT_LABEL = f"genai-min/{__version__} gl-python/{platform.python_version()}"


def build_request(
    client: httpx.Client | httpx.AsyncClient,
    request: HttpRequest,
    url: str,
    *,
    headers: Mapping[str, str],
    timeout: float | None,
    auth_headers: Mapping[str, str],
) -> httpx.Request:
    """Build the httpx request for `request` at `url`: our label, the Transport's `headers`, then auth.

    The request's own headers come last and win (upload commands and offsets).
    """
    sent = {"user-agent": CLIENT_LABEL, "x-goog-api-client": CLIENT_LABEL}
    for name, value in headers.items():
        # A caller's label goes in front of ours rather than replacing it.
        sent[name] = f"{value} {sent[name]}" if name in sent else value
    if request.json is not None:
        sent["content-type"] = "application/json"
    if isinstance(timeout, int | float):
        sent["x-server-timeout"] = str(math.ceil(timeout))
    sent.update(auth_headers)
    sent.update(request.headers)
    if request.query:
        # Merge rather than replace: an upload session URL already carries its own query.
        url = str(httpx.URL(url).copy_merge_params(list(request.query)))
    if request.json is not None:
        return client.build_request(request.method, url, headers=sent, json=request.json)
    return client.build_request(request.method, url, headers=sent, content=request.content)


@contextlib.contextmanager
def mapped_errors(request: HttpRequest) -> Iterator[None]:
    """Translate httpx's failures into ours; this is the only place that knows them."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise RequestTimeoutError(
            f"{request.method} {request.path} timed out: {exc}; raise timeout= on the Transport "
            "or retry with RetryOptions",
            request=request,
        ) from exc
    except httpx.TransportError as exc:
        raise TransportError(
            f"{request.method} {request.path} failed before an answer arrived: {exc!r}",
            request=request,
        ) from exc
    except httpx.StreamError as exc:
        raise TransportError(f"{request.method} {request.path}: {exc}", request=request) from exc


def release(response: httpx.Response) -> None:
    """Break the reference cycle httpx makes between a response and its stream, once closed.

    Without this the request, and the body it holds (an upload chunk), lives until the garbage
    collector next runs, so a large upload would hold many chunks at once.
    """
    response.stream = httpx.ByteStream(b"")


def to_response(response: httpx.Response, content: bytes) -> HttpResponse:
    return HttpResponse(response.status_code, dict(response.headers.items()), content)


def is_json(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.startswith("application/json")


def json_events(content: bytes) -> list[JSONObject]:
    """Read a stream answered as one JSON array (no ``alt=sse``) as its list of events."""
    return decode_json_stream(content)
