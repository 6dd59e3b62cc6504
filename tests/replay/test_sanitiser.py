"""The sanitiser removes credentials and unlisted headers; the final scan refuses what slipped by."""

from __future__ import annotations

import base64
import gzip
import json
import random
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from replay import _encodings
from replay._cassette import Body, BodyKind, Cassette, Interaction, Meta, Request, Response
from replay._errors import CredentialLeakError
from replay._placeholders import Identity
from replay._sanitiser import (
    CREDENTIAL_PATTERNS,
    HeaderRule,
    JsonPathRule,
    RegexRule,
    Sanitiser,
    SecretLog,
    find_credentials,
    save_clean,
)

API_KEY = "AIza" + "C" * 35  # canary: shaped like a real key, never a real one
BEARER = "ya29.canary-access-token-0123456789"
REFRESH = "1//0canary-refresh-token-abcdefghij"
URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"
PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7canary\n-----END PRIVATE KEY-----\n"


def sdk_request(**changes: object) -> Request:
    headers = (
        ("Host", "generativelanguage.googleapis.com"),
        ("Content-Type", "application/json"),
        ("x-goog-api-key", API_KEY),
        ("Authorization", f"Bearer {BEARER}"),
        ("User-Agent", "google-genai-sdk/3.3.0 gl-python/3.11.7"),
        ("x-goog-upload-protocol", "resumable"),
        ("Cookie", "SID=canary-cookie-value"),
    )
    request = Request("POST", URL, headers, Body(BodyKind.JSON, json={"contents": []}))
    return Request(**{**request.__dict__, **changes})  # type: ignore[arg-type]


def test_headers_are_kept_by_allow_list_and_credentials_remembered() -> None:
    secrets = SecretLog()
    clean = Sanitiser().request(sdk_request(), secrets)
    assert clean.headers == (("content-type", "application/json"), ("x-goog-upload-protocol", "resumable"))
    assert {API_KEY, BEARER, "SID=canary-cookie-value"} <= secrets.values


def test_keys_and_upload_ids_in_urls_are_replaced() -> None:
    secrets = SecretLog()
    upload = "https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=ABgVH9e5912899944ce&upload_protocol=resumable"
    assert (
        Sanitiser().request(sdk_request(url=f"{URL}?key={API_KEY}&alt=sse"), secrets).url
        == f"{URL}?key=REDACTED&alt=sse"
    )
    assert (
        Sanitiser()
        .request(sdk_request(url=upload), secrets)
        .url.endswith("upload_id=REDACTED&upload_protocol=resumable")
    )
    response = Response(200, (("X-Goog-Upload-URL", upload), ("X-GUploader-UploadID", "ABgVH9e5912899944ce")))
    cleaned = Sanitiser().response(response, upload, secrets)
    assert cleaned.headers == (("x-goog-upload-url", upload.replace("ABgVH9e5912899944ce", "REDACTED")),)
    assert {API_KEY, "ABgVH9e5912899944ce"} <= secrets.values


def test_oauth_token_exchanges_are_scrubbed_both_ways() -> None:
    secrets = SecretLog()
    token_url = "https://oauth2.googleapis.com/token"
    form = (
        f"grant_type=refresh_token&refresh_token={REFRESH}&client_id=c.apps&client_secret=canary-secret-xyz"
    )
    request = Sanitiser().request(Request("POST", token_url, (), Body(BodyKind.TEXT, text=form)), secrets)
    assert REFRESH not in request.body.text and "canary-secret-xyz" not in request.body.text
    assert "grant_type=refresh_token" in request.body.text
    answer = Response(200, (), Body(BodyKind.JSON, json={"access_token": BEARER, "expires_in": 3599}))
    cleaned = Sanitiser().response(answer, token_url, secrets)
    assert cleaned.body.json == {"access_token": "REDACTED", "expires_in": 3599}
    assert {REFRESH, BEARER, "canary-secret-xyz"} <= secrets.values


def test_user_rules_compose() -> None:
    sanitiser = Sanitiser(
        (
            HeaderRule("x-request-kind"),
            JsonPathRule("contents.*.parts.0.text", "<prompt>"),
            RegexRule(r"acme-\d+", "acme-N"),
        )
    )
    body = Body(
        BodyKind.JSON, json={"contents": [{"parts": [{"text": "secret prompt acme-42"}]}], "tag": "acme-7"}
    )
    clean = sanitiser.request(sdk_request(headers=(("X-Request-Kind", "acme-9"),), body=body))
    assert clean.headers == (("x-request-kind", "acme-N"),)
    assert clean.body.json == {"contents": [{"parts": [{"text": "<prompt>"}]}], "tag": "acme-N"}


def cassette_with(request: Request, response_body: Body | None = None) -> Cassette:
    return Cassette((Interaction(request, Response(200, (), response_body or Body())),))


@pytest.mark.parametrize(
    ("request_", "where"),
    [
        (sdk_request(url=f"{URL}?key={API_KEY}"), "request.url"),
        (sdk_request(headers=(("x-debug", API_KEY),)), "request.headers"),
        (sdk_request(body=Body(BodyKind.JSON, json={"note": BEARER})), "request.body"),
    ],
)
def test_the_final_scan_finds_credential_patterns(request_: Request, where: str) -> None:
    findings = find_credentials(cassette_with(request_))
    assert any(f.where == f"interactions[0].{where}" for f in findings)


def test_the_final_scan_finds_values_seen_while_recording() -> None:
    secrets = SecretLog()
    secrets.add("plain-looking-secret-123")
    leaked = cassette_with(Request("GET", URL), Body(BodyKind.TEXT, text="echo plain-looking-secret-123"))
    assert [f.where for f in find_credentials(leaked, secrets)] == ["interactions[0].response.body"]
    assert find_credentials(leaked) == []


def test_a_leaking_cassette_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    with pytest.raises(
        CredentialLeakError, match=r"refused to write.*interactions\[0\]\.request\.url.*nothing was written"
    ) as caught:
        save_clean(cassette_with(sdk_request(url=f"{URL}?key={API_KEY}")), path)
    assert caught.value.cassette_path == path
    assert list(tmp_path.iterdir()) == []


def test_a_sanitised_recording_passes_the_scan(tmp_path: Path) -> None:
    secrets = SecretLog()
    sanitiser = Sanitiser()
    request = sanitiser.request(sdk_request(url=f"{URL}?key={API_KEY}"), secrets)
    save_clean(
        cassette_with(request, Body(BodyKind.JSON, json={"candidates": []})), tmp_path / "c.json", secrets
    )
    text = (tmp_path / "c.json").read_text()
    assert API_KEY not in text and BEARER not in text and "canary-cookie" not in text


def test_a_refresh_token_shape_inside_base64_media_is_no_finding() -> None:
    audio = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA1//0abcdefghijklmnopqrstuv"
    token = "refresh: 1//0abcdefghijklmnopqrstuvwxyz"
    assert not any(p.search(audio) for p in CREDENTIAL_PATTERNS)
    assert any(p.search(token) for p in CREDENTIAL_PATTERNS)


def test_every_credential_seen_is_remembered_whatever_its_shape_only_own_placeholders_are_not() -> None:
    log = SecretLog()
    for value in (
        "REDACTED",
        "PROJECT",
        "PROJECT_NUMBER",
        "",
        "  ",
        "<filtered>",
        "scrubbed",
        "tok-12345678",
    ):
        log.add(value)
    assert log.values == {"<filtered>", "scrubbed", "tok-12345678"}


# -- hostile input: what a reader of the file could recover -------------------------------------------

STREAM = URL.replace(":generateContent", ":streamGenerateContent?alt=sse")
VERTEX = (
    "https://us-central1-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-central1/"
    "publishers/google/models/gemini-2.0-flash-001:generateContent"
)
SHAPED = "a value shaped like"


def chunk(text: str) -> dict[str, object]:
    return {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}]}


def kinds(cassette: Cassette, secrets: SecretLog | None = None) -> list[str]:
    return [f"{f.kind} in {f.where}" for f in find_credentials(cassette, secrets)]


@pytest.mark.parametrize("token", [API_KEY, "ya29.c.b0AXv0zTPcanary-split-access-token_0123"])
def test_a_credential_split_across_stream_events_is_found_joined(token: str) -> None:
    events = (chunk("Sure. "), chunk(f"Your key: {token[:13]}"), chunk(f"{token[13:]}, keep it safe."))
    leaked = cassette_with(Request("POST", STREAM), Body(BodyKind.SSE, events=events))
    found = kinds(leaked)
    assert found and all("joined field by field" in k and k.endswith("response.body") for k in found), found
    secrets = SecretLog()
    secrets.add(token)
    assert any(k.startswith("a credential seen while recording, once joined") for k in kinds(leaked, secrets))
    # Vertex AI streams without alt=sse answer one JSON array of the same chunks.
    array = cassette_with(Request("POST", STREAM), Body(BodyKind.JSON, json=[dict(e) for e in events]))
    assert kinds(array)


def test_each_candidate_of_a_stream_is_joined_on_its_own() -> None:
    def two(first: str, second: str) -> dict[str, object]:
        parts = [{"content": {"parts": [{"text": t}]}, "index": i} for i, t in enumerate((first, second))]
        return {"candidates": parts}

    events = (two(API_KEY[:20], "other words"), two(API_KEY[20:], "more words"))
    assert kinds(cassette_with(Request("POST", STREAM), Body(BodyKind.SSE, events=events)))


def test_a_key_file_sent_as_inline_bytes_is_found_in_the_decoded_data() -> None:
    key_file = json.dumps({"type": "service_account", "private_key": PRIVATE_KEY}).encode()
    part = {"inlineData": {"mimeType": "application/json", "data": base64.b64encode(key_file).decode()}}
    body = Body(BodyKind.JSON, json={"contents": [{"role": "user", "parts": [part]}]})
    found = kinds(cassette_with(Request("POST", URL, (), body)))
    assert found == [
        f"{SHAPED} '-----BEGIN [A-Z ]*PRIVATE KEY-----', once base64-decoded in interactions[0].request.body"
    ]


@pytest.mark.parametrize(
    "field", ["data", "bytesBase64Encoded", "imageBytes", "videoBytes", "thought_signature", "note"]
)
@pytest.mark.parametrize("alphabet", [base64.b64encode, base64.urlsafe_b64encode])
def test_a_key_never_sent_but_answered_in_base64_is_found(field: str, alphabet: object) -> None:
    encode = alphabet if callable(alphabet) else base64.b64encode
    encoded = encode(b"\x00\x01config: " + API_KEY.encode() + b"\n\xff").decode().rstrip("=")
    answer = Body(BodyKind.JSON, json={"predictions": [{field: encoded, "mimeType": "image/png"}]})
    found = kinds(cassette_with(Request("POST", URL), answer))
    assert any(k.startswith(f"{SHAPED} 'AIza") and "once base64-decoded" in k for k in found), found


def test_a_key_in_base64_split_across_events_is_found_once_decoded_and_joined() -> None:
    data = base64.b64encode(b"PCM..." + API_KEY.encode() + b"...PCM")
    events = tuple(
        {"serverContent": {"modelTurn": {"parts": [{"inlineData": {"data": piece.decode()}}]}}}
        for piece in (data[:24], data[24:])
    )
    assert kinds(cassette_with(Request("POST", STREAM), Body(BodyKind.SSE, events=events)))


def test_megabytes_of_base64_media_are_no_finding() -> None:
    media = base64.b64encode(random.Random(7).randbytes(3_000_000)).decode()
    body = Body(BodyKind.JSON, json={"contents": [{"parts": [{"inlineData": {"data": media}}]}]})
    assert kinds(cassette_with(Request("POST", URL, (), body))) == []


GZIPPED = (("content-type", "application/json"), ("content-encoding", "gzip"))


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("x-gzip", gzip.compress), ("gzip", lambda d: d)],
    ids=["gzip", "deflate", "x-gzip", "gzip header on plain bytes"],
)
def test_a_compressed_request_body_is_stored_decoded(
    encoding: str, compress: Callable[[bytes], bytes]
) -> None:
    document = {"contents": [{"role": "user", "parts": [{"text": "Why is the sky blue?"}]}]}
    raw = compress(json.dumps(document).encode())
    headers = (("Content-Type", "application/json"), ("Content-Encoding", encoding))
    request = Request("POST", URL, headers, Body.from_bytes(raw, "application/json"))
    clean = Sanitiser((HeaderRule("content-encoding"),)).request(request)
    assert clean.body == Body(BodyKind.JSON, json=document)
    assert clean.headers == (("content-type", "application/json"),)
    assert Sanitiser().matching(request).body == clean.body  # so the same compressed request matches it


def test_a_compressed_answer_is_stored_decoded_and_a_compressed_token_exchange_scrubbed() -> None:
    form = f"grant_type=refresh_token&refresh_token={REFRESH}&client_secret=canary-secret-xyz"
    headers = (("content-type", "application/x-www-form-urlencoded"), ("content-encoding", "gzip"))
    secrets = SecretLog()
    token_url = "https://oauth2.googleapis.com/token"
    request = Request(
        "POST", token_url, headers, Body.from_bytes(gzip.compress(form.encode()), headers[0][1])
    )
    clean = Sanitiser().request(request, secrets)
    assert clean.body.data == b"grant_type=refresh_token&refresh_token=REDACTED&client_secret=REDACTED"
    assert {REFRESH, "canary-secret-xyz"} <= secrets.values
    answer = Response(200, GZIPPED, Body.from_bytes(gzip.compress(b'{"candidates": []}'), "application/json"))
    assert Sanitiser().response(answer, URL).body == Body(BodyKind.JSON, json={"candidates": []})


def test_a_key_in_a_compressed_body_stored_as_bytes_is_found() -> None:
    raw = gzip.compress(json.dumps({"contents": [{"parts": [{"text": f"key {API_KEY}"}]}]}).encode())
    leaked = cassette_with(Request("POST", URL, (), Body(BodyKind.BYTES, data=raw)))
    assert kinds(leaked) == [
        f"{SHAPED} 'AIza[0-9A-Za-z_\\\\-]{{35}}', once decompressed in interactions[0].request.body"
    ]


def test_a_brotli_body_is_refused_without_a_decoder_and_decoded_with_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    compressed = b"\x8b\x03\x80" + b"not really brotli, but no reader could tell without one"
    headers = (("content-type", "application/json"), ("content-encoding", "br"))
    answer = Response(200, headers, Body.from_bytes(compressed, "application/json"))
    monkeypatch.setattr(_encodings, "_brotli", lambda: None)
    clean = Sanitiser().response(answer, URL)
    assert clean.headers == (("content-type", "application/json"), ("content-encoding", "br"))
    refused = Cassette((Interaction(Request("POST", URL), clean),))
    with pytest.raises(CredentialLeakError, match=r"content-encoding 'br'.*install the brotli package"):
        save_clean(refused, tmp_path / "c.json")
    assert list(tmp_path.iterdir()) == []
    assert kinds(refused) == [
        "what the scan cannot read: a body in content-encoding 'br', which cannot be decoded here to be "
        "scanned: install the brotli "
        "package (pip install brotli), or have it sent uncompressed in interactions[0].response.body"
    ]

    monkeypatch.setattr(_encodings, "_brotli", lambda: {compressed: b'{"candidates": []}'}.__getitem__)
    decoded = Sanitiser().response(answer, URL)
    assert decoded.body == Body(BodyKind.JSON, json={"candidates": []})
    assert decoded.headers == (("content-type", "application/json"),)


def test_a_password_in_a_url_is_removed_and_remembered() -> None:
    secrets = SecretLog()
    with_password = URL.replace("https://", "https://alice:pa%24%24word-2@")
    redirect = Response(302, (("Location", "http://bob:hunter2@files.example.com/x?alt=media"),))
    clean = Sanitiser().request(sdk_request(url=with_password), secrets)
    assert clean.url == URL
    assert Sanitiser().matching(sdk_request(url=with_password)).url == URL
    assert Sanitiser().response(redirect, URL, secrets).headers == (
        ("location", "http://files.example.com/x?alt=media"),
    )
    token_only = Sanitiser().request(sdk_request(url=URL.replace("https://", "https://tok3n@")), secrets)
    assert token_only.url == URL
    assert {"pa$$word-2", "hunter2", "tok3n"} <= secrets.values
    assert "alice" not in secrets.values


def test_a_basic_authorization_password_is_remembered() -> None:
    secrets = SecretLog()
    basic = base64.b64encode(b"user:short1").decode()
    Sanitiser().request(sdk_request(headers=(("Authorization", f"Basic {basic}"),)), secrets)
    assert {basic, "short1"} <= secrets.values


def test_user_info_left_in_a_stored_url_is_found() -> None:
    leaked = cassette_with(Request("GET", URL.replace("https://", "https://user:opaque@")))
    assert kinds(leaked) == ["user-info (a user name or password) in a URL in interactions[0].request.url"]


def test_a_short_letters_only_bearer_token_seen_is_a_secret() -> None:
    secrets = SecretLog()
    Sanitiser().request(sdk_request(headers=(("Authorization", "Bearer QuietTokenOnly"),)), secrets)
    assert "QuietTokenOnly" in secrets.values
    echoed = cassette_with(Request("POST", URL), Body(BodyKind.JSON, json={"responseId": "QuietTokenOnly"}))
    assert kinds(echoed, secrets) == ["a credential seen while recording in interactions[0].response.body"]


@pytest.mark.parametrize(
    ("text", "is_found"),
    [("the key is k7Q, really", True), ("k7Q", True), ("ak7Qz", False), ("a%20k7Q%20", True)],
)
def test_a_very_short_credential_is_found_as_a_word_of_its_own(text: str, is_found: bool) -> None:
    secrets = SecretLog()
    secrets.add("k7Q")
    found = kinds(cassette_with(Request("POST", URL), Body(BodyKind.TEXT, text=text)), secrets)
    assert bool(found) is is_found
    noise = Body(BodyKind.BYTES, data=b"\x00k7Q\x00" + bytes(range(256)))  # in random bytes it is chance
    assert kinds(cassette_with(Request("POST", URL), noise), secrets) == []


def test_the_method_and_meta_are_scanned_too() -> None:
    leaked = Cassette(
        (Interaction(Request(f"POST {API_KEY}", URL), Response(200)),),
        Meta(client=f"tool {BEARER}"),
    )
    assert [f.where for f in find_credentials(leaked)] == ["interactions[0].request.method", "meta"]


def test_a_key_across_two_pieces_of_one_upload_is_found() -> None:
    upload = "https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=REDACTED"
    data = random.Random(3).randbytes(30_000) + API_KEY.encode() + random.Random(4).randbytes(30_000)
    cut = 30_000 + 20

    def piece(offset: int, content: bytes) -> Interaction:
        headers = (("x-goog-upload-command", "upload"), ("x-goog-upload-offset", str(offset)))
        return Interaction(
            Request("POST", upload, headers, Body(BodyKind.BYTES, data=content)), Response(200)
        )

    leaked = Cassette((piece(0, data[:cut]), piece(cut, data[cut:])))
    assert [f.where for f in find_credentials(leaked)] == ["interactions[1].request.body"]


# -- project ids and numbers -------------------------------------------------------------------------

NUMBER = "123456789012"


@pytest.mark.parametrize(
    "text",
    [
        f"Vertex AI API has not been used in project {NUMBER} before or it is disabled.",
        f"Enable it by visiting https://console.developers.google.com/apis/api/aiplatform.googleapis.com/overview?project={NUMBER}",
        f"Quota exceeded for quota metric 'Requests' for consumer 'project_number:{NUMBER}'.",
        f"service-{NUMBER}@gcp-sa-aiplatform.iam.gserviceaccount.com does not have storage.objects.get access",
        f"{NUMBER}-compute@developer.gserviceaccount.com",
        f"Project #{NUMBER} is not found",
        f"projects/{NUMBER}/locations/us-central1/endpoints/5",
    ],
)
def test_a_project_number_is_hidden_in_each_of_its_shapes_even_unseen(text: str) -> None:
    answer = Response(403, (), Body(BodyKind.JSON, json={"error": {"message": text}}))
    hidden = Sanitiser().response(answer, URL)  # a Gemini API call: no project in its URL
    assert NUMBER not in json.dumps(hidden.body.json)
    assert "PROJECT_NUMBER" in json.dumps(hidden.body.json)
    by_number = Identity.of(VERTEX.replace("acme-prod", NUMBER))
    assert by_number.reveal(str(hidden.body.json)) == str(answer.body.json)  # given back where known


def test_error_details_name_the_project_number_in_fields() -> None:
    detail = {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED",
              "metadata": {"containerInfo": NUMBER, "consumer": f"projects/{NUMBER}", "service": "x"}}  # fmt: skip
    answer = Response(403, (), Body(BodyKind.JSON, json={"error": {"code": 403, "details": [detail]}}))
    metadata = Sanitiser().response(answer, VERTEX).body.json["error"]["details"][0]["metadata"]  # type: ignore[call-overload, index]
    assert metadata == {
        "containerInfo": "PROJECT_NUMBER",
        "consumer": "projects/PROJECT_NUMBER",
        "service": "x",
    }


def test_a_project_id_shorter_than_google_allows_is_hidden_only_as_a_word() -> None:
    # A test's fake project "p" must not eat the letter out of every URL and text.
    url = "https://aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/m"
    identity = Identity.of(url)
    assert identity.hide(url) == url.replace("projects/p/", "projects/PROJECT/").replace(
        "us-central1", "LOCATION"
    )
    assert identity.hide("a pretty picture of p") == "a pretty picture of PROJECT"


def test_numbers_that_are_no_project_number_are_kept() -> None:
    texts = ["my-project-123456 is fine", "totalTokenCount 1234567", "projects/my-proj-1234567/x"]
    for text in texts:
        assert Identity().hide(text) == text


def test_the_recordings_own_project_id_and_number_are_hidden_anywhere_and_come_back() -> None:
    identity = Identity.of(VERTEX)
    text = "gs://acme-prod-bucket/in.jsonl, bq://acme-prod.dataset.t, acme-production, my acme-prod"
    hidden = identity.hide(text)
    assert "acme-prod" not in hidden
    assert hidden == "gs://PROJECT-bucket/in.jsonl, bq://PROJECT.dataset.t, PROJECTuction, my PROJECT"
    assert identity.reveal(hidden) == text
    assert (
        Identity.of(VERTEX.replace("acme-prod", "other-proj"))
        .reveal(hidden)
        .startswith("gs://other-proj-bucket")
    )
    numbered = Identity.of(VERTEX.replace("acme-prod", NUMBER))
    assert (
        numbered.hide(f"gs://{NUMBER}-logs, {NUMBER}9, a{NUMBER}")
        == "gs://PROJECT_NUMBER-logs, 1234567890129, aPROJECT_NUMBER"
    )
    assert numbered.reveal(numbered.hide(f"gs://{NUMBER}-logs a{NUMBER}")) == f"gs://{NUMBER}-logs a{NUMBER}"
    assert identity.hide(hidden) == hidden  # idempotent


def test_an_answer_hides_the_projects_the_recordings_other_requests_named() -> None:
    secrets = SecretLog()
    Sanitiser().request(Request("POST", VERTEX.replace("acme-prod", NUMBER)), secrets)
    Sanitiser().request(Request("POST", VERTEX), secrets)
    answer = Response(200, (), Body(BodyKind.TEXT, text=f"acme-prod-bucket and gs://{NUMBER}-logs"))
    hidden = Sanitiser().response(answer, URL, secrets)  # a Gemini API call, in the same recording
    assert hidden.body.text == "PROJECT-bucket and gs://PROJECT_NUMBER-logs"
    # A request is hidden only with what its own URL says: the replaying side knows no more.
    request = Request("POST", URL, (), Body(BodyKind.TEXT, text="acme-prod-bucket"))
    assert Sanitiser().request(request, secrets).body == Sanitiser().matching(request).body
