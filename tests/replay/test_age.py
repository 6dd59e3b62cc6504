"""Cassette ages: durations as `max_age` is written, ages read off `recorded_at`, and staleness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from replay import ConfigError, Meta
from replay._age import age_of, describe_age, find_staleness, format_duration, parse_max_age

NOW = datetime(2026, 12, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("30m", timedelta(minutes=30)),
        ("12h", timedelta(hours=12)),
        ("90d", timedelta(days=90)),
        ("2w", timedelta(weeks=2)),
        ("1y", timedelta(days=365)),
        ("45s", timedelta(seconds=45)),
        (" 90 D ", timedelta(days=90)),
        (timedelta(hours=36), timedelta(hours=36)),
    ],
)
def test_durations_are_a_whole_number_and_a_unit(text: object, duration: timedelta) -> None:
    assert parse_max_age(text) == duration


def test_none_means_no_limit() -> None:
    assert parse_max_age("none") is None
    assert parse_max_age("None") is None


@pytest.mark.parametrize("text", ["90", "3 months", "1.5d", "-1d", "0d", "d", "1mo", "90d12h", ""])
def test_anything_else_names_the_accepted_forms(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_max_age(text)
    assert str(caught.value) == (
        f"genai_replay max_age {text!r} is not a duration; write a whole number above zero and a unit, "
        "one of s, m, h, d, w, y (seconds, minutes, hours, days, weeks, years of 365 days), as in '90d' "
        "or '12h'; or 'none' for no limit; or pass a datetime.timedelta"
    )


def test_a_timedelta_must_be_longer_than_zero() -> None:
    with pytest.raises(ConfigError, match=r"max_age must be longer than zero, got datetime.timedelta\(0\)"):
        parse_max_age(timedelta(0))


@pytest.mark.parametrize("text", ["90d", "2w", "1y", "12h", "30m", "45s", "8d"])
def test_durations_are_written_back_as_they_are_read(text: str) -> None:
    duration = parse_max_age(text)
    assert duration is not None
    assert format_duration(duration) == text


@pytest.mark.parametrize(
    ("recorded_at", "age"),
    [
        ("2026-11-24T12:00:00Z", timedelta(days=13, hours=12)),
        ("2026-11-24T12:00:00+02:00", timedelta(days=13, hours=14)),
        ("2026-11-24T12:00:00", timedelta(days=13, hours=12)),  # no zone: UTC
        ("", None),
        ("last tuesday", None),
    ],
)
def test_the_age_is_read_off_recorded_at(recorded_at: str, age: timedelta | None) -> None:
    assert age_of(Meta(recorded_at=recorded_at), NOW) == age


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(hours=5, minutes=59), "5 hours ago"),
        (timedelta(days=1, hours=23), "1 day ago"),
        (timedelta(days=400), "400 days ago"),
        (timedelta(days=-2), "2 days from now"),
    ],
)
def test_ages_are_said_in_their_largest_whole_unit(age: timedelta, text: str) -> None:
    assert describe_age(age) == text


def test_a_cassette_is_stale_when_recorded_longer_ago_than_max_age() -> None:
    meta = Meta(recorded_at="2026-11-24T12:00:00Z")

    assert find_staleness(meta, timedelta(days=14), NOW) is None
    stale = find_staleness(meta, timedelta(days=13), NOW)

    assert stale is not None
    assert (stale.age, stale.age_text) == (timedelta(days=13, hours=12), "13 days old")
    assert str(stale) == "recorded 2026-11-24T12:00:00Z, 13 days ago, longer ago than max_age 13d"


def test_a_cassette_dated_in_the_future_is_not_stale() -> None:
    assert find_staleness(Meta(recorded_at="2027-01-01T00:00:00Z"), timedelta(days=1), NOW) is None


@pytest.mark.parametrize(
    ("recorded_at", "reason"),
    [
        ("", "no recorded_at, so not known to be within max_age 90d"),
        (
            "last tuesday",
            "recorded_at 'last tuesday' is not an RFC 3339 time, so not known to be within max_age 90d",
        ),
    ],
)
def test_a_cassette_of_unknown_age_counts_as_stale(recorded_at: str, reason: str) -> None:
    stale = find_staleness(Meta(recorded_at=recorded_at), timedelta(days=90), NOW)

    assert stale is not None
    assert (stale.age, stale.age_text, str(stale)) == (None, "age unknown", reason)
