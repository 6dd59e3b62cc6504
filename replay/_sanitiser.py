"""Sanitise requests and responses before anything reaches disk, and scan for what slipped through.

Headers are kept by allow-list only. API keys in query strings, OAuth token exchanges and upload
session ids are replaced with fixed placeholders; Vertex project ids, project numbers and locations
with the placeholders of `replay._placeholders`, which the player maps back. Every credential value
seen on the way (API keys, bearer tokens, refresh tokens, client secrets) is remembered, and
`find_credentials` looks for them, and for known credential patterns, anywhere in a cassette before it
is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from genai_min._http import JSON
from replay._cassette import Body, BodyKind, Cassette, Request, Response, save_cassette
from replay._errors import CredentialLeakError
from replay._placeholders import Identity

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

_URL_HEADERS = ("x-goog-upload-url", "location")
CREDENTIAL_HEADERS = ("x-goog-api-key", "authorization", "x-goog-user-project-key", "cookie")
SECRET_QUERY_KEYS = frozenset({"key", "access_token", "upload_id"})
TOKEN_HOSTS = ("oauth2.googleapis.com", "accounts.google.com", "www.googleapis.com/oauth2")
TOKEN_FIELDS = frozenset(
    {"access_token", "refresh_token", "id_token", "client_secret", "assertion", "private_key", "code"}
)
PLACEHOLDER = "REDACTED"
_PLACEHOLDER_WORD = re.compile(r"[<\[({]?[A-Za-z_ -]{1,16}[>\])}]?")

CREDENTIAL_PATTERNS = (
    re.compile(r"AIza[0-9A-Za-z_\-]{35}"),
    re.compile(r"ya29\.[0-9A-Za-z_\-]{20,}"),
    # Not inside a longer base64 run: base64 media (audio, images) holds "1//0" by chance.
    re.compile(r"(?<![0-9A-Za-z+/])1//0[0-9A-Za-z_\-]{20,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
)
"""Shapes of Google credentials: API keys, access tokens, refresh tokens, private keys."""

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


@dataclass
class SecretLog:
    """Credential values seen while recording; the final scan looks for each of them."""

    values: set[str] = field(default_factory=set)

    def add(self, value: str | None) -> None:
        """Remember a credential value (short values would match too much and are skipped).

        Values that are already placeholders (``REDACTED``, ``<filtered>``: short words, where
        keys and tokens are long random strings) are skipped too, or every copy of the word would
        count as a leak.
        """
        if value and len(value) >= 8 and not _PLACEHOLDER_WORD.fullmatch(value):
            self.values.add(value)


@dataclass(frozen=True)
class Sanitiser:
    """The rules applied to every exchange before it is stored or matched."""

    rules: tuple[Rule, ...] = ()

    def request(self, request: Request, secrets: SecretLog | None = None) -> Request:
        """Return `request` without credentials, volatile ids or unlisted headers."""
        secrets = secrets if secrets is not None else SecretLog()
        for name, value in request.headers:
            if name.lower() in CREDENTIAL_HEADERS:
                secrets.add(value.split(" ", 1)[-1] if name.lower() == "authorization" else value)
        identity = Identity.of(request.url)
        url = identity.hide(self._url(request.url, secrets))
        body = request.body
        if is_token_exchange(request.url):
            body = _scrub_token_body(body, secrets)
        headers = tuple((name, identity.hide(value)) for name, value in self._headers(request.headers))
        body = identity.hide_body(self._body(_without_generated_names(request.url, body)))
        return replace(request, url=url, headers=headers, body=body)

    def matching(self, request: Request) -> Request:
        """Return the parts of `request` that matching compares (URL and body), sanitised.

        The same result as `request` for those parts, without the headers or the secret log:
        this is the replaying side's per-request path, kept cheap.
        """
        identity = Identity.of(request.url)
        url = identity.hide(self._url(request.url, SecretLog()))
        body = identity.hide_body(self._body(_without_generated_names(request.url, request.body)))
        return Request(request.method, url, (), body)

    def response(self, response: Response, request_url: str, secrets: SecretLog | None = None) -> Response:
        """Return `response` without credentials, volatile ids or unlisted headers."""
        secrets = secrets if secrets is not None else SecretLog()
        body = response.body
        if is_token_exchange(request_url):
            body = _scrub_token_body(body, secrets)
        identity = Identity.of(request_url)
        headers = tuple(
            (name, identity.hide(self._url(value, secrets) if name in _URL_HEADERS else value))
            for name, value in self._headers(response.headers)
        )
        return replace(response, headers=headers, body=identity.hide_body(self._body(body)))

    def _headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        kept = KEPT_HEADERS | {r.name.lower() for r in self.rules if isinstance(r, HeaderRule)}
        return tuple((name.lower(), self._text(value)) for name, value in headers if name.lower() in kept)

    def _url(self, url: str, secrets: SecretLog) -> str:
        if "?" not in url:
            return self._text(url)
        parts = urlsplit(url)
        query = _redact(parse_qsl(parts.query, keep_blank_values=True), SECRET_QUERY_KEYS, secrets)
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


def _without_generated_names(url: str, body: Body) -> Body:
    """Replace the clock-made names of a batch job creation, which differ on every run, by a fixed one."""
    if body.kind is not BodyKind.JSON or not urlsplit(url).path.endswith(_BATCH_CREATIONS):
        return body
    text = json.dumps(body.json)
    cleaned = GENERATED_NAME.sub(r"\1_GENERATED", text)
    return body if cleaned == text else replace(body, json=json.loads(cleaned))


def is_token_exchange(url: str) -> bool:
    """Tell whether `url` is Google's OAuth token endpoint (its bodies carry credentials)."""
    return any(host in url for host in TOKEN_HOSTS)


def _scrub_token_body(body: Body, secrets: SecretLog) -> Body:
    if body.kind is BodyKind.JSON and isinstance(body.json, dict):
        return replace(body, json=dict(_redact(body.json.items(), TOKEN_FIELDS, secrets)))
    if body.kind is BodyKind.TEXT:  # a form-encoded token request
        pairs = _redact(parse_qsl(body.text, keep_blank_values=True), TOKEN_FIELDS, secrets)
        return replace(body, text=urlencode(pairs))
    return body


def _redact(
    pairs: Iterable[tuple[str, JSON]], names: frozenset[str], secrets: SecretLog
) -> list[tuple[str, JSON]]:
    """Replace the string values of `names` with the placeholder, remembering each value."""
    out: list[tuple[str, JSON]] = []
    for key, value in pairs:
        if key in names and isinstance(value, str):
            secrets.add(value)
            value = PLACEHOLDER
        out.append((key, value))
    return out


@dataclass(frozen=True)
class Finding:
    """A credential found in a cassette: where it is and what kind it looks like."""

    where: str
    kind: str


def find_credentials(cassette: Cassette, secrets: SecretLog | None = None) -> list[Finding]:
    """Return every place in `cassette` that holds a known credential value or pattern."""
    known = sorted(secrets.values if secrets else (), key=len, reverse=True)
    findings: list[Finding] = []
    for index, interaction in enumerate(cassette.interactions):
        for side, message in (("request", interaction.request), ("response", interaction.response)):
            texts = [("headers", json.dumps(message.headers)), ("body", _body_text(message.body))]
            if isinstance(message, Request):
                texts.insert(0, ("url", message.url))
            for part, text in texts:
                where = f"interactions[{index}].{side}.{part}"
                findings.extend(
                    Finding(where, "a credential seen while recording") for v in known if v in text
                )
                findings.extend(
                    Finding(where, f"a value shaped like {p.pattern!r}")
                    for p in CREDENTIAL_PATTERNS
                    if p.search(text)
                )
    return findings


def _body_text(body: Body) -> str:
    if body.kind is BodyKind.BYTES:
        return body.content.decode("latin-1")
    return body.to_bytes().decode("utf-8", "replace")


def save_clean(cassette: Cassette, path: Path, secrets: SecretLog | None = None) -> None:
    """Save `cassette` only if `find_credentials` finds nothing; else raise, writing nothing."""
    findings = find_credentials(cassette, secrets)
    if findings:
        raise CredentialLeakError(Path(path), [f"{f.kind} in {f.where}" for f in findings])
    save_cassette(cassette, path)
