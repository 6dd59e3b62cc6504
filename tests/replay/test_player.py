"""Replaying through `ReplayTransport`: genai_min gets recorded answers, offline, in order."""

from __future__ import annotations

import base64
import json
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from google.oauth2.credentials import Credentials

import genai_min
from genai_min import aio, models
from replay._cassette import Body, BodyKind, Cassette, Interaction, Request, Response
from replay._cassette_json import load_cassette, save_cassette
from replay._errors import NoMatchError
from replay._httpx import ReplayTransport
from replay._matchers import MatchOptions
from replay._player import Player

GEMINI = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001"
VERTEX = "https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash-001"


def ask(text: str) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": text}]}]}


def answer(text: str) -> dict[str, Any]:
    return {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}]}


def generate(base: str, question: str, reply: str, status: int = 200) -> Interaction:
    return Interaction(
        Request("POST", f"{base}:generateContent", (), Body(BodyKind.JSON, json=ask(question))),
        Response(
            status,
            (("content-type", "application/json; charset=UTF-8"),),
            Body(BodyKind.JSON, json=answer(reply)),
        ),
    )


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("replaying opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def transport_for(
    cassette: Cassette, backend: str = "gemini", path: Path | None = None, **options: Any
) -> genai_min.Transport:
    player = Player(cassette, path=path, options=MatchOptions(**options))
    replaying = ReplayTransport(player)
    if backend == "gemini":
        return genai_min.Transport(api_key="any-key-at-all", transport=replaying, async_transport=replaying)
    return genai_min.Transport(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=Credentials(token="fake"),
        transport=replaying,
        async_transport=replaying,
    )


@pytest.mark.parametrize(("backend", "base"), [("gemini", GEMINI), ("vertex", VERTEX)])
def test_generate_replays_from_a_saved_cassette(tmp_path: Path, backend: str, base: str) -> None:
    save_cassette(
        Cassette((generate(base, "Why is the sky blue?", "Rayleigh scattering."),)), tmp_path / "c.json"
    )
    t = transport_for(load_cassette(tmp_path / "c.json"), backend)
    assert (
        models.generate_content(t, model="gemini-2.0-flash-001", contents="Why is the sky blue?").text
        == "Rayleigh scattering."
    )


def test_a_recording_with_snake_case_keys_matches_camel_case_requests() -> None:
    recorded = generate(GEMINI, "x", "y")
    snake = {
        "contents": [
            {"parts": [{"file_data": {"file_uri": "gs://b/o", "mime_type": "image/png"}}], "role": "user"}
        ]
    }
    recorded = Interaction(
        Request("POST", f"{GEMINI}:generateContent", (), Body(BodyKind.JSON, json=snake)), recorded.response
    )
    t = transport_for(Cassette((recorded,)))
    part = genai_min.types.Part.from_uri(file_uri="gs://b/o", mime_type="image/png")
    assert models.generate_content(t, model="gemini-2.0-flash-001", contents=part).text == "y"


def test_identical_requests_are_served_in_order_then_the_last_repeats() -> None:
    cassette = Cassette(tuple(generate(GEMINI, "poll", f"state {n}") for n in range(3)))
    t = transport_for(cassette)
    texts = [models.generate_content(t, model="gemini-2.0-flash-001", contents="poll").text for _ in range(5)]
    assert texts == ["state 0", "state 1", "state 2", "state 2", "state 2"]


def test_streams_replay_event_by_event() -> None:
    events = (answer("Once "), answer("upon."))
    interaction = Interaction(
        Request(
            "POST", f"{GEMINI}:streamGenerateContent?alt=sse", (), Body(BodyKind.JSON, json=ask("story"))
        ),
        Response(200, (("content-type", "text/event-stream"),), Body(BodyKind.SSE, events=events)),
    )
    t = transport_for(Cassette((interaction,)))
    chunks = models.generate_content_stream(t, model="gemini-2.0-flash-001", contents="story")
    assert [c.text for c in chunks] == ["Once ", "upon."]


@pytest.mark.anyio
async def test_async_replay() -> None:
    t = transport_for(Cassette((generate(GEMINI, "hi", "hello"),)))
    response = await aio.models.generate_content(t, model="gemini-2.0-flash-001", contents="hi")
    assert response.text == "hello"


def test_recorded_errors_replay_as_errors() -> None:
    t = transport_for(Cassette((generate(GEMINI, "hi", "ignored", status=429),)))
    with pytest.raises(genai_min.ClientError) as caught:
        models.generate_content(t, model="gemini-2.0-flash-001", contents="hi")
    assert caught.value.code == 429


def test_api_version_can_be_ignored() -> None:
    cassette = Cassette((generate(GEMINI.replace("/v1beta/", "/v1/"), "hi", "hello"),))
    with pytest.raises(NoMatchError):
        models.generate_content(transport_for(cassette), model="gemini-2.0-flash-001", contents="hi")
    t = transport_for(cassette, ignore_api_version=True)
    assert models.generate_content(t, model="gemini-2.0-flash-001", contents="hi").text == "hello"


def test_a_miss_names_the_cassette_the_difference_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "cassettes" / "test_sky.json"
    t = transport_for(Cassette((generate(GEMINI, "Why is the sky blue?", "x"),)), path=path)
    with pytest.raises(NoMatchError) as caught:
        models.generate_content(t, model="gemini-2.0-flash-001", contents="Why is the sea blue?")
    message = str(caught.value)
    assert (
        message.splitlines()[0] == f"no recorded interaction in {path} matches POST {GEMINI}:generateContent"
    )
    assert (
        "body.contents[0].parts[0].text: values changed 'Why is the sky blue?' -> 'Why is the sea blue?'"
        in message
    )
    assert message.splitlines()[-1] == "re-run with --genai-replay-mode=new_episodes to record it"
    assert caught.value.cassette_path == path
    assert caught.value.differences
    assert caught.value.violations == []  # a valid request: no schema section
    assert "schema" not in message


def test_a_miss_lists_only_differences_matching_does_not_ignore() -> None:
    # Recorded on a regional Vertex host, asked on the global one: matching ignores the host, so the
    # miss names the question that changed and nothing about the URL.
    stored = VERTEX.replace("us-central1", "LOCATION").replace("projects/p/", "projects/PROJECT/")
    player = Player(Cassette((generate(stored, "Why is the sky blue?", "x"),)))
    client = httpx.Client(transport=ReplayTransport(player))
    global_host = VERTEX.replace("us-central1-aiplatform", "aiplatform").replace(
        "projects/p/", "projects/acme-prod/"
    )
    with pytest.raises(NoMatchError) as caught:
        client.post(f"{global_host}:generateContent", json=ask("Why is the sea blue?"))
    assert caught.value.differences == [
        "body.contents[0].parts[0].text: values changed 'Why is the sky blue?' -> 'Why is the sea blue?'"
    ]


def test_a_miss_shows_where_the_new_request_breaks_the_schema() -> None:
    player = Player(Cassette((generate(GEMINI, "Why is the sky blue?", "x"),)))
    client = httpx.Client(transport=ReplayTransport(player))
    body = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "generationConfig": {"temprature": 0.5},
    }
    with pytest.raises(NoMatchError) as caught:
        client.post(f"{GEMINI}:generateContent", json=body)
    message = str(caught.value)
    assert "the new request breaks the API's schema at:" in message
    assert "generationConfig.temprature: unknown field 'temprature' (did you mean 'temperature'?)" in message
    assert caught.value.violations == [
        "generationConfig.temprature: unknown field 'temprature' (did you mean 'temperature'?)"
    ]
    assert message.splitlines()[-1] == "re-run with --genai-replay-mode=new_episodes to record it"


def test_unplayed_interactions_are_reported() -> None:
    player = Player(Cassette((generate(GEMINI, "a", "1"), generate(GEMINI, "b", "2"))))
    t = genai_min.Transport(api_key="k", transport=ReplayTransport(player))
    models.generate_content(t, model="gemini-2.0-flash-001", contents="b")
    assert player.unplayed == [0]
    assert json.loads(json.dumps(player.played)) == [1]


def test_bytes_match_whatever_the_base64_alphabet() -> None:
    image = bytes(range(250, 256)) * 3  # encodes with '+' and '/' in the standard alphabet
    standard = base64.b64encode(image).decode()
    urlsafe = base64.urlsafe_b64encode(image).decode().rstrip("=")
    assert standard != urlsafe

    def with_data(data: str) -> Interaction:
        body = {
            "contents": [
                {"role": "user", "parts": [{"inline_data": {"mime_type": "image/png", "data": data}}]}
            ]
        }
        return Interaction(
            Request("POST", f"{GEMINI}:generateContent", (), Body(BodyKind.JSON, json=body)),
            Response(200, (), Body(BodyKind.JSON, json=answer("a picture"))),
        )

    player = Player(Cassette((with_data(urlsafe),)))
    assert player.play(with_data(standard).request).response.body.json == answer("a picture")
    with pytest.raises(NoMatchError):
        player.play(with_data(base64.b64encode(image[:-1]).decode()).request)


@pytest.mark.parametrize(
    "sent",
    [
        json.dumps(ask("Grüß dich"), ensure_ascii=False, separators=(",", ":")).encode(),  # httpx
        json.dumps(ask("Grüß dich")).encode(),  # the official SDK
    ],
    ids=["compact", "python-default"],
)
def test_a_body_sent_as_recorded_is_answered_from_its_bytes(sent: bytes) -> None:
    player = Player(Cassette((generate(GEMINI, "Grüß dich", "Hallo"),)))
    interaction = player.play_wire("POST", f"{GEMINI}:generateContent", sent)
    assert interaction is not None and interaction.response.body.json == answer("Hallo")
    reordered = json.dumps(ask("Grüß dich"), sort_keys=True).encode()
    assert player.play_wire("POST", f"{GEMINI}:generateContent", reordered) is None
