"""Serve recorded responses: find the interaction that answers each request.

Each incoming request is sanitised like a recorded one, turned into a key, and looked up in an
index built once per cassette: identical requests (polls, retries) get their recordings in order,
and a poll past the recording gets the last recorded state.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from replay._cassette import Cassette, Interaction, Request, Response
from replay._diff import closest, differences
from replay._errors import NoMatchError
from replay._matchers import MatchOptions, request_key
from replay._placeholders import Identity
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
            recorded = self.sanitiser.request(interaction.request)
            self._index.setdefault(request_key(recorded, self.options), []).append(position)
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

    def answer(self, request: Request) -> Response:
        """Return the recorded response to `request`, with the caller's project and location."""
        response = self.play(request).response
        identity = Identity.of(request.url)
        if not identity:
            return response
        headers = tuple((name, identity.reveal(value)) for name, value in response.headers)
        return replace(response, headers=headers, body=identity.reveal_body(response.body))

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
