"""The names the plugin registers before any test runs: modes, upstreams, on_stale and match parts.

Nothing here imports `genai_min` or the rest of `replay`, so `replay.plugin` can declare its options
and choices at start-up for free; `replay._config` re-exports the enums and does the parsing.
"""

from __future__ import annotations

from enum import Enum


class Mode(Enum):
    """What the fixture does with the network and the cassette.

    The values are the names vcrpy and pytest-recording users know; `live` sends every request to
    the service and writes nothing.
    """

    NONE = "none"
    ONCE = "once"
    NEW_EPISODES = "new_episodes"
    ALL = "all"
    LIVE = "live"

    @property
    def is_recording(self) -> bool:
        """Whether this mode may write cassettes."""
        return self in (Mode.ONCE, Mode.NEW_EPISODES, Mode.ALL)


MODE_ALIASES = {
    "replay": Mode.NONE,
    "record-new": Mode.NEW_EPISODES,
    "record_new": Mode.NEW_EPISODES,
    "rewrite": Mode.ALL,
    "record-all": Mode.ALL,
    "disable": Mode.LIVE,
    "any": Mode.NEW_EPISODES,  # vcrpy's undocumented mode: play what matches, record the rest
}


class Upstream(Enum):
    """Where recording sends requests: the live service, the embedded emulator, or whichever fits.

    `auto` records against the live service when credentials are in the environment and against
    the emulator when they are not.
    """

    AUTO = "auto"
    LIVE = "live"
    EMULATOR = "emulator"


class OnStale(Enum):
    """What a test does with a cassette recorded longer ago than `max_age` (Polly.JS's ``expiryStrategy``)."""

    WARN = "warn"
    """Replay it as it is; the end-of-run report lists it with the command that re-records it."""
    FAIL = "fail"
    """Fail the test before it runs, naming the command that re-records it."""
    RECORD = "record"
    """Re-record it, as mode ``all`` would, when this run can record (else as ``warn``)."""


ON_STALE_NAMES = tuple(o.value for o in OnStale)
MATCH_PARTS = ("method", "scheme", "host", "port", "path", "query", "body")
"""The parts of a request `match_on` may name (vcrpy's names)."""
DEFAULT_MATCH_ON = ("method", "host", "path", "query", "body")
