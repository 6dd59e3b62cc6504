"""Where `genai_min`'s plain `HttpRequest` and `HttpResponse` meet httpx, as functions without state.

`Transport` holds the clients and runs the send, retry and stream flow; these helpers build the
httpx request it sends (URL query and headers), read the answer back, and translate httpx's
failures into `genai_min` errors, so the transport's flow reads without the httpx details.
"""

from __future__ import annotations

import contextlib
import math
import platform
from collections.abc import AsyncIterator, Callable, Iterator, Mapping

import httpx

from genai_min._errors import RequestTimeoutError, TransportError
from genai_min._http import HttpRequest, HttpResponse, JSONObject
from genai_min._sse import adecode_sse, decode_json_stream, decode_sse
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


NETWORK_HINT = "check the network and the base URL, or retry with RetryOptions"
CUT_HINT = "the answer is incomplete: retry the request"

Arrival = Callable[[], tuple[str, str]]
"""What of an answer had come when its connection failed: what broke off, and when (for `mapped_errors`)."""


@contextlib.contextmanager
def mapped_errors(request: HttpRequest, arrived: Arrival | None = None) -> Iterator[None]:
    """Translate httpx's failures into ours; this is the only place that knows them.

    `arrived` says what of the answer had come when the failure struck (None: nothing yet), so that
    a connection broken mid-answer is not reported as one that never answered.
    """
    what = f"{request.method} {request.path}"
    try:
        yield
    except httpx.TimeoutException as exc:
        timed_out = f"{what} timed out"
        if arrived is not None:
            subject, when = arrived()
            timed_out = f"{what}: {subject} timed out {when}"
        raise RequestTimeoutError(
            f"{timed_out}: {exc}; raise timeout= on the Transport or retry with RetryOptions", request=request
        ) from exc
    except httpx.TransportError as exc:
        if arrived is None:
            message = f"{what} failed before an answer arrived: {exc!r}; {NETWORK_HINT}"
        else:
            subject, when = arrived()
            message = f"{what}: {subject} broke off {when}: {exc!r}; {CUT_HINT}"
        raise TransportError(message, request=request) from exc
    except httpx.StreamError as exc:
        raise TransportError(f"{what}: {exc}", request=request) from exc


def body_arrival(response: httpx.Response) -> Arrival:
    """Say that the body of `response`, whose status line and headers came, was still arriving."""
    return lambda: (f"the answer (HTTP {response.status_code})", "before its body was complete")


def sse_events(request: HttpRequest, response: httpx.Response) -> Iterator[JSONObject]:
    """Yield the events of a server-sent-event answer; a break names how many had arrived."""
    count = 0
    # Lines are split as the SSE format says (not as iter_lines does, at U+2028 and the like).
    with mapped_errors(request, lambda: ("the stream", _after(count))):
        for event in decode_sse(response.iter_bytes()):
            count += 1
            yield event


async def asse_events(request: HttpRequest, response: httpx.Response) -> AsyncIterator[JSONObject]:
    """Async `sse_events`."""
    count = 0
    with mapped_errors(request, lambda: ("the stream", _after(count))):
        async for event in adecode_sse(response.aiter_bytes()):
            count += 1
            yield event


def _after(events: int) -> str:
    if events == 0:
        return "before its first event"
    return f"after {events} event{'s' if events != 1 else ''}"


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
