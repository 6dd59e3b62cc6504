"""Intercept the HTTP clients a test does not build, through vcrpy, and route them to a `Session`.

vcrpy already patches what the official SDK and its dependencies send with: httpx2 (the SDK's
default), httpx, aiohttp, and requests/urllib3 (google-auth's token refreshes). It is our
interceptor only: the object its patched clients consult is `_Bridge`, which speaks vcrpy's
cassette protocol (``can_play_response_for``, ``play_response``, ``append``) and hands every call to
our session, so matching, sanitising and the cassette format are ours.

A request the session answers is played without touching the network; one it declines is sent by
vcrpy's patched client as usual and handed back through `append` for recording. vcrpy reads such
a response whole before the caller sees it: recording through interception does not pass streams
through event by event (the fixture's own transports do).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from functools import cache
from http import HTTPStatus
from typing import Any

from replay._cassette import Body, Request, Response
from replay._httpx import decoded, response_headers
from replay._session import Session

_ANSWER = "_genai_replay_answer"


class _Bridge:
    """The cassette object vcrpy's patched clients talk to."""

    custom_patches: tuple[object, ...] = ()
    write_protected = False  # misses in replay-only modes raise from can_play_response_for instead
    _path = "GenaiReplay"  # vcrpy names the connection classes it builds after this

    def __init__(self, session: Session) -> None:
        self.session = session
        self.skip_patchers = _absent_clients()

    def can_play_response_for(self, vcr_request: Any) -> bool:
        """Ask the session; keep its answer on the request for `play_response`."""
        content = _content(vcr_request)
        answer = self.session.answer_wire(vcr_request.method, vcr_request.uri, content)
        if answer is None:
            answer = self.session.lookup(_to_request(vcr_request, content))
        if answer is None:
            return False
        setattr(vcr_request, _ANSWER, answer)
        return True

    def play_response(self, vcr_request: Any) -> dict[str, Any]:
        """Return the answer found by `can_play_response_for` in vcrpy's response form."""
        response: Response = getattr(vcr_request, _ANSWER)
        return {
            "status": {"code": response.status, "message": _reason(response.status)},
            "headers": {name: [value] for name, value in response_headers(response).items()},
            "body": {"string": response.body.wire},
        }

    def filter_request(self, vcr_request: Any) -> Any:
        """Keep every request (sanitising happens in the session)."""
        return vcr_request

    def append(self, vcr_request: Any, vcr_response: Mapping[str, Any]) -> None:
        """Hand an exchange that was sent for real to the session for recording."""
        self.session.record(_to_request(vcr_request, _content(vcr_request)), _to_response(vcr_response))

    def find_requests_with_most_matches(self, vcr_request: Any) -> list[Any]:
        """Have aiohttp's redirect following look the next hop up through `can_play_response_for`."""
        return [(vcr_request,)]


_CLIENT_MODULES = {
    "requests": "requests",
    "boto3": "botocore",
    "urllib3": "urllib3",
    "httplib2": "httplib2",
    "tornado": "tornado",
    "aiohttp": "aiohttp",
    "httpx": "httpx",
    "httpx2": "httpx2",
}
"""vcrpy's patcher groups, by the module each one patches."""


@cache
def _absent_clients() -> tuple[str, ...]:
    """Name the patcher groups whose library is not installed, found once per process.

    vcrpy tries to import each group's library for every cassette; a library that is not there is
    searched for on the whole path each time, most of the cost of entering a cassette.
    """
    return tuple(
        group for group, module in _CLIENT_MODULES.items() if importlib.util.find_spec(module) is None
    )


@contextmanager
def intercepting(session: Session) -> Iterator[None]:
    """Route every client vcrpy can patch to `session` while the block runs."""
    from vcr.patch import CassettePatcherBuilder  # type: ignore[import-untyped]

    with ExitStack() as stack:
        for patcher in CassettePatcherBuilder(_Bridge(session)).build():
            stack.enter_context(patcher)
        yield


def _content(vcr_request: Any) -> bytes:
    """Return a vcrpy request's body as bytes, whether the client sent bytes, text, a file or an iterator."""
    body = getattr(vcr_request, "body_bytes", None)  # vcrpy 8: joined already
    if body is None:
        body = vcr_request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if hasattr(body, "read"):
        data: bytes = body.read()
        return data
    return b"".join(body)


def _to_request(vcr_request: Any, content: bytes) -> Request:
    headers = _header_pairs(vcr_request.headers)
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    return Request(
        vcr_request.method.upper(), vcr_request.uri, headers, Body.from_bytes(content, content_type)
    )


def _to_response(vcr_response: Mapping[str, Any]) -> Response:
    headers = _header_pairs(vcr_response.get("headers") or {})
    content = (vcr_response.get("body") or {}).get("string") or b""
    if isinstance(content, str):
        content = content.encode("utf-8")
    encoding = next((v for k, v in headers if k.lower() == "content-encoding"), "identity").lower()
    content = decoded(content, encoding)
    kept = tuple((k, v) for k, v in headers if k.lower() not in ("content-encoding", "content-length"))
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    return Response(int(vcr_response["status"]["code"]), kept, Body.from_bytes(content, content_type))


def _header_pairs(headers: Any) -> tuple[tuple[str, str], ...]:
    """Flatten vcrpy's header forms (values as strings, lists or tuples) into pairs."""
    pairs: list[tuple[str, str]] = []
    items = headers.items() if hasattr(headers, "items") else headers
    for name, value in items:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            text = item.decode("latin-1") if isinstance(item, bytes) else str(item)
            pairs.append((str(name.decode("latin-1") if isinstance(name, bytes) else name), text))
    return tuple(pairs)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
