"""Multi-turn chats: a history object that sends each message with the turns before it.

chat = chats.create(t, model="gemini-2.0-flash-001")
print(chat.send_message("tell me a story").text)
for chunk in chat.send_message_stream("now shorter"):
    print(chunk.text, end="")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from genai_min import models
from genai_min._content import Content
from genai_min._history import ChatHistory
from genai_min._responses import GenerateContentResponse
from genai_min._transport import Transport

if TYPE_CHECKING:
    from genai_min._content_dicts import ContentListUnionDict, ContentUnionDict
    from genai_min._generation import GenerateContentConfig
    from genai_min._generation_dicts import GenerateContentConfigDict


class Chat:
    """A conversation with one model; create it with `chats.create`."""

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

    def send_message(
        self,
        message: ContentListUnionDict,
        config: GenerateContentConfig | GenerateContentConfigDict | None = None,
    ) -> GenerateContentResponse:
        """Send `message` (a string, parts or contents) with the history; record the answer."""
        sent, contents = self._history.contents_for(message)
        response = models.generate_content(
            self.transport, model=self.model, contents=contents, config=_config(self, config)
        )
        self._history.record(sent, response)
        return response

    def send_message_stream(
        self,
        message: ContentListUnionDict,
        config: GenerateContentConfig | GenerateContentConfigDict | None = None,
    ) -> Iterator[GenerateContentResponse]:
        """Stream the answer to `message`; the history is updated when the stream ends."""
        sent, contents = self._history.contents_for(message)
        chunks: list[GenerateContentResponse] = []
        for chunk in models.generate_content_stream(
            self.transport, model=self.model, contents=contents, config=_config(self, config)
        ):
            chunks.append(chunk)
            yield chunk
        self._history.record_stream(sent, chunks)


def create(
    t: Transport,
    *,
    model: str,
    config: GenerateContentConfig | GenerateContentConfigDict | None = None,
    history: Iterable[ContentUnionDict] = (),
) -> Chat:
    """Start a chat with `model`; `config` applies to every message unless one overrides it."""
    return Chat(t, model=model, config=config, history=history)


def _config(
    chat: Chat, override: GenerateContentConfig | GenerateContentConfigDict | None
) -> GenerateContentConfig | GenerateContentConfigDict | None:
    # Like the official SDK, chats always send a generation config, empty if none was given.
    chosen = override if override is not None else chat.config
    return {} if chosen is None else chosen
