"""One precedence order for every setting: command line > marker > config fixture > ini > default."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from replay._age import OnStale, format_duration
from replay._config import SETTINGS, Config, Mode, Upstream, parse_mode, parse_rules, resolve
from replay._errors import ConfigError
from replay._sanitiser import HeaderRule, JsonPathRule, RegexRule

SOURCES = ("cli", "marker", "fixture", "ini")


def _hook_a(value: object) -> object:
    return value


def _hook_b(value: object) -> object:
    return value


# Two distinct values per setting, so a test can tell which source won.
VALUES: dict[str, tuple[object, object]] = {
    "mode": ("all", "once"),
    "cassette": ("shared-a", "shared-b"),
    "cassette_dir": ("dir-a", "dir-b"),
    "ignore_host": (True, False),
    "ignore_api_version": (True, False),
    "rules": (["header:x-a"], ["regex:b+"]),
    "skip_sleeps": (False, True),
    "upstream": ("emulator", "live"),
    "timing": (True, False),
    "match_on": (["method", "path"], ["method", "body"]),
    "ignore_json_paths": (["contents.*.id"], ["tools"]),
    "before_record_request": (_hook_a, _hook_b),
    "before_record_response": (_hook_b, _hook_a),
    "ignore_hosts": (["a.example"], ["b.example"]),
    "ignore_localhost": (True, False),
    "max_age": ("90d", "12h"),
    "on_stale": ("fail", "record"),
}


def test_every_setting_has_test_values() -> None:
    assert set(VALUES) == set(SETTINGS)


def read(config: Config, setting: str) -> object:
    value = getattr(config, setting)
    if isinstance(value, Mode | Upstream | OnStale):
        return value.value
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, Path):
        return str(value)
    if setting == "rules":
        return [
            f"{'header' if isinstance(r, HeaderRule) else 'regex'}:{getattr(r, 'name', '') or r.pattern}"
            for r in value
        ]
    if isinstance(value, tuple):
        return list(value)
    return value


@pytest.mark.parametrize("setting", sorted(VALUES))
@pytest.mark.parametrize("winner", range(len(SOURCES)))
def test_the_highest_source_that_gives_a_value_wins(setting: str, winner: int) -> None:
    high, low = VALUES[setting]
    given = {source: {} for source in SOURCES}
    given[SOURCES[winner]][setting] = high
    for lower in SOURCES[winner + 1 :]:
        given[lower][setting] = low
    config = resolve(**given)
    assert read(config, setting) == high


def test_defaults_replay_only_and_skip_sleeps() -> None:
    config = resolve(cli={}, marker={}, fixture={}, ini={})
    assert config == Config()
    assert config.mode is Mode.NONE and config.skip_sleeps and config.upstream is Upstream.AUTO


def test_none_means_not_given_so_a_lower_source_shows_through() -> None:
    config = resolve(cli={"mode": None}, marker={}, fixture={"mode": "all"}, ini={"mode": "once"})
    assert config.mode is Mode.ALL


@pytest.mark.parametrize(
    ("name", "mode"),
    [("none", Mode.NONE), ("replay", Mode.NONE), ("once", Mode.ONCE), ("new_episodes", Mode.NEW_EPISODES),
     ("record-new", Mode.NEW_EPISODES), ("all", Mode.ALL), ("rewrite", Mode.ALL), ("live", Mode.LIVE),
     ("ALL", Mode.ALL)],
)  # fmt: skip
def test_modes_accept_the_names_vcrpy_users_know(name: str, mode: Mode) -> None:
    assert parse_mode(name) is mode


def test_an_unknown_mode_lists_the_choices() -> None:
    with pytest.raises(
        ConfigError, match=r"unknown genai_replay mode 'sometimes'; use one of: none, once, new_ep"
    ):
        parse_mode("sometimes")


def test_unknown_marker_or_fixture_settings_name_the_allowed_ones() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(cli={}, marker={"mdoe": "all"}, fixture={}, ini={})
    assert str(caught.value).startswith(
        "the genai_replay marker got unknown genai_replay setting(s) 'mdoe'; allowed: mode,"
    )
    with pytest.raises(ConfigError, match="the genai_replay_config fixture got unknown"):
        resolve(cli={}, marker={}, fixture={"record": True}, ini={})


def test_rules_are_read_from_strings_or_objects() -> None:
    assert parse_rules(["header:x-trace", "json:candidates.0", "regex:acct-[0-9]+", RegexRule("x")]) == (
        HeaderRule("x-trace"),
        JsonPathRule("candidates.0"),
        RegexRule("acct-[0-9]+"),
        RegexRule("x"),
    )
    with pytest.raises(ConfigError, match="rule 'cookie' is not understood; write 'header:NAME'"):
        parse_rules(["cookie"])


def test_max_age_is_off_and_on_stale_warns_by_default() -> None:
    config = resolve(cli={}, marker={}, fixture={}, ini={})
    assert (config.max_age, config.on_stale) == (None, OnStale.WARN)


def test_max_age_takes_text_or_a_timedelta_and_none_turns_a_lower_source_off() -> None:
    assert resolve(cli={}, marker={"max_age": timedelta(hours=36)}, fixture={}, ini={}).max_age == timedelta(
        hours=36
    )
    assert resolve(cli={"max_age": "none"}, marker={}, fixture={}, ini={"max_age": "90d"}).max_age is None


def test_bad_max_age_and_on_stale_values_name_what_is_accepted() -> None:
    with pytest.raises(ConfigError, match=r"max_age '3 months' is not a duration; write a whole number"):
        resolve(cli={}, marker={}, fixture={}, ini={"max_age": "3 months"})
    with pytest.raises(
        ConfigError, match=r"unknown genai_replay on_stale 'skip'; use one of: warn, fail, record"
    ):
        resolve(cli={}, marker={}, fixture={}, ini={"on_stale": "skip"})


def test_flags_read_ini_spellings_and_refuse_others() -> None:
    assert resolve(cli={}, marker={}, fixture={}, ini={"skip_sleeps": "false"}).skip_sleeps is False
    with pytest.raises(ConfigError, match="skip_sleeps must be true or false, got 'maybe'"):
        resolve(cli={}, marker={}, fixture={}, ini={"skip_sleeps": "maybe"})
