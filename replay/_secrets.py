"""What counts as a secret, where it travels, and the log of those a recording has seen.

The sanitiser (`replay._sanitiser`) removes credentials from the places named here: credential
headers, secret query parameters, the user-info of URLs, the fields of OAuth token exchanges. Each
value it removes goes into the recording's `SecretLog`, whatever its shape or length, and the final
scan (`replay._scan`) looks for every one of them, and for the `CREDENTIAL_PATTERNS`, anywhere in
a cassette before it is written.

A token exchange is known by its endpoint (Google's hosts, or a token path on any host, as a key
file's ``token_uri`` may name) or by its shape (a form with a ``grant_type``, an answer with an
``access_token`` and its lifetime), whatever its URL.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from genai_min._hosts import is_token_url
from genai_min._http import JSON
from replay._cassette import BLOB_THRESHOLD, Body, BodyKind
from replay._placeholders import LOCATION, PROJECT, PROJECT_NUMBER, Identity

URL_HEADERS = ("x-goog-upload-url", "location")
"""Headers whose values are URLs: sanitised as URLs (query secrets, user-info) when kept."""
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
PLACEHOLDER_WORD = re.compile(r"[<\[({]?(?:[A-Z_ -]{1,24}|[A-Z]?[a-z_ -]{1,24})[>\])}]?")
"""What people write in a credential's place (``REDACTED``, ``<filtered>``, ``scrubbed``): one word in
one case, perhaps bracketed. Tokens mix cases and digits; `check`, which knows no values seen,
takes a value of this shape in a credential's place for a placeholder."""
SHORT = 8
"""Values shorter than this are searched for only as words of their own, and only in text."""
CREDENTIAL_PATTERNS = (
    # Not inside a long base64 run: megabytes of base64 media hold "AIza" and 35 more by chance,
    # where eight base64 letters before it in other bytes are rare. (The lookbehind follows the
    # literal, so that the search still skips ahead from one "AIza" to the next.)
    re.compile(r"AIza(?<![0-9A-Za-z+/]{8}AIza)[0-9A-Za-z_\-]{35}"),
    # Service-account tokens have dots inside: ya29.c.b0Aa...
    re.compile(r"ya29\.[0-9A-Za-z_.\-]{20,}"),
    # Not inside a long base64 run either: base64 media (audio, images) holds "1//0" by chance.
    re.compile(r"1//0(?<![0-9A-Za-z+/]{8}1//0)[0-9A-Za-z_\-]{20,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"GOCSPX-[0-9A-Za-z_\-]{20,}"),
)
"""Shapes of Google credentials: API keys, access tokens, refresh tokens, private keys, client secrets."""


@dataclass
class SecretLog:
    """What a recording has seen: the credential values the final scan looks for, and its projects.

    `projects` and `project_numbers` are the Vertex AI project ids and numbers its requests named
    (no secrets: every answer of the recording hides them, `replay._placeholders.Identity.knowing`).
    """

    values: set[str] = field(default_factory=set)
    projects: set[str] = field(default_factory=set)
    project_numbers: set[str] = field(default_factory=set)

    def add(self, value: str | None) -> None:
        """Remember a credential value, whatever its shape or length.

        Only the placeholders this project writes itself (``REDACTED``, ``PROJECT``...) are
        skipped: a sanitised cassette, sanitised again, holds them in credentials' places.
        """
        if value and value.strip() and value not in _OWN_PLACEHOLDERS:
            self.values.add(value)

    def note(self, identity: Identity) -> None:
        """Remember the project id and number of a request."""
        if identity.project:
            self.projects.add(identity.project)
        if identity.project_number:
            self.project_numbers.add(identity.project_number)


_OWN_PLACEHOLDERS = frozenset({PLACEHOLDER, PROJECT, LOCATION, PROJECT_NUMBER})


def note_credential_headers(headers: Iterable[tuple[str, str]], secrets: SecretLog) -> None:
    """Remember the credentials `headers` carry: keys, tokens (a ``Basic`` one's password too), cookies."""
    for name, value in headers:
        name = name.lower()
        if name in ("authorization", "proxy-authorization"):
            scheme, _, credential = value.strip().partition(" ")
            if credential.strip():
                secrets.add(credential.strip())
            elif scheme.lower() not in ("bearer", "basic"):
                secrets.add(scheme)  # a token sent without a scheme
            if scheme.lower() == "basic":
                secrets.add(_basic_password(credential.strip()))
        elif name in CREDENTIAL_HEADERS:
            secrets.add(value)
        if name in ("cookie", "set-cookie"):
            # A cookie header holds several name=value pairs; a set-cookie one, then its attributes.
            # Short values are flags and preferences (``1``, ``YES``), not sessions: they would match
            # everywhere, and the whole header value is remembered anyway.
            for pair in value.split(";") if name == "cookie" else value.split(";", 1)[:1]:
                cookie = pair.split("=", 1)[-1].strip()
                if len(cookie) >= SHORT:
                    secrets.add(cookie)


def _basic_password(credential: str) -> str | None:
    """Return the password of a ``Basic`` authorization (the user name when there is none)."""
    try:
        user, has_password, password = base64.b64decode(credential, validate=True).decode().partition(":")
    except (binascii.Error, ValueError):
        return None
    return password if has_password else user


def without_user_info(url: str, secrets: SecretLog) -> str:
    """Remove the user-info of `url` (``user:password@``), remembering the password (or lone user)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    user_info, _, host = parts.netloc.rpartition("@")
    user, has_password, password = user_info.partition(":")
    # A user name beside a password is no secret, and may be a common word ("user").
    secrets.add(unquote(password) if has_password else unquote(user))
    return urlunsplit(parts._replace(netloc=host))


def is_token_exchange(url: str) -> bool:
    """Tell whether `url` is an OAuth token endpoint (its bodies carry credentials).

    Google's token hosts, or a token path (``/token``, ``/oauth2/v4/token``...) on any host: the
    ``token_uri`` of a key file may name a proxy, a local emulator or another universe's host.
    """
    return is_token_url(url) or urlsplit(url).path.rstrip("/") in TOKEN_PATHS


def is_token_request(url: str, body: Body) -> bool:
    """Tell whether a request is an OAuth token exchange: by its URL, or by its body's ``grant_type``."""
    return is_token_exchange(url) or _is_token_body(body)


def without_token_secrets(url: str, body: Body, secrets: SecretLog) -> Body:
    """Redact the secrets of an OAuth token request or answer, known by its URL or by its shape."""
    is_exchange = is_token_exchange(url)
    if not (is_exchange or _is_token_body(body)):
        return body
    if body.kind is BodyKind.JSON and isinstance(body.json, dict):
        return replace(body, json=dict(redact(body.json.items(), TOKEN_FIELDS, secrets)))
    form = _small_text(body) if is_exchange else _form(body)
    if form is None:
        return body
    text = urlencode(redact(parse_qsl(form, keep_blank_values=True), TOKEN_FIELDS, secrets))
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


def redact(
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
