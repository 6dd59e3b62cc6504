"""The final scan: refuse a cassette that holds a credential, before anything is written.

`save_clean` (used by the recorder's save, `import` and `scrub`) writes a cassette only when
`find_credentials` finds nothing; `check` runs the same scan on cassettes at rest. It looks for
the values of the recording's `SecretLog` (as they are, URL-encoded, or in base64), for the shapes
of Google credentials, and for credentials left where the sanitiser always removes them, in every
part of every interaction and in the metadata: in what is stored, and in what a reader could
recover from it (`replay._recoverable`: a stream's events joined, base64 decoded, compressed bytes
expanded). A body the scan cannot look inside (in an encoding that cannot be decoded here) is
refused too.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_plus, unquote_plus, urlsplit

from replay._cassette import BLOB_DIR, BLOB_THRESHOLD, Body, BodyKind, Cassette, Request, Response
from replay._cassette_json import save_cassette
from replay._encodings import ExpansionError, decode_content, is_decodable
from replay._errors import CredentialLeakError
from replay._recoverable import OVERLAP, View, inside, recovered, windows
from replay._secrets import (
    CREDENTIAL_HEADERS,
    CREDENTIAL_PATTERNS,
    PLACEHOLDER_WORD,
    SECRET_QUERY_KEYS,
    SHORT,
    URL_HEADERS,
    SecretLog,
    without_token_secrets,
)


@dataclass(frozen=True)
class Finding:
    """A credential found in a cassette: where it is and what kind it looks like.

    `is_unreadable` says it is a body the scan cannot look inside (compressed in an encoding that
    cannot be decoded here, or expanding too far): refused, as it may hide one.
    """

    where: str
    kind: str
    is_unreadable: bool = False


def find_credentials(cassette: Cassette, secrets: SecretLog | None = None) -> list[Finding]:
    """Return every place in `cassette` that holds a credential, or hides what the scan cannot read.

    That is a value of `secrets` (as it is, URL-encoded, or in base64; a value shorter than
    `SHORT` characters only as a word of its own, in text), a value shaped like a Google
    credential (`CREDENTIAL_PATTERNS`, also once URL-decoded), or a credential left where the
    sanitiser always removes it: a credential header, a secret query parameter, a token field of
    an OAuth request or answer, the user-info of a URL. Bodies are searched as stored and as a
    reader could recover them (`replay._recoverable`: a stream's events joined, base64 decoded,
    compressed bytes expanded); a body in an encoding that cannot be decoded here is a finding
    too. The method, URLs, headers, cut and `meta` are searched as well. A blob's finding names
    its file.
    """
    known = [_Known.of(value) for value in sorted(secrets.values if secrets else ())]
    findings: list[Finding] = []
    previous: Request | None = None
    for index, interaction in enumerate(cassette.interactions):
        for side, message in (("request", interaction.request), ("response", interaction.response)):
            prefix = f"interactions[{index}].{side}"
            left = _left_in_place(message, interaction.request.url)
            findings.extend(
                Finding(f"{prefix}.{part}", kind, kind.startswith(_UNREADABLE)) for part, kind in left
            )
            for part, views in _parts(message, previous if side == "request" else None):
                found = _found(views, known)
                body = message.body
                if found and part == "body" and body.kind is BodyKind.BYTES and body.size > BLOB_THRESHOLD:
                    part += f" ({BLOB_DIR}/{body.sha256})"
                findings.extend(
                    Finding(f"{prefix}.{part}", kind, kind.startswith(_UNREADABLE)) for kind in found
                )
        previous = interaction.request
    meta = [View("", f"{name}: {value}") for name, value in asdict(cassette.meta).items()]
    findings.extend(Finding("meta", kind) for kind in _found(meta, known))
    return findings


_SEEN = "a credential seen while recording"
_UNREADABLE = "what the scan cannot read:"


@dataclass(frozen=True)
class _Known:
    """A credential value seen while recording, and the ways it may be written down."""

    value: str
    forms: tuple[str, ...]
    word: re.Pattern[str] | None

    @classmethod
    def of(cls, value: str) -> _Known:
        if len(value) >= SHORT:
            return cls(value, _forms(value), None)
        # A short value inside a longer word, or in random bytes, is chance, not a leak.
        return cls(value, (), re.compile(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])"))

    @property
    def kind(self) -> str:
        """What a finding calls it: a short one says its length, so that the fake key is found."""
        return _SEEN if self.word is None else f"{_SEEN} (one of {len(self.value)} characters, as a word)"

    def is_in(self, view: View, decoded: str = "") -> bool:
        """Tell whether `view` (or `decoded`, its text URL-decoded) holds this value."""
        if self.word is not None:
            return view.is_text and any(self.word.search(text) for text in (view.text, decoded) if text)
        return any(form in view.text for form in self.forms)


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


def _found(views: Iterable[View], known: list[_Known]) -> list[str]:
    """Return what `views` (of one part) hold: each known value once, each pattern once.

    What only a recovered view holds says how it was recovered (``..., once base64-decoded``).
    """
    found: dict[tuple[str, str], str] = {}  # (kind, value or pattern) -> how it was first found
    try:
        for view in views:
            decoded = unquote_plus(view.text) if view.is_text and "%" in view.text else ""
            for secret in known:
                if (secret.kind, secret.value) not in found and secret.is_in(view, decoded):
                    found[(secret.kind, secret.value)] = view.how
            for pattern in CREDENTIAL_PATTERNS:
                key = (f"a value shaped like {_shown(pattern)!r}", pattern.pattern)
                if key not in found and (pattern.search(view.text) or pattern.search(decoded)):
                    found[key] = view.how
    except ExpansionError as exc:
        found[(f"{_UNREADABLE} compressed bytes that could not be scanned whole ({exc})", "")] = ""
    order = {p.pattern: i for i, p in enumerate(CREDENTIAL_PATTERNS)}
    keys = sorted(found, key=lambda k: (not k[0].startswith(_SEEN), order.get(k[1], len(order))))
    return [f"{kind}, once {found[kind, what]}" if found[kind, what] else kind for kind, what in keys]


def _shown(pattern: re.Pattern[str]) -> str:
    """The shape as findings name it: without the lookbehind that keeps chance matches out."""
    return _LOOKBEHIND.sub("", pattern.pattern)


_LOOKBEHIND = re.compile(r"\(\?<!\[[^\]]*\]\{8\}[^)]*\)")


def _parts(message: Request | Response, previous: Request | None) -> Iterator[tuple[str, Iterable[View]]]:
    """Each part of `message` and what to search in it (`previous`: the request sent before it)."""
    if isinstance(message, Request):
        yield "method", (View("", message.method),)
        yield "url", (View("", message.url),)
    yield "headers", (View("", json.dumps(message.headers)),)
    if isinstance(message, Response) and message.cut:
        yield "cut", (View("", message.cut),)
    yield "body", _body_views(message, previous)


def _body_views(message: Request | Response, previous: Request | None) -> Iterator[View]:
    """The body as stored, then what a reader could recover from it (decoded, joined, expanded)."""
    body = message.body
    yield from _stored(body)
    yield from recovered(body)
    encoding = _header(message, "content-encoding")
    if encoding and body.kind in (BodyKind.BYTES, BodyKind.TEXT) and body.blob is None:
        plain = decode_content(body.to_bytes(), encoding)
        if plain is not None:
            yield View.of_bytes(f"decoded from {encoding}", plain)
            yield from inside(plain, f"decoded from {encoding}")
    if isinstance(message, Request) and previous is not None and _continues_upload(message, previous):
        # One file uploaded in pieces: a reader joins the end of one piece and the start of the next.
        tail = b""
        for piece in previous.body.chunks():
            tail = (tail + piece)[-OVERLAP:]
        edge = tail + next(message.body.chunks(OVERLAP), b"")
        yield View.of_bytes("joined with the previous upload piece", edge)


def _stored(body: Body) -> Iterator[View]:
    """The body as the cassette stores it (a blob in overlapping pieces)."""
    if body.kind is not BodyKind.BYTES:
        yield View("", body.to_bytes().decode("utf-8", "replace"))
    elif body.blob is None:
        yield View.of_bytes("", body.data)
    else:
        for window in windows(body.chunks()):
            yield View("", window.decode("latin-1"), is_text=False)


def _continues_upload(request: Request, previous: Request) -> bool:
    """Tell whether `request` sends the next piece of the file `previous` sent a piece of."""
    offset = _header(request, "x-goog-upload-offset")
    return (
        offset not in (None, "0")
        and "upload" in (_header(request, "x-goog-upload-command") or "")
        and "upload" in (_header(previous, "x-goog-upload-command") or "")
        and previous.body.kind is BodyKind.BYTES
    )


def _header(message: Request | Response, name: str) -> str | None:
    return next((v for k, v in message.headers if k.lower() == name), None)


def _left_in_place(message: Request | Response, url: str) -> Iterator[tuple[str, str]]:
    """Yield (part, kind) for each credential left where the sanitiser removes it (`url`: the request's).

    A body in an encoding that cannot be decoded here counts too: no scan can look inside it.
    """
    urls = [("url", message.url)] if isinstance(message, Request) else []
    for name, value in message.headers:
        name = name.lower()
        if name in CREDENTIAL_HEADERS and _is_unknown_secret(value):
            yield "headers", f"a {name!r} header"
        elif name in URL_HEADERS:
            urls.append(("headers", value))
        elif name == "content-encoding":
            unreadable = _unreadable(message.body, value)
            if unreadable:
                yield "body", f"{_UNREADABLE} a body in content-encoding {value!r}, {unreadable}"
    for part, url in urls:
        parts = urlsplit(url)
        if "@" in parts.netloc:
            yield part, "user-info (a user name or password) in a URL"
        for key, held in parse_qsl(parts.query, keep_blank_values=True):
            if key.lower() in SECRET_QUERY_KEYS and _is_unknown_secret(held):
                yield part, f"an unredacted {key!r} query parameter"
    left = SecretLog()
    without_token_secrets(url, message.body, left)
    yield from (("body", "a secret field of an OAuth token request or answer") for _ in left.values)


def _unreadable(body: Body, encoding: str) -> str:
    """Say why the scan cannot look inside `body`, sent in `encoding`; empty when it can."""
    if not is_decodable(encoding):
        return (
            "which cannot be decoded here to be scanned: install the brotli package (pip install "
            "brotli), or have it sent uncompressed"
        )
    if body.kind not in (BodyKind.BYTES, BodyKind.TEXT) or body.blob is not None:
        return ""  # JSON or events are decoded already; a blob is searched as it is, and expanded
    return "" if decode_content(body.to_bytes(), encoding) is not None else "which does not decode"


def _is_unknown_secret(value: str) -> bool:
    """Tell whether `value` is neither a placeholder nor shaped like a credential (a finding already)."""
    scheme, _, token = value.partition(" ")
    value = token if scheme.lower() in ("bearer", "basic") else value
    is_placeholder = not value or PLACEHOLDER_WORD.fullmatch(value) is not None
    return not is_placeholder and not any(p.search(value) for p in CREDENTIAL_PATTERNS)


def save_clean(cassette: Cassette, path: Path, secrets: SecretLog | None = None) -> None:
    """Save `cassette` only if `find_credentials` finds nothing; else raise, writing nothing."""
    findings = find_credentials(cassette, secrets)
    if findings:
        raise CredentialLeakError(Path(path), [f"{f.kind} in {f.where}" for f in findings])
    save_cassette(cassette, path)
