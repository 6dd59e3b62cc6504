"""The canary suite: record on every client path with unique fake secrets everywhere, and find none on disk.

Each client path (a client, a way in, a backend and a kind of credential) is recorded twice against
the emulator behind `CanaryUpstream`, each recording with canaries of its own:

- a clean recording, where secrets travel in every place the sanitiser removes them from (headers,
  query strings, token exchanges, upload URLs, redirects, cookies): the cassette must be written,
  pass `check`, and hold no canary;
- an echoing recording, where the service copies a credential into an error message, a response
  body, each event of a stream, or where the caller uploads a file that holds one: nothing can
  tell such a copy from data, so the cassette must be refused, with nothing written.

Every canary is first proven to have travelled (the upstream saw or sent it; the token endpoint
verified the signature of the private key that never travels), then every file under the cassette
folder is searched for it, raw and encoded. The counts go to the reliability tally.
"""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Callable, Coroutine, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import httpx
import pytest
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

import genai_min
import replay.httpx2
from genai_min import aio, files, models
from replay._cassette import Meta
from replay._cassette_json import load_cassette
from replay._check import FindingKind, check_cassette
from replay._config import Config, Mode
from replay._errors import CredentialLeakError
from replay._fixture import running
from replay._recorder import Recorder
from replay._relay import Relay
from replay._sanitiser import is_token_exchange
from replay._session import Session
from replay.emulator import Emulator, canonical_url

from ._canary import HOSTILE, Canaries, Place, found_in
from ._canary_upstream import CanaryUpstream, Echo, Grant, TokenEndpoint, service_account_file, serving
from .conftest import CANARIES, CANARY_LEAKS, CANARY_PATHS, CANARY_PLACES, Tally

genai = pytest.importorskip("google.genai")

pytestmark = pytest.mark.usefixtures("no_credentials")

MODEL = "gemini-2.0-flash-001"
PROJECT = "canary-project"
LOCATION = "us-central1"
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]


class Way(Enum):
    """How a recording sees the exchanges: our transport given to the client, or vcrpy interception."""

    TRANSPORT = "recording transport"
    INTERCEPTED = "intercepted (the fixture's way)"


class Client(Enum):
    GENAI_MIN = "genai_min sync"
    GENAI_MIN_ASYNC = "genai_min async"
    SDK_HTTPX2 = "SDK on httpx2"
    SDK_HTTPX = "SDK on httpx"
    SDK_AIOHTTP = "SDK on aiohttp (async)"
    HTTPX = "plain httpx"


class Auth(Enum):
    API_KEY = "API key"
    KEY_QUERY = "API key in the query"
    BEARER = "bearer token"
    SERVICE_ACCOUNT = "service-account key, OAuth exchange"
    USER = "user refresh token, OAuth exchange"
    ACCESS_TOKEN_QUERY = "access token in the query"


class Route(Enum):
    """Where the token endpoint of an OAuth exchange is, and so how the sanitiser knows the exchange."""

    SERVICE_HOST = "token endpoint on Google's host"
    OTHER_HOST = "token path on another host"
    UNKNOWN_URL = "token endpoint at an unknown URL"

    def url(self, run: Run) -> str:
        if self is Route.SERVICE_HOST:
            return f"{run.upstream.url}/token"  # recorded as https://oauth2.googleapis.com/token
        if self is Route.OTHER_HOST:
            return (
                f"{run.endpoint.url}/token"
                if run.path.auth is Auth.SERVICE_ACCOUNT
                else f"{run.endpoint.url}/oauth2/v4/token"
            )
        return f"{run.endpoint.url}/canary/exchange"


@dataclass(frozen=True)
class ClientPath:
    """One way a test can talk to the service: client, way in, backend, credential, and what it calls."""

    client: Client
    way: Way
    is_vertex: bool
    auth: Auth
    is_streaming: bool = True
    is_uploading: bool = False
    route: Route | None = None

    @property
    def name(self) -> str:
        backend = "Vertex AI" if self.is_vertex else "Gemini API"
        auth = f"{self.auth.value} ({self.route.value})" if self.route else self.auth.value
        calls = "".join((", stream" if self.is_streaming else "", ", upload" if self.is_uploading else ""))
        return f"{self.client.value} ({self.way.value}), {backend}, {auth}{calls}"

    @property
    def places(self) -> set[Place]:
        """The places this path puts canaries in."""
        auth = {
            Auth.API_KEY: {Place.API_KEY_HEADER},
            Auth.KEY_QUERY: {Place.KEY_QUERY},
            Auth.BEARER: {Place.BEARER_HEADER},
            Auth.SERVICE_ACCOUNT: {Place.SA_PRIVATE_KEY, Place.SA_KEY_ID, Place.JWT_ASSERTION, Place.ACCESS_TOKEN, Place.ID_TOKEN},
            Auth.USER: {Place.REFRESH_TOKEN, Place.CLIENT_SECRET, Place.ACCESS_TOKEN, Place.ID_TOKEN, Place.NEW_REFRESH_TOKEN},
            Auth.ACCESS_TOKEN_QUERY: {Place.ACCESS_TOKEN_QUERY},
        }[self.auth]  # fmt: skip
        places = auth | {Place.COOKIE, Place.ERROR_MESSAGE, Place.RESPONSE_BODY}
        if self.is_streaming:
            places.add(Place.STREAM_EVENT)
        if self.is_uploading:
            places.update({Place.UPLOAD_URL, Place.UPLOAD_BYTES})
        if self.is_uploading and self.client in (Client.GENAI_MIN, Client.GENAI_MIN_ASYNC):
            places.add(Place.SIGNED_URL)
        return places


TRANSPORT, INTERCEPTED = Way.TRANSPORT, Way.INTERCEPTED
PATHS = [
    ClientPath(Client.GENAI_MIN, TRANSPORT, False, Auth.API_KEY, is_uploading=True),
    ClientPath(Client.GENAI_MIN_ASYNC, INTERCEPTED, False, Auth.API_KEY, is_uploading=True),
    ClientPath(Client.GENAI_MIN, TRANSPORT, True, Auth.SERVICE_ACCOUNT, route=Route.SERVICE_HOST),
    ClientPath(Client.GENAI_MIN_ASYNC, TRANSPORT, True, Auth.USER, route=Route.OTHER_HOST),
    ClientPath(Client.GENAI_MIN, INTERCEPTED, True, Auth.API_KEY),  # Vertex AI express mode
    ClientPath(Client.GENAI_MIN, INTERCEPTED, True, Auth.SERVICE_ACCOUNT, route=Route.OTHER_HOST),
    ClientPath(Client.SDK_HTTPX2, INTERCEPTED, False, Auth.API_KEY, is_uploading=True),
    ClientPath(Client.SDK_HTTPX2, INTERCEPTED, True, Auth.SERVICE_ACCOUNT, route=Route.SERVICE_HOST),
    ClientPath(Client.SDK_HTTPX2, TRANSPORT, False, Auth.API_KEY, is_uploading=True),
    ClientPath(Client.SDK_HTTPX2, TRANSPORT, True, Auth.BEARER, is_streaming=False),
    ClientPath(Client.SDK_HTTPX, INTERCEPTED, False, Auth.API_KEY),
    ClientPath(Client.SDK_HTTPX, INTERCEPTED, True, Auth.BEARER),
    ClientPath(Client.SDK_AIOHTTP, INTERCEPTED, False, Auth.API_KEY, is_uploading=True),
    ClientPath(Client.SDK_AIOHTTP, INTERCEPTED, True, Auth.USER, route=Route.UNKNOWN_URL),
    ClientPath(Client.HTTPX, INTERCEPTED, False, Auth.KEY_QUERY),
    ClientPath(Client.HTTPX, INTERCEPTED, True, Auth.ACCESS_TOKEN_QUERY, is_streaming=False),
]


@dataclass
class Run:
    """One client path's recordings: its canaries, the servers it talks to, and the client it builds."""

    path: ClientPath
    canaries: Canaries
    upstream: CanaryUpstream
    endpoint: TokenEndpoint
    folder: Path
    transport: Any = None
    sa_file: Path | None = None
    refresh_token: str = ""
    client_secret: str = ""
    clients: list[Any] = field(default_factory=list)
    loop: asyncio.AbstractEventLoop | None = None

    # -- credentials -----------------------------------------------------------------------------

    def credential(self, echo: Place | None = None) -> Any:
        """Return this path's credential: a key or token string, or google-auth credentials.

        With `echo`, the credential is that place's canary and the upstream gives it back there.
        """
        auth = self.path.auth
        if auth in (Auth.API_KEY, Auth.KEY_QUERY):
            key = self.canaries.mint(echo or _KEY_PLACES[auth])
            return self._echoed(key, echo)
        if auth is Auth.ACCESS_TOKEN_QUERY:
            return self._echoed(
                self.canaries.mint(echo or Place.ACCESS_TOKEN_QUERY, like=Place.ACCESS_TOKEN_QUERY), echo
            )
        if auth is Auth.BEARER:
            token = self._echoed(
                self.canaries.mint(echo or Place.BEARER_HEADER, like=Place.BEARER_HEADER), echo
            )
            return user_credentials.Credentials(token=token)
        access = self._echoed(self.canaries.mint(echo or Place.ACCESS_TOKEN, like=Place.ACCESS_TOKEN), echo)
        if echo is not None:
            self.endpoint.grants.append(Grant(access))
        elif auth is Auth.USER:
            self.endpoint.grants.append(
                Grant(access, self.canaries.mint(Place.ID_TOKEN), self.canaries.mint(Place.NEW_REFRESH_TOKEN))
            )
        else:
            self.endpoint.grants.append(Grant(access, self.canaries.mint(Place.ID_TOKEN)))
        if auth is Auth.SERVICE_ACCOUNT:
            return service_account.Credentials.from_service_account_file(str(self._sa_file()), scopes=SCOPES)  # type: ignore[no-untyped-call]
        if not self.refresh_token:
            self.refresh_token = self.canaries.mint(Place.REFRESH_TOKEN)
            self.client_secret = self.canaries.mint(Place.CLIENT_SECRET)
            self.endpoint.refresh_tokens[self.refresh_token] = self.client_secret
        return user_credentials.Credentials(
            token=None,
            refresh_token=self.refresh_token,
            client_id="100000000001-canary.apps.googleusercontent.com",
            client_secret=self.client_secret,
            token_uri=self._token_uri(),
            scopes=SCOPES,
        )

    def _echoed(self, value: str, echo: Place | None) -> str:
        if echo is Place.ERROR_MESSAGE:
            self.upstream.echoes[value] = Echo.ERROR
        elif echo in (Place.RESPONSE_BODY, Place.STREAM_EVENT):
            self.upstream.echoes[value] = Echo.BODY
        elif echo in (Place.SPLIT_STREAM, Place.SPLIT_PARTS):
            self.upstream.echoes[value] = Echo.SPLIT
        return value

    def _token_uri(self) -> str:
        assert self.path.route is not None
        if self.path.route is Route.SERVICE_HOST:
            self.upstream.token_url = self.endpoint.url
        return self.path.route.url(self)

    def _sa_file(self) -> Path:
        if self.sa_file is None:
            key_id = self.canaries.mint(Place.SA_KEY_ID)
            self.sa_file, pem = service_account_file(
                self.folder, self.endpoint, key_id=key_id, project=PROJECT, token_uri=self._token_uri()
            )
            # The key material's middle lines: the PEM's first line is the same for every key.
            self.canaries.add(Place.SA_PRIVATE_KEY, pem.splitlines()[5])
        return self.sa_file

    # -- clients -----------------------------------------------------------------------------------

    def client(self, credential: Any) -> Any:
        """Build this path's client with `credential`, sending through the upstream."""
        kind, url, is_vertex = self.path.client, self.upstream.url, self.path.is_vertex
        if kind in (Client.GENAI_MIN, Client.GENAI_MIN_ASYNC):
            args: dict[str, Any] = {"base_url": url}
            if self.transport is not None:
                args.update(transport=self.transport, async_transport=self.transport)
            if isinstance(credential, str):
                args.update(api_key=credential, vertexai=is_vertex)
            else:
                args.update(vertexai=True, project=PROJECT, location=LOCATION, credentials=credential)
            client = genai_min.Transport(**args)
        elif kind is Client.HTTPX:
            client = httpx.Client(base_url=url)
        else:
            options: dict[str, Any] = {"base_url": url}
            if self.transport is not None:
                options.update(
                    client_args={"transport": self.transport}, async_client_args={"transport": self.transport}
                )
            elif kind is Client.SDK_HTTPX:
                options.update(httpx_client=httpx.Client())
                self.clients.append(options["httpx_client"])
            http_options = genai.types.HttpOptions(**options)
            if isinstance(credential, str):
                client = genai.Client(api_key=credential, vertexai=is_vertex, http_options=http_options)
            else:
                client = genai.Client(
                    vertexai=True,
                    project=PROJECT,
                    location=LOCATION,
                    credentials=credential,
                    http_options=http_options,
                )
        self.clients.append(client)
        return client

    # -- calls -------------------------------------------------------------------------------------

    def generate(self, credential: Any) -> str:
        client, kind = self.client(credential), self.path.client
        if kind is Client.GENAI_MIN:
            return models.generate_content(client, model=MODEL, contents="Why is the sky blue?").text or ""
        if kind is Client.GENAI_MIN_ASYNC:
            return self.wait(aio.models.generate_content(client, model=MODEL, contents="Why?")).text or ""
        if kind is Client.SDK_AIOHTTP:
            return self.wait(_sdk_async_generate(client)).text or ""
        if kind is Client.HTTPX:
            return (
                client.post(self._raw_url(":generateContent", credential), json=_ASK).raise_for_status().text
            )
        return client.models.generate_content(model=MODEL, contents="Why is the sky blue?").text or ""

    def stream(self, credential: Any) -> str:
        client, kind = self.client(credential), self.path.client
        if kind is Client.GENAI_MIN:
            return "".join(
                c.text or "" for c in models.generate_content_stream(client, model=MODEL, contents="A story")
            )
        if kind is Client.GENAI_MIN_ASYNC:
            return self.wait(_genai_min_async_stream(client))
        if kind is Client.SDK_AIOHTTP:
            return self.wait(_sdk_async_stream(client))
        if kind is Client.HTTPX:
            return client.post(self._raw_url(":streamGenerateContent", credential, alt="sse"), json=_ASK).text
        return "".join(
            c.text or "" for c in client.models.generate_content_stream(model=MODEL, contents="A story")
        )

    def upload(self, credential: Any, data: bytes, mime_type: str) -> Any:
        client, kind = self.client(credential), self.path.client
        config = {"mime_type": mime_type}
        if kind is Client.GENAI_MIN:
            uploaded = files.upload(client, file=data, config=config)
            return uploaded, files.download(client, file=uploaded.name)
        if kind is Client.GENAI_MIN_ASYNC:
            return self.wait(_genai_min_async_upload(client, data, config))
        if kind is Client.SDK_AIOHTTP:
            return self.wait(client.aio.files.upload(file=io.BytesIO(data), config=config)), None
        return client.files.upload(file=io.BytesIO(data), config=config), None

    def _raw_url(self, verb: str, credential: str, **query: str) -> str:
        name = "key" if self.path.auth is Auth.KEY_QUERY else "access_token"
        if self.path.is_vertex:
            path = f"/v1/projects/{PROJECT}/locations/{LOCATION}/publishers/google/models/{MODEL}{verb}"
        else:
            path = f"/v1beta/models/{MODEL}{verb}"
        return str(httpx.URL(path, params={**query, name: credential}))

    def wait(self, work: Coroutine[Any, Any, Any]) -> Any:
        """Run async calls on one loop per recording: the recording transport's pool belongs to it."""
        if self.loop is None:
            self.loop = asyncio.new_event_loop()
        return self.loop.run_until_complete(work)

    def close(self) -> None:
        """Close every client built, and the loop their async halves ran on."""
        for client in self.clients:
            client.close()
            if self.loop is not None and isinstance(client, genai_min.Transport):
                self.loop.run_until_complete(client.aclose())
            elif self.loop is not None and isinstance(client, genai.Client):
                self.loop.run_until_complete(client.aio.aclose())
        self.clients.clear()
        if self.loop is not None:
            self.loop.close()
            self.loop = None


_KEY_PLACES = {Auth.API_KEY: Place.API_KEY_HEADER, Auth.KEY_QUERY: Place.KEY_QUERY}
_ASK = {"contents": [{"role": "user", "parts": [{"text": "Why is the sky blue?"}]}]}
_API_ERRORS: tuple[type[Exception], ...] = (genai_min.APIError, genai.errors.APIError, httpx.HTTPStatusError)


async def _sdk_async_generate(client: Any) -> Any:
    return await client.aio.models.generate_content(model=MODEL, contents="Why?")


async def _sdk_async_stream(client: Any) -> str:
    stream = await client.aio.models.generate_content_stream(model=MODEL, contents="A story")
    return "".join([c.text or "" async for c in stream])


async def _genai_min_async_stream(client: genai_min.Transport) -> str:
    stream = await aio.models.generate_content_stream(client, model=MODEL, contents="A story")
    return "".join([c.text or "" async for c in stream])


async def _genai_min_async_upload(client: genai_min.Transport, data: bytes, config: dict[str, str]) -> Any:
    uploaded = await aio.files.upload(client, file=data, config=config)
    return uploaded, await aio.files.download(client, file=uploaded.name or "")


# -- recording ---------------------------------------------------------------------------------------


@contextmanager
def recording(run: Run, path: Path) -> Iterator[None]:
    """Record what the block sends into `path`, through the path's way in; saving may raise a leak."""
    canonical: Callable[[str], str] = lambda text: canonical_url(text, run.upstream.url)  # noqa: E731
    if run.path.way is Way.TRANSPORT:
        recorder = Recorder(path, meta=Meta(recorded_against="emulator"), canonical=canonical)
        library = replay.httpx2 if run.path.client is Client.SDK_HTTPX2 else replay._httpx
        run.transport = library.RecordingTransport(recorder)
        try:
            yield
        finally:
            run.close()
            run.transport = None
        recorder.save()
        return
    relay = Relay(run.upstream.url)
    session = Session.for_cassette(path, Config(mode=Mode.ALL), relay=relay)
    block: AbstractContextManager[Any] = running(session, scratch=run.folder / "scratch")
    with block:
        try:
            yield
        finally:
            run.close()
            relay.close()


def record_clean(run: Run, cassette: Path) -> None:
    """Send secrets everywhere the sanitiser must remove them from; the cassette must be written."""
    path = run.path
    run.upstream.cookie = run.canaries.mint(Place.COOKIE)
    with recording(run, cassette):
        credential = run.credential()
        assert run.generate(credential)
        if path.is_streaming:
            assert run.stream(credential)
        if path.is_uploading:
            run.upstream.upload_ids.append(run.canaries.mint(Place.UPLOAD_URL))
            if Place.SIGNED_URL in path.places:
                run.upstream.signature = run.canaries.mint(Place.SIGNED_URL)
            uploaded, downloaded = run.upload(credential, b"minutes of the meeting " * 40, "text/plain")
            assert uploaded.name.startswith("files/")
            assert downloaded in (None, b"minutes of the meeting " * 40)
    run.upstream.cookie = run.upstream.signature = None
    assert cassette.exists(), f"{path.name}: the clean recording was not written"
    findings = [f for f in check_cassette(cassette) if f.kind is FindingKind.CREDENTIAL]
    assert findings == [], f"{path.name}: check finds credentials in a clean recording: {findings}"
    if path.way is Way.INTERCEPTED and path.route in (Route.SERVICE_HOST, Route.OTHER_HOST):
        # The fixture never stores a token exchange it knows (one at an unknown URL is stored, scrubbed).
        urls = [i.request.url for i in load_cassette(cassette).interactions]
        assert not [url for url in urls if is_token_exchange(url)], urls


def record_echoes(run: Run, cassette: Path) -> list[str]:
    """Have the service copy credentials into what it answers; the cassette must be refused."""
    with pytest.raises(CredentialLeakError) as refused:
        send_echoes(run, cassette)
    assert not cassette.exists(), f"{run.path.name}: a cassette holding echoed credentials was written"
    return refused.value.findings


def send_echoes(run: Run, cassette: Path) -> None:
    with recording(run, cassette):
        with pytest.raises(_API_ERRORS):
            run.generate(run.credential(echo=Place.ERROR_MESSAGE))
        run.generate(run.credential(echo=Place.RESPONSE_BODY))
        if run.path.is_streaming:
            run.stream(run.credential(echo=Place.STREAM_EVENT))
        if run.path.is_uploading:
            key = run.credential(echo=Place.UPLOAD_BYTES)  # upload paths use API keys
            run.upload(
                key, os.urandom(40_000) + key.encode() + os.urandom(40_000), "application/octet-stream"
            )


def planted(run: Run) -> list[str]:
    """Return the canaries that did not travel as planned (the suite would prove nothing about them)."""
    traffic = run.upstream.traffic.joined() + run.endpoint.traffic.joined()
    missing = []
    for canary in run.canaries:
        if canary.place is Place.SA_PRIVATE_KEY:
            is_used = bool(run.endpoint.assertions)  # verified against the key's public half
        else:
            is_used = found_in(canary.value, traffic)
        if not is_used:
            missing.append(f"{canary.place.value}: {canary.value}")
    return missing


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_no_canary_reaches_disk(
    path: ClientPath, emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    folder = tmp_path / "cassettes"
    canaries = Canaries(path.name, PATHS.index(path))
    try:
        with serving(emulator.url) as (upstream, endpoint):
            run = Run(path, canaries, upstream, endpoint, tmp_path)
            record_clean(run, folder / "clean.json")
            refusal = record_echoes(run, folder / "echo.json")
            for assertion in endpoint.assertions:
                canaries.add(Place.JWT_ASSERTION, assertion)
    finally:
        # Counted even when a recording fails: a leak is a leak, whatever else went wrong.
        leaks = canaries.leaks(folder)
        reliability_tally[CANARY_PATHS] += 1
        reliability_tally[CANARIES] += len(canaries)
        reliability_tally[CANARY_LEAKS] += len(leaks)

    assert leaks == [], "\n".join(map(str, leaks))
    assert planted(run) == [], f"{path.name}: canaries that never travelled"
    assert canaries.places == path.places
    echoed = {where.rsplit(" in ", 1)[1] for where in refusal}
    downloads = Place.SIGNED_URL in path.places  # the download gives the uploaded file back: one more
    assert len(echoed) == sum(c.place.is_echo for c in canaries) + downloads, refusal
    assert all(where.endswith(".body") or ".body (blobs/" in where for where in echoed), refusal


def test_every_place_backend_and_credential_is_covered(reliability_tally: Tally) -> None:
    places = set().union(*(p.places for p in PATHS))
    assert places == set(Place) - HOSTILE  # the hostile places have cases of their own
    assert {(p.is_vertex, p.way) for p in PATHS} == {(v, w) for v in (False, True) for w in Way}
    assert {p.auth for p in PATHS} == set(Auth)
    assert {p.route for p in PATHS} == {None, *Route}
    assert all((p.route is not None) == (p.auth in (Auth.SERVICE_ACCOUNT, Auth.USER)) for p in PATHS)
    assert {p.client for p in PATHS} == set(Client)
    assert len({p.name for p in PATHS}) == len(PATHS)
    reliability_tally[CANARY_PLACES] += len(places)
