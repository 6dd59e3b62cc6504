"""Canaries: unique fake secrets, one per place a secret can hide and per client path, and the disk scan.

Each canary has the shape of the credential it stands for (an ``AIza`` key, a ``ya29.`` token, a
``1//0`` refresh token, a ``GOCSPX-`` client secret...) and carries a tag naming its path and place,
so a canary found on disk says exactly where it came from. `Canaries.leaks` reads every file under
a folder as raw bytes and looks for each canary as it is, URL-encoded, JSON-escaped, and base64
(standard and URL-safe, at each of the three byte alignments, so one inside a longer base64 run
is found too), and in what a reader could recover from the file (`readable`): the strings of a
JSON file joined field by field (a stream's events, an answer's parts), base64 strings decoded,
gzip and zlib bytes decompressed. It shares no code with the scan it checks.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import string
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from urllib.parse import quote, quote_plus


class Place(Enum):
    """Where a secret can hide in an exchange."""

    API_KEY_HEADER = "x-goog-api-key request header"
    BEARER_HEADER = "authorization request header (a bearer token)"
    KEY_QUERY = "key= in the query string"
    ACCESS_TOKEN_QUERY = "access_token= in the query string"
    SA_PRIVATE_KEY = "service-account key file: the private key"
    SA_KEY_ID = "service-account key file: the key id (in the signed JWT)"
    JWT_ASSERTION = "token request body: the signed JWT assertion"
    REFRESH_TOKEN = "token request body: the refresh token"
    CLIENT_SECRET = "token request body: the client secret"
    ACCESS_TOKEN = "token response body: the access token (then the authorization header)"
    ID_TOKEN = "token response body: the id token"
    NEW_REFRESH_TOKEN = "token response body: a new refresh token"
    COOKIE = "response header: set-cookie (then the cookie request header)"
    UPLOAD_URL = "upload URL: the upload session id (response header, then request URLs)"
    SIGNED_URL = "download redirect: a signed URL (location header, then the request URL)"
    ERROR_MESSAGE = "error message quoting the credential"
    RESPONSE_BODY = "response body echoing the credential"
    STREAM_EVENT = "stream event echoing the credential"
    UPLOAD_BYTES = "uploaded file (a blob) holding the credential"
    SPLIT_STREAM = "a credential given back split across two events of a stream"
    SPLIT_PARTS = "a credential given back split across two parts of an answer"
    SPLIT_IMPORTED = "a key split across two events of a stream in a foreign cassette (import)"
    INLINE_KEY_FILE = "a service-account key file sent as inline bytes (base64): the private key"
    BASE64_ANSWER = "a key the client never sent, answered in base64"
    GZIP_BODY = "a request body sent gzip-compressed, holding the key"
    URL_PASSWORD = "the password in a base URL's user-info"
    PROJECT_NUMBER = "a project number outside projects/N (error texts, links, fields, service agents)"
    PROJECT_ID = "the project id, also inside longer names (gs://<id>-bucket)"
    SHORT_TOKEN = "a bearer token of letters only, 16 characters or fewer"

    @property
    def is_echo(self) -> bool:
        """Whether the service copies a credential it was sent: the cassette must be refused, not scrubbed."""
        return self in ECHOES


ECHOES = frozenset({Place.ERROR_MESSAGE, Place.RESPONSE_BODY, Place.STREAM_EVENT, Place.UPLOAD_BYTES})
HOSTILE = frozenset(
    {
        Place.SPLIT_STREAM,
        Place.SPLIT_PARTS,
        Place.SPLIT_IMPORTED,
        Place.INLINE_KEY_FILE,
        Place.BASE64_ANSWER,
        Place.GZIP_BODY,
        Place.URL_PASSWORD,
        Place.PROJECT_NUMBER,
        Place.PROJECT_ID,
        Place.SHORT_TOKEN,
    }
)
"""The places of the hostile cases (`test_canaries_hostile.py`): encoded, split or disguised secrets."""

_ALPHABET = string.ascii_letters + string.digits


def _random(size: int, alphabet: str = _ALPHABET) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(size))


SHAPES: dict[Place, Callable[[str], str]] = {
    Place.API_KEY_HEADER: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.KEY_QUERY: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.BEARER_HEADER: lambda tag: f"ya29.a0{tag}{_random(40)}",
    Place.ACCESS_TOKEN_QUERY: lambda tag: f"ya29.a0{tag}{_random(40)}",
    Place.SA_KEY_ID: lambda tag: tag + _random(24, "0123456789abcdef"),
    Place.REFRESH_TOKEN: lambda tag: f"1//0g{tag}{_random(40)}",
    Place.CLIENT_SECRET: lambda tag: f"GOCSPX-{tag}{_random(16)}",
    Place.ACCESS_TOKEN: lambda tag: f"ya29.c.b0{tag}{_random(48)}",
    Place.ID_TOKEN: lambda tag: f"eyJhbGciOiJSUzI1NiJ9.eyJ{tag}{_random(40)}.{_random(43)}",
    Place.NEW_REFRESH_TOKEN: lambda tag: f"1//0e{tag}{_random(40)}",
    Place.COOKIE: lambda tag: f"g.a000{tag}{_random(40)}",
    Place.UPLOAD_URL: lambda tag: f"AHxI1n{tag}{_random(48)}",
    Place.SIGNED_URL: lambda tag: tag + _random(64, "0123456789abcdef"),
    Place.ERROR_MESSAGE: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.RESPONSE_BODY: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.STREAM_EVENT: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.UPLOAD_BYTES: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.SPLIT_STREAM: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.SPLIT_PARTS: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.SPLIT_IMPORTED: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.BASE64_ANSWER: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.GZIP_BODY: lambda tag: "AIzaSy" + (tag + _random(33))[:33],
    Place.URL_PASSWORD: lambda tag: f"pw-{tag}-{_random(12)}",
    # A project number is digits (tag digits only), an id lower case: they name no credential.
    Place.PROJECT_NUMBER: lambda tag: "9" + (re.sub(r"\D", "", tag) + _random(11, string.digits))[:11],
    Place.PROJECT_ID: lambda tag: f"{tag}-{_random(6, string.ascii_lowercase)}",
    # Letters only, in both cases: the digits of the tag are spelled as letters.
    Place.SHORT_TOKEN: lambda tag: (
        tag.translate(str.maketrans("0123456789", "qrstuvwxyz")) + "T" + _random(16, string.ascii_letters)
    )[:16],
}
"""How each place's canary looks: the shape of the real credential found there, tag inside."""


@dataclass(frozen=True)
class Canary:
    """One fake secret: its value, the client path that carried it, and where it was put."""

    value: str
    path: str
    place: Place


@dataclass(frozen=True)
class Leak:
    """A canary found on disk: which, in which file, in which encoding."""

    canary: Canary
    file: Path
    form: str

    def __str__(self) -> str:
        return (
            f"{self.canary.path}: {self.canary.place.value} ({self.canary.value!r}) reached "
            f"{self.file} ({self.form})"
        )


@dataclass
class Canaries:
    """The canaries of one client path, by value; `number` tags them so paths never share one."""

    path: str
    number: int
    by_value: dict[str, Canary] = field(default_factory=dict)

    def mint(self, place: Place, *, like: Place | None = None) -> str:
        """Make a new canary for `place`, shaped like the credential that hides there (or at `like`)."""
        tag = f"cnry{self.number:02d}{list(Place).index(place):02d}"
        return self.add(place, SHAPES[like or place](tag))

    def add(self, place: Place, value: str) -> str:
        """Count a secret made on the way (a signed JWT, a generated private key) as a canary of `place`."""
        self.by_value[value] = Canary(value, self.path, place)
        return value

    def __iter__(self) -> Iterator[Canary]:
        return iter(self.by_value.values())

    def __len__(self) -> int:
        return len(self.by_value)

    @property
    def places(self) -> set[Place]:
        """The places this path's canaries were put in."""
        return {c.place for c in self}

    def leaks(self, folder: Path) -> list[Leak]:
        """Return every canary found in any form in any file under `folder` (cassettes, blobs, leftovers).

        Each file is searched as it is and as a reader could recover it (`readable`).
        """
        found: list[Leak] = []
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
        for file in files:
            views = readable(file.read_bytes())
            for canary in self:
                needles = forms(canary.value)
                form = next(
                    (f"{name}{how}" for how, data in views for name, needle in needles if needle in data),
                    None,
                )
                if form is not None:
                    found.append(Leak(canary, file, form))
        return found


def forms(value: str) -> list[tuple[str, bytes]]:
    """Return the ways `value` can be written down: as is, URL-encoded, JSON-escaped, and base64."""
    raw = value.encode()
    out: dict[bytes, str] = {raw: "as is"}
    out.setdefault(quote(value, safe="").encode(), "URL-encoded")
    out.setdefault(quote_plus(value, safe="").encode(), "form-encoded")
    out.setdefault(json.dumps(value)[1:-1].encode(), "JSON-escaped")
    out.setdefault(json.dumps(value, ensure_ascii=False).replace("/", "\\/")[1:-1].encode(), "JSON-escaped")
    for offset in range(3):
        # Only the characters that depend on the value's bytes alone, whatever comes before or after.
        start, end = -(-4 * offset // 3), 4 * (offset + len(raw)) // 3
        for encode, name in ((base64.b64encode, "base64"), (base64.urlsafe_b64encode, "URL-safe base64")):
            needle = encode(b"\0" * offset + raw)[start:end]
            out.setdefault(needle, f"{name}, offset {offset}")
    return [(name, needle) for needle, name in out.items()]


def found_in(value: str, haystack: bytes) -> bool:
    """Tell whether `value` appears in `haystack` in any of its `forms`."""
    return any(needle in haystack for _, needle in forms(value))


def readable(data: bytes) -> list[tuple[str, bytes]]:
    """Return what a reader can get from a written file, each with how: ``""`` for the bytes as they are.

    A JSON file gives its strings joined field by field over all its lists (the events of a stream,
    the parts of an answer), and each string, or join of strings, decoded from base64; base64 and
    bytes (a blob) give what they decompress to, if they are gzip or zlib.
    """
    out = [("", data), *_unpacked(data, " (decompressed)")]
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return out
    by_field: dict[tuple[str, ...], list[str]] = {}
    _collect(document, (), by_field)
    for names, texts in by_field.items():
        joined = "".join(texts)
        if len(texts) > 1:
            out.append((f" (the strings of {'.'.join(names)} joined)", joined.encode()))
        for text in {*texts, joined}:
            decoded = _from_base64(text)
            if decoded:
                out.append((" (base64-decoded)", decoded))
                out.extend(_unpacked(decoded, " (base64-decoded, decompressed)"))
        pieces = [_from_base64(text) or b"" for text in texts]
        if len(pieces) > 1:
            out.append((" (base64-decoded, joined)", b"".join(pieces)))
    return out


def _collect(value: object, path: tuple[str, ...], by_field: dict[tuple[str, ...], list[str]]) -> None:
    if isinstance(value, str):
        by_field.setdefault(path, []).append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(item, (*path, str(key)), by_field)
    elif isinstance(value, list):
        for item in value:
            _collect(item, path, by_field)


_BASE64 = re.compile(r"[A-Za-z0-9+/_\-\s]{16,}={0,2}")


def _from_base64(text: str) -> bytes:
    if not _BASE64.fullmatch(text):
        return b""
    cleaned = "".join(text.split()).rstrip("=").replace("-", "+").replace("_", "/")
    cleaned = cleaned[: len(cleaned) - 1] if len(cleaned) % 4 == 1 else cleaned
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        return b""


def _unpacked(data: bytes, how: str) -> list[tuple[str, bytes]]:
    if data[:2] != b"\x1f\x8b" and not (
        data[:1] == b"\x78" and len(data) > 1 and int.from_bytes(data[:2]) % 31 == 0
    ):
        return []
    inflater = zlib.decompressobj(wbits=47)
    try:
        return [(how, inflater.decompress(data))]
    except zlib.error:
        return []
