"""The canary suite's hostile cases: secrets that reach the recorder encoded, split or disguised.

Each case records through a real client (genai_min, the official SDK, plain httpx; through our
transport or intercepted, as in `test_canaries.py`) against the emulator behind `CanaryUpstream`,
with canaries of its own. It proves that every canary travelled, then that none is in any file
under the cassette folder, in any form a reader could recover (`_canary.readable`: as it is,
encoded, a stream's events joined, base64 decoded, gzip decompressed):

- a credential the service gives back split in two: across two events of a stream (an API key on
  the Gemini API, an access token on Vertex AI) or two parts of an answer; and a key split across
  the events of a stream in a foreign cassette given to `import`: refused, nothing written;
- a service-account key file sent as inline bytes (`Part.from_bytes`): refused;
- a key the client never sent, answered in base64: refused;
- a request body sent gzip-compressed: stored decoded, and replayed; refused when it holds the key;
- a base URL with a password in it: the password removed, the cassette written, and replayed;
- the project number in error texts, links, fields and service agents, and the project id inside
  longer names: placeholders on disk, which the replay gives back;
- a bearer token of letters only, 16 characters or fewer: not stored, and refused when echoed.

Each case counts in the reliability tally as a client path, with its canaries and its leaks.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from google.oauth2 import credentials as user_credentials

import genai_min
import replay.httpx2
from genai_min import models, types
from replay._cassette import BodyKind
from replay._cassette_json import load_cassette
from replay._check import FindingKind, check_cassette
from replay._errors import CredentialLeakError
from replay._httpx import ReplayTransport
from replay._importer import import_file
from replay._player import Player
from replay.emulator import Emulator

from ._canary import HOSTILE, Canaries, Leak, Place, found_in
from ._canary_upstream import Echo, service_account_file, serving
from .conftest import CANARIES, CANARY_LEAKS, CANARY_PATHS, CANARY_PLACES, Tally
from .test_canaries import (
    INTERCEPTED,
    LOCATION,
    MODEL,
    TRANSPORT,
    Auth,
    Client,
    ClientPath,
    Run,
    planted,
    recording,
)

genai = pytest.importorskip("google.genai")
pytestmark = pytest.mark.usefixtures("no_credentials")

COVERED: dict[str, set[Place]] = {
    "split": {Place.SPLIT_STREAM, Place.SPLIT_PARTS},
    "split token": {Place.SPLIT_STREAM},
    "import": {Place.SPLIT_IMPORTED},
    "key file": {Place.INLINE_KEY_FILE},
    "base64 answer": {Place.BASE64_ANSWER},
    "gzip": {Place.GZIP_BODY},
    "password": {Place.URL_PASSWORD},
    "projects": {Place.PROJECT_ID, Place.PROJECT_NUMBER},
    "project number": {Place.PROJECT_NUMBER},
    "short token": {Place.SHORT_TOKEN},
}
"""Each case and the hostile places its canaries stand in."""


@contextmanager
def case(
    name: str, number: int, path: ClientPath, emulator: Emulator, tmp_path: Path, tally: Tally
) -> Iterator[Run]:
    """Run one hostile case on `path`; count it, then prove its canaries travelled and none leaked."""
    canaries = Canaries(f"hostile: {name}, {path.name}", number)
    try:
        with serving(emulator.url) as (upstream, endpoint):
            run = Run(path, canaries, upstream, endpoint, tmp_path)
            yield run
    finally:
        # Counted even when the case fails: a leak is a leak, whatever else went wrong.
        leaks = count(canaries, tmp_path / "cassettes", tally)
    assert leaks == [], "\n".join(map(str, leaks))
    assert planted(run) == [], f"{canaries.path}: canaries that never travelled"
    assert canaries.places & HOSTILE == COVERED[name]


def count(canaries: Canaries, folder: Path, tally: Tally) -> list[Leak]:
    """Count a case in the tally as the client paths of `test_canaries.py` are; return its leaks."""
    leaks = canaries.leaks(folder)
    tally[CANARY_PATHS] += 1
    tally[CANARIES] += len(canaries)
    tally[CANARY_LEAKS] += len(leaks)
    return leaks


def refused(run: Run, cassette: Path, *calls: Any) -> list[str]:
    """Record `calls` (each a function of the run); the save must refuse, writing nothing."""
    with pytest.raises(CredentialLeakError) as caught:
        record(run, cassette, *calls)
    assert not cassette.exists(), f"{run.canaries.path}: a cassette holding a credential was written"
    return list(caught.value.findings)


def record(run: Run, cassette: Path, *calls: Any) -> None:
    with recording(run, cassette):
        for call in calls:
            call(run)


def credential_findings(cassette: Path) -> list[str]:
    return [str(finding) for finding in check_cassette(cassette) if finding.kind is FindingKind.CREDENTIAL]


# -- 1. a credential split in two --------------------------------------------------------------------


def test_a_key_given_back_split_across_stream_events_or_answer_parts_is_refused(
    emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    path = ClientPath(Client.GENAI_MIN, TRANSPORT, False, Auth.API_KEY)
    with case("split", 20, path, emulator, tmp_path, reliability_tally) as run:
        findings = refused(
            run,
            tmp_path / "cassettes" / "split.json",
            lambda run: run.stream(run.credential(echo=Place.SPLIT_STREAM)),
            lambda run: run.generate(run.credential(echo=Place.SPLIT_PARTS)),
        )
    places = {f.rsplit(" in ", 1)[1] for f in findings}
    assert places == {"interactions[0].response.body", "interactions[1].response.body"}, findings
    assert all("once joined field by field" in f for f in findings), findings


def test_an_access_token_given_back_split_across_stream_events_is_refused(
    emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    path = ClientPath(Client.SDK_HTTPX2, INTERCEPTED, True, Auth.BEARER)
    with case("split token", 21, path, emulator, tmp_path, reliability_tally) as run:
        findings = refused(
            run,
            tmp_path / "cassettes" / "split.json",
            lambda run: run.stream(run.credential(echo=Place.SPLIT_STREAM)),
        )
    # The first half alone has the shape of a token; the whole one is found once the events are joined.
    assert any(f.startswith("a credential seen while recording, once joined") for f in findings), findings


def test_a_key_split_across_stream_events_of_a_foreign_cassette_is_not_imported(
    tmp_path: Path, reliability_tally: Tally
) -> None:
    canaries = Canaries("hostile: import, a vcrpy cassette", 22)
    key = canaries.mint(Place.SPLIT_IMPORTED)
    events = [
        {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}}]}
        for text in ("Your key: " + key[:17], key[17:] + ", keep it safe.")
    ]
    stream = "".join(f"data: {json.dumps(e)}\r\n\r\n" for e in events)
    url = f"https://generativelanguage.googleapis.com/v1beta/models/{MODEL}:streamGenerateContent?alt=sse"
    foreign = {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": url,
                    "body": json.dumps({"contents": [{"parts": [{"text": "my key?"}]}]}),
                    "headers": {"X-Goog-Api-Key": ["<filtered>"], "Content-Type": ["application/json"]},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"Content-Type": ["text/event-stream"]},
                    "body": {"string": stream},
                },
            }
        ],
    }
    source = tmp_path / "foreign" / "split.json"
    source.parent.mkdir()
    source.write_text(json.dumps(foreign))
    assert found_in(key[:17], source.read_bytes()) and found_in(key[17:], source.read_bytes())
    try:
        with pytest.raises(CredentialLeakError, match="once joined field by field"):
            import_file(source, tmp_path / "cassettes" / "split.json")
    finally:
        leaks = count(canaries, tmp_path / "cassettes", reliability_tally)
    assert leaks == [], "\n".join(map(str, leaks))
    assert not (tmp_path / "cassettes").exists()


# -- 2. a key file sent as inline bytes ----------------------------------------------------------------


def _send_key_file(run: Run) -> None:
    key_file, pem = service_account_file(
        run.folder, run.endpoint, key_id="inline-key-0001", project="canary-project", token_uri="unused"
    )
    run.canaries.add(Place.INLINE_KEY_FILE, pem.splitlines()[5])
    data = key_file.read_bytes()
    client = run.client(run.credential())
    if run.path.client is Client.GENAI_MIN:
        part = types.Part.from_bytes(data=data, mime_type="application/json")
        models.generate_content(client, model=MODEL, contents=[part, "What is in this file?"])
    else:
        part = genai.types.Part.from_bytes(data=data, mime_type="application/json")
        client.models.generate_content(model=MODEL, contents=[part, "What is in this file?"])


@pytest.mark.parametrize(
    "path",
    [
        ClientPath(Client.SDK_HTTPX2, INTERCEPTED, False, Auth.API_KEY, is_streaming=False),
        ClientPath(Client.GENAI_MIN, TRANSPORT, False, Auth.API_KEY, is_streaming=False),
    ],
    ids=lambda p: p.name,
)
def test_a_key_file_sent_as_inline_bytes_is_refused(
    path: ClientPath, emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    number = 23 if path.client is Client.SDK_HTTPX2 else 24
    with case("key file", number, path, emulator, tmp_path, reliability_tally) as run:
        findings = refused(run, tmp_path / "cassettes" / "key-file.json", _send_key_file)
    assert findings == [
        "a value shaped like '-----BEGIN [A-Z ]*PRIVATE KEY-----', once base64-decoded in "
        "interactions[0].request.body"
    ]


# -- 3. a key the client never sent, answered in base64 ----------------------------------------------


def _answer_a_key_in_base64(run: Run) -> None:
    hidden = run.canaries.mint(Place.BASE64_ANSWER)
    data = base64.b64encode(f"# settings.env\nGOOGLE_API_KEY={hidden}\n".encode()).decode()
    parts = [{"text": "Here is the file."}, {"inlineData": {"mimeType": "text/plain", "data": data}}]
    answer = {"candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP"}]}
    run.upstream.canned.append((200, {**answer, "modelVersion": MODEL}))
    run.generate(run.credential())


@pytest.mark.parametrize(
    "path",
    [
        ClientPath(Client.GENAI_MIN, INTERCEPTED, False, Auth.API_KEY, is_streaming=False),
        ClientPath(Client.SDK_AIOHTTP, INTERCEPTED, False, Auth.API_KEY, is_streaming=False),
    ],
    ids=lambda p: p.name,
)
def test_a_key_never_sent_but_answered_in_base64_is_refused(
    path: ClientPath, emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    number = 25 if path.client is Client.GENAI_MIN else 26
    with case("base64 answer", number, path, emulator, tmp_path, reliability_tally) as run:
        findings = refused(run, tmp_path / "cassettes" / "base64.json", _answer_a_key_in_base64)
    assert findings == [
        "a value shaped like 'AIza[0-9A-Za-z_\\\\-]{35}', once base64-decoded in "
        "interactions[0].response.body"
    ]


# -- 4. a request body sent gzip-compressed ----------------------------------------------------------


def _post_gzipped(client: httpx.Client, key: str, text: str) -> httpx.Response:
    document = {"contents": [{"role": "user", "parts": [{"text": text}]}]}
    headers = {"x-goog-api-key": key, "content-type": "application/json", "content-encoding": "gzip"}
    url = f"/v1beta/models/{MODEL}:generateContent"
    return client.post(url, content=gzip.compress(json.dumps(document).encode()), headers=headers)


def test_a_gzip_request_body_is_stored_decoded_and_refused_when_it_holds_the_key(
    emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    path = ClientPath(Client.HTTPX, INTERCEPTED, False, Auth.API_KEY, is_streaming=False)
    clean = tmp_path / "cassettes" / "clean.json"
    with case("gzip", 27, path, emulator, tmp_path, reliability_tally) as run:
        key = run.canaries.mint(Place.GZIP_BODY)
        client = httpx.Client(base_url=run.upstream.url)
        run.clients.append(client)
        with recording(run, clean):
            live = _post_gzipped(client, key, "Why is the sky blue?").raise_for_status().json()
        client = httpx.Client(base_url=run.upstream.url)
        run.clients.append(client)
        findings = refused(
            run,
            tmp_path / "cassettes" / "echo.json",
            lambda run: _post_gzipped(client, key, f"Is {key} my key?").raise_for_status(),
        )
    assert findings == [
        "a credential seen while recording in interactions[0].request.body",
        "a value shaped like 'AIza[0-9A-Za-z_\\\\-]{35}' in interactions[0].request.body",
    ]
    request = load_cassette(clean).interactions[0].request
    assert request.body.kind is BodyKind.JSON and "content-encoding" not in dict(request.headers)
    assert credential_findings(clean) == []
    replaying = ReplayTransport(Player(load_cassette(clean), path=clean))
    with httpx.Client(base_url="https://generativelanguage.googleapis.com", transport=replaying) as client:
        assert _post_gzipped(client, "any", "Why is the sky blue?").json() == live


# -- 5. a base URL with a password -------------------------------------------------------------------


def test_the_password_of_a_base_url_is_removed(
    emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    path = ClientPath(Client.GENAI_MIN, TRANSPORT, False, Auth.API_KEY)
    cassette = tmp_path / "cassettes" / "password.json"
    with case("password", 28, path, emulator, tmp_path, reliability_tally) as run:
        password = run.canaries.mint(Place.URL_PASSWORD)
        base = run.upstream.url.replace("http://", f"http://canary-user:{password}@")
        key = run.canaries.mint(Place.API_KEY_HEADER)
        with recording(run, cassette):
            client = genai_min.Transport(
                api_key=key, base_url=base, transport=run.transport, async_transport=run.transport
            )
            run.clients.append(client)
            live = models.generate_content(client, model=MODEL, contents="Why is the sky blue?").text
            chunks = models.generate_content_stream(client, model=MODEL, contents="A story")
            streamed = "".join(c.text or "" for c in chunks)
    assert credential_findings(cassette) == []
    assert all("@" not in i.request.url for i in load_cassette(cassette).interactions)
    replaying = ReplayTransport(Player(load_cassette(cassette), path=cassette))
    with genai_min.Transport(
        api_key="any", base_url=base, transport=replaying, async_transport=replaying
    ) as client:
        assert models.generate_content(client, model=MODEL, contents="Why is the sky blue?").text == live
        chunks = models.generate_content_stream(client, model=MODEL, contents="A story")
        assert "".join(c.text or "" for c in chunks) == streamed


# -- 6 and 7. project numbers in every shape, and project ids inside longer names ----------------------


def _project_error(number: str, project: str | None) -> dict[str, Any]:
    where = f"gs://{project}-batch-inputs/in.jsonl" if project else f"gs://{number}-logs/in.jsonl"
    message = (
        f"Vertex AI API has not been used in project {number} before or it is disabled. Enable it by "
        f"visiting https://console.developers.google.com/apis/api/aiplatform.googleapis.com/overview"
        f"?project={number} then retry. Quota exceeded for quota metric 'Requests' of service "
        f"'aiplatform.googleapis.com' for consumer 'project_number:{number}'. "
        f"service-{number}@gcp-sa-aiplatform.iam.gserviceaccount.com does not have "
        f"storage.objects.get access to {where}."
    )
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "SERVICE_DISABLED",
            "domain": "googleapis.com",
            "metadata": {
                "consumer": f"projects/{number}",
                "containerInfo": number,
                "service": "aiplatform.googleapis.com",
                "activationUrl": f"https://console.developers.google.com/apis/api/x/overview?project={number}",
            },
        }
    ]
    return {"error": {"code": 403, "message": message, "status": "PERMISSION_DENIED", "details": details}}


def _project_answer(number: str, project: str | None) -> dict[str, Any]:
    bucket = f"gs://{project}-bucket/out.jsonl" if project else f"gs://{number}-bucket/out.jsonl"
    text = f"Wrote {bucket} as {number}-compute@developer.gserviceaccount.com."
    return {
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}],
        "modelVersion": MODEL,
    }


def _ask_three_times(client: Any, is_sdk: bool) -> tuple[str, str, str]:
    """An error naming the project, an answer naming it, and the emulator's own answer."""
    errors: tuple[type[Exception], ...] = (genai_min.APIError, genai.errors.APIError)
    if is_sdk:

        def ask(contents: str) -> str:
            return client.models.generate_content(model=MODEL, contents=contents).text or ""
    else:

        def ask(contents: str) -> str:
            return models.generate_content(client, model=MODEL, contents=contents).text or ""

    with pytest.raises(errors) as refused:
        ask("Why is the sky blue?")
    return str(refused.value), ask("Where did it go?"), ask("And now?")


def test_project_numbers_and_ids_become_placeholders_and_come_back_on_replay(
    emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    path = ClientPath(Client.GENAI_MIN, TRANSPORT, True, Auth.BEARER, is_streaming=False)
    cassette = tmp_path / "cassettes" / "projects.json"
    with case("projects", 29, path, emulator, tmp_path, reliability_tally) as run:
        project = run.canaries.mint(Place.PROJECT_ID)
        number = run.canaries.mint(Place.PROJECT_NUMBER)
        token = run.canaries.mint(Place.BEARER_HEADER)
        run.upstream.canned = [
            (403, _project_error(number, project)),
            (200, _project_answer(number, project)),
        ]

        def client(transport: Any, project: str, base_url: str | None = None) -> genai_min.Transport:
            made = genai_min.Transport(
                vertexai=True,
                project=project,
                location=LOCATION,
                credentials=user_credentials.Credentials(token=token),
                base_url=base_url,
                transport=transport,
                async_transport=transport,
            )
            run.clients.append(made)
            return made

        with recording(run, cassette):
            live = _ask_three_times(client(run.transport, project, run.upstream.url), is_sdk=False)
        assert credential_findings(cassette) == []
        for other in (project, "another-project-7"):
            replaying = ReplayTransport(Player(load_cassette(cassette), path=cassette))
            replayed = _ask_three_times(client(replaying, other), is_sdk=False)
            # The number is not in the caller's URL: it stays a placeholder; the id comes back.
            expected = tuple(t.replace(number, "PROJECT_NUMBER").replace(project, other) for t in live)
            assert replayed == expected
        run.close()


def test_a_project_number_named_by_the_url_is_hidden_anywhere_and_comes_back(
    emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    path = ClientPath(Client.SDK_HTTPX2, TRANSPORT, True, Auth.BEARER, is_streaming=False)
    cassette = tmp_path / "cassettes" / "project-number.json"
    with case("project number", 30, path, emulator, tmp_path, reliability_tally) as run:
        number = run.canaries.mint(Place.PROJECT_NUMBER)
        token = run.canaries.mint(Place.BEARER_HEADER)
        run.upstream.canned = [(403, _project_error(number, None)), (200, _project_answer(number, None))]

        def client(transport: Any, base_url: str | None = None) -> Any:
            made = genai.Client(
                vertexai=True,
                project=number,
                location=LOCATION,
                credentials=user_credentials.Credentials(token=token),
                http_options=genai.types.HttpOptions(
                    base_url=base_url,
                    client_args={"transport": transport},
                    async_client_args={"transport": transport},
                ),
            )
            run.clients.append(made)
            return made

        with recording(run, cassette):
            live = _ask_three_times(client(run.transport, run.upstream.url), is_sdk=True)
        assert credential_findings(cassette) == []
        replaying = replay.httpx2.ReplayTransport(Player(load_cassette(cassette), path=cassette))
        assert _ask_three_times(client(replaying), is_sdk=True) == live
        run.close()


# -- 8. a short bearer token of letters only -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "size"),
    [
        (ClientPath(Client.SDK_HTTPX2, TRANSPORT, True, Auth.BEARER), 16),
        (ClientPath(Client.GENAI_MIN, INTERCEPTED, True, Auth.BEARER), 7),
    ],
    ids=["16 letters, SDK", "7 letters, genai_min"],
)
def test_a_short_letters_only_bearer_token_is_no_placeholder(
    path: ClientPath, size: int, emulator: Emulator, tmp_path: Path, reliability_tally: Tally
) -> None:
    number = 31 if size == 16 else 32
    with case("short token", number, path, emulator, tmp_path, reliability_tally) as run:
        minted = run.canaries.mint(Place.SHORT_TOKEN)
        del run.canaries.by_value[minted]
        token = run.canaries.add(Place.SHORT_TOKEN, minted[:size])
        credentials = user_credentials.Credentials(token=token)
        clean = tmp_path / "cassettes" / "clean.json"
        with recording(run, clean):
            assert run.generate(credentials)
            assert run.stream(credentials)
        assert credential_findings(clean) == []
        run.upstream.echoes[token] = Echo.BODY
        findings = refused(run, tmp_path / "cassettes" / "echo.json", lambda run: run.generate(credentials))
    shown = "" if size >= 8 else f" (one of {size} characters, as a word)"
    assert findings == [f"a credential seen while recording{shown} in interactions[0].response.body"]


def test_every_hostile_place_has_a_case(reliability_tally: Tally) -> None:
    assert set().union(*COVERED.values()) == HOSTILE
    reliability_tally[CANARY_PLACES] += len(HOSTILE)
