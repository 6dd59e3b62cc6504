"""A session answers from its cassette, records what its mode allows, and knows when a poll is waiting."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import pytest

from replay import (
    Body,
    BodyKind,
    Cassette,
    Interaction,
    Meta,
    NetworkBlockedError,
    NoMatchError,
    Request,
    Response,
    save_cassette,
)
from replay._config import Config, Mode
from replay._guards import blocking_network, skipping_sleeps
from replay._session import FAKE_ACCESS_TOKEN, Send, Session

URL = "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/operations/1"


def exchange(body: dict, url: str = URL) -> Interaction:
    return Interaction(Request("GET", url), Response(200, (), Body(BodyKind.JSON, json=body)))


def session_over(tmp_path: Path, *interactions: Interaction, mode: Mode = Mode.NONE) -> Session:
    path = tmp_path / "c.json"
    save_cassette(Cassette(interactions, Meta()), path)
    return Session.for_cassette(path, Config(mode=mode))


def ask(session: Session, request: Request, *, can_aim: bool = True) -> Response | Send:
    """Hand `request` to the session's one entry, as an adapter does."""
    return session.enter(request.method, request.url, request.headers, request.body.wire, can_aim=can_aim)


def test_polls_are_waiting_until_once_after_the_operation_is_done(tmp_path: Path) -> None:
    session = session_over(
        tmp_path,
        exchange({"name": "operations/1", "done": False}),
        exchange({"name": "operations/1", "done": True}),
    )
    request = Request("GET", URL)
    seen = []
    for _ in range(4):  # polls past the recording get its last state
        ask(session, request)
        seen.append(session.is_waiting)
    assert seen == [True, True, False, False]


@pytest.mark.parametrize(
    ("body", "is_waiting"),
    [({"state": "JOB_STATE_RUNNING"}, True), ({"state": "BATCH_STATE_PENDING"}, True), ({"state": "PROCESSING"}, True),
     ({"metadata": {"state": "CREATING"}}, True), ({"state": "JOB_STATE_SUCCEEDED"}, False), ({"text": "hi"}, False)],
)  # fmt: skip
def test_jobs_files_and_tuned_models_say_whether_they_are_under_way(
    tmp_path: Path, body: dict, is_waiting: bool
) -> None:
    session = session_over(tmp_path, exchange(body))
    ask(session, Request("GET", URL))
    assert session.is_waiting is is_waiting


def test_replaying_answers_token_exchanges_with_a_fake_token(tmp_path: Path) -> None:
    session = session_over(tmp_path)
    response = ask(
        session, Request("POST", "https://oauth2.googleapis.com/token", (), Body(BodyKind.TEXT, text="x"))
    )
    assert isinstance(response, Response) and response.body.json["access_token"] == FAKE_ACCESS_TOKEN
    elsewhere = ask(
        session, Request("POST", "https://sts.corp.example/v1/exchange", (), SHAPED_LIKE_A_TOKEN_EXCHANGE)
    )
    assert isinstance(elsewhere, Response) and elsewhere.body.json["access_token"] == FAKE_ACCESS_TOKEN
    assert session.requests == []


SHAPED_LIKE_A_TOKEN_EXCHANGE = Body(BodyKind.TEXT, text="grant_type=refresh_token&refresh_token=x")


@pytest.mark.parametrize(
    "token",
    [
        Request("POST", "https://oauth2.googleapis.com/token", (), Body(BodyKind.TEXT, text="assertion=x")),
        # A token_uri the session cannot know by its address: known by its grant_type.
        Request("POST", "https://sts.corp.example/v1/exchange", (), SHAPED_LIKE_A_TOKEN_EXCHANGE),
    ],
    ids=["google-token-host", "unknown-token-uri"],
)
def test_recording_never_stores_token_exchanges(tmp_path: Path, token: Request) -> None:
    session = Session.for_cassette(tmp_path / "new.json", Config(mode=Mode.ALL))
    send = ask(session, token)
    assert isinstance(send, Send) and send.is_token and send.url == token.url
    session.received(
        send, Response(200, (), Body(BodyKind.JSON, json={"access_token": "ya29.secretsecretsecret"}))
    )
    assert session.close().recorded == 0
    assert not (tmp_path / "new.json").exists()


def test_a_missing_cassette_names_the_mode_that_records_it(tmp_path: Path) -> None:
    session = Session.for_cassette(tmp_path / "absent.json", Config())
    with pytest.raises(
        NoMatchError, match=r"no cassette at .*absent.json .*record it with --genai-replay-mode=once"
    ):
        ask(session, Request("GET", URL))
    assert session.close().missed == 1


def test_sockets_beyond_loopback_are_refused_and_loopback_is_not() -> None:
    with blocking_network():
        with pytest.raises(NetworkBlockedError, match=r"blocked a connection to \('192.0.2.1', 443\)"):
            socket.create_connection(("192.0.2.1", 443), timeout=1)
        listener = socket.create_server(("127.0.0.1", 0))
        with listener, socket.create_connection(listener.getsockname(), timeout=1):
            pass
    assert socket.socket.connect.__qualname__ == "socket.connect"


def test_sleeps_return_at_once_only_while_waiting() -> None:
    waiting = [True]
    with skipping_sleeps(lambda: waiting[0]) as skipped:
        time.sleep(30)
        asyncio.run(asyncio.sleep(20))
        waiting[0] = False
        time.sleep(0.001)
    assert (skipped.count, skipped.seconds) == (2, 50)
    assert time.sleep.__module__ == "time"
