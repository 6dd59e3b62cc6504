"""Serve recorded responses: the replaying httpx transport, which never opens a socket.

Each incoming request is sanitised like a recorded one, turned into a key, and looked up in an
index built once per cassette: identical requests (polls, retries) get their recordings in order,
and a poll past the recording gets the last recorded state.
"""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from replay._cassette import Body, BodyKind, Cassette, Interaction, Request
from replay._diff import closest, differences
from replay._errors import NoMatchError
from replay._matchers import MatchOptions, request_key
from replay._sanitiser import Sanitiser

RECORD_HINT = "re-run with --genai-replay-mode=new_episodes to record it"


class Player:
    """Look requests up in a cassette and say which interaction answers each."""

    def __init__(
        self,
        cassette: Cassette,
        *,
        path: Path | None = None,
        sanitiser: Sanitiser | None = None,
        options: MatchOptions | None = None,
    ) -> None:
        self.cassette = cassette
        self.path = path
        self.sanitiser = sanitiser or Sanitiser()
        self.options = options or MatchOptions()
        self._index: dict[str, list[int]] = {}
        for position, interaction in enumerate(cassette.interactions):
            self._index.setdefault(request_key(interaction.request, self.options), []).append(position)
        self._served: dict[str, int] = {}
        self.played: list[int] = []
        self._lock = threading.Lock()

    def play(self, request: Request) -> Interaction:
        """Return the interaction that answers `request`, or raise `NoMatchError`."""
        clean = self.sanitiser.request(request)
        key = request_key(clean, self.options)
        with self._lock:
            positions = self._index.get(key)
            if positions is None:
                raise self._miss(clean)
            count = self._served.get(key, 0)
            self._served[key] = count + 1
            position = positions[min(count, len(positions) - 1)]
            self.played.append(position)
        return self.cassette.interactions[position]

    @property
    def unplayed(self) -> list[int]:
        """Return the positions of interactions never served."""
        seen = set(self.played)
        return [i for i in range(len(self.cassette.interactions)) if i not in seen]

    def _miss(self, request: Request) -> NoMatchError:
        recorded = [i.request for i in self.cassette.interactions]
        nearest = closest(request, recorded)
        where = str(self.path) if self.path else "the cassette"
        lines = [f"no recorded interaction in {where} matches {request.method} {request.url}"]
        diff: list[str] = []
        if nearest is None:
            lines.append("the cassette is empty")
        else:
            diff = differences(nearest, request)
            lines.append(f"closest recorded request: {nearest.method} {nearest.url}, which differs at:")
            lines.extend(f"  {line}" for line in diff[:20])
        lines.append(RECORD_HINT)
        return NoMatchError("\n".join(lines), cassette_path=self.path, request=request, differences=diff)


class ReplayTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport (sync and async) that answers from a cassette and never opens a socket.

    >>> t = genai_min.Transport(api_key="any", transport=ReplayTransport(player),
    ...                         async_transport=ReplayTransport(player))
    """

    def __init__(self, player: Player) -> None:
        self.player = player

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer `request` from the cassette."""
        return self._respond(request, request.read())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer `request` from the cassette."""
        return self._respond(request, await request.aread())

    def _respond(self, request: httpx.Request, content: bytes) -> httpx.Response:
        recorded = self.player.play(to_request(request, content))
        response = recorded.response
        headers = dict(response.headers)
        if response.body.kind is BodyKind.JSON:
            headers.setdefault("content-type", "application/json; charset=UTF-8")
        elif response.body.kind is BodyKind.SSE:
            headers.setdefault("content-type", "text/event-stream")
        return httpx.Response(response.status, headers=headers, content=response.body.to_bytes())


def to_request(request: httpx.Request, content: bytes) -> Request:
    """Turn an httpx request into the replay core's plain value."""
    content_type = request.headers.get("content-type", "")
    return Request(
        request.method,
        str(request.url),
        tuple(request.headers.items()),
        Body.from_bytes(content, content_type),
    )
