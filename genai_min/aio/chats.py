"""Async multi-turn chats: `AsyncChat` mirrors `genai_min.chats.Chat` with awaited calls.

chat = aio.chats.create(t, model="gemini-2.0-flash-001")
response = await chat.send_message("tell me a story")
async for chunk in await chat.send_message_stream("now shorter"):
    print(chunk.text, end="")
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING

from genai_min._content import Content
from genai_min._history import ChatHistory
from genai_min._responses import GenerateContentResponse
from genai_min._transport import Transport
from genai_min.aio import models

if TYPE_CHECKING:
    from genai_min._content_dicts import ContentListUnionDict, ContentUnionDict
    from genai_min._generation import GenerateContentConfig
    from genai_min._generation_dicts import GenerateContentConfigDict


class AsyncChat:
    """An async conversation with one model; create it with `aio.chats.create`."""

    def __init__(
        self,
        t: Transport,
        *,
        model: str,
        config: GenerateContentConfig | GenerateContentConfigDict | None = None,
        history: Iterable[ContentUnionDict] = (),
    ) -> None:
        self.transport = t
        self.model = model
        self.config: GenerateContentConfig | GenerateContentConfigDict | None = config
        self._history = ChatHistory(history)

    def get_history(self, *, curated: bool = False) -> list[Content]:
        """Return the turns so far; `curated` leaves out exchanges with an empty answer."""
        return self._history.get(curated=curated)

    async def send_message(
        self,
        message: ContentListUnionDict,
        config: GenerateContentConfig | GenerateContentConfigDict | None = None,
    ) -> GenerateContentResponse:
        """Send `message` with the history; record the answer."""
        sent, contents = self._history.contents_for(message)
        response = await models.generate_content(
            self.transport, model=self.model, contents=contents, config=_config(self, config)
        )
        self._history.record(sent, response)
        return response

    async def send_message_stream(
        self,
        message: ContentListUnionDict,
        config: GenerateContentConfig | GenerateContentConfigDict | None = None,
    ) -> AsyncIterator[GenerateContentResponse]:
        """Open a stream of the answer to `message` (``async for c in await chat.send_...``).

        The history is updated when the stream has been read to its end.
        """
        sent, contents = self._history.contents_for(message)
        stream = await models.generate_content_stream(
            self.transport, model=self.model, contents=contents, config=_config(self, config)
        )
        return self._recorded(sent, stream)

    async def _recorded(
        self, sent: list[Content], stream: AsyncIterator[GenerateContentResponse]
    ) -> AsyncIterator[GenerateContentResponse]:
        chunks: list[GenerateContentResponse] = []
        async for chunk in stream:
            chunks.append(chunk)
            yield chunk
        self._history.record_stream(sent, chunks)


def create(
    t: Transport,
    *,
    model: str,
    config: GenerateContentConfig | GenerateContentConfigDict | None = None,
    history: Iterable[ContentUnionDict] = (),
) -> AsyncChat:
    """Start an async chat with `model`."""
    return AsyncChat(t, model=model, config=config, history=history)


def _config(
    chat: AsyncChat, override: GenerateContentConfig | GenerateContentConfigDict | None
) -> GenerateContentConfig | GenerateContentConfigDict | None:
    chosen = override if override is not None else chat.config
    return {} if chosen is None else chosen
