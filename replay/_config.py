"""The fixture's settings, and the one order in which their sources override each other.

The pytest plugin gathers each source as a plain mapping and calls `resolve`:
command line > marker > the `genai_replay_config` fixture > ini file > default. A value of None in
a source means "not given there", so a lower source shows through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path

from replay._errors import ConfigError
from replay._matchers import MatchOptions
from replay._sanitiser import HeaderRule, JsonPathRule, RegexRule, Rule


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
}


class Upstream(Enum):
    """Where recording sends requests: the live service, the embedded emulator, or whichever fits.

    `auto` records against the live service when credentials are in the environment and against
    the emulator when they are not.
    """

    AUTO = "auto"
    LIVE = "live"
    EMULATOR = "emulator"


@dataclass(frozen=True)
class Config:
    """The settings of one test's `genai_replay` fixture, resolved from every source."""

    mode: Mode = Mode.NONE
    cassette: str | None = None
    cassette_dir: Path | None = None
    ignore_host: bool = False
    ignore_api_version: bool = False
    rules: tuple[Rule, ...] = ()
    skip_sleeps: bool = True
    upstream: Upstream = Upstream.AUTO
    timing: bool = False
    extras: Mapping[str, object] = field(default_factory=dict, compare=False)

    @property
    def match_options(self) -> MatchOptions:
        """Return what matching may ignore."""
        return MatchOptions(ignore_host=self.ignore_host, ignore_api_version=self.ignore_api_version)


SETTINGS = tuple(f.name for f in fields(Config) if f.name != "extras")


def parse_mode(value: object) -> Mode:
    """Read a mode given as a `Mode` or as any accepted name; raise `ConfigError` naming the choices."""
    if isinstance(value, Mode):
        return value
    text = str(value).strip().lower()
    for mode in Mode:
        if mode.value == text:
            return mode
    if text in MODE_ALIASES:
        return MODE_ALIASES[text]
    names = ", ".join([m.value for m in Mode] + sorted(MODE_ALIASES))
    raise ConfigError(f"unknown genai_replay mode {value!r}; use one of: {names}")


def parse_rules(value: object) -> tuple[Rule, ...]:
    """Read sanitising rules: rule objects, or strings ``header:NAME``, ``json:PATH``, ``regex:PATTERN``."""
    items = [value] if isinstance(value, str | HeaderRule | JsonPathRule | RegexRule) else value
    if not isinstance(items, Sequence):
        raise ConfigError(f"genai_replay rules must be a list of rules, got {value!r}")
    rules: list[Rule] = []
    for item in items:
        if isinstance(item, HeaderRule | JsonPathRule | RegexRule):
            rules.append(item)
            continue
        kind, _, argument = str(item).partition(":")
        makers = {"header": HeaderRule, "json": JsonPathRule, "regex": RegexRule}
        if kind not in makers or not argument:
            raise ConfigError(
                f"genai_replay rule {item!r} is not understood; write 'header:NAME', 'json:PATH' "
                "or 'regex:PATTERN', or pass HeaderRule/JsonPathRule/RegexRule objects"
            )
        rules.append(makers[kind](argument))
    return tuple(rules)


def check_names(given: Mapping[str, object], where: str) -> None:
    """Raise `ConfigError` for a setting name that does not exist, listing those that do."""
    unknown = sorted(set(given) - set(SETTINGS))
    if unknown:
        raise ConfigError(
            f"{where} got unknown genai_replay setting(s) {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(SETTINGS)}"
        )


def resolve(
    *,
    cli: Mapping[str, object],
    marker: Mapping[str, object],
    fixture: Mapping[str, object],
    ini: Mapping[str, object],
) -> Config:
    """Combine the sources: command line > marker > `genai_replay_config` fixture > ini > default."""
    check_names(marker, "the genai_replay marker")
    check_names(fixture, "the genai_replay_config fixture")
    chosen: dict[str, object] = {}
    for name in SETTINGS:
        for source in (cli, marker, fixture, ini):
            value = source.get(name)
            if value is not None:
                chosen[name] = value
                break
    return Config(
        mode=parse_mode(chosen.get("mode", Mode.NONE)),
        cassette=_optional_str(chosen.get("cassette")),
        cassette_dir=Path(str(chosen["cassette_dir"])) if "cassette_dir" in chosen else None,
        ignore_host=_flag(chosen.get("ignore_host", False), "ignore_host"),
        ignore_api_version=_flag(chosen.get("ignore_api_version", False), "ignore_api_version"),
        rules=parse_rules(chosen.get("rules", ())),
        skip_sleeps=_flag(chosen.get("skip_sleeps", True), "skip_sleeps"),
        upstream=_upstream(chosen.get("upstream", Upstream.AUTO)),
        timing=_flag(chosen.get("timing", False), "timing"),
    )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"genai_replay setting {name} must be true or false, got {value!r}")


def _upstream(value: object) -> Upstream:
    if isinstance(value, Upstream):
        return value
    try:
        return Upstream(str(value).strip().lower())
    except ValueError:
        names = ", ".join(u.value for u in Upstream)
        raise ConfigError(f"unknown genai_replay upstream {value!r}; use one of: {names}") from None
