"""The sanitiser removes credentials and unlisted headers; the final scan refuses what slipped by."""

from __future__ import annotations

from pathlib import Path

import pytest

from replay._cassette import Body, BodyKind, Cassette, Interaction, Request, Response
from replay._errors import CredentialLeakError
from replay._sanitiser import (
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
    from replay._sanitiser import CREDENTIAL_PATTERNS

    audio = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA1//0abcdefghijklmnopqrstuv"
    token = "refresh: 1//0abcdefghijklmnopqrstuvwxyz"
    assert not any(p.search(audio) for p in CREDENTIAL_PATTERNS)
    assert any(p.search(token) for p in CREDENTIAL_PATTERNS)


def test_placeholders_are_not_logged_as_credentials() -> None:
    from replay._sanitiser import SecretLog

    log = SecretLog()
    for value in ("REDACTED", "<filtered>", "scrubbed", "AIzaSyLettersOnlyKeyAbcdefghijklmnopqrstu", "tok-12345678"):
        log.add(value)
    assert log.values == {"AIzaSyLettersOnlyKeyAbcdefghijklmnopqrstu", "tok-12345678"}
