"""The service the canary suite records against: the emulator behind a proxy that plants secrets.

`CanaryUpstream` forwards every request to the emulator and plants canaries in the answers where a
real service (or a careless one) could put a secret: a cookie, upload session ids in upload URLs,
signed download URLs in redirects, and, for the credentials it is told to echo, the credential in
an error message, a response body or every event of a stream, or split in two (across two events of
a stream, or two parts of an answer). It can also answer with canned bodies (an error naming the
project number in each of its shapes, a key in base64), and it takes gzip-compressed request
bodies, as Google's front ends do. `TokenEndpoint` is a fake OAuth token
endpoint on 127.0.0.1: it checks the JWTs that service-account keys sign (with the key's public half)
and the refresh grants of user credentials, and issues the canary tokens it is given.

Both keep everything they received and sent in `traffic`, so the suite can prove that each canary
really travelled before it proves that none reached disk.

The proxy forwards with the standard library's `HTTPConnection`, taken before vcrpy can patch it:
while a recording intercepts clients, the proxy's own requests must not be recorded too.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from http.client import HTTPConnection
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from replay._handler import Handler

_ORIGINAL_CONNECTION = HTTPConnection
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host"})
_UPLOAD_ID = re.compile(r"upload_id=([^&\s\"]+)")


class Echo(Enum):
    """How the proxy gives a credential back to the caller who sent it."""

    ERROR = "error message"
    BODY = "response body"
    SPLIT = "split in two: across two events of a stream, or two parts of an answer"


@dataclass
class Traffic:
    """Everything a fake server received and sent, as bytes; secrets made on the way are added decoded."""

    chunks: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, data: bytes) -> None:
        with self.lock:
            self.chunks.append(data)

    def joined(self) -> bytes:
        with self.lock:
            return b"\n".join(self.chunks)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: Any


class _Handler(Handler):
    server: _Server

    def serve(self) -> None:
        self.server.owner.serve(self)

    def answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> bytes:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        lines = [f"{status}"] + [f"{name}: {value}" for name, value in headers]
        return "\r\n".join(lines).encode() + b"\r\n\r\n" + body


class _Serving:
    """A server on 127.0.0.1 in a background thread; `serve` answers one request."""

    def __init__(self) -> None:
        self.traffic = Traffic()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Any:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def serve(self, handler: _Handler) -> None:
        raise NotImplementedError

    def received(self, handler: _Handler, body: bytes) -> None:
        head = f"{handler.command} {handler.path}\r\n{handler.headers}".encode()
        self.traffic.add(head + b"\r\n" + body)


class CanaryUpstream(_Serving):
    """The emulator behind a proxy that plants canaries in what it answers.

    - `cookie`: sent in a ``set-cookie`` header with every answer.
    - `upload_ids`: canaries that replace the emulator's upload session ids, one per upload started
      (mapped back on the way in).
    - `signature`: added to download redirects as ``X-Goog-Signature``, as in a signed storage URL.
    - `echoes`: credentials (an API key, a bearer token) to give back to whoever sends them.
    - `token_url`: where ``/token`` is sent (a token endpoint served on the service's own host).
    - `canned`: answers (status, JSON body) given, in order, to the next ``:generateContent`` calls
      instead of the emulator's.
    """

    def __init__(self, emulator_url: str) -> None:
        super().__init__()
        self.emulator_url = emulator_url
        self.cookie: str | None = None
        self.upload_ids: list[str] = []
        self.signature: str | None = None
        self.echoes: dict[str, Echo] = {}
        self.token_url: str | None = None
        self.canned: list[tuple[int, Any]] = []
        self._real_ids: dict[str, str] = {}

    def serve(self, handler: _Handler) -> None:
        body = handler.read_body()
        self.received(handler, body)
        target = handler.path
        headers = [(k, v) for k, v in handler.headers.items() if k.lower() not in _HOP_BY_HOP]
        if any(k.lower() == "content-encoding" and v.lower() == "gzip" for k, v in headers):
            body = gzip.decompress(body)
            headers = [(k, v) for k, v in headers if k.lower() != "content-encoding"]
        if self.canned and ":generateContent" in target:
            status, document = self.canned.pop(0)
            sent = handler.answer(
                status, [("content-type", "application/json")], json.dumps(document).encode()
            )
            self.traffic.add(sent)
            return
        credential = _credential(target, handler.headers)
        echo = self.echoes.get(credential or "")
        if echo is Echo.ERROR:
            message = f"API key not valid. Please pass a valid API key: {credential!r} was refused."
            error = {"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}}
            sent = handler.answer(400, [("content-type", "application/json")], json.dumps(error).encode())
            self.traffic.add(sent)
            return
        for canary, real in self._real_ids.items():
            target = target.replace(canary, real)
        target, headers = _access_token_as_header(target, headers)
        upstream = self.token_url if target == "/token" and self.token_url else self.emulator_url
        status, answer_headers, answer = self._forward(upstream, handler.command, target, headers, body)
        answer_headers, answer = self._plant(answer_headers, answer)
        if echo is Echo.BODY and credential:
            answer = _echoed(answer, credential)
        elif echo is Echo.SPLIT and credential:
            answer = _split(answer, credential)
        self.traffic.add(handler.answer(status, answer_headers, answer))

    def _forward(
        self, upstream: str, method: str, target: str, headers: list[tuple[str, str]], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        address = urlsplit(upstream)
        connection = _ORIGINAL_CONNECTION(address.hostname or "127.0.0.1", address.port, timeout=30)
        try:
            connection.request(method, target, body=body or None, headers=dict(headers))
            response = connection.getresponse()
            answer = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
            return response.status, kept, answer
        finally:
            connection.close()

    def _plant(self, headers: list[tuple[str, str]], body: bytes) -> tuple[list[tuple[str, str]], bytes]:
        planted: list[tuple[str, str]] = []
        for name, value in headers:
            value = value.replace(self.emulator_url, self.url)
            if name.lower() in ("x-goog-upload-url", "x-goog-upload-control-url"):
                value = self._upload_url(value)
            if name.lower() == "location" and self.signature:
                value += f"&X-Goog-Expires=600&X-Goog-Signature={self.signature}"
            planted.append((name, value))
        if self.cookie:
            planted.append(("set-cookie", f"SID={self.cookie}; Path=/; HttpOnly"))
        return planted, body.replace(self.emulator_url.encode(), self.url.encode())

    def _upload_url(self, url: str) -> str:
        match = _UPLOAD_ID.search(url)
        if match is None:
            return url
        real = match.group(1)
        canary = next((c for c, r in self._real_ids.items() if r == real), None)
        if canary is None and self.upload_ids:
            canary = self.upload_ids.pop(0)
            self._real_ids[canary] = real
        return url.replace(real, canary) if canary else url


def _credential(target: str, headers: Any) -> str | None:
    query = parse_qs(urlsplit(target).query)
    for name in ("key", "access_token"):
        if query.get(name):
            return query[name][0]
    key = headers.get("x-goog-api-key")
    if key:
        return str(key)
    authorization = str(headers.get("authorization") or "")
    return authorization.split(" ", 1)[-1] if authorization.lower().startswith("bearer ") else None


def _access_token_as_header(target: str, headers: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """The emulator reads tokens from the authorization header only: move an access_token query there."""
    parts = urlsplit(target)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    tokens = [v for k, v in pairs if k == "access_token"]
    if not tokens:
        return target, headers
    query = urlencode([(k, v) for k, v in pairs if k != "access_token"])
    return urlunsplit(parts._replace(query=query)), [*headers, ("authorization", f"Bearer {tokens[0]}")]


def _echoed(body: bytes, credential: str) -> bytes:
    """Give `credential` back in the answer: as its ``responseId``, in JSON or in each stream event."""

    def stamp(text: str) -> str:
        value = json.loads(text)
        if isinstance(value, dict):
            value["responseId"] = credential
        return json.dumps(value)

    if body.lstrip().startswith(b"data:"):
        events = body.decode().replace("\r\n", "\n").split("\n\n")
        stamped = [f"data: {stamp(e[len('data: ') :])}" for e in events if e.startswith("data: ")]
        return "".join(f"{e}\r\n\r\n" for e in stamped).encode()
    return stamp(body.decode()).encode() if body.strip().startswith(b"{") else body


def _split(body: bytes, credential: str) -> bytes:
    """Give `credential` back in two halves: in the text of two events of a stream, or of two parts."""
    half = len(credential) // 2
    first, second = f"Your key: {credential[:half]}", f"{credential[half:]}, keep it safe."

    def texted(value: Any, text: str) -> Any:
        value["candidates"][0]["content"]["parts"] = [{"text": text}]
        return value

    if body.lstrip().startswith(b"data:"):
        events = [
            json.loads(e[len("data: ") :])
            for e in body.decode().replace("\r\n", "\n").split("\n\n")
            if e.startswith("data: ")
        ]
        events = events if len(events) > 1 else events * 2
        events[0], events[1] = texted(events[0], first), texted(json.loads(json.dumps(events[1])), second)
        return "".join(f"data: {json.dumps(e)}\r\n\r\n" for e in events).encode()
    value = json.loads(body)
    value["candidates"][0]["content"]["parts"] = [{"text": first}, {"text": second}]
    return json.dumps(value).encode()


@dataclass(frozen=True)
class Grant:
    """What the token endpoint answers to one exchange."""

    access_token: str
    id_token: str | None = None
    refresh_token: str | None = None


class TokenEndpoint(_Serving):
    """A fake OAuth token endpoint that checks what it is sent and issues the canary tokens it is given.

    `keys` are the public keys of the service-account keys it trusts, by key id; `refresh_tokens`
    the refresh tokens (with their client secrets) of the user credentials it trusts. Each exchange
    takes the next of `grants`. `assertions` are the signed JWTs received.
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[str, rsa.RSAPublicKey] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.grants: list[Grant] = []
        self.assertions: list[str] = []

    def serve(self, handler: _Handler) -> None:
        body = handler.read_body()
        self.received(handler, body)
        form = dict(parse_qsl(body.decode()))
        problem = self._check(form)
        if problem is None and not self.grants:
            problem = "no grant left to issue"
        if problem is not None:
            answer = {"error": "invalid_grant", "error_description": problem}
            self.traffic.add(
                handler.answer(400, [("content-type", "application/json")], json.dumps(answer).encode())
            )
            return
        grant = self.grants.pop(0)
        answer = {"access_token": grant.access_token, "expires_in": 3599, "token_type": "Bearer"}
        if grant.id_token:
            answer["id_token"] = grant.id_token
        if grant.refresh_token:
            answer["refresh_token"] = grant.refresh_token
        payload = json.dumps(answer).encode()
        self.traffic.add(handler.answer(200, [("content-type", "application/json")], payload))

    def _check(self, form: dict[str, str]) -> str | None:
        grant = form.get("grant_type", "")
        if grant == "refresh_token":
            secret = self.refresh_tokens.get(form.get("refresh_token", ""))
            return None if secret and secret == form.get("client_secret") else "unknown refresh token"
        if grant != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return f"unsupported grant {grant!r}"
        assertion = form.get("assertion", "")
        pieces = assertion.split(".")
        if len(pieces) != 3:
            return "not a JWT"
        header, claims = (json.loads(_unpad(p)) for p in pieces[:2])
        self.traffic.add(json.dumps([header, claims]).encode())
        key = self.keys.get(header.get("kid", ""))
        if key is None:
            return "unknown key id"
        try:
            key.verify(
                _unpad(pieces[2]), f"{pieces[0]}.{pieces[1]}".encode(), padding.PKCS1v15(), hashes.SHA256()
            )
        except InvalidSignature:
            return "bad signature"
        self.assertions.append(assertion)
        return None


def _unpad(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def service_account_file(
    folder: Path, endpoint: TokenEndpoint, *, key_id: str, project: str, token_uri: str
) -> tuple[Path, str]:
    """Write a service-account key file trusted by `endpoint`, reached at `token_uri`; return it and its PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    endpoint.keys[key_id] = key.public_key()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    email = f"canary-{hashlib.sha1(key_id.encode()).hexdigest()[:8]}@{project}.iam.gserviceaccount.com"
    info = {
        "type": "service_account",
        "project_id": project,
        "private_key_id": key_id,
        "private_key": pem,
        "client_email": email,
        "client_id": "100000000000000000001",
        "auth_uri": f"{endpoint.url}/o/oauth2/auth",
        "token_uri": token_uri,
        "universe_domain": "googleapis.com",
    }
    path = folder / f"sa-{key_id[:12]}.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path, pem


@contextmanager
def serving(emulator_url: str) -> Iterator[tuple[CanaryUpstream, TokenEndpoint]]:
    """Run a canary upstream in front of the emulator at `emulator_url`, and a token endpoint."""
    with CanaryUpstream(emulator_url) as upstream, TokenEndpoint() as endpoint:
        yield upstream, endpoint
