"""Reliability tests: fuzzing, crash safety and error messages, and the counts they report.

The session keeps one `Tally` of what was tried (fuzz examples, injected faults) and what went
wrong (undocumented exceptions, cassettes lost or corrupted); the terminal summary prints it as one
line. Other reliability checks (canaries, for instance) add their own keys to the same tally.

Fuzzing runs under the hypothesis profile ``reliability``: no deadline, no example database (runs
leave nothing behind in the repository), and derandomised when ``CI`` is set, so that a CI run is
repeatable while local runs keep exploring.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from conftest import CREDENTIAL_VARIABLES
from replay.emulator import Emulator

# Hypothesis keeps caches (and, by default, its example database) under ./.hypothesis: keep them out of
# the repository unless HYPOTHESIS_STORAGE_DIRECTORY says where to put them.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "genai-replay-hypothesis")

settings.register_profile(
    "reliability",
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FUZZ_EXAMPLES = "fuzz examples"
UNDOCUMENTED = "undocumented exceptions"
KILLS = "kills during recording"
KILLS_MID_SAVE = "kills while saving"
INTERRUPTS = "interrupts during save"
LOST = "cassettes lost or corrupted"
CANARIES = "canaries planted"
CANARY_PATHS = "client paths covered"
CANARY_PLACES = "places a secret can hide"
CANARY_LEAKS = "canaries leaked"
CANARIES_FOUND = "hand-planted canaries found by check"
SERVICE_FAULTS = "service faults injected (429, 5xx, cut streams)"
SERVICE_FAULTS_REPLAYED = "service faults replayed identically"
MALFORMED = "malformed inputs refused cleanly"


class Tally(Counter[str]):
    """Counts of the session's reliability checks, by name; any test may add a key of its own."""

    @contextmanager
    def fuzzing(self, *documented: type[BaseException]) -> Iterator[None]:
        """Count one fuzz example; count (and re-raise) any exception not in `documented`."""
        self[FUZZ_EXAMPLES] += 1
        try:
            yield
        except documented:
            raise
        except Exception:
            self[UNDOCUMENTED] += 1
            raise

    def summary(self) -> str:
        """Return the report line: the fixed groups first, then any keys added by other checks."""
        known = {FUZZ_EXAMPLES, UNDOCUMENTED, KILLS, KILLS_MID_SAVE, INTERRUPTS, LOST}
        faults = self[KILLS] + self[INTERRUPTS]
        groups = [
            f"{self[FUZZ_EXAMPLES]:,} {FUZZ_EXAMPLES}, {self[UNDOCUMENTED]:,} {UNDOCUMENTED}",
            f"{faults:,} faults injected ({self[KILLS]:,} {KILLS}, {self[KILLS_MID_SAVE]:,} of them "
            f"while saving; {self[INTERRUPTS]:,} {INTERRUPTS}), {self[LOST]:,} {LOST}",
        ]
        extra = ", ".join(f"{count:,} {key}" for key, count in self.items() if key not in known)
        if extra:
            groups.append(extra)
        return "reliability: " + "; ".join(groups)


_TALLY = pytest.StashKey[Tally]()


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """An emulator for the module's tests (the canary suites record through it)."""
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing from the environment: every credential a test uses is a canary it made."""
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "no-gcloud"))


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_TALLY] = Tally()


@pytest.fixture(scope="session")
def reliability_tally(pytestconfig: pytest.Config) -> Tally:
    """The session's counts of fuzz examples, injected faults and failures, printed at the end."""
    return pytestconfig.stash[_TALLY]


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Under pytest-xdist each worker sends its counts to the controller, which adds them up.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["reliability_tally"] = dict(session.config.stash[_TALLY])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    output = getattr(node, "workeroutput", {})
    config = getattr(node, "config", None)
    if config is not None and "reliability_tally" in output:
        config.stash[_TALLY].update(output["reliability_tally"])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    tally = config.stash.get(_TALLY, None)
    if tally:
        terminalreporter.write_sep("-", "reliability")
        terminalreporter.write_line(tally.summary())
