"""The sanitiser's side of the canary suite: what the recordings cannot show on their own.

A rule that keeps a credential header, a query key in another case, a token endpoint the sanitiser
must know (or must not mistake), and a text that merely mentions a grant: each is checked here on
plain values, with canaries of the shapes `tests/reliability/_canary.py` makes.
"""

from __future__ import annotations

import base64

import pytest

from replay._cassette import Body, BodyKind, Cassette, Interaction, Request, Response
from replay._sanitiser import HeaderRule, Sanitiser, SecretLog, find_credentials, is_token_exchange

from ._canary import Canaries, Place

URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"
canaries = Canaries("sanitiser", 98)


def test_a_rule_that_keeps_a_credential_header_keeps_only_a_placeholder() -> None:
    token = canaries.mint(Place.BEARER_HEADER)
    secrets = SecretLog()
    rules = (HeaderRule("Authorization"), HeaderRule("x-goog-api-key"))
    request = Request(
        "POST", URL, (("Authorization", f"Bearer {token}"), ("x-goog-api-key", "opaque-123456"))
    )
    clean = Sanitiser(rules).request(request, secrets)
    assert clean.headers == (("authorization", "REDACTED"), ("x-goog-api-key", "REDACTED"))
    assert {token, "opaque-123456"} <= secrets.values


@pytest.mark.parametrize("name", ["key", "KEY", "Key", "access_token", "upload_id", "X-Goog-Signature"])
def test_secret_query_keys_are_redacted_in_any_case(name: str) -> None:
    secrets = SecretLog()
    clean = Sanitiser().request(Request("GET", f"{URL}?alt=sse&{name}=opaque-value-1234"), secrets)
    assert clean.url == f"{URL}?alt=sse&{name}=REDACTED"
    assert secrets.values == {"opaque-value-1234"}


@pytest.mark.parametrize(
    ("url", "is_exchange"),
    [
        ("https://oauth2.googleapis.com/token", True),
        ("https://sts.googleapis.com/v1/token", True),
        ("http://127.0.0.1:8123/token", True),
        ("https://proxy.example.com/oauth2/v4/token", True),
        ("https://generativelanguage.googleapis.com/v1beta/files/token", False),
        (f"{URL.removesuffix(':generateContent')}:countTokens", False),
        ("https://generativelanguage.googleapis.com/v1beta/models?next=https://oauth2.googleapis.com", False),
    ],
)
def test_token_endpoints_are_known_by_host_or_path(url: str, is_exchange: bool) -> None:
    assert is_token_exchange(url) is is_exchange


def test_a_token_exchange_at_an_unknown_url_is_known_by_its_shape() -> None:
    refresh, secret = canaries.mint(Place.REFRESH_TOKEN), canaries.mint(Place.CLIENT_SECRET)
    form = f"grant_type=refresh_token&refresh_token={refresh.replace('/', '%2F')}&client_secret={secret}"
    secrets = SecretLog()
    exchange = "https://login.example.com/exchange"
    request = Request("POST", exchange, (), Body(BodyKind.BYTES, data=form.encode()))
    clean = Sanitiser().request(request, secrets)
    assert clean.body.data == b"grant_type=refresh_token&refresh_token=REDACTED&client_secret=REDACTED"
    assert Sanitiser().matching(request).body == clean.body  # so a recorded exchange is matched again
    access = canaries.mint(Place.ACCESS_TOKEN)
    answer = Response(200, (), Body(BodyKind.JSON, json={"access_token": access, "expires_in": 3599}))
    assert Sanitiser().response(answer, exchange, secrets).body.json == {
        "access_token": "REDACTED",
        "expires_in": 3599,
    }
    assert {refresh, secret, access} <= secrets.values


def test_a_text_that_mentions_a_grant_is_no_token_exchange() -> None:
    notes = Body(BodyKind.TEXT, text="To refresh, POST grant_type=refresh_token&refresh_token=... to /token.")
    request = Request("POST", "https://generativelanguage.googleapis.com/upload/v1beta/files", (), notes)
    assert Sanitiser().request(request).body == notes


def test_a_known_secret_is_found_url_encoded_and_in_base64() -> None:
    refresh = canaries.mint(Place.REFRESH_TOKEN)
    secrets = SecretLog()
    secrets.add(refresh)
    media = base64.b64encode(b"\x89PNG\r\n\x1a\n" + refresh.encode() + b"\0").decode()
    leaked = Cassette(
        (
            Interaction(
                Request("POST", URL, (), Body(BodyKind.JSON, json={"state": refresh.replace("/", "%2F")})),
                Response(200, (), Body(BodyKind.JSON, json={"inlineData": {"data": media}})),
            ),
        )
    )
    found = {(f.where, f.kind) for f in find_credentials(leaked, secrets)}
    seen = "a credential seen while recording"
    assert {("interactions[0].request.body", seen), ("interactions[0].response.body", seen)} <= found
