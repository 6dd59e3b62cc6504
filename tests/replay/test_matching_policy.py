"""Matching the user shapes: `match_on`, `ignore_json_paths`, custom matchers, and misses that teach."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from replay._cassette import Body, BodyKind, Cassette, Interaction, Request, Response
from replay._config import Config, parse_match_on, resolve
from replay._errors import ConfigError, NoMatchError
from replay._lessons import generated_kind
from replay._player import Player

MODEL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"


def post(body: dict[str, Any], url: str = MODEL) -> Request:
    return Request("POST", url, (("content-type", "application/json"),), Body(BodyKind.JSON, json=body))


def reply(text: str) -> Response:
    body = {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}}]}
    return Response(200, (("content-type", "application/json"),), Body(BodyKind.JSON, json=body))


def follow_up(call_id: str, *, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A second turn that answers a tool call by its client-made id, as agent frameworks send it."""
    body: dict[str, Any] = {
        "contents": [
            {"role": "user", "parts": [{"text": "weather in Paris?"}]},
            {"role": "model", "parts": [{"functionCall": {"id": call_id, "name": "weather", "args": {}}}]},
            {
                "role": "user",
                "parts": [{"functionResponse": {"id": call_id, "name": "weather", "response": {}}}],
            },
        ]
    }
    body.update(extra or {})
    return body


def player_for(*interactions: Interaction, **settings: Any) -> Player:
    config = resolve(cli={}, marker=settings, fixture={}, ini={})
    return Player(Cassette(interactions=list(interactions)), options=config.match_options)


def text_of(interaction: Interaction) -> str:
    return json.dumps(interaction.response.body.json)


def test_match_on_without_body_answers_identical_requests_in_recorded_order() -> None:
    player = player_for(
        Interaction(post({"n": 1}), reply("first")),
        Interaction(post({"n": 2}), reply("second")),
        match_on=["method", "host", "path", "query"],
    )
    assert "first" in text_of(player.play(post({"n": 99})))
    assert "second" in text_of(player.play(post({"n": 98})))
    assert "second" in text_of(player.play(post({"n": 97})))  # past the recording: the last again


def test_the_default_compares_bodies() -> None:
    player = player_for(Interaction(post({"n": 1}), reply("first")))
    with pytest.raises(NoMatchError, match=r"body\.n: values changed 1 -> 2"):
        player.play(post({"n": 2}))


def test_match_on_can_leave_the_query_out_and_uri_means_all_url_parts() -> None:
    recorded = Interaction(post({}, MODEL + "?alt=sse"), reply("streamed"))
    assert "streamed" in text_of(player_for(recorded, match_on="method,path,body").play(post({}, MODEL)))
    with pytest.raises(NoMatchError, match="url:"):
        player_for(recorded, match_on=["method", "uri", "body"]).play(post({}, MODEL))


def test_a_miss_lists_only_the_parts_matching_compares() -> None:
    player = player_for(Interaction(post({"n": 1}), reply("x")), match_on=["method", "path"])
    with pytest.raises(NoMatchError) as caught:
        player.play(Request("GET", MODEL, (), Body(BodyKind.EMPTY)))
    assert caught.value.differences == ["method: 'POST' -> 'GET'"]


@pytest.mark.parametrize(
    "path",
    [
        "contents.*.parts.*.functionCall.id",
        "contents.*.parts.*.function_call.id",
        "$.contents[*].parts[*].functionCall.id",
        "contents.1.parts.0.functionCall.id",
    ],
)
def test_ignore_json_paths_in_either_spelling_leave_a_field_out_on_both_sides(path: str) -> None:
    recorded = Interaction(post(follow_up("call_1", extra={})), reply("sunny"))
    new_body = follow_up("call_1")
    new_body["contents"][1]["parts"][0]["functionCall"]["id"] = "call_2"
    player = player_for(recorded, ignore_json_paths=[path])
    assert "sunny" in text_of(player.play(post(new_body)))


def test_ignore_json_paths_leave_other_differences_compared() -> None:
    player = player_for(Interaction(post({"a": 1, "b": 1}), reply("x")), ignore_json_paths=["a"])
    assert player.play(post({"a": 2, "b": 1}))
    with pytest.raises(NoMatchError, match=r"body\.b"):
        player.play(post({"a": 2, "b": 2}))


def test_a_custom_matcher_decides_among_what_matches_and_its_reason_reaches_the_miss() -> None:
    def same_turns(request: Request, recorded: Request) -> bool:
        assert len(request.body.json["contents"]) == len(recorded.body.json["contents"]), (
            "different number of turns"
        )
        return True

    player = player_for(
        Interaction(post({"contents": [1]}), reply("one turn")),
        Interaction(post({"contents": [1, 2]}), reply("two turns")),
        match_on=["method", "path", same_turns],
    )
    assert "two turns" in text_of(player.play(post({"contents": [7, 8]})))
    assert "one turn" in text_of(player.play(post({"contents": [9]})))
    with pytest.raises(NoMatchError) as caught:
        player.play(post({"contents": [1, 2, 3]}))
    assert "matcher same_turns: different number of turns" in str(caught.value)


def test_a_custom_matcher_returning_false_refuses_even_byte_identical_requests() -> None:
    player = player_for(
        Interaction(post({"n": 1}), reply("x")), match_on=["method", "path", "body", lambda r, c: False]
    )
    with pytest.raises(NoMatchError, match="said no"):
        player.play(post({"n": 1}))


def test_match_on_refuses_headers_and_unknown_parts_saying_what_to_do() -> None:
    with pytest.raises(ConfigError, match=r"cannot compare 'headers'.*callable"):
        parse_match_on(["method", "headers"])
    with pytest.raises(ConfigError, match=r"unknown part 'verb'.*method, scheme, host"):
        parse_match_on(["verb"])
    assert parse_match_on(["uri", "raw_body"])[0] == ("scheme", "host", "port", "path", "query", "body")


def test_the_default_policy_is_not_loosened_and_any_setting_loosens_it() -> None:
    assert not Config().match_options.is_loosened
    assert Config(ignore_json_paths=("a",)).match_options.is_loosened
    assert Config(match_on=("method", "path")).match_options.is_loosened


# -- misses that teach -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("0b6f7c2e-3d1a-4f5e-9a8b-7c6d5e4f3a2b", "uuid"),
        ("call_3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60", "id:call_"),
        ("pyd_ai_5c7e0f1a9b2d4e6f8a0b1c2d3e4f5a6b", "id:pyd_ai_"),
        ("2026-12-07T22:59:32.123Z", "time"),
        (1765148372, "time"),
        (1765148372123, "time"),
        ("call_get_weather", None),
        ("call_1", None),
        ("Paris", None),
        (42, None),
    ],
)
def test_generated_values_are_told_from_ordinary_ones(value: object, kind: str | None) -> None:
    assert generated_kind(value) == kind  # type: ignore[arg-type]


def test_a_miss_on_a_client_generated_id_prints_the_exact_line_that_makes_it_match() -> None:
    recorded = Interaction(post(follow_up(f"call_{uuid.uuid4()}")), reply("sunny"))
    request = post(follow_up(f"call_{uuid.uuid4()}"))
    with pytest.raises(NoMatchError) as caught:
        player_for(recorded).play(request)
    message = str(caught.value)
    assert "values the client generates" in message
    lines = message.splitlines()
    start = lines.index("  genai_replay_ignore_json_paths =")
    paths = [line.strip() for line in lines[start + 1 : start + 3]]
    assert paths == ["contents.*.parts.*.functionCall.id", "contents.*.parts.*.functionResponse.id"]
    # Following the advice makes the same request match.
    assert "sunny" in text_of(player_for(recorded, ignore_json_paths=paths).play(request))


def test_a_miss_on_a_field_the_code_added_says_the_cassette_predates_it_and_how_to_re_record() -> None:
    recorded = Interaction(post({"contents": [{"parts": [{"text": "hi"}]}]}), reply("hello"))
    request = post(
        {"contents": [{"parts": [{"text": "hi"}]}], "generationConfig": {"responseModalities": ["TEXT"]}}
    )
    player = player_for(recorded)
    with pytest.raises(NoMatchError) as caught:
        player.play(request, rerun="pytest tests/test_chat.py::test_hi --genai-replay-mode=all")
    message = str(caught.value)
    assert "lacks generationConfig, which the request now sends" in message
    assert "predates that change in the code" in message
    assert "re-record it: pytest tests/test_chat.py::test_hi --genai-replay-mode=all" in message


def test_a_miss_with_ordinary_differences_teaches_nothing() -> None:
    recorded = Interaction(post({"contents": [{"parts": [{"text": "hi"}]}]}), reply("hello"))
    with pytest.raises(NoMatchError) as caught:
        player_for(recorded).play(post({"contents": [{"parts": [{"text": "bye"}]}]}))
    assert "generates" not in str(caught.value) and "predates" not in str(caught.value)
