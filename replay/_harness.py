"""What a recording or replaying run keeps across its tests: scratch files, the emulator, the report.

The pytest plugin holds one `Harness` per run, and so does the script runner of `genai-replay
record`. Each test's cassette gets a `Session` from `session()` and the keyword arguments for
`replay._fixture.running` from `upstream()`. The emulator is started the first time a test records
against it, and stopped by `close()`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from replay._config import Config, Mode, Upstream
from replay._environment import emulator_variables, has_credentials
from replay._fixture import GenaiReplay, running
from replay._ledger import Ledger
from replay._relay import Relay
from replay._report import Report
from replay._session import Session

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

    def session(self, path: Path, config: Config) -> Session:
        """Make the session of one cassette, pointed at the emulator when this run records against it."""
        if (config.mode.is_recording or config.mode is Mode.LIVE) and _uses_emulator(config):
            return Session.for_cassette(path, config, relay=self.relay(), ledger=self.ledger)
        return Session.for_cassette(path, config, ledger=self.ledger)

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


def _uses_emulator(config: Config) -> bool:
    if config.upstream is Upstream.AUTO:
        return not has_credentials()
    return config.upstream is Upstream.EMULATOR
