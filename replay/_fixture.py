"""What the `genai_replay` fixture hands a test, and the block that sets a test up and tears it down.

`running` is the whole life of one test's cassette, without pytest: the plugin calls it from the
fixture, and anything else (a script, another test runner) can call it the same way::

    with running(session, state) as replay:
        t = replay.transport()
        ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import genai_min
from replay._cassette import Interaction, Request
from replay._config import Mode
from replay._environment import FAKE_API_KEY, environment, replay_variables
from replay._guards import SkippedSleeps, blocking_network, skipping_sleeps
from replay._httpx import SessionTransport
from replay._session import Session
from replay._vcr import intercepting

if TYPE_CHECKING:
    from google.genai import types


class GenaiReplay:
    """A test's handle on its cassette: clients set up for the mode, and what was played.

    The official SDK and plain httpx clients the test (or the code under test) builds itself are
    recorded and replayed too; `transport()` and `http_options()` only make the fast path explicit.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self.skipped_sleeps = SkippedSleeps()
        self._transports: list[genai_min.Transport] = []

    @property
    def mode(self) -> Mode:
        """The mode this test runs in."""
        return self._session.config.mode

    @property
    def cassette_path(self) -> Path:
        """The cassette file this test reads and writes."""
        assert self._session.path is not None, "a test's session always has its cassette's path"
        return self._session.path

    @property
    def is_replaying(self) -> bool:
        """Whether every request is answered from the cassette (nothing is sent)."""
        return self._session.is_replay_only

    @property
    def requests(self) -> list[Request]:
        """The requests the test sent so far, sanitised as they would be stored."""
        return list(self._session.requests)

    @property
    def played(self) -> list[Interaction]:
        """The recorded interactions served so far, in order."""
        return list(self._session.played)

    @property
    def play_count(self) -> int:
        """How many recorded answers this test was served so far (vcrpy's ``cassette.play_count``).

        A recording served twice (a poll past the end of the recording) counts twice; what is sent
        to the network or recorded does not count.
        """
        return len(self._session.played)

    @property
    def all_played(self) -> bool:
        """Whether every interaction of the cassette was served so far (vcrpy's ``cassette.all_played``).

        True when nothing could go unplayed: the cassette is empty or missing, or the mode answers
        nothing from it (``all``, ``live``, ``once`` recording a new cassette). It is what
        `assert_all_played` asserts. Unlike vcrpy's, interactions this test records do not count.
        """
        player = self._session.player
        return player is None or not player.unplayed

    @property
    def recorded_requests(self) -> list[Request]:
        """The requests of the cassette as the test found it, in order (vcrpy's ``cassette.requests``).

        Empty when there was no cassette. Unlike vcrpy's, what this test records is not added: it is
        in `requests`, with everything else the test sent.
        """
        existing = self._session.existing
        return [] if existing is None else [i.request for i in existing.interactions]

    def transport(self, **kwargs: Any) -> genai_min.Transport:
        """Build a `genai_min.Transport` for this mode; keyword arguments go to its constructor.

        It talks to the test's cassette directly in every mode. Replaying, it answers without a
        socket and needs no real key. Recording, it sends for real (to the emulator when recording
        against it) and records each exchange as it passes, so a stream reaches the test event by
        event and ``timing=True`` keeps its delays. Its sync client is closed when the test ends.
        """
        passing = SessionTransport(self._session)
        kwargs.setdefault("transport", passing)
        kwargs.setdefault("async_transport", passing)
        if self._session.is_replay_only and not kwargs.get("vertexai") and not kwargs.get("api_key"):
            kwargs["api_key"] = FAKE_API_KEY
        transport = genai_min.Transport(**kwargs)
        self._transports.append(transport)
        return transport

    def close(self) -> None:
        """Close the sync clients of the transports built by `transport()` (done after each test)."""
        for transport in self._transports:
            transport.close()

    def http_options(self, **kwargs: Any) -> types.HttpOptions:
        """Build the official SDK's `HttpOptions` for this mode; keyword arguments are its fields.

        The SDK's httpx2 clients then talk to the cassette directly, as `transport()` does.

        >>> client = genai.Client(api_key="any", http_options=genai_replay.http_options())
        """
        from google.genai import types

        from replay.httpx2 import _SessionTransport

        passing = _SessionTransport(self._session)
        kwargs.setdefault("client_args", {"transport": passing})
        kwargs.setdefault("async_client_args", {"transport": passing})
        return types.HttpOptions(**kwargs)

    def assert_all_played(self) -> None:
        """Fail unless every interaction in the cassette was served during this test."""
        player = self._session.player
        if player is None:
            return
        unplayed = player.unplayed
        if unplayed:
            shown = ", ".join(
                f"#{i} {player.cassette.interactions[i].request.method} "
                f"{player.cassette.interactions[i].request.url.split('?', 1)[0]}"
                for i in unplayed[:5]
            )
            more = f" and {len(unplayed) - 5} more" if len(unplayed) > 5 else ""
            raise AssertionError(
                f"{len(unplayed)} recorded interaction(s) of {self.cassette_path} were never played: "
                f"{shown}{more}. Re-record the cassette with --genai-replay-mode=all if the test no "
                "longer sends them"
            )


@contextmanager
def running(
    session: Session,
    *,
    scratch: Path,
    upstream_variables: dict[str, str | None] | None = None,
    is_interrupted: Callable[[], bool] = lambda: False,
) -> Iterator[GenaiReplay]:
    """Set a test up for its mode, yield its `GenaiReplay`, then save the cassette as the mode says.

    A block left by Ctrl-C (`KeyboardInterrupt`, or `is_interrupted()` true at the end: pytest tears
    an interrupted test down after the run ends, without showing the fixture the interrupt) saves
    nothing.

    Replaying: fake credentials fill what the environment lacks, sockets and name lookups beyond
    loopback are refused. Recording against the emulator: `upstream_variables` give clients
    credentials the emulator takes (the session routes their requests to it by host). In both,
    sleeps while an operation is under way return at once, unless the config turns that off.
    Every mode: clients vcrpy can patch are routed to the session.
    """
    replay = GenaiReplay(session)
    with ExitStack() as stack:
        if session.is_replay_only:
            stack.enter_context(environment(replay_variables(scratch)))
            stack.enter_context(blocking_network())
        elif upstream_variables:
            stack.enter_context(environment(upstream_variables))
        # The emulator's operations advance one state per poll, so its polls need no waiting either.
        if session.config.skip_sleeps and (session.is_replay_only or session.relay is not None):
            replay.skipped_sleeps = stack.enter_context(skipping_sleeps(lambda: session.is_waiting))
        stack.enter_context(intercepting(session))
        was_interrupted = False
        try:
            yield replay
        except KeyboardInterrupt:
            was_interrupted = True
            raise
        finally:
            replay.close()
            stack.close()
            session.close(is_interrupted=was_interrupted or is_interrupted())
