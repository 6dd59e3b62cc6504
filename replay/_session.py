"""One test's use of one cassette: answer requests from it, record what the mode allows, save at the end.

Every way in (the fixture's own transports, and clients intercepted through vcrpy) asks the same
`Session`, so a test sees one cassette whichever client it calls Gemini with. What each mode does:

- ``none``: answer from the cassette; anything else fails with `NoMatchError` (never sent).
- ``once``: like ``none`` when the cassette exists; when it does not, send and record everything.
- ``new_episodes``: answer what the cassette has; send and record the rest, after what it holds.
- ``all``: send and record everything, replacing the cassette (quietly, when nothing changed).
- ``live``: send everything, write nothing.

Token exchanges with Google's OAuth endpoint are never stored: while recording they are sent (their
secrets noted for the final credential scan), and while replaying they get a harmless fake token.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from genai_min._http import JSONObject
from replay._cassette import Body, BodyKind, Cassette, Interaction, Meta, Request, Response, load_cassette
from replay._config import Config, Mode
from replay._errors import NoMatchError
from replay._player import Player
from replay._recorder import Recorder
from replay._sanitiser import Sanitiser, is_token_request

FAKE_ACCESS_TOKEN = "genai-replay-fake-access-token"
_FINISHED_STATES = ("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED", "ACTIVE")
_UNFINISHED_STATES = (
    "PENDING",
    "QUEUED",
    "RUNNING",
    "PROCESSING",
    "CANCELLING",
    "PAUSED",
    "UPDATING",
    "CREATING",
)


@dataclass
class Outcome:
    """What one test did with its cassette, for the end-of-run report."""

    path: Path
    mode: Mode
    replayed: int = 0
    recorded: int = 0
    unplayed: int = 0
    missed: int = 0
    is_new: bool = False
    is_changed: bool = False
    interactions: int = 0
    """How many interactions the replayed cassette held (0 when nothing was replayed from one)."""
    played: list[int] = field(default_factory=list)
    """Which of them this test played: tests sharing a cassette each play part of it."""


class Session:
    """Answer, record and save the interactions of one cassette for one test.

    `canonical` (when recording against the emulator) rewrites the emulator's address into the
    service's host, in what is stored and in what is looked up.
    """

    def __init__(
        self,
        path: Path,
        config: Config,
        *,
        recorded_against: str = "live",
        canonical: Callable[[str], str] | None = None,
    ) -> None:
        self.path = path
        self.config = config
        self.canonical = canonical
        self.existing: Cassette | None = load_cassette(path) if path.exists() else None
        mode = config.mode
        self.is_replay_only = mode is Mode.NONE or (mode is Mode.ONCE and self.existing is not None)
        self.is_recording = mode in (Mode.ALL, Mode.NEW_EPISODES) or (mode is Mode.ONCE and not self.existing)
        sanitiser = Sanitiser(rules=config.rules)
        self.player: Player | None = None
        if self.is_replay_only or mode is Mode.NEW_EPISODES:
            self.player = Player(
                self.existing or Cassette(), path=path, sanitiser=sanitiser, options=config.match_options
            )
        self.recorder: Recorder | None = None
        if self.is_recording:
            self.recorder = Recorder(
                path,
                meta=Meta(recorded_against=recorded_against),
                sanitiser=sanitiser,
                previous=self.existing,
                extend=mode is Mode.NEW_EPISODES,
                canonical=canonical,
                timing=config.timing,
            )
        self.sanitiser = sanitiser
        self.outcome = Outcome(path, mode)
        self._seen: list[tuple[Request, bool]] = []  # (request, whether already sanitised)
        self.played: list[Interaction] = []
        self.is_waiting = False
        self._was_unfinished = False
        """Whether the last answer showed an operation or job under way (its polls need no sleep)."""
        self._clients: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def requests(self) -> list[Request]:
        """The requests asked of this session so far, sanitised as they would be stored."""
        with self._lock:
            seen = list(self._seen)
        return [request if is_clean else self.sanitiser.request(request) for request, is_clean in seen]

    def answer(self, request: Request) -> Response:
        """Return the recorded answer to `request`; raise `NoMatchError` when there is none.

        What the replaying transports call; in a recording mode they are not used.
        """
        response = self.lookup(request)
        if response is None:
            raise NoMatchError(
                f"{request.method} {_shown_url(request.url)} cannot be sent from a replaying transport "
                f"in mode {self.config.mode.value!r}",
                cassette_path=self.path,
                request=request,
                differences=[],
            )
        return response

    def lookup(self, request: Request) -> Response | None:
        """Return the recorded answer to `request`, or None when it is to be sent for real.

        Raises `NoMatchError` when the mode replays only and the cassette has no answer.
        """
        if is_token_request(self._canonical(request.url), request.body):
            return None if not self.is_replay_only else _fake_token_response()
        seen = (request, False)  # sanitised only if `requests` is read: this is the replaying path
        if self.player is None:
            with self._lock:
                self._seen.append(seen)
            return None
        if self.is_replay_only and self.existing is None:
            with self._lock:
                self._seen.append(seen)
                self.outcome.missed += 1
            raise NoMatchError(
                f"no cassette at {self.path} to answer {request.method} {_shown_url(request.url)}; "
                "record it with --genai-replay-mode=once",
                cassette_path=self.path,
                request=request,
                differences=[],
            )
        lookup = replace(request, url=self._canonical(request.url))
        try:
            interaction = self.player.play(lookup)
        except NoMatchError:
            with self._lock:
                self._seen.append(seen)
                self.outcome.missed += self.is_replay_only
            if self.is_replay_only:
                raise
            return None
        return self._served(interaction, seen, request.url)

    def answer_wire(self, method: str, url: str, content: bytes) -> Response | None:
        """Answer a request that is byte for byte a recorded one without parsing it, else None.

        The replaying transports' fast path (see `Player.answer_wire`); `answer` decides the rest.
        """
        if self.player is None or self.canonical is not None:
            return None
        interaction = self.player.play_wire(method, url, content)
        if interaction is None:
            return None
        return self._served(interaction, (interaction.request, True), url)

    def _served(self, interaction: Interaction, seen: tuple[Request, bool], url: str) -> Response:
        assert self.player is not None
        response = self.player.revealed(interaction.response, url)
        with self._lock:
            self._seen.append(seen)
            self.played.append(interaction)
            self.outcome.replayed += 1
            self._note_progress(response.body)
        return response

    def record(self, request: Request, response: Response) -> None:
        """Store one exchange that was sent for real (token exchanges only feed the credential scan)."""
        if is_token_request(self._canonical(request.url), request.body):
            secrets = self.recorder.secrets if self.recorder is not None else None
            clean = self.sanitiser.request(request, secrets)
            self.sanitiser.response(response, clean.url, secrets)
            return
        for name, value in request.headers:
            if name.lower() == "user-agent" and value:
                self._clients.setdefault("client", value.split(" ", 1)[0])
        if self.recorder is None:
            return
        self.recorder.finish(self.recorder.start(request), response)
        with self._lock:
            self.outcome.recorded += 1
            self._note_progress(response.body)

    def finish(self) -> Outcome:
        """Save the cassette if this mode writes and something changed; return the outcome."""
        if self.recorder is not None and self.outcome.recorded:
            cassette = self.recorder.cassette()
            meta = _describe(cassette, self._clients.get("client", ""))
            self.recorder.meta = replace(self.recorder.meta, **meta)
            self.outcome.is_new = self.existing is None
            self.outcome.is_changed = self.recorder.changed and not self.outcome.is_new
            if self.recorder.changed:
                self.recorder.save()
        if self.player is not None:
            self.outcome.unplayed = len(self.player.unplayed)
            self.outcome.interactions = len(self.player.cassette.interactions)
            self.outcome.played = sorted(set(self.player.played))
        return self.outcome

    def _note_progress(self, body: Body) -> None:
        # Sleeps are skipped while the last operation seen is under way, and once more right after
        # the answer that says it is done (a loop that polls, then sleeps, sleeps once more).
        progress = _progress(body)
        if progress is None:
            self.is_waiting = self._was_unfinished
            return
        self.is_waiting = progress or self._was_unfinished
        self._was_unfinished = progress

    def _canonical(self, url: str) -> str:
        return self.canonical(url) if self.canonical is not None else url


def _fake_token_response() -> Response:
    body: JSONObject = {"access_token": FAKE_ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer"}
    return Response(200, (("content-type", "application/json"),), Body(BodyKind.JSON, json=body))


def _progress(body: Body) -> bool | None:
    """Say whether a response shows work under way (True), finished (False), or is no operation (None)."""
    value = body.json if body.kind is BodyKind.JSON else None
    if not isinstance(value, dict):
        return None
    if "/operations/" in str(value.get("name", "")) or "done" in value:
        return not value.get("done")
    metadata = value.get("metadata")
    state = value.get("state") or (metadata.get("state") if isinstance(metadata, dict) else None)
    if not isinstance(state, str):
        return None
    if state.endswith(_UNFINISHED_STATES):
        return True
    return False if state.endswith(_FINISHED_STATES) else None


def _describe(cassette: Cassette, client: str) -> dict[str, str]:
    """Read backend, API version and client off what was recorded, for the cassette's metadata."""
    hosts = {urlsplit(i.request.url).hostname or "" for i in cassette.interactions}
    backends = sorted({"vertex" if "aiplatform" in host else "gemini" for host in hosts if host})
    versions = sorted(
        {
            segment
            for i in cassette.interactions
            for segment in urlsplit(i.request.url).path.split("/")[1:3]
            if segment.startswith("v1")
        }
    )
    name, _, version = client.partition("/")
    return {
        "backend": "+".join(backends) or "gemini",
        "api_version": "+".join(versions),
        "client": name,
        "client_version": version,
    }


def _shown_url(url: str) -> str:
    return url.split("?", 1)[0]
