"""Intercept the HTTP clients a test does not build, through vcrpy, and route them to a `Session`.

vcrpy already patches what the official SDK and its dependencies send with: httpx2 (the SDK's
default), httpx, aiohttp, and requests/urllib3 (google-auth's token refreshes). It is our
interceptor only: the object its patched clients consult is `_Bridge`, which speaks vcrpy's
cassette protocol (``can_play_response_for``, ``play_response``, ``append``) and hands every call to
our session, so matching, sanitising and the cassette format are ours.

The bridge hands each request to the session's one entry (`Session.enter`), saying it cannot aim a
request elsewhere than its URL. A request the session answers (from the cassette, or, recording
against the emulator, from the emulator it relayed it to) is played without touching the network;
one it tells to be sent goes out through vcrpy's patched client as usual and comes back through
`append` for recording. vcrpy reads such a response whole before the caller sees it: recording
through interception does not pass streams through event by event (the fixture's own transports do).
vcrpy's async clients (aiohttp, httpx's ``AsyncClient``) ask the bridge inside their event loop, so
what a miss reads from disk is loaded before, when interception starts.

A request the session leaves alone (an ignored host, or one the request hook returned None for)
is sent the same way, by whatever the client was built with (a socket, or an ``httpx.MockTransport``
or ``WSGITransport``, whose handling vcrpy patches too), and `append` records nothing for it.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from functools import cache
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from replay._cassette import Body, Response
from replay._httpx import decoded, prepare_misses, response_headers
from replay._session import Send, Session

_DECISION = "_genai_replay_decision"


class _Bridge:
    """The cassette object vcrpy's patched clients talk to."""

    custom_patches: tuple[object, ...] = ()
    write_protected = False  # misses in replay-only modes raise from can_play_response_for instead
    _path = "GenaiReplay"  # vcrpy names the connection classes it builds after this

    def __init__(self, session: Session) -> None:
        self.session = session
        self.skip_patchers = _absent_clients()

    def can_play_response_for(self, vcr_request: Any) -> bool:
        """Ask the session once per request; keep its decision on the request for what follows.

        vcrpy may ask again for the same request (a connection's ``connect`` and ``getresponse``),
        which must not take a second recorded answer.
        """
        decision = getattr(vcr_request, _DECISION, None)
        if decision is None:
            headers = _header_pairs(vcr_request.headers)
            content = _content(vcr_request)
            decision = self.session.enter(
                vcr_request.method, vcr_request.uri, headers, content, can_aim=False
            )
            setattr(vcr_request, _DECISION, decision)
        return isinstance(decision, Response)

    def play_response(self, vcr_request: Any) -> dict[str, Any]:
        """Return the answer found by `can_play_response_for` in vcrpy's response form."""
        response: Response = getattr(vcr_request, _DECISION)
        return {
            "status": {"code": response.status, "message": _reason(response.status)},
            "headers": {name: [value] for name, value in response_headers(response).items()},
            "body": {"string": response.body.wire},
        }

    def filter_request(self, vcr_request: Any) -> Any:
        """Keep every request (sanitising happens in the session)."""
        return vcr_request

    def append(self, vcr_request: Any, vcr_response: Mapping[str, Any]) -> None:
        """Hand an exchange that was sent for real to the session for recording (one left alone is not)."""
        if getattr(vcr_request, _DECISION, None) is None:  # a redirect's earlier hop, sent unasked
            self.can_play_response_for(vcr_request)
        send = getattr(vcr_request, _DECISION)
        if isinstance(send, Send) and not send.is_left_alone:
            self.session.received(send, _to_response(vcr_response))

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
    """Route every client vcrpy can patch to `session` while the block runs.

    vcrpy's async clients ask the bridge inside their event loop, and it cannot step out of the loop
    to answer: what explaining a miss reads from disk is loaded here (`prepare_misses`), on entry,
    which the fixture does outside any loop, when the session answers from a cassette.
    """
    from vcr.patch import CassettePatcherBuilder  # type: ignore[import-untyped]

    if session.player is not None:
        prepare_misses()

    with ExitStack() as stack:
        for patcher in CassettePatcherBuilder(_Bridge(session)).build():
            stack.enter_context(patcher)
        yield


def _content(vcr_request: Any) -> bytes:
    """Return a vcrpy request's body as bytes, whether the client sent bytes, text, a file or an iterator.

    aiohttp's ``json=`` and ``data=`` objects reach vcrpy as the object itself, and vcrpy does not
    say which it was: an object is taken for JSON (what Google's APIs take) unless the request's
    content type says it is a form.
    """
    body = getattr(vcr_request, "body_bytes", None)  # vcrpy 8: joined already
    if body is None:
        body = vcr_request.body
    if body is None:
        return b""
    if isinstance(body, Mapping | list):
        content_type = str(
            vcr_request.headers.get("Content-Type", vcr_request.headers.get("content-type", ""))
        )
        if "x-www-form-urlencoded" in content_type:
            return urlencode(body).encode("ascii")
        return json.dumps(body).encode("utf-8")
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if hasattr(body, "read"):
        data: bytes | str = body.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    # aiohttp's ``json=`` reaches vcrpy as a string split into pieces; other clients give bytes.
    return b"".join(piece.encode("utf-8") if isinstance(piece, str) else bytes(piece) for piece in body)


def _to_response(vcr_response: Mapping[str, Any]) -> Response:
    headers = _header_pairs(vcr_response.get("headers") or {})
    content = (vcr_response.get("body") or {}).get("string") or b""
    if isinstance(content, str):
        content = content.encode("utf-8")
    encoding = next((v for k, v in headers if k.lower() == "content-encoding"), "identity").lower()
    plain = decoded(content, encoding)
    # A body that cannot be decoded here keeps its encoding: the sanitiser's scan refuses it.
    dropped = ("content-length",) if plain is None else ("content-encoding", "content-length")
    content = content if plain is None else plain
    kept = tuple((k, v) for k, v in headers if k.lower() not in dropped)
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
