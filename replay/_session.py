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

Some requests are left alone, in every mode: neither answered from the cassette nor recorded nor
listed in `Session.requests`, but sent as they are (`Send.left_alone_by` says why). Those to a
host in the config's ``ignore_hosts``, or to this machine (127.0.0.0/8, ::1, ``localhost``,
0.0.0.0) with ``ignore_localhost``, are told apart by the URL's host once `local_base` is mapped
back to the service's (so the emulator's traffic is still recorded); and those the
``before_record_request`` hook returns None for. Replaying, the fixture's network guard still
refuses whatever of them would open a socket beyond loopback (0.0.0.0 included): an ignored public
host is blocked, never reached, though an ``httpx.MockTransport`` for it, which opens none, answers.

The hooks are vcrpy's, on our frozen values: each returns ``dataclasses.replace(value, ...)`` to
change one (or the value itself). ``before_record_request`` gets each request but those left alone
by host and token exchanges, as the client sent it (credentials included, before the sanitiser):
what it returns is what is matched against the cassette and what is recorded, sanitised after it;
the request sent is still the one the client built. While it is set, replaying skips the byte-exact
fast path, whose bytes are the client's. ``before_record_response`` gets a copy of each response
about to be recorded, before the sanitiser, and returns what to record (None: nothing for that
request); the final credential scan still refuses a cassette that would leak.
"""

from __future__ import annotations

import copy
import reprlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from genai_min._hosts import api_version_of, backend_of, canonical_url, is_service_url
from genai_min._http import JSONObject
from replay._cassette import Body, BodyKind, Cassette, Interaction, Meta, Request, Response
from replay._cassette_json import load_cassette
from replay._config import Config, Mode
from replay._errors import ConfigError, NetworkBlockedError, NoMatchError
from replay._guards import is_loopback_host
from replay._ledger import Ledger
from replay._miss import no_cassette
from replay._player import Player
from replay._recorder import Pending, Recorder
from replay._relay import SCOPE_HEADER, Relay
from replay._sanitiser import Sanitiser, is_token_request
from replay._staging import Staging

FAKE_ACCESS_TOKEN = "genai-replay-fake-access-token"
_Value = TypeVar("_Value", Request, Response)
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
    is_loosened: bool = False
    """Whether this test matched under a policy looser than the default (`MatchOptions.is_loosened`)."""
    test: str = ""
    """The test's id, for the commands the report prints ('' outside pytest)."""
    stale: str = ""
    """Why the cassette was stale when the test opened it (`Staleness`): '' when it was not, or when
    nothing asked (no `max_age`, or a mode that does not replay)."""
    age: str = ""
    """How old the stale cassette was, in a few words (`Staleness.age_text`), for the report's lists."""
    on_stale: str = ""
    """What became of a stale cassette: ``warn``, ``fail`` or ``record`` (`OnStale`, as applied);
    ``record`` also for a test that joined a re-recording of its shared cassette."""
    not_refreshed: str = ""
    """Why a stale cassette could not be re-recorded as ``on_stale=record`` asked, and what to do."""


@dataclass(frozen=True)
class Send:
    """The session's instruction to an adapter: send the request to `url`, then hand the answer back.

    `url` is the request's own URL, or the emulator's address for it (recording against the
    emulator); the request keeps its own ``Host`` header either way. `pending` is the recording's
    place for the exchange (None when nothing is stored: mode ``live``, or a token exchange).
    `staging` is where a large binary answer may wait while it arrives.

    `left_alone_by` names the setting that leaves the request alone (``ignore_hosts``,
    ``ignore_localhost`` or ``before_record_request``): the adapter sends it exactly as the client
    built it, wherever it was going, and need not hand the answer back (`received` ignores it).

    `headers` are added to a request sent to the emulator: the scope its ids are counted in (the
    test's id), so they do not depend on which tests ran before. They are never recorded.
    """

    url: str
    request: Request
    pending: Pending | None = None
    staging: Staging | None = None
    is_token: bool = False
    left_alone_by: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def is_left_alone(self) -> bool:
        """Whether the session neither answers nor records this request (see `left_alone_by`)."""
        return bool(self.left_alone_by)


class Session:
    """Answer, record and save the interactions of one cassette: the one way into the replay core.

    Every adapter (the httpx and httpx2 transports, the vcrpy bridge, ``serve``) hands each request
    to `enter`, which answers it from the cassette (byte-exact first, then by matching), refuses it
    with `NoMatchError`, or tells the adapter to send it (`Send`); what comes back is handed to
    `received`, which records it. `relay` (recording against the emulator) is where requests to
    Google's hosts go, whatever host the client meant; `local_base` is a local address (the
    emulator's, or ``serve``'s) whose URLs are put back on the service's host before anything else.
    `config` also says which requests are left alone and holds the hooks (module docstring).
    Build one with `for_cassette` (the fixture), `replaying` or `recording` (the transports).
    """

    def __init__(
        self,
        path: Path | None,
        config: Config,
        *,
        player: Player | None = None,
        recorder: Recorder | None = None,
        sanitiser: Sanitiser | None = None,
        existing: Cassette | None = None,
        relay: Relay | None = None,
        local_base: str | None = None,
    ) -> None:
        self.path = path
        self.config = config
        mode = config.mode
        self.player = player
        self.recorder = recorder
        self.sanitiser = sanitiser or (player.sanitiser if player is not None else Sanitiser())
        self.existing = existing
        self.is_replay_only = recorder is None and mode is not Mode.LIVE
        self.relay = relay
        self.local_base = local_base
        self._is_ignoring_hosts = bool(config.ignore_hosts) or config.ignore_localhost
        self.outcome = Outcome(path or Path(), mode, is_loosened=config.match_options.is_loosened)
        self._seen: list[tuple[Request, bool]] = []  # (request, whether already sanitised)
        self.played: list[Interaction] = []
        self.is_waiting = False
        self._was_unfinished = False
        """Whether the last answer showed an operation or job under way (its polls need no sleep)."""
        self._clients: dict[str, str] = {}
        self._lock = threading.Lock()
        self.rerun: str | None = None
        """The command that re-records this test, for a miss to show (the plugin sets it)."""
        self.scope = ""
        """The test's id, sent to the emulator so that its ids are counted per test (the plugin sets it)."""

    @classmethod
    def for_cassette(
        cls,
        path: Path,
        config: Config,
        *,
        relay: Relay | None = None,
        ledger: Ledger | None = None,
        loaded: Cassette | None = None,
        is_refreshing: bool = False,
    ) -> Session:
        """Open the session of a test's cassette at `path` in `config`'s mode.

        With `relay`, what is recorded is sent to the emulator and the cassette says so. With the
        run's `ledger`, tests sharing a cassette share it as one run: mode ``all`` replaces it once
        and then extends it, and ``once`` keeps recording into a cassette this run created.
        `loaded` is the cassette at `path` when the caller has read it already (else it is read
        here). `is_refreshing` (mode ``all``, re-recording a stale cassette) dates the cassette
        anew even when its interactions come out the same.
        """
        existing = loaded if loaded is not None else load_cassette(path) if path.exists() else None
        mode = config.mode
        is_reopened = (
            mode is Mode.ONCE and existing is not None and ledger is not None and ledger.is_claimed(path)
        )
        is_replay_only = mode is Mode.NONE or (mode is Mode.ONCE and existing is not None and not is_reopened)
        is_recording = mode in (Mode.ALL, Mode.NEW_EPISODES) or (mode is Mode.ONCE and not is_replay_only)
        sanitiser = Sanitiser(rules=config.rules)
        player = None
        if is_replay_only or mode is Mode.NEW_EPISODES or is_reopened:
            player = Player(
                existing or Cassette(), path=path, sanitiser=sanitiser, options=config.match_options
            )
        recorder = None
        local_base = relay.url if relay is not None else None
        if is_recording:
            claim = ledger.claim(path) if ledger is not None and mode is not Mode.NEW_EPISODES else None
            recorder = Recorder(
                path,
                meta=Meta(recorded_against="emulator" if relay is not None else "live"),
                sanitiser=sanitiser,
                previous=existing,
                extend=mode is Mode.NEW_EPISODES or is_reopened,
                canonical=(lambda text: canonical_url(text, local_base)) if local_base else None,
                timing=config.timing,
                claim=claim,
                is_refreshing=is_refreshing,
            )
        return cls(
            path,
            config,
            player=player,
            recorder=recorder,
            sanitiser=sanitiser,
            existing=existing,
            relay=relay,
            local_base=local_base,
        )

    @classmethod
    def replaying(cls, player: Player, *, local_base: str | None = None) -> Session:
        """Answer only from `player`'s cassette; a request it cannot answer raises `NoMatchError`."""
        return cls(
            player.path,
            Config(mode=Mode.NONE),
            player=player,
            existing=player.cassette,
            local_base=local_base,
        )

    @classmethod
    def recording(cls, recorder: Recorder, player: Player | None = None) -> Session:
        """Send and record with `recorder`; with `player`, answer what it knows and record the rest."""
        config = Config(mode=Mode.ALL if player is None else Mode.NEW_EPISODES, timing=recorder.timing)
        return cls(recorder.path, config, player=player, recorder=recorder, sanitiser=recorder.sanitiser)

    @property
    def requests(self) -> list[Request]:
        """The requests asked of this session so far, as the request hook shaped them and sanitised as
        they would be stored; those left alone (`Send.left_alone_by`) and token exchanges are not listed."""
        with self._lock:
            seen = list(self._seen)
        return [request if is_clean else self.sanitiser.request(request) for request, is_clean in seen]

    # -- the entry ------------------------------------------------------------------------------

    def enter(
        self,
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]],
        content: bytes,
        *,
        can_aim: bool = True,
    ) -> Response | Send:
        """Decide what becomes of one request: its recorded answer, or where to send it.

        Raises `NoMatchError` when the mode replays only and the cassette has no answer. `can_aim`
        says whether the adapter can send a request elsewhere than its URL; when it cannot (vcrpy's
        clients) and the request is for the emulator, the session sends it there itself, records
        the exchange and returns the answer. A request left alone comes back as a `Send` whose
        `left_alone_by` is set, in every mode.
        """
        if self.local_base is not None:
            url = canonical_url(url, self.local_base)
        if self._is_ignoring_hosts and (setting := _ignored_by(url, self.config)):
            return Send(url, Request(method.upper(), url), left_alone_by=setting)
        hook = self.config.before_record_request
        if self.player is not None and hook is None:  # the bytes as sent are not what a hook returns
            interaction = self.player.play_wire(method, url, content)
            if interaction is not None:
                return self._served(interaction, (interaction.request, True), url)
        pairs = tuple(headers)
        content_type = next((v for k, v in pairs if k.lower() == "content-type"), "")
        sent = Request(method.upper(), url, pairs, Body.from_bytes(content, content_type))
        if is_token_request(url, sent.body):
            if self.is_replay_only:
                return _fake_token_response()
            return self._sent(self._send(url, sent, is_token=True), content, can_aim=can_aim)
        request = sent if hook is None else _shaped(hook, sent, "before_record_request")
        if request is None:
            return Send(url, sent, left_alone_by="before_record_request")
        seen = (request, False)  # sanitised only if `requests` is read: this is the replaying path
        if self.player is not None and (self.existing is not None or not self.is_replay_only):
            try:
                interaction = self.player.play(request, rerun=self.rerun)
            except NoMatchError:
                if self.is_replay_only:
                    self._note_miss(seen)
                    raise
            else:
                return self._served(interaction, seen, url)
        elif self.is_replay_only:
            self._note_miss(seen)
            raise no_cassette(request, self.path or Path())
        with self._lock:
            self._seen.append(seen)
        send = self._send(url, sent)  # what is sent is the client's request; the hook's is recorded
        if self.recorder is not None:
            send = replace(send, pending=self.recorder.start(request), staging=self.recorder.staging)
        return self._sent(send, content, can_aim=can_aim)

    def received(
        self, send: Send, response: Response, *, cut: str | None = None, event_times: Sequence[float] = ()
    ) -> None:
        """Record the answer to a request `enter` had sent (token exchanges only feed the credential scan).

        `event_times` are when each streamed event arrived (from when the request was sent), kept as
        the stream's delays when the recording asks for timing. The ``before_record_response`` hook
        gets a copy of the response (with its cut and delays) and returns what is recorded; None
        records nothing for this request. A request left alone records nothing.
        """
        if send.is_left_alone:
            return
        self._note_client(send.request)
        if send.is_token:
            secrets = self.recorder.secrets if self.recorder is not None else None
            clean = self.sanitiser.request(send.request, secrets)
            self.sanitiser.response(response, clean.url, secrets)
            return
        if self.recorder is None or send.pending is None:
            return
        body = response.body
        if self.recorder.timing and body.kind is BodyKind.SSE and 0 < len(event_times) == len(body.events):
            gaps = [b - a for a, b in zip([0.0, *event_times], event_times, strict=False)]
            response = replace(
                response, body=replace(body, delays=tuple(round(max(g, 0.0), 3) for g in gaps))
            )
        hook = self.config.before_record_response
        recorded: Response | None = response
        if hook is not None:
            # A copy: the relay plays `response` back to the client after this, unchanged by the hook.
            whole = replace(response, body=_copied(response.body), cut=cut or response.cut)
            recorded, cut = _shaped(hook, whole, "before_record_response"), None
        if recorded is None:
            self.recorder.drop(send.pending)
        else:
            self.recorder.finish(send.pending, recorded, cut=cut)
        with self._lock:
            if recorded is not None:
                self.outcome.recorded += 1
            self._note_progress(response.body)

    def _sent(self, send: Send, content: bytes, *, can_aim: bool) -> Response | Send:
        if can_aim or self.relay is None or send.url == send.request.url:
            return send
        headers = (*send.request.headers, *send.headers)
        response, cut = self.relay.send(send.request.method, send.request.url, headers, content)
        self.received(send, response, cut=cut)
        return response

    def _send(self, url: str, request: Request, *, is_token: bool = False) -> Send:
        """Say where a request for `url` goes: the emulator for Google's hosts when relaying, in this
        test's scope."""
        if self.relay is not None and is_service_url(url):
            scope = ((SCOPE_HEADER, self.scope),) if self.scope else ()
            return Send(self.relay.aim(url), request, is_token=is_token, headers=scope)
        return Send(url, request, is_token=is_token)

    def _note_miss(self, seen: tuple[Request, bool]) -> None:
        with self._lock:
            self._seen.append(seen)
            self.outcome.missed += 1

    def _served(self, interaction: Interaction, seen: tuple[Request, bool], url: str) -> Response:
        assert self.player is not None
        response = self.player.revealed(interaction.response, url)
        with self._lock:
            self._seen.append(seen)
            self.played.append(interaction)
            self.outcome.replayed += 1
            self._note_progress(response.body)
        return response

    def _note_client(self, request: Request) -> None:
        for name, value in request.headers:
            if name.lower() == "user-agent" and value:
                self._clients.setdefault("client", value.split(" ", 1)[0])

    def close(self, *, is_interrupted: bool = False) -> Outcome:
        """Save the cassette if this mode writes and something changed; return the outcome.

        An interrupted test (Ctrl-C) saves nothing: its cassette stays as it was before the test.
        """
        if self.recorder is not None and is_interrupted:
            self.recorder.discard()
        elif self.recorder is not None and self.outcome.recorded:
            cassette = self.recorder.cassette()
            meta = _describe(cassette, self._clients.get("client", ""))
            self.recorder.meta = replace(self.recorder.meta, **meta)
            self.outcome.is_new = self.existing is None
            self.outcome.is_changed = self.recorder.changed and not self.outcome.is_new
            # A claimed cassette is saved even when unchanged: the save marks it as this run's. A
            # refreshed one is too: its new recording time is the point.
            if self.recorder.changed or self.recorder.claim is not None or self.recorder.is_refreshing:
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


@contextmanager
def explaining(send: Send) -> Iterator[None]:
    """Note on the network guard's refusal, raised in the block, why a request left alone was sent at all.

    For the adapters that send such a request themselves (the fixture's transports): vcrpy's
    clients send theirs out of our reach, where the guard's own message stands alone.
    """
    try:
        yield
    except NetworkBlockedError as error:
        if send.is_left_alone:
            host = urlsplit(send.request.url).hostname
            error.add_note(
                f"genai_replay left this {send.request.method} request to {host!r} alone "
                f"({send.left_alone_by}): it was sent as it is, not answered from the cassette, and "
                f"replaying nothing may leave loopback; {_ADVICE.get(send.left_alone_by, '')}"
            )
        raise


_ADVICE = {
    "ignore_hosts": "serve that host on 127.0.0.1 (or give its client an httpx.MockTransport), or take "
    "it out of ignore_hosts so that its exchanges are recorded and replayed",
    "ignore_localhost": "the guard takes only 127.0.0.0/8, ::1 and localhost for this machine: call one "
    "of those instead of 0.0.0.0",
    "before_record_request": "have the hook return the request (changed as it needs) so that it is "
    "answered from the cassette",
}


def _ignored_by(url: str, config: Config) -> str:
    """Name the setting that leaves requests to `url`'s host alone ('' when none does)."""
    host = urlsplit(url).hostname or ""  # lower-case, IPv6 without brackets
    if host in config.ignore_hosts:
        return "ignore_hosts"
    if config.ignore_localhost and _is_this_machine(host):
        return "ignore_localhost"
    return ""


@lru_cache(maxsize=64)
def _is_this_machine(host: str) -> bool:
    # Cached: telling a name from an IP literal costs two failed parses, on every request.
    return host == "0.0.0.0" or is_loopback_host(host)


def _shaped(hook: Callable[[Any], Any], value: _Value, setting: str) -> _Value | None:
    """Run a user's hook on `value`; refuse what it returns unless it is the same kind of value, or None."""
    shaped: object = hook(value)
    if shaped is None or isinstance(shaped, type(value)):
        return shaped
    kind = type(value).__name__
    raise ConfigError(
        f"genai_replay's {setting} hook {getattr(hook, '__qualname__', hook)!r} returned "
        f"{reprlib.repr(shaped)}; it must return a replay.{kind} (build a changed one with "
        f"dataclasses.replace({kind.lower()}, ...)) or None"
    )


def _copied(body: Body) -> Body:
    """Return a copy of `body` whose JSON may be changed in place (`replace` drops the cached wire form)."""
    if body.kind in (BodyKind.JSON, BodyKind.SSE):
        return replace(body, json=copy.deepcopy(body.json), events=copy.deepcopy(body.events))
    return body


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
    urls = [i.request.url for i in cassette.interactions]
    backends = sorted({backend_of(url) for url in urls})
    versions = sorted({version for url in urls if (version := api_version_of(url))})
    name, _, version = client.partition("/")
    return {
        "backend": "+".join(backends) or "gemini",
        "api_version": "+".join(versions),
        "client": name,
        "client_version": version,
    }
