"""Chats, sync and async: each message is sent with the turns before it."""

from __future__ import annotations

import pytest

import genai_min
from genai_min import aio, chats

from .conftest import Stub, prefix, text_response

MODEL = "gemini-2.0-flash-001"


def user(text: str) -> dict[str, object]:
    return {"role": "user", "parts": [{"text": text}]}


def model(text: str) -> dict[str, object]:
    return {"role": "model", "parts": [{"text": text}]}


def sse_chunks(*texts: str) -> list[dict[str, object]]:
    return [{"candidates": [{"content": model(t), "index": 0}]} for t in texts]


def test_send_message_twice(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply(text_response("Once upon a time."))
    stub.reply(text_response("A story happened."))
    chat = chats.create(t, model=MODEL)
    assert chat.send_message("tell me a story").text == "Once upon a time."
    assert chat.send_message("summarize the story you told me in 1 sentence").text == "A story happened."
    assert stub.paths() == [f"POST {prefix(backend)}{MODEL}:generateContent"] * 2
    assert stub.requests[0].json == {"contents": [user("tell me a story")], "generationConfig": {}}
    assert stub.requests[1].json == {
        "contents": [
            user("tell me a story"),
            model("Once upon a time."),
            user("summarize the story you told me in 1 sentence"),
        ],
        "generationConfig": {},
    }
    assert len(chat.get_history()) == 4


def test_send_message_stream_records_the_joined_answer(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply_sse(*sse_chunks("Once ", "upon."))
    stub.reply(text_response("ok"))
    chat = chats.create(t, model=MODEL, config={"temperature": 0.1})
    assert [c.text for c in chat.send_message_stream("tell me a story")] == ["Once ", "upon."]
    assert stub.requests[0].query == [("alt", "sse")]
    assert stub.requests[0].json["generationConfig"] == {"temperature": 0.1}
    chat.send_message("again")
    assert stub.last.json["contents"] == [user("tell me a story"), model("Once upon."), user("again")]


def test_blocked_answer_is_left_out_of_what_is_sent_next(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({"promptFeedback": {"blockReason": "SAFETY"}})
    stub.reply(text_response("fine"))
    chat = chats.create(t, model=MODEL)
    chat.send_message("something bad")
    chat.send_message("something good")
    assert stub.last.json["contents"] == [user("something good")]
    assert len(chat.get_history()) == 4
    assert len(chat.get_history(curated=True)) == 2


def test_history_can_be_given(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(text_response("fine"))
    chat = chats.create(
        t,
        model=MODEL,
        history=[
            {"role": "user", "parts": [{"text": "hi"}]},
            {"role": "model", "parts": [{"text": "hello"}]},
        ],
    )
    chat.send_message("how are you?")
    assert stub.last.json["contents"] == [user("hi"), model("hello"), user("how are you?")]


@pytest.mark.anyio
async def test_async_chat(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(text_response("Once upon a time."))
    stub.reply_sse(*sse_chunks("A ", "story."))
    chat = aio.chats.create(t, model=MODEL)
    assert (await chat.send_message("tell me a story")).text == "Once upon a time."
    texts = [c.text async for c in await chat.send_message_stream("another")]
    assert texts == ["A ", "story."]
    assert stub.last.json["contents"] == [
        user("tell me a story"),
        model("Once upon a time."),
        user("another"),
    ]
    assert [c.to_wire() for c in chat.get_history()][-1] == model("A story.")
