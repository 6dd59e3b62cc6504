"""Sanitise requests and responses before anything reaches disk, and scan for what slipped through.

Headers are kept by allow-list only. API keys, tokens, upload session ids and signed-URL signatures
in query strings, and the secrets of OAuth token exchanges, are replaced with fixed placeholders;
Vertex project ids, project numbers and locations with the placeholders of `replay._placeholders`,
which the player maps back. A token exchange is known by its endpoint (Google's hosts, or a token
path on any host, as a key file's ``token_uri`` may name) or by its shape (a form with a
``grant_type``, an answer with an ``access_token`` and its lifetime), whatever its URL.

Every credential value seen on the way (API keys, bearer tokens, cookies, refresh tokens, client
secrets, signed JWTs) is remembered, and `find_credentials` looks for them (as they are,
URL-encoded, or in base64), for known credential patterns, and for credentials left where the
sanitiser removes them (a credential header, a ``key=`` in a URL, a token field of an OAuth answer),
anywhere in a cassette before it is written.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_plus, unquote_plus, urlencode, urlsplit, urlunsplit

from genai_min._hosts import is_token_url
from genai_min._http import JSON
from replay._cassette import BLOB_DIR, BLOB_THRESHOLD, Body, BodyKind, Cassette, Request, Response
from replay._cassette_json import save_cassette
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
CREDENTIAL_HEADERS = (
    "x-goog-api-key",
    "authorization",
    "proxy-authorization",
    "x-goog-user-project-key",
    "cookie",
    "set-cookie",
)
"""Headers whose values are credentials: never stored, even when a rule keeps the header."""
SECRET_QUERY_KEYS = frozenset(
    {"key", "access_token", "upload_id", "x-goog-signature", "signature", "x-amz-signature", "sig"}
)
"""Query parameters (compared in lower case) that carry a credential or grant access by themselves."""
TOKEN_PATHS = frozenset(
    {"/token", "/o/oauth2/token", "/oauth2/v3/token", "/oauth2/v4/token", "/v1/token", "/v1/oauthtoken"}
)
"""Token endpoint paths on any host: a key file's ``token_uri`` may point at a proxy or another universe."""
TOKEN_FIELDS = frozenset(
    {"access_token", "refresh_token", "id_token", "client_secret", "assertion", "private_key", "code",
     "subject_token", "actor_token", "token", "accessToken", "signedJwt"}
)  # fmt: skip
"""Fields of OAuth token requests and answers (form or JSON) that hold secrets."""
PLACEHOLDER = "REDACTED"
_PLACEHOLDER_WORD = re.compile(r"[<\[({]?[A-Za-z_ -]{1,16}[>\])}]?")

CREDENTIAL_PATTERNS = (
    re.compile(r"AIza[0-9A-Za-z_\-]{35}"),
    # Service-account tokens have dots inside: ya29.c.b0Aa...
    re.compile(r"ya29\.[0-9A-Za-z_.\-]{20,}"),
    # Not inside a longer base64 run: base64 media (audio, images) holds "1//0" by chance.
    re.compile(r"(?<![0-9A-Za-z+/])1//0[0-9A-Za-z_\-]{20,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"GOCSPX-[0-9A-Za-z_\-]{20,}"),
)
"""Shapes of Google credentials: API keys, access tokens, refresh tokens, private keys, client secrets."""

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
        _note_credential_headers(request.headers, secrets)
        identity = Identity.of(request.url)
        url = identity.hide(self._url(request.url, secrets))
        body = _without_token_secrets(request.url, request.body, secrets)
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
        body = _without_token_secrets(request.url, request.body, SecretLog())
        body = identity.hide_body(self._body(_without_generated_names(request.url, body)))
        return Request(request.method, url, (), body)

    def response(self, response: Response, request_url: str, secrets: SecretLog | None = None) -> Response:
        """Return `response` without credentials, volatile ids or unlisted headers."""
        secrets = secrets if secrets is not None else SecretLog()
        _note_credential_headers(response.headers, secrets)
        body = _without_token_secrets(request_url, response.body, secrets)
        identity = Identity.of(request_url)
        headers = tuple(
            (name, identity.hide(self._url(value, secrets) if name in _URL_HEADERS else value))
            for name, value in self._headers(response.headers)
        )
        cut = identity.hide(self._text(response.cut))
        return replace(response, headers=headers, body=identity.hide_body(self._body(body)), cut=cut)

    def _headers(self, headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        kept = KEPT_HEADERS | {r.name.lower() for r in self.rules if isinstance(r, HeaderRule)}
        return tuple(
            (name.lower(), PLACEHOLDER if name.lower() in CREDENTIAL_HEADERS else self._text(value))
            for name, value in headers
            if name.lower() in kept
        )

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
    """Tell whether `url` is an OAuth token endpoint (its bodies carry credentials).

    Google's token hosts, or a token path (``/token``, ``/oauth2/v4/token``...) on any host: the
    ``token_uri`` of a key file may name a proxy, a local emulator or another universe's host.
    """
    return is_token_url(url) or urlsplit(url).path.rstrip("/") in TOKEN_PATHS


def is_token_request(url: str, body: Body) -> bool:
    """Tell whether a request is an OAuth token exchange: by its URL, or by its body's ``grant_type``."""
    return is_token_exchange(url) or _is_token_body(body)


def _note_credential_headers(headers: Iterable[tuple[str, str]], secrets: SecretLog) -> None:
    for name, value in headers:
        name = name.lower()
        if name in ("authorization", "proxy-authorization"):
            secrets.add(value.split(" ", 1)[-1])
        elif name in CREDENTIAL_HEADERS:
            secrets.add(value)
        if name in ("cookie", "set-cookie"):
            # A cookie header holds several name=value pairs; a set-cookie one, then its attributes.
            for pair in value.split(";") if name == "cookie" else value.split(";", 1)[:1]:
                secrets.add(pair.split("=", 1)[-1].strip())


def _without_token_secrets(url: str, body: Body, secrets: SecretLog) -> Body:
    """Redact the secrets of an OAuth token request or answer, known by its URL or by its shape."""
    is_exchange = is_token_exchange(url)
    if not (is_exchange or _is_token_body(body)):
        return body
    if body.kind is BodyKind.JSON and isinstance(body.json, dict):
        return replace(body, json=dict(_redact(body.json.items(), TOKEN_FIELDS, secrets)))
    form = _small_text(body) if is_exchange else _form(body)
    if form is None:
        return body
    text = urlencode(_redact(parse_qsl(form, keep_blank_values=True), TOKEN_FIELDS, secrets))
    # A form sent as bytes (application/x-www-form-urlencoded) stays bytes.
    return replace(body, text=text) if body.kind is BodyKind.TEXT else replace(body, data=text.encode())


_TOKEN_ANSWER = ("access_token", "id_token", "accessToken")
_TOKEN_LIFETIME = ("expires_in", "token_type", "expireTime")


def _is_token_body(body: Body) -> bool:
    """Tell whether `body` is shaped like a token request (a ``grant_type``) or a token answer."""
    if body.kind is BodyKind.JSON:
        value = body.json
        return isinstance(value, dict) and (
            "grant_type" in value
            or (any(k in value for k in _TOKEN_ANSWER) and any(k in value for k in _TOKEN_LIFETIME))
        )
    form = _form(body)
    return form is not None and "grant_type=" in form


_FORM = re.compile(r"[^\s=&]+=[^\s&]*(?:&[^\s=&]+=[^\s&]*)*")


def _form(body: Body) -> str | None:
    """Return the text of a body that is a URL-encoded form, or None.

    Only a whole form counts: a text file that mentions ``grant_type=`` is left as it is.
    """
    text = _small_text(body)
    return text if text is not None and _FORM.fullmatch(text) else None


def _small_text(body: Body) -> str | None:
    """Return the text of a text body, or of small bytes that are UTF-8; else None."""
    if body.kind is BodyKind.TEXT:
        return body.text
    if body.kind is not BodyKind.BYTES or body.blob is not None or len(body.data) > BLOB_THRESHOLD:
        return None
    try:
        return body.data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _redact(
    pairs: Iterable[tuple[str, JSON]], names: frozenset[str], secrets: SecretLog
) -> list[tuple[str, JSON]]:
    """Replace the string values of `names` (in any case) with the placeholder, remembering each value."""
    out: list[tuple[str, JSON]] = []
    for key, value in pairs:
        if (key in names or key.lower() in names) and isinstance(value, str):
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
    """Return every place in `cassette` that holds a credential.

    That is a value of `secrets` (as it is, URL-encoded, or in base64), a value shaped like a
    Google credential (`CREDENTIAL_PATTERNS`, also once URL-decoded), or a credential left where the
    sanitiser always removes it: a credential header, a secret query parameter, a token field of an
    OAuth request or answer. A blob's finding names its file.
    """
    known = [(value, _forms(value)) for value in sorted(secrets.values if secrets else ())]
    findings: list[Finding] = []
    for index, interaction in enumerate(cassette.interactions):
        for side, message in (("request", interaction.request), ("response", interaction.response)):
            prefix = f"interactions[{index}].{side}"
            left = _left_in_place(message, interaction.request.url)
            findings.extend(Finding(f"{prefix}.{part}", kind) for part, kind in left)
            for part, texts in _parts(message):
                found = _found(texts, known)
                body = message.body
                if found and part == "body" and body.kind is BodyKind.BYTES and body.size > BLOB_THRESHOLD:
                    part += f" ({BLOB_DIR}/{body.sha256})"
                findings.extend(Finding(f"{prefix}.{part}", kind) for kind in found)
    return findings


_SEEN = "a credential seen while recording"


def _forms(value: str) -> tuple[str, ...]:
    """The ways `value` may be written: as is, URL- or form-encoded, and base64 at each byte alignment."""
    raw = value.encode()
    forms = {value, quote(value, safe=""), quote_plus(value, safe="")}
    for offset in range(3):
        # Only the characters that depend on the value alone, whatever bytes come before and after.
        start, end = -(-4 * offset // 3), 4 * (offset + len(raw)) // 3
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            forms.add(encode(b"\0" * offset + raw)[start:end].decode("ascii"))
    return tuple(forms)


def _found(texts: Iterable[str], known: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """Return what `texts` (pieces of one part) hold: each known value once, each pattern once."""
    values: set[str] = set()
    patterns: set[str] = set()
    for text in texts:
        values.update(v for v, forms in known if v not in values and any(f in text for f in forms))
        decoded = unquote_plus(text) if "%" in text else ""
        patterns.update(p.pattern for p in CREDENTIAL_PATTERNS if p.search(text) or p.search(decoded))
    return [_SEEN] * len(values) + [
        f"a value shaped like {p.pattern!r}" for p in CREDENTIAL_PATTERNS if p.pattern in patterns
    ]


def _parts(message: Request | Response) -> Iterator[tuple[str, Iterable[str]]]:
    if isinstance(message, Request):
        yield "url", (message.url,)
    yield "headers", (json.dumps(message.headers),)
    if isinstance(message, Response) and message.cut:
        yield "cut", (message.cut,)
    yield "body", _body_texts(message.body)


_OVERLAP = 4096
"""How much of a blob's last piece is searched again with the next: a credential may span two."""


def _body_texts(body: Body) -> Iterator[str]:
    if body.kind is not BodyKind.BYTES:
        yield body.to_bytes().decode("utf-8", "replace")
        return
    if body.blob is None:
        yield body.data.decode("latin-1")
        return
    tail = b""
    for piece in body.chunks():
        yield (tail + piece).decode("latin-1")
        tail = (tail + piece)[-_OVERLAP:]


def _left_in_place(message: Request | Response, url: str) -> Iterator[tuple[str, str]]:
    """Yield (part, kind) for each credential left where the sanitiser removes it (`url`: the request's)."""
    urls = [("url", message.url)] if isinstance(message, Request) else []
    for name, value in message.headers:
        name = name.lower()
        if name in CREDENTIAL_HEADERS and _is_unknown_secret(value):
            yield "headers", f"a {name!r} header"
        elif name in _URL_HEADERS:
            urls.append(("headers", value))
    for part, url in urls:
        for key, held in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            if key.lower() in SECRET_QUERY_KEYS and _is_unknown_secret(held):
                yield part, f"an unredacted {key!r} query parameter"
    left = SecretLog()
    _without_token_secrets(url, message.body, left)
    yield from (("body", "a secret field of an OAuth token request or answer") for _ in left.values)


def _is_unknown_secret(value: str) -> bool:
    """Tell whether `value` is neither a placeholder nor shaped like a credential (a finding already)."""
    is_placeholder = not value or _PLACEHOLDER_WORD.fullmatch(value) is not None
    return not is_placeholder and not any(p.search(value) for p in CREDENTIAL_PATTERNS)


def save_clean(cassette: Cassette, path: Path, secrets: SecretLog | None = None) -> None:
    """Save `cassette` only if `find_credentials` finds nothing; else raise, writing nothing."""
    findings = find_credentials(cassette, secrets)
    if findings:
        raise CredentialLeakError(Path(path), [f"{f.kind} in {f.where}" for f in findings])
    save_cassette(cassette, path)
