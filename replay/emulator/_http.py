"""The plain values between the HTTP server and the handlers: a routed `Call` and its `Reply`.

Handlers never see sockets: they get a `Call` (method, route, parsed body) and return a `Reply`
(a whole body, or a list of server-sent events), or raise `StatusError`. `encoded` then compresses
a reply as the client allows: like Google's front ends, reads (the list and get answers) come
gzip-encoded, with ``content-encoding: gzip``, when the request's ``accept-encoding`` names gzip.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

from genai_min._http import JSON
from genai_min._sse import encode_event
from replay.emulator._wire import JSONObject, as_dict, json_bytes

Backend = Literal["gemini", "vertex"]

JSON_TYPE = "application/json; charset=UTF-8"


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the emulator received it, for tests to inspect.

    `path` is the raw path without the query; header names are lower-case.
    """

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> object:
        """Return the body parsed as JSON (None when empty)."""
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class Call:
    """A request routed to a handler.

    `resource` is the path after the API version (and, on Vertex AI, after
    ``projects/P/locations/L/``), `verb` the custom method after ``:`` (``generateContent``),
    `body` the JSON body with its keys in lowerCamelCase, and `is_transfer` tells an ``/upload/``
    or ``/download/`` path (raw bytes) from an API method.
    """

    method: str
    backend: Backend
    version: str
    resource: str
    verb: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    raw: bytes
    body: JSONObject
    base_url: str
    project: str | None = None
    location: str | None = None
    is_transfer: bool = False

    @property
    def is_vertex(self) -> bool:
        """Tell whether the call is for Vertex AI."""
        return self.backend == "vertex"

    def param(self, name: str) -> str | None:
        """Return the first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else None

    def parent(self) -> str:
        """Return the Vertex AI name prefix ``projects/P/locations/L/`` ('' in express mode and on Gemini)."""
        if self.project is None:
            return ""
        return f"projects/{self.project}/locations/{self.location}/"

    def field(self, name: str) -> JSONObject:
        """Return a sub-object of the body (empty when absent)."""
        return as_dict(self.body.get(name))


@dataclass(frozen=True)
class Reply:
    """An answer: status, headers and a whole body, or `events`: server-sent events, each framed."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    events: tuple[bytes, ...] | None = None


def json_reply(data: object, *, status: int = 200, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    """Answer with a JSON body."""
    return Reply(status, json_bytes(data), (("content-type", JSON_TYPE), *headers))


def sse_reply(events: list[JSONObject]) -> Reply:
    """Answer with a stream: one ``data:`` event per object, framed as the service frames it."""
    # The emulator's objects hold only JSON values, typed loosely as `object` (`_wire.JSONObject`).
    framed = tuple(encode_event(cast("JSON", event)) for event in events)
    return Reply(200, headers=(("content-type", "text/event-stream"),), events=framed)


def bytes_reply(data: bytes, mime_type: str, *, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    """Answer with raw bytes (downloads)."""
    return Reply(200, data, (("content-type", mime_type), *headers))


def encoded(reply: Reply, method: str, accept_encoding: str) -> Reply:
    """Gzip a whole JSON answer to a GET when the client accepts gzip; leave anything else as it is."""
    codings = {c.split(";", 1)[0].strip().lower() for c in accept_encoding.split(",")}
    content_type = dict(reply.headers).get("content-type", "")
    if method != "GET" or "gzip" not in codings or reply.events is not None or not reply.body:
        return reply
    if not content_type.startswith("application/json"):
        return reply
    # mtime=0 keeps the bytes a function of the answer, so recordings stay byte-identical.
    body = gzip.compress(reply.body, mtime=0)
    return Reply(reply.status, body, (*reply.headers, ("content-encoding", "gzip")))
