"""What the session leaves alone (ignored hosts, requests a hook returns None for), and what its hooks shape."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from replay import (
    Body,
    BodyKind,
    Cassette,
    ConfigError,
    Interaction,
    Meta,
    NetworkBlockedError,
    NoMatchError,
    Request,
    Response,
    save_cassette,
)
from replay._config import Config, Mode
from replay._guards import blocking_network
from replay._httpx import SessionTransport
from replay._relay import Relay
from replay._session import Send, Session

GEMINI = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"


def json_body(value: dict) -> Body:
    return Body(BodyKind.JSON, json=value)


def session_over(tmp_path: Path, *interactions: Interaction, **settings: object) -> Session:
    path = tmp_path / "c.json"
    if interactions:
        save_cassette(Cassette(interactions, Meta()), path)
    return Session.for_cassette(path, Config(**settings))  # type: ignore[arg-type]


def ask(session: Session, method: str, url: str, content: bytes = b"") -> Response | Send:
    return session.enter(method, url, [("content-type", "application/json")], content)


@pytest.mark.parametrize(
    "url",
    ["http://localhost/x", "http://LOCALHOST:80/", "http://localhost./", "http://127.3.4.5/",
     "http://[::1]:8080/", "http://0.0.0.0:8000/"],
)  # fmt: skip
def test_ignore_localhost_leaves_this_machine_alone(tmp_path: Path, url: str) -> None:
    decision = ask(session_over(tmp_path, ignore_localhost=True), "GET", url)
    assert isinstance(decision, Send) and decision.left_alone_by == "ignore_localhost"
    assert decision.pending is None


@pytest.mark.parametrize("url", ["http://127.0.0.1.example.com/", "http://[::2]/", GEMINI])
def test_ignore_localhost_leaves_other_hosts_to_the_cassette(tmp_path: Path, url: str) -> None:
    with pytest.raises(NoMatchError):
        ask(session_over(tmp_path, ignore_localhost=True), "GET", url)


def test_ignored_hosts_are_compared_by_host_name_in_any_case(tmp_path: Path) -> None:
    session = session_over(tmp_path, ignore_hosts=("example.com",))
    decision = ask(session, "GET", "https://EXAMPLE.com:8443/a?key=secret")
    assert isinstance(decision, Send) and decision.left_alone_by == "ignore_hosts"
    with pytest.raises(NoMatchError):
        ask(session, "GET", "https://api.example.com/a")


def test_the_emulators_address_is_mapped_back_before_hosts_are_left_alone(tmp_path: Path) -> None:
    emulator = "http://127.0.0.1:8123"
    config = Config(mode=Mode.ALL, ignore_localhost=True, ignore_hosts=("127.0.0.1",))
    session = Session.for_cassette(tmp_path / "c.json", config, relay=Relay(emulator))

    meant_for_google = ask(session, "POST", emulator + GEMINI.split(".com", 1)[1], b'{"contents": []}')
    test_server = ask(session, "GET", "http://127.0.0.1:9999/health")

    assert isinstance(meant_for_google, Send) and not meant_for_google.is_left_alone
    assert meant_for_google.pending is not None and meant_for_google.pending.request.url == GEMINI
    assert isinstance(test_server, Send) and test_server.left_alone_by == "ignore_hosts"


def test_requests_left_alone_are_not_listed_and_record_nothing(tmp_path: Path) -> None:
    session = session_over(tmp_path, mode=Mode.ALL, ignore_localhost=True)
    decision = ask(session, "POST", "http://localhost:8080/jobs", b'{"n": 1}')
    assert isinstance(decision, Send) and decision.is_left_alone

    session.received(decision, Response(200, (("user-agent", "local/1"),), json_body({"ok": True})))

    assert session.requests == []
    assert session.close().recorded == 0
    assert not (tmp_path / "c.json").exists()


def test_a_request_hook_is_applied_before_the_byte_exact_path(tmp_path: Path) -> None:
    recorded_a = Interaction(
        Request("POST", GEMINI, (), json_body({"a": 1})), Response(200, (), json_body({"is": "a"}))
    )
    recorded_b = Interaction(
        Request("POST", GEMINI, (), json_body({"b": 1})), Response(200, (), json_body({"is": "b"}))
    )
    sent = recorded_a.request.body.wire  # exactly what the byte-exact path would answer with `a`

    def to_b(request: Request) -> Request:
        return replace(request, body=json_body({"b": 1}))

    answer = ask(
        session_over(tmp_path, recorded_a, recorded_b, before_record_request=to_b), "POST", GEMINI, sent
    )
    assert isinstance(answer, Response) and answer.body.json == {"is": "b"}

    alone = ask(
        session_over(tmp_path, recorded_a, before_record_request=lambda r: None), "POST", GEMINI, sent
    )
    assert isinstance(alone, Send) and alone.left_alone_by == "before_record_request"


def test_a_request_hook_shapes_what_is_recorded_not_what_is_sent(tmp_path: Path) -> None:
    def without_nonce(request: Request) -> Request:
        body = dict(request.body.json)  # type: ignore[arg-type]
        body.pop("nonce")
        return replace(request, body=json_body(body))

    session = session_over(tmp_path, mode=Mode.ALL, before_record_request=without_nonce)
    decision = ask(session, "POST", GEMINI, b'{"contents": [], "nonce": "8f3a"}')

    assert isinstance(decision, Send) and decision.pending is not None
    assert decision.request.body.json == {"contents": [], "nonce": "8f3a"}
    assert decision.pending.request.body.json == {"contents": []}
    assert [r.body.json for r in session.requests] == [{"contents": []}]


def test_a_response_hook_shapes_a_copy_and_none_records_nothing(tmp_path: Path) -> None:
    def hook(response: Response) -> Response | None:
        if response.status != 200:
            return None
        response.body.json["text"] = "edited"  # type: ignore[index]
        return response

    session = session_over(tmp_path, mode=Mode.ALL, before_record_response=hook)
    failing, answered = ask(session, "POST", GEMINI, b'{"n": 1}'), ask(session, "POST", GEMINI, b'{"n": 2}')
    assert isinstance(failing, Send) and isinstance(answered, Send)
    session.received(failing, Response(500, (), json_body({"error": "boom"})))
    caller_sees = Response(200, (), json_body({"text": "real"}))
    session.received(answered, caller_sees)

    assert caller_sees.body.json == {"text": "real"}
    assert session.close().recorded == 1
    saved = json.loads((tmp_path / "c.json").read_text())["interactions"]
    assert [(i["request"]["body"]["json"], i["response"]["body"]["json"]) for i in saved] == [
        ({"n": 2}, {"text": "edited"})
    ]


@pytest.mark.parametrize("setting", ["before_record_request", "before_record_response"])
def test_a_hook_returning_something_else_says_what_to_return(tmp_path: Path, setting: str) -> None:
    def vcrpy_style(value: object) -> dict:
        return {"uri": "https://example.com"}

    session = session_over(tmp_path, mode=Mode.ALL, **{setting: vcrpy_style})
    kind = "Request" if setting == "before_record_request" else "Response"
    with pytest.raises(ConfigError) as raised:
        hand_over(session)
    assert str(raised.value) == (
        f"genai_replay's {setting} hook 'test_a_hook_returning_something_else_says_what_to_return.<locals>."
        f"vcrpy_style' returned {{'uri': 'https://example.com'}}; it must return a replay.{kind} (build a "
        f"changed one with dataclasses.replace({kind.lower()}, ...)) or None"
    )


def hand_over(session: Session) -> None:
    """Ask the session, then hand it the answer, as an adapter that sends does."""
    decision = ask(session, "POST", GEMINI, b"{}")
    assert isinstance(decision, Send)
    session.received(decision, Response(200, (), json_body({})))


def test_the_fixture_transport_sends_a_request_left_alone_untouched(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def local(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"local": True})

    session = session_over(tmp_path, mode=Mode.ALL, ignore_localhost=True)
    with httpx.Client(transport=SessionTransport(session, inner=httpx.MockTransport(local))) as client:
        assert client.get("http://localhost/status").json() == {"local": True}

    assert "identity" not in seen[0].headers.get("accept-encoding", "")
    assert session.close().recorded == 0


def test_a_refused_request_left_alone_says_why_it_was_sent(tmp_path: Path) -> None:
    session = session_over(tmp_path, ignore_hosts=("example.com",))
    client = httpx.Client(transport=SessionTransport(session))
    with blocking_network(), client, pytest.raises(NetworkBlockedError) as raised:
        client.get("https://example.com/data")

    assert raised.value.__notes__ == [
        "genai_replay left this GET request to 'example.com' alone (ignore_hosts): it was sent as it is, "
        "not answered from the cassette, and replaying nothing may leave loopback; serve that host on "
        "127.0.0.1 (or give its client an httpx.MockTransport), or take it out of ignore_hosts so that "
        "its exchanges are recorded and replayed"
    ]
