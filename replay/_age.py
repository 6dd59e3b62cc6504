"""How old a cassette is, read off `Meta.recorded_at`, and whether that is older than `max_age` allows.

The harness asks `find_staleness` when a test opens a cassette to replay it, as `genai-replay check
--max-age` does of each cassette; `genai-replay show` prints `describe_age`. Durations are written
as Polly.JS's ``expiresIn`` is (``90d``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from replay._cassette import Meta
from replay._errors import ConfigError
from replay._modes import OnStale as OnStale

UNITS = {
    "s": timedelta(seconds=1),
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
    "y": timedelta(days=365),
}
"""The units a duration may be written in: seconds, minutes, hours, days, weeks, years of 365 days."""
DURATION_FORMS = (
    "a whole number above zero and a unit, one of s, m, h, d, w, y (seconds, minutes, hours, days, "
    "weeks, years of 365 days), as in '90d' or '12h'"
)
"""How a duration is written, for messages."""
_DURATION = re.compile(r"(\d+)\s*([a-z])")


def current_time() -> datetime:
    """Return the time ages are measured to: now, in UTC (tests replace this function)."""
    return datetime.now(UTC)


def parse_max_age(value: object) -> timedelta | None:
    """Read `max_age`: a `timedelta`, or a whole number and a unit (``30m``, ``12h``, ``90d``, ``2w``,
    ``1y``, or ``s`` for seconds); ``none`` means no limit. Raise `ConfigError` naming the accepted forms."""
    if isinstance(value, timedelta):
        if value <= timedelta(0):
            raise ConfigError(f"genai_replay max_age must be longer than zero, got {value!r}")
        return value
    text = str(value).strip().lower()
    if text == "none":
        return None
    found = _DURATION.fullmatch(text)
    if found is None or found[2] not in UNITS or int(found[1]) == 0:
        raise ConfigError(
            f"genai_replay max_age {value!r} is not a duration; write {DURATION_FORMS}; or 'none' for "
            "no limit; or pass a datetime.timedelta"
        )
    return int(found[1]) * UNITS[found[2]]


def format_duration(duration: timedelta) -> str:
    """Write `duration` as `parse_max_age` reads it, in the largest unit that divides it (``90d``)."""
    for unit, size in sorted(UNITS.items(), key=lambda item: item[1], reverse=True):
        if duration % size == timedelta(0):
            return f"{duration // size}{unit}"
    return f"{duration.total_seconds():g}s"  # a fraction of a second: said, though not parsed


def recorded_time(meta: Meta) -> datetime | None:
    """Return when the cassette was recorded, from its RFC 3339 `recorded_at` (no zone: UTC), or None."""
    try:
        when = datetime.fromisoformat(meta.recorded_at)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def age_of(meta: Meta, now: datetime | None = None) -> timedelta | None:
    """Return how long ago the cassette was recorded (negative: in the future), or None when unknown."""
    when = recorded_time(meta)
    return None if when is None else (now or current_time()) - when


def describe_age(age: timedelta) -> str:
    """Say how long ago, in the largest whole unit: ``13 days ago``, ``5 hours ago``, ``just now``."""
    if age < timedelta(0):
        return f"{_span(-age)} from now"
    return "just now" if age < timedelta(minutes=1) else f"{_span(age)} ago"


def _span(age: timedelta) -> str:
    for noun, size in (
        ("day", timedelta(days=1)),
        ("hour", timedelta(hours=1)),
        ("minute", timedelta(minutes=1)),
    ):
        count = age // size
        if count:
            return f"{count} {noun}{'' if count == 1 else 's'}"
    return "less than a minute"


@dataclass(frozen=True)
class Staleness:
    """Why a cassette counts as stale: recorded longer ago than `max_age`, or at a time not known.

    `age` is None when `recorded_at` is empty or not an RFC 3339 time: such a cassette cannot show
    it is recent enough, so it counts as stale (re-recording it writes the time down).
    """

    recorded_at: str
    age: timedelta | None
    max_age: timedelta

    def __str__(self) -> str:
        limit = f"max_age {format_duration(self.max_age)}"
        if self.age is not None:
            return f"recorded {self.recorded_at}, {describe_age(self.age)}, longer ago than {limit}"
        if not self.recorded_at:
            return f"no recorded_at, so not known to be within {limit}"
        return f"recorded_at {self.recorded_at!r} is not an RFC 3339 time, so not known to be within {limit}"

    @property
    def age_text(self) -> str:
        """The age in a few words, for the report's lists: ``400 days old``, ``age unknown``."""
        return "age unknown" if self.age is None else f"{_span(self.age)} old"


def find_staleness(meta: Meta, max_age: timedelta, now: datetime | None = None) -> Staleness | None:
    """Return why a cassette with this `meta` is stale under `max_age`, or None when it is not."""
    age = age_of(meta, now)
    if age is not None and age <= max_age:
        return None
    return Staleness(meta.recorded_at, age, max_age)
