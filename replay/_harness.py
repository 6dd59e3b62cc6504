"""What a recording or replaying run keeps across its tests: scratch files, the emulator, the report.

The pytest plugin holds one `Harness` per run, and so does the script runner of `genai-replay
record`. Each test's cassette gets a `Session` from `session()`, which first settles what a stale
cassette does (`max_age`, `on_stale`), and is run by `running()`. The emulator is started the first
time a test records against it, and stopped by `close()`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from replay._age import OnStale, Staleness, find_staleness
from replay._cassette import Meta
from replay._cassette_json import load_cassette
from replay._config import Config, Mode, Upstream
from replay._environment import emulator_variables, has_credentials
from replay._errors import StaleCassetteError
from replay._fixture import GenaiReplay, running
from replay._ledger import Ledger
from replay._relay import Relay
from replay._report import Report
from replay._session import Outcome, Session

if TYPE_CHECKING:
    from replay.emulator import Emulator


class Harness:
    """Give each test a session for its cassette; keep the emulator and the report of the run."""

    def __init__(self, *, run_id: str | None = None) -> None:
        self.report = Report()
        self.ledger = Ledger(run_id)
        self.is_interrupted = False
        """Set when the run is interrupted (Ctrl-C): tests still open save nothing."""
        self._scratch: Path | None = None
        self._emulator: Emulator | None = None
        self._emulator_adc: Path | None = None
        self._relay: Relay | None = None

    @property
    def scratch(self) -> Path:
        """A private folder for fake credentials files, removed by `close()`."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="genai-replay-"))
        return self._scratch

    def session(self, path: Path, config: Config, *, test: str = "", rerun: str = "") -> Session:
        """Make the session of one cassette, pointed at the emulator when this run records against it.

        Each test recorded against the emulator starts from an empty one (its built-in models only):
        what a test lists, and the names its resources get, then depend on that test alone, never
        on which tests ran before it in this process or in another xdist worker, so re-recording an
        unchanged suite changes no byte.

        `test` is the test's id (the report names it), `rerun` the command that re-records it. With
        `max_age`, a cassette that a replaying mode (``none``, ``once``, ``new_episodes``) opens is
        checked first, and a stale one goes by `on_stale`: ``warn`` replays it, noted for the report;
        ``fail`` raises `StaleCassetteError`; ``record`` re-records it as mode ``all`` would, unless
        `refresh_blocker` says this run cannot (then as ``warn``). A test that opens a fresh cassette
        another test of this run is re-recording (they share it by name) records into it too.
        """
        existing, stale, blocker = None, None, ""
        if config.max_age is not None and config.mode in _REPLAYING and path.exists():
            existing = load_cassette(path)
            stale = find_staleness(existing.meta, config.max_age)
        if stale is not None and config.on_stale is OnStale.FAIL:
            self.report.outcomes.append(_noted(Outcome(path, config.mode, test=test), stale, OnStale.FAIL))
            again = rerun or "--genai-replay-mode=all"
            raise StaleCassetteError(
                path, reason=str(stale), age=stale.age, max_age=stale.max_age, rerun=again
            )
        is_refreshing = False
        if existing is not None and config.on_stale is OnStale.RECORD:
            # Without joining in, the re-recording would keep only the first test's interactions.
            is_joining = stale is None and config.mode is Mode.NONE and self.ledger.is_claimed(path)
            if stale is not None or is_joining:
                blocker = refresh_blocker(config, existing.meta)
                is_refreshing = not blocker
        if is_refreshing:
            config = replace(config, mode=Mode.ALL)
        relay = None
        if (config.mode.is_recording or config.mode is Mode.LIVE) and _uses_emulator(config):
            relay = self.relay()
            self.emulator().reset()
        session = Session.for_cassette(
            path, config, relay=relay, ledger=self.ledger, loaded=existing, is_refreshing=is_refreshing
        )
        session.scope, session.rerun = test, rerun or None
        session.outcome.test = test
        if stale is not None:
            _noted(session.outcome, stale, OnStale.RECORD if is_refreshing else OnStale.WARN, blocker)
        elif is_refreshing:
            session.outcome.on_stale = OnStale.RECORD.value
        return session

    @contextmanager
    def running(self, session: Session) -> Iterator[GenaiReplay]:
        """Run one test's cassette (`replay._fixture.running`) and add its outcome to the report."""
        variables = None
        if session.relay is not None:
            variables = emulator_variables(self._emulator_adc_file())
        try:
            with running(
                session,
                scratch=self.scratch,
                upstream_variables=variables,
                is_interrupted=lambda: self.is_interrupted,
            ) as replay:
                yield replay
        finally:
            self.report.outcomes.append(session.outcome)

    def emulator(self) -> Emulator:
        """Return the run's emulator, starting it on first use."""
        if self._emulator is None:
            from replay.emulator import Emulator

            self._emulator = Emulator()
            self._emulator.__enter__()
        return self._emulator

    def relay(self) -> Relay:
        """Return the run's way to the emulator, starting it on first use."""
        if self._relay is None:
            self._relay = Relay(self.emulator().url)
        return self._relay

    def _emulator_adc_file(self) -> Path:
        if self._emulator_adc is None:
            from replay.emulator import service_account_info

            path = self.scratch / "emulator-service-account.json"
            path.write_text(json.dumps(service_account_info(self.emulator())), encoding="utf-8")
            self._emulator_adc = path
        return self._emulator_adc

    def close(self, *, is_run_over: bool = True) -> None:
        """Stop the emulator and remove the scratch folder; when the whole run is over, the ledger too.

        An xdist worker passes ``is_run_over=False``: the run goes on in other workers.
        """
        if is_run_over:
            self.ledger.close()
        if self._relay is not None:
            self._relay.close()
            self._relay = None
        if self._emulator is not None:
            self._emulator.__exit__(None, None, None)
            self._emulator = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


def refresh_blocker(config: Config, meta: Meta) -> str:
    """Say why this run cannot re-record a stale cassette with this `meta`, and what to do ('' if it can).

    The emulator can always record; the live service needs credentials. Under ``upstream=auto``
    without credentials, a cassette of the live API's answers (recorded or imported) is not
    re-recorded against the emulator: that would quietly swap real answers for the emulator's.
    """
    credentials = "set GOOGLE_API_KEY (or application-default credentials)"
    if not _uses_emulator(config):
        if has_credentials():
            return ""
        return (
            f"upstream is live but there are no credentials; {credentials}, or pass "
            "--genai-replay-upstream=emulator"
        )
    if config.upstream is Upstream.AUTO and meta.recorded_against != "emulator":
        return (
            "it holds the live API's answers and there are no credentials to record them again; "
            f"{credentials}, or pass --genai-replay-upstream=emulator to record it against the emulator"
        )
    return ""


_REPLAYING = (Mode.NONE, Mode.ONCE, Mode.NEW_EPISODES)
"""The modes that replay what a cassette holds, and so ask whether it is stale."""


def _noted(outcome: Outcome, stale: Staleness, on_stale: OnStale, blocker: str = "") -> Outcome:
    """Write onto `outcome` that its cassette was stale, and what became of it, for the report."""
    outcome.stale, outcome.age = str(stale), stale.age_text
    outcome.on_stale, outcome.not_refreshed = on_stale.value, blocker
    return outcome


def _uses_emulator(config: Config) -> bool:
    if config.upstream is Upstream.AUTO:
        return not has_credentials()
    return config.upstream is Upstream.EMULATOR
