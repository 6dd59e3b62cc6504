"""Serve recorded responses: find the interaction that answers each request.

Each incoming request is sanitised like a recorded one, turned into a key, and looked up in an
index built once per cassette: identical requests (polls, retries) get their recordings in order,
and a poll past the recording gets the last recorded state.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from replay._cassette import BLOB_THRESHOLD, Body, BodyKind, Cassette, Interaction, Request, Response
from replay._matchers import MatchOptions, request_key
from replay._miss import unmatched
from replay._placeholders import Identity
from replay._sanitiser import Sanitiser


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
        self._index: dict[str, list[int]] | None = None
        self._by_wire: dict[tuple[str, str, bytes], str] = {}
        self._served: dict[str, int] = {}
        self.played: list[int] = []
        self._lock = threading.Lock()

    def _build_indexes(self) -> tuple[dict[str, list[int]], dict[tuple[str, str, bytes], str]]:
        index: dict[str, list[int]] = {}
        by_wire: dict[tuple[str, str, bytes], str] = {}
        for position, interaction in enumerate(self.cassette.interactions):
            request = interaction.request
            key = self._recorded_key(request)
            index.setdefault(key, []).append(position)
            if request.body.blob is None:  # a blob stays in its file; it is matched by its hash
                for wire in _sent_forms(request.body):
                    by_wire[(request.method.upper(), request.url, wire)] = key
        return index, by_wire

    def _recorded_key(self, request: Request) -> str:
        # Recorded requests were sanitised when recorded; a cassette written by hand may still
        # name a real project or location in its URL, which the incoming side has hidden.
        identity = Identity.of(request.url)
        if identity:
            request = replace(request, url=identity.hide(request.url))
        return request_key(request, self.options)

    def play(self, request: Request, *, rerun: str | None = None) -> Interaction:
        """Return the interaction that answers `request`, or raise `NoMatchError`.

        Custom matchers are asked about each recording whose key matches, in recorded order; their
        reasons for refusing (an `AssertionError`'s message) go into the miss. `rerun` is the command
        that re-records the test, for the miss to show.
        """
        matching = self.sanitiser.matching(request)
        key = request_key(matching, self.options)
        reasons: list[str] = []
        accept = None
        if self.options.matchers:
            accept = lambda position: self._accepts(matching, position, reasons)  # noqa: E731
        position = self._take(key, accept)
        if position is None:
            raise unmatched(
                self.sanitiser.request(request),
                self.cassette,
                self.path,
                self.options,
                reasons=reasons,
                rerun=rerun,
            )
        return self.cassette.interactions[position]

    def _accepts(self, request: Request, position: int, reasons: list[str]) -> bool:
        recorded = self.cassette.interactions[position].request
        for matcher in self.options.matchers:
            name = getattr(matcher, "__name__", repr(matcher))
            try:
                if not matcher(request, recorded):
                    reasons.append(f"#{position}: matcher {name} said no")
                    return False
            except AssertionError as error:
                reasons.append(f"#{position}: matcher {name}: {error or 'assertion failed'}")
                return False
        return True

    def play_wire(self, method: str, url: str, content: bytes) -> Interaction | None:
        """Return the interaction recorded for exactly these bytes, without parsing them; else None.

        The fast path of replaying: a client replaying its own recording sends the same bytes
        (bodies are stored as parsed JSON and rebuilt compactly, as httpx and genai_min send them,
        and the official SDK's ``json.dumps`` form is indexed too). None means only that the bytes
        differ; `play` then decides on the normalised request.
        """
        if self.options.matchers:
            return None  # a custom matcher may look at what the bytes do not show
        by_wire = self._ready()[1]
        key = by_wire.get((method.upper(), url, content))
        position = None if key is None else self._take(key)
        return None if position is None else self.cassette.interactions[position]

    def _ready(self) -> tuple[dict[str, list[int]], dict[tuple[str, str, bytes], str]]:
        # The indexes are built on first use, so loading a cassette costs no more than reading it.
        with self._lock:
            if self._index is None:
                self._index, self._by_wire = self._build_indexes()
            return self._index, self._by_wire

    def _take(self, key: str, accept: Callable[[int], bool] | None = None) -> int | None:
        index = self._ready()[0]
        positions = index.get(key)
        if positions is not None and accept is not None:
            positions = [p for p in positions if accept(p)]  # outside the lock: matchers are user code
            key = json.dumps([key, positions])
        with self._lock:
            if not positions:
                return None
            count = self._served.get(key, 0)
            self._served[key] = count + 1
            position = positions[min(count, len(positions) - 1)]
            self.played.append(position)
            return position

    @staticmethod
    def revealed(response: Response, url: str) -> Response:
        """Put the project and location of `url` (the caller's) back into a recorded response."""
        identity = Identity.of(url)
        if not identity:
            return response
        headers = tuple((name, identity.reveal(value)) for name, value in response.headers)
        return replace(response, headers=headers, body=identity.reveal_body(response.body))

    @property
    def unplayed(self) -> list[int]:
        """Return the positions of interactions never served."""
        seen = set(self.played)
        return [i for i in range(len(self.cassette.interactions)) if i not in seen]


def _sent_forms(body: Body) -> tuple[bytes, ...]:
    """The bytes clients send for a recorded body: compact JSON (httpx, genai_min) or, for JSON,
    Python's default ``json.dumps`` form too (the official SDK's)."""
    if body.kind is not BodyKind.JSON or len(body.wire) > BLOB_THRESHOLD:
        return (body.wire,)  # a large body (inline media) is not held twice: it takes the parsed path
    return (body.wire, json.dumps(body.json).encode())
