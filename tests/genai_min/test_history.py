"""`ChatHistory`: the comprehensive and curated views of a chat, after plain, empty and streamed answers."""

from __future__ import annotations

from typing import Any

import pytest

from genai_min._content import Content, Part
from genai_min._history import ChatHistory
from genai_min._http import JSONObject
from genai_min._responses import GenerateContentResponse

from .conftest import call_response, text_response


def answer(*parts: dict[str, Any], finish: str | None = "STOP") -> GenerateContentResponse:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": list(parts)}}
    if finish is not None:
        candidate["finishReason"] = finish
    return GenerateContentResponse.model_validate({"candidates": [candidate]})


def wire(contents: list[Content]) -> list[JSONObject]:
    return [c.to_wire() for c in contents]


def user(text: str) -> JSONObject:
    return {"role": "user", "parts": [{"text": text}]}


def model(text: str) -> JSONObject:
    return {"role": "model", "parts": [{"text": text}]}


def send(history: ChatHistory, message: object) -> list[Content]:
    new, _ = history.contents_for(message)
    return new


def test_starts_from_the_given_history() -> None:
    history = ChatHistory(
        [Content(role="user", parts=[Part.from_text("hi")]), {"role": "model", "parts": [{"text": "hello"}]}]
    )
    assert wire(history.get()) == [user("hi"), model("hello")]
    assert wire(history.get(curated=True)) == [user("hi"), model("hello")]
    assert ChatHistory().get() == []


def test_contents_for_adds_the_message_to_the_curated_history() -> None:
    history = ChatHistory()
    history.record(send(history, "first"), GenerateContentResponse.model_validate(text_response("one")))
    new, to_send = history.contents_for("second")
    assert wire(new) == [user("second")]
    assert wire(to_send) == [user("first"), model("one"), user("second")]


def test_get_returns_a_copy() -> None:
    history = ChatHistory(["hi"])
    history.get().clear()
    history.get(curated=True).clear()
    assert wire(history.get()) == [user("hi")]
    assert wire(history.get(curated=True)) == [user("hi")]


def test_normal_exchange_grows_both_views() -> None:
    history = ChatHistory()
    history.record(
        send(history, "Tell me a story."), GenerateContentResponse.model_validate(text_response("Once."))
    )
    history.record(
        send(history, "Go on."), GenerateContentResponse.model_validate(text_response("Upon a time."))
    )
    expected = [user("Tell me a story."), model("Once."), user("Go on."), model("Upon a time.")]
    assert wire(history.get()) == expected
    assert wire(history.get(curated=True)) == expected


def test_empty_answer_grows_only_the_comprehensive_history() -> None:
    history = ChatHistory()
    history.record(send(history, "first"), answer({"text": "one"}))
    history.record(send(history, "bad"), answer(finish="SAFETY"))
    assert wire(history.get()) == [user("first"), model("one"), user("bad"), {"role": "model", "parts": []}]
    assert wire(history.get(curated=True)) == [user("first"), model("one")]
    _, to_send = history.contents_for("again")
    assert wire(to_send) == [user("first"), model("one"), user("again")]


NO_ANSWER = {
    "no-content": {"candidates": [{"finishReason": "SAFETY", "index": 0}]},
    "prompt-blocked": {"promptFeedback": {"blockReason": "SAFETY"}},
}


@pytest.mark.parametrize("body", NO_ANSWER.values(), ids=NO_ANSWER.keys())
def test_no_answer_leaves_the_curated_history_alone(body: dict[str, Any]) -> None:
    history = ChatHistory()
    history.record(send(history, "first"), answer({"text": "one"}))
    history.record(send(history, "bad"), GenerateContentResponse.model_validate(body))
    assert wire(history.get(curated=True)) == [user("first"), model("one")]
    assert wire(history.get())[:3] == [user("first"), model("one"), user("bad")]


@pytest.mark.parametrize("body", NO_ANSWER.values(), ids=NO_ANSWER.keys())
def test_no_answer_keeps_the_turns_alternating(body: dict[str, Any]) -> None:
    history = ChatHistory()
    history.record(send(history, "bad"), GenerateContentResponse.model_validate(body))
    assert wire(history.get()) == [user("bad"), {"role": "model", "parts": []}]


def test_record_stream_joins_consecutive_text() -> None:
    history = ChatHistory()
    chunks = [
        answer({"text": "The sky "}, finish=None),
        answer({"text": "is "}, finish=None),
        answer({"text": "blue."}),
    ]
    history.record_stream(send(history, "Why is the sky blue?"), chunks)
    expected = [user("Why is the sky blue?"), model("The sky is blue.")]
    assert wire(history.get()) == expected
    assert wire(history.get(curated=True)) == expected


def test_record_stream_keeps_non_text_parts_between_texts() -> None:
    history = ChatHistory()
    chunks = [
        answer({"text": "Thinking", "thought": True}, {"text": " hard", "thought": True}, finish=None),
        answer({"text": "Here "}, {"text": "is "}, finish=None),
        answer({"inlineData": {"mimeType": "image/png", "data": "iVBORw=="}}, finish=None),
        answer({"text": "a "}, {"text": ""}, finish=None),
        answer({"text": "picture."}, {"functionCall": {"name": "save", "args": {"n": 1}}}),
    ]
    history.record_stream(send(history, "Draw."), chunks)
    assert wire(history.get())[-1] == {
        "role": "model",
        "parts": [
            {"text": "Thinking", "thought": True},
            {"text": " hard", "thought": True},
            {"text": "Here is "},
            {"inlineData": {"mimeType": "image/png", "data": "iVBORw=="}},
            {"text": "a picture."},
            {"functionCall": {"name": "save", "args": {"n": 1}}},
        ],
    }


def test_record_stream_keeps_a_signed_text_part_apart() -> None:
    history = ChatHistory()
    chunks = [
        answer({"text": "Signed", "thoughtSignature": "AAAA"}, finish=None),
        answer({"text": " then plain"}, {"text": "."}),
    ]
    history.record_stream(send(history, "x"), chunks)
    assert wire(history.get())[-1]["parts"] == [
        {"text": "Signed", "thoughtSignature": "AAAA"},
        {"text": " then plain."},
    ]


def test_empty_stream_grows_only_the_comprehensive_history() -> None:
    history = ChatHistory()
    history.record_stream(send(history, "x"), [answer(finish=None), answer({"text": ""}, finish="SAFETY")])
    assert wire(history.get()) == [user("x"), {"role": "model", "parts": []}]
    assert history.get(curated=True) == []


def test_function_calling_history_is_spliced_in() -> None:
    history = ChatHistory()
    history.record(send(history, "Hello"), GenerateContentResponse.model_validate(text_response("Hi!")))
    new, to_send = history.contents_for("What is the weather like in Boston?")
    call_turn = Content.model_validate(
        call_response("get_current_weather", {"location": "Boston"})["candidates"][0]["content"]
    )
    result_turn = Content(
        role="user",
        parts=[Part.from_function_response(name="get_current_weather", response={"result": "sunny"})],
    )
    final = GenerateContentResponse.model_validate(text_response("It is sunny in Boston."))
    final.automatic_function_calling_history = [*to_send, call_turn, result_turn]
    history.record(new, final)
    expected = [
        user("Hello"),
        model("Hi!"),
        user("What is the weather like in Boston?"),
        {
            "role": "model",
            "parts": [{"functionCall": {"name": "get_current_weather", "args": {"location": "Boston"}}}],
        },
        {
            "role": "user",
            "parts": [{"functionResponse": {"name": "get_current_weather", "response": {"result": "sunny"}}}],
        },
        model("It is sunny in Boston."),
    ]
    assert wire(history.get()) == expected
    assert wire(history.get(curated=True)) == expected
