"""`genai_min.chats`: a chat answers with responses, and takes the same contents and config as models.

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import assert_type

from genai_min import Transport, chats, types


def check_chat(t: Transport) -> None:
    chat = chats.create(
        t,
        model="m",
        config=types.GenerateContentConfig(system_instruction="Be brief"),
        history=["hello", {"role": "model", "parts": [{"text": "hi"}]}],
    )
    assert_type(chat, chats.Chat)
    assert_type(chat.send_message("tell me a story"), types.GenerateContentResponse)
    assert_type(chat.send_message_stream("shorter"), Iterator[types.GenerateContentResponse])
    assert_type(chat.get_history(), list[types.Content])
    chat.send_message([types.Part.from_text("a"), {"text": "b"}], config={"temperature": 0.5})
    chat.send_message("hi", config={"temprature": 0.5})  # type: ignore[arg-type]
    chats.create(t, model="m", history=[{"role": "model", "part": []}])  # type: ignore[list-item]
    chat.send_message()  # type: ignore[call-arg]
