"""The wire protocol as the service speaks it: URLs, auth, errors, bodies, streams, uploads, pages."""

from __future__ import annotations

import base64
import json
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from replay.emulator import Emulator, canonical_url, service_account_info

GENERATE = "/v1beta/models/gemini-2.0-flash-001:generateContent"
VERTEX_GENERATE = (
    "/v1beta1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash-001:generateContent"
)
KEY = {"x-goog-api-key": "k"}
HELLO = {"contents": [{"role": "user", "parts": [{"text": "Hello"}]}]}


@pytest.fixture
def http(emulator: Emulator) -> Iterator[httpx.Client]:
    """Return a plain httpx client for the emulator."""
    with httpx.Client(base_url=emulator.url) as client:
        yield client


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]  # type: ignore[no-any-return]


# -- URLs and versions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/v1/models/gemini-2.0-flash-001:generateContent",
        GENERATE,
        "/v1alpha/models/gemini-2.0-flash-001:generateContent",
        VERTEX_GENERATE,
        VERTEX_GENERATE.replace("v1beta1", "v1"),
        "/v1beta1/projects/p/locations/global/publishers/google/models/gemini-2.0-flash-001:generateContent",
        "/v1beta1/publishers/google/models/gemini-2.0-flash-001:generateContent",  # express mode
    ],
)
def test_every_version_and_url_scheme_is_served(http: httpx.Client, path: str) -> None:
    response = http.post(path, headers=KEY, json=HELLO)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    assert ("createTime" in response.json()) == ("publishers" in path)


def test_a_version_of_the_other_backend_is_404(http: httpx.Client) -> None:
    assert http.post(GENERATE.replace("v1beta", "v1beta1"), headers=KEY, json=HELLO).status_code == 404


def test_same_request_same_answer(http: httpx.Client) -> None:
    first, second = (http.post(GENERATE, headers=KEY, json=HELLO).json() for _ in range(2))
    assert first == second


def test_snake_case_keys_and_both_base64_alphabets_are_read(http: httpx.Client) -> None:
    data = bytes([0xFB, 0xFF, 0xBF, 0xFE, 0x00])
    urlsafe = base64.urlsafe_b64encode(data).decode()
    standard = base64.b64encode(data).decode().rstrip("=")
    assert "-" in urlsafe and "+" in standard
    answers = []
    for encoded, key in ((urlsafe, "mime_type"), (standard, "mimeType")):
        body = {
            "contents": [{"role": "user", "parts": [{"inline_data": {"data": encoded, key: "image/png"}}]}]
        }
        response = http.post(GENERATE, headers=KEY, json=body)
        assert response.status_code == 200, response.text
        answers.append(response.json()["usageMetadata"]["promptTokenCount"])
    assert answers == [258, 258]


def test_snake_case_schema_keys_keep_property_names(http: httpx.Client) -> None:
    schema = {
        "type": "OBJECT",
        "properties": {"official_language": {"type": "STRING"}},
        "property_ordering": ["official_language"],
    }
    config = {"response_mime_type": "application/json", "response_schema": schema}
    response = http.post(GENERATE, headers=KEY, json={**HELLO, "generation_config": config})
    assert list(json.loads(response.json()["candidates"][0]["content"]["parts"][0]["text"])) == [
        "official_language"
    ]


# -- auth ---------------------------------------------------------------------------------------------


def test_missing_credentials(http: httpx.Client) -> None:
    gemini = http.post(GENERATE, json=HELLO)
    assert gemini.status_code == 403 and error_of(gemini)["status"] == "PERMISSION_DENIED"
    vertex = http.post(VERTEX_GENERATE, json=HELLO)
    assert vertex.status_code == 401 and error_of(vertex)["details"][0]["reason"] == "CREDENTIALS_MISSING"


def test_strict_key_by_header_or_query() -> None:
    with Emulator(api_key="right") as strict, httpx.Client(base_url=strict.url) as http:
        assert http.post(GENERATE, params={"key": "right"}, json=HELLO).status_code == 200
        assert http.post(GENERATE, headers={"x-goog-api-key": "right"}, json=HELLO).status_code == 200
        wrong = http.post(GENERATE, params={"key": "wrong"}, json=HELLO)
        assert wrong.status_code == 400
        assert error_of(wrong)["message"] == "API key not valid. Please pass a valid API key."
        foreign = http.post(VERTEX_GENERATE, headers={"authorization": "Bearer not-issued"}, json=HELLO)
        assert foreign.status_code == 401 and error_of(foreign)["status"] == "UNAUTHENTICATED"


def test_token_endpoint_checks_the_jwt_signature(emulator: Emulator, http: httpx.Client) -> None:
    from google.auth import crypt, jwt

    info = service_account_info(emulator)
    signer = crypt.RSASigner.from_service_account_info(info)  # type: ignore[no-untyped-call]
    claims = {"iss": info["client_email"], "aud": info["token_uri"], "iat": 0, "exp": 3600, "scope": "x"}
    assertion = jwt.encode(signer, claims).decode()  # type: ignore[no-untyped-call]
    grant = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer"}
    issued = http.post("/token", data={**grant, "assertion": assertion})
    assert issued.status_code == 200
    assert set(issued.json()) == {"access_token", "expires_in", "token_type"}
    head, payload, _ = assertion.split(".")
    forged = http.post(
        "/token",
        data={**grant, "assertion": f"{head}.{payload}.{base64.urlsafe_b64encode(b'x' * 256).decode()}"},
    )
    assert forged.status_code == 400 and forged.json()["error"] == "invalid_grant"
    assert emulator.authority.is_issued(issued.json()["access_token"])


# -- errors -------------------------------------------------------------------------------------------


def test_invalid_json(http: httpx.Client) -> None:
    response = http.post(GENERATE, headers={**KEY, "content-type": "application/json"}, content=b"{not json")
    assert response.status_code == 400
    assert error_of(response)["message"].startswith("Invalid JSON payload received.")


def test_unknown_field(http: httpx.Client) -> None:
    body = {"contents": [{"role": "user", "parts": [{"text": "Hi", "bogus": 1}]}]}
    error = error_of(http.post(GENERATE, headers=KEY, json=body))
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert (
        error["message"]
        == "Invalid JSON payload received. Unknown name \"bogus\" at 'contents[0].parts[0]': Cannot find field."
    )
    assert error["details"][0]["fieldViolations"][0]["field"] == "contents[0].parts[0]"


def test_without_the_schemas_module_top_level_fields_are_still_checked(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "replay._schemas", None)  # importing it now fails
    assert http.post(GENERATE, headers=KEY, json={**HELLO, "bogus": 1}).status_code == 400
    assert (
        http.post(
            GENERATE, headers=KEY, json={**HELLO, "system_instruction": HELLO["contents"][0]}
        ).status_code
        == 200
    )


def test_bad_enum_value(http: httpx.Client) -> None:
    body = {**HELLO, "safetySettings": [{"category": "HARM_CATEGORY_NOPE", "threshold": "BLOCK_NONE"}]}
    error = error_of(http.post(GENERATE, headers=KEY, json=body))
    assert error["code"] == 400 and "safety_settings[0].category" in error["message"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "contents is not specified"),
        ({"contents": [{"role": "user", "parts": []}]}, "must not be empty"),
        ({**HELLO, "generationConfig": {"temperature": 3}}, "out of range"),
        ({**HELLO, "generationConfig": {"responseMimeType": "text/csv"}}, "allowed mimetypes"),
    ],
)
def test_missing_or_invalid_values(http: httpx.Client, body: dict[str, Any], words: str) -> None:
    response = http.post(GENERATE, headers=KEY, json=body)
    assert response.status_code == 400 and words in error_of(response)["message"]


def test_method_a_family_does_not_serve_is_404(http: httpx.Client) -> None:
    response = http.post("/v1beta/models/imagen-3.0-generate-002:generateContent", headers=KEY, json=HELLO)
    assert (
        response.status_code == 404 and "not supported for generateContent" in error_of(response)["message"]
    )


def test_invalid_page_token(http: httpx.Client) -> None:
    response = http.get("/v1beta/models", headers=KEY, params={"pageToken": "%%%"})
    assert response.status_code == 400


# -- streams ------------------------------------------------------------------------------------------


def test_sse_framing(http: httpx.Client) -> None:
    path = GENERATE.replace(":generateContent", ":streamGenerateContent")
    response = http.post(path, headers=KEY, params={"alt": "sse"}, json=HELLO)
    assert response.headers["content-type"] == "text/event-stream"
    events = response.content.split(b"\r\n\r\n")
    assert events[-1] == b"" and len(events) == 4
    chunks = [json.loads(e.removeprefix(b"data: ")) for e in events[:-1]]
    assert all(e.startswith(b"data: {") and b"\n" not in e for e in events[:-1])
    assert "finishReason" in chunks[-1]["candidates"][0] and "finishReason" not in chunks[0]["candidates"][0]
    assert all(c["responseId"] == chunks[0]["responseId"] for c in chunks)


def test_vertex_stream_chunks(http: httpx.Client) -> None:
    path = VERTEX_GENERATE.replace(":generateContent", ":streamGenerateContent")
    response = http.post(path, headers=KEY, params={"alt": "sse"}, json=HELLO)
    chunks = [json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ")]
    assert [c["usageMetadata"] for c in chunks[:-1]] == [{"trafficType": "ON_DEMAND"}] * (len(chunks) - 1)
    assert chunks[-1]["usageMetadata"]["totalTokenCount"] > 0


def test_stream_without_sse_is_one_json_array(http: httpx.Client) -> None:
    path = GENERATE.replace(":generateContent", ":streamGenerateContent")
    chunks = http.post(path, headers=KEY, json=HELLO).json()
    assert isinstance(chunks, list) and len(chunks) == 3


# -- upload protocol ----------------------------------------------------------------------------------


def start_upload(http: httpx.Client, size: int) -> str:
    headers = {
        **KEY,
        "x-goog-upload-protocol": "resumable",
        "x-goog-upload-command": "start",
        "x-goog-upload-header-content-length": str(size),
        "x-goog-upload-header-content-type": "text/plain",
    }
    response = http.post("/upload/v1beta/files", headers=headers, json={"file": {"display_name": "notes"}})
    assert response.status_code == 200 and response.headers["x-goog-upload-status"] == "active"
    assert response.headers["x-goog-upload-chunk-granularity"] == "1024"
    return response.headers["x-goog-upload-url"]


def test_upload_url_points_at_the_emulator(emulator: Emulator, http: httpx.Client) -> None:
    url = start_upload(http, 5)
    assert url.startswith(f"{emulator.url}/upload/v1beta/files?upload_id=")
    final = http.post(
        url,
        headers={"x-goog-upload-command": "upload, finalize", "x-goog-upload-offset": "0"},
        content=b"hello",
    )
    assert final.headers["x-goog-upload-status"] == "final"
    assert final.json()["file"]["displayName"] == "notes"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        (
            "generativelanguage.googleapis.com",
            "https://generativelanguage.googleapis.com/upload/v1beta/files?",
        ),
        ("example.com", "{emulator}/upload/v1beta/files?"),
    ],
)
def test_a_request_relayed_for_a_google_host_is_answered_on_that_host(
    emulator: Emulator, host: str, expected: str
) -> None:
    # The replay session relays requests for Google's hosts here with their own Host header.
    with httpx.Client(base_url=emulator.url, headers={"host": host}) as relayed:
        url = start_upload(relayed, 5)
    assert url.startswith(expected.format(emulator=emulator.url))


def test_upload_offsets_and_granularity_are_checked(http: httpx.Client) -> None:
    url = start_upload(http, 2048)
    upload = {"x-goog-upload-command": "upload"}
    assert (
        http.post(url, headers={**upload, "x-goog-upload-offset": "0"}, content=b"x" * 1000).status_code
        == 400
    )
    assert (
        http.post(url, headers={**upload, "x-goog-upload-offset": "0"}, content=b"x" * 1024).status_code
        == 200
    )
    assert (
        http.post(url, headers={**upload, "x-goog-upload-offset": "0"}, content=b"x" * 1024).status_code
        == 400
    )
    query = http.post(url, headers={"x-goog-upload-command": "query"})
    assert query.headers["x-goog-upload-size-received"] == "1024"
    short = http.post(
        url,
        headers={"x-goog-upload-command": "upload, finalize", "x-goog-upload-offset": "1024"},
        content=b"x",
    )
    assert short.status_code == 400


def test_generated_files_are_downloaded_through_a_redirect(emulator: Emulator, http: httpx.Client) -> None:
    url = start_upload(http, 5)
    name = http.post(
        url,
        headers={"x-goog-upload-command": "upload, finalize", "x-goog-upload-offset": "0"},
        content=b"hello",
    ).json()["file"]["name"]
    redirect = http.get(f"/v1beta/{name}:download", headers=KEY, params={"alt": "media"})
    assert redirect.status_code == 302
    assert redirect.headers["location"] == f"{emulator.url}/download/v1beta/{name}:download?alt=media"
    assert http.get(redirect.headers["location"]).content == b"hello"


# -- pages, state, life cycle ---------------------------------------------------------------------------


def test_pages_cover_the_list_once(http: httpx.Client) -> None:
    names, token = [], None
    while True:
        page = http.get(
            "/v1beta/models", headers=KEY, params={"pageSize": 5, **({"pageToken": token} if token else {})}
        ).json()
        names += [m["name"] for m in page["models"]]
        token = page.get("nextPageToken")
        if not token:
            break
    assert len(names) == len(set(names)) == 16


def test_ids_are_the_same_in_every_emulator() -> None:
    names = []
    for _ in range(2):
        with Emulator() as emulator:
            body = {"model": "models/gemini-2.0-flash-001", "contents": HELLO["contents"]}
            answer = httpx.post(f"{emulator.url}/v1beta/cachedContents", headers=KEY, json=body).json()
            names.append((answer["name"], answer["createTime"]))
    assert names[0] == names[1]


def test_reset_forgets_everything(emulator: Emulator, http: httpx.Client) -> None:
    body = {"model": "models/gemini-2.0-flash-001", "contents": HELLO["contents"]}
    name = http.post("/v1beta/cachedContents", headers=KEY, json=body).json()["name"]
    emulator.reset()
    assert emulator.requests == []
    assert http.get(f"/v1beta/{name}", headers=KEY).status_code == 403
    assert http.post("/v1beta/cachedContents", headers=KEY, json=body).json()["name"] == name


def test_stop_is_fast_and_frees_the_port() -> None:
    emulator = Emulator().start()
    port = emulator.port
    try:
        with httpx.Client() as client:  # keeps its connection alive across the stop
            assert client.get(f"{emulator.url}/v1beta/models", headers=KEY).status_code == 200
            started = time.perf_counter()
            emulator.stop()
            assert time.perf_counter() - started < 1
    finally:
        emulator.stop()
    with Emulator(port=port) as again:  # the port is free for the next one
        assert again.port == port
    with pytest.raises(RuntimeError, match="not running"):
        _ = emulator.url


# -- canonical URLs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "host"),
    [
        ("/v1beta/models/m:generateContent", "https://generativelanguage.googleapis.com"),
        ("/upload/v1beta/files?upload_id=x", "https://generativelanguage.googleapis.com"),
        (
            "/v1beta1/projects/p/locations/us-central1/cachedContents",
            "https://us-central1-aiplatform.googleapis.com",
        ),
        (
            "/v1/projects/p/locations/global/publishers/google/models/m:predict",
            "https://aiplatform.googleapis.com",
        ),
        ("/v1beta1/projects/p/locations/eu/batchPredictionJobs", "https://aiplatform.eu.rep.googleapis.com"),
        ("/v1beta1/publishers/google/models/m:generateContent", "https://aiplatform.googleapis.com"),
        ("/token", "https://oauth2.googleapis.com"),
    ],
)
def test_canonical_url(path: str, host: str) -> None:
    base = "http://127.0.0.1:8123"
    assert canonical_url(base + path, base) == host + path


def test_canonical_url_rewrites_inside_text_only_the_emulator() -> None:
    base = "http://127.0.0.1:8123"
    text = json.dumps({"a": f"{base}/v1beta/files/x", "b": "http://127.0.0.1:81234/v1beta/files/x"})
    rewritten = json.loads(canonical_url(text, base + "/"))
    assert rewritten == {
        "a": "https://generativelanguage.googleapis.com/v1beta/files/x",
        "b": "http://127.0.0.1:81234/v1beta/files/x",
    }
