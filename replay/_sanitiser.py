"""Sanitise requests and responses before anything reaches disk.

Headers are kept by allow-list only. API keys, tokens, upload session ids and signed-URL signatures
in query strings, the user-info of URLs (``https://user:password@host``), and the secrets of OAuth
token exchanges are replaced with fixed placeholders or removed (what counts as a secret:
`replay._secrets`); Vertex project ids, project numbers and locations with the placeholders of
`replay._placeholders`, which the player maps back. A body sent or answered compressed
(``content-encoding: gzip``, ``deflate``, ``br``) is stored decoded, as JSON or text where it is;
one that cannot be decoded here keeps its encoding, and the final scan refuses it.

Every credential value removed on the way goes into the recording's `SecretLog`. Before a cassette
is written, `save_clean` runs the final scan (`replay._scan`), which finds those values, the shapes
of Google credentials and anything left in a credential's place, in what is stored and in what a
reader could recover from it. Both modules' names that the recorder, the importer and `check` use
are re-exported here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from genai_min._http import JSON
from replay._cassette import Body, BodyKind, Request, Response
from replay._encodings import decode_content
from replay._placeholders import Identity
from replay._scan import Finding as Finding
from replay._scan import find_credentials as find_credentials
from replay._scan import save_clean as save_clean
from replay._secrets import (
    CREDENTIAL_HEADERS,
    PLACEHOLDER,
    SECRET_QUERY_KEYS,
    URL_HEADERS,
    note_credential_headers,
    redact,
    without_token_secrets,
    without_user_info,
)
from replay._secrets import CREDENTIAL_PATTERNS as CREDENTIAL_PATTERNS
from replay._secrets import SecretLog as SecretLog
from replay._secrets import is_token_exchange as is_token_exchange
from replay._secrets import is_token_request as is_token_request

KEPT_HEADERS = frozenset(
    {
        "content-type",
        "retry-after",
        "x-goog-upload-protocol",
        "x-goog-upload-command",
        "x-goog-upload-offset",
        "x-goog-upload-status",
        "x-goog-upload-url",
        "x-goog-upload-header-content-length",
        "x-goog-upload-header-content-type",
        "x-goog-upload-chunk-granularity",
        "x-goog-upload-size-received",
        "location",
    }
)
"""Headers that change behaviour: content type, the upload protocol's headers, retry hints, redirects."""
GENERATED_NAME = re.compile(r"(genai_batch_job|_dest)_\d{14}_[0-9a-f]{5}\b")
"""A name the official SDK makes from the clock when a batch job is created without one."""
_BATCH_CREATIONS = ("batchPredictionJobs", ":batchGenerateContent", ":asyncBatchEmbedContent")


@dataclass(frozen=True)
class HeaderRule:
    """Keep one more header (by default only the allow-list is kept)."""

    name: str


@dataclass(frozen=True)
class JsonPathRule:
    """Replace the value at a dotted path (``candidates.0.content``) in JSON bodies and events."""

    path: str
    replacement: JSON = PLACEHOLDER


@dataclass(frozen=True)
class RegexRule:
    """Replace every match of `pattern` in URLs, header values and bodies."""

    pattern: str
    replacement: str = PLACEHOLDER


Rule = HeaderRule | JsonPathRule | RegexRule


@dataclass(frozen=True)
class Sanitiser:
    """The rules applied to every exchange before it is stored or matched."""

    rules: tuple[Rule, ...] = ()

    def request(self, request: Request, secrets: SecretLog | None = None) -> Request:
        """Return `request` without credentials, volatile ids or unlisted headers."""
        secrets = secrets if secrets is not None else SecretLog()
        note_credential_headers(request.headers, secrets)
        identity = Identity.of(request.url)
        secrets.note(identity)
        url = identity.hide(self._url(request.url, secrets))
        body, encoding = _decoded(request.headers, request.body)
        body = without_token_secrets(request.url, body, secrets)
        kept = self._headers(request.headers, encoding)
        headers = tuple((name, identity.hide(value)) for name, value in kept)
        body = identity.hide_body(self._body(_without_generated_names(request.url, body)))
        return replace(request, url=url, headers=headers, body=body)

    def matching(self, request: Request) -> Request:
        """Return the parts of `request` that matching compares (URL and body), sanitised.

        The same result as `request` for those parts, without the headers or the secret log:
        this is the replaying side's per-request path, kept cheap.
        """
        identity = Identity.of(request.url)
        url = identity.hide(self._url(request.url, SecretLog()))
        body = _decoded(request.headers, request.body)[0]
        body = without_token_secrets(request.url, body, SecretLog())
        body = identity.hide_body(self._body(_without_generated_names(request.url, body)))
        return Request(request.method, url, (), body)

    def response(self, response: Response, request_url: str, secrets: SecretLog | None = None) -> Response:
        """Return `response` without credentials, volatile ids or unlisted headers.

        Project ids and numbers other requests of the recording named (in `secrets`) are hidden too.
        """
        secrets = secrets if secrets is not None else SecretLog()
        note_credential_headers(response.headers, secrets)
        body, encoding = _decoded(response.headers, response.body)
        body = _without_generated_names(
            request_url, without_token_secrets(request_url, body, secrets), is_anywhere=True
        )
        identity = Identity.of(request_url)
        secrets.note(identity)
        identity = identity.knowing(secrets.projects, secrets.project_numbers)
        headers = tuple(
            (name, identity.hide(self._url(value, secrets) if name in URL_HEADERS else value))
            for name, value in self._headers(response.headers, encoding)
        )
        cut = identity.hide(self._text(response.cut))
        return replace(response, headers=headers, body=identity.hide_body(self._body(body)), cut=cut)

    def _headers(
        self, headers: Iterable[tuple[str, str]], encoding: str | None = None
    ) -> tuple[tuple[str, str], ...]:
        """The kept headers; `encoding` is a content-encoding the body is still in (kept to say so)."""
        kept = KEPT_HEADERS | {r.name.lower() for r in self.rules if isinstance(r, HeaderRule)}
        kept = kept - {"content-encoding"}  # the body is stored decoded, or the encoding is added below
        out = tuple(
            (name.lower(), PLACEHOLDER if name.lower() in CREDENTIAL_HEADERS else self._text(value))
            for name, value in headers
            if name.lower() in kept
        )
        return (*out, ("content-encoding", encoding)) if encoding else out

    def _url(self, url: str, secrets: SecretLog) -> str:
        url = without_user_info(url, secrets)
        if "?" not in url:
            return self._text(url)
        parts = urlsplit(url)
        query = redact(parse_qsl(parts.query, keep_blank_values=True), SECRET_QUERY_KEYS, secrets)
        return self._text(urlunsplit(parts._replace(query=urlencode(query, safe=":*@/,"))))

    def _text(self, text: str) -> str:
        for rule in self.rules:
            if isinstance(rule, RegexRule):
                text = re.sub(rule.pattern, rule.replacement, text)
        return text

    def _body(self, body: Body) -> Body:
        paths = [r for r in self.rules if isinstance(r, JsonPathRule)]
        if body.kind is BodyKind.JSON:
            return replace(body, json=self._json(body.json, paths))
        if body.kind is BodyKind.SSE:
            return replace(body, events=tuple(self._json(e, paths) for e in body.events))
        if body.kind is BodyKind.TEXT:
            return replace(body, text=self._text(body.text))
        return body

    def _json(self, value: JSON, paths: list[JsonPathRule]) -> JSON:
        for rule in paths:
            value = _replace_at(value, rule.path.split("."), rule.replacement)
        if any(isinstance(r, RegexRule) for r in self.rules):
            value = json.loads(self._text(json.dumps(value)))
        return value


def _replace_at(value: JSON, path: list[str], replacement: JSON) -> JSON:
    if not path:
        return replacement
    head, rest = path[0], path[1:]
    if isinstance(value, dict) and head in value:
        return {**value, head: _replace_at(value[head], rest, replacement)}
    if isinstance(value, list) and head == "*":
        return [_replace_at(v, rest, replacement) for v in value]
    if isinstance(value, list) and head.isdigit() and int(head) < len(value):
        index = int(head)
        return [*value[:index], _replace_at(value[index], rest, replacement), *value[index + 1 :]]
    return value


def _without_generated_names(url: str, body: Body, *, is_anywhere: bool = False) -> Body:
    """Replace the clock-made names of a batch job creation, which differ on every run, by a fixed one.

    Requests are cleaned where batch jobs are created; responses (`is_anywhere`) wherever they echo
    such a name (the job, its listing, its cancellation), so that re-recording changes no byte.
    """
    if body.kind is not BodyKind.JSON or not (is_anywhere or urlsplit(url).path.endswith(_BATCH_CREATIONS)):
        return body
    text = json.dumps(body.json)
    cleaned = GENERATED_NAME.sub(r"\1_GENERATED", text)
    return body if cleaned == text else replace(body, json=json.loads(cleaned))


def _decoded(headers: Iterable[tuple[str, str]], body: Body) -> tuple[Body, str | None]:
    """Undo the body's content-encoding; return it, with the encoding it is still in (None once decoded).

    A body that cannot be decoded here (``br`` without a brotli module, damaged gzip) is kept as
    it came, with its encoding, which the final scan then refuses: it cannot look inside.
    """
    encoding = ", ".join(v for k, v in headers if k.lower() == "content-encoding").strip()
    if not encoding or encoding.lower() == "identity":
        return body, None
    if body.kind is BodyKind.BYTES and body.blob is not None:
        return body, encoding  # the transports stage only bodies sent as they are
    if body.kind not in (BodyKind.BYTES, BodyKind.TEXT):
        return body, None  # it parsed as JSON or events: decoded already, whatever the header says
    plain = decode_content(body.to_bytes(), encoding)
    if plain is None:
        return body, encoding
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    return Body.from_bytes(plain, content_type), None
