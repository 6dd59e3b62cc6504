"""The turns of a chat, shared by `chats.Chat` and `aio.chats.AsyncChat`.

Two views, as in the official SDK: the comprehensive history keeps every turn sent and received;
the curated history (what is sent with the next message) leaves out exchanges whose answer was
empty or blocked, so one bad answer does not poison the rest of the conversation.
"""

from __future__ import annotations

from collections.abc import Iterable

from genai_min._content import Content, Part, to_contents
from genai_min._responses import GenerateContentResponse


class ChatHistory:
    """Hold both views of a chat's turns and extend them after each answer."""

    def __init__(self, history: Iterable[object] = ()) -> None:
        initial = to_contents(list(history)) if history else []
        self._comprehensive: list[Content] = list(initial)
        self._curated: list[Content] = list(initial)

    def get(self, *, curated: bool = False) -> list[Content]:
        """Return a copy of the curated or comprehensive history."""
        return list(self._curated if curated else self._comprehensive)

    def contents_for(self, message: object) -> tuple[list[Content], list[Content]]:
        """Return the new user turns for `message`, and every turn to send with them."""
        new = to_contents(message)
        return new, [*self._curated, *new]

    def record(self, sent: list[Content], response: GenerateContentResponse) -> None:
        """Add an exchange: the turns sent, any function-calling rounds, and the answer."""
        afc = response.automatic_function_calling_history
        if afc:
            sent = afc[len(self._curated) :]
        answer = response.candidates[0].content if response.candidates else None
        self._comprehensive.extend(sent)
        # An empty model turn keeps user and model turns alternating, as in the official SDK.
        self._comprehensive.append(answer if answer is not None else Content(role="model", parts=[]))
        if answer is not None and answer.parts:
            self._curated.extend([*sent, answer])

    def record_stream(self, sent: list[Content], chunks: list[GenerateContentResponse]) -> None:
        """Add a streamed exchange, joining the chunks' parts into one model turn."""
        parts: list[Part] = []
        for chunk in chunks:
            if chunk.candidates and chunk.candidates[0].content is not None:
                for part in chunk.candidates[0].content.parts or ():
                    if parts and _is_plain_text(parts[-1]) and _is_plain_text(part):
                        parts[-1] = Part(text=(parts[-1].text or "") + (part.text or ""))
                    elif part.text != "" or not _is_plain_text(part):
                        parts.append(part)
        self._comprehensive.extend(sent)
        answer = Content(role="model", parts=parts)
        self._comprehensive.append(answer)
        if parts:
            self._curated.extend([*sent, answer])


def _is_plain_text(part: Part) -> bool:
    return part.text is not None and not part.thought and part.thought_signature is None
