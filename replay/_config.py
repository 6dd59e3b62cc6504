"""The fixture's settings, and the one order in which their sources override each other.

The pytest plugin gathers each source as a plain mapping and calls `resolve`:
command line > marker > the `genai_replay_config` fixture > ini file > default. A value of None in
a source means "not given there", so a lower source shows through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

from replay._age import OnStale, parse_max_age
from replay._errors import ConfigError
from replay._matchers import DEFAULT_MATCH_ON, MATCH_PARTS, Matcher, MatchOptions, parse_json_path
from replay._modes import MODE_ALIASES as MODE_ALIASES
from replay._modes import Mode as Mode
from replay._modes import Upstream as Upstream
from replay._sanitiser import HeaderRule, JsonPathRule, RegexRule, Rule


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
    match_on: tuple[str, ...] = DEFAULT_MATCH_ON
    """Which parts of a request must match (vcrpy's names); ``body`` leaves `ignore_json_paths` out."""
    matchers: tuple[Matcher, ...] = ()
    """Custom matchers, given as callables in `match_on`: ``(request, recorded) -> bool``."""
    ignore_json_paths: tuple[str, ...] = ()
    """Dotted JSON paths (``*`` for any key or index) left out of the body comparison, both sides."""
    before_record_request: Callable[[Any], Any] | None = None
    """vcrpy's hook: gets each request (our `Request`) before sanitising; returns it, changed, or None
    to leave that request alone (not matched, not recorded: it goes to the network)."""
    before_record_response: Callable[[Any], Any] | None = None
    """vcrpy's hook: gets each response (our `Response`) before sanitising, returns what to record."""
    ignore_hosts: tuple[str, ...] = ()
    """Hosts whose traffic is neither answered nor recorded (replaying, the network guard still applies)."""
    ignore_localhost: bool = False
    """Leave loopback traffic alone (a test's own local server, ``http://localhost`` mock transports)."""
    max_age: timedelta | None = None
    """A cassette recorded longer ago is stale when a mode that replays opens it (None: never)."""
    on_stale: OnStale = OnStale.WARN
    """What a test does with a stale cassette: replay it and report it, fail, or re-record it."""
    extras: Mapping[str, object] = field(default_factory=dict, compare=False)

    @property
    def match_options(self) -> MatchOptions:
        """Return what matching compares and may ignore."""
        return MatchOptions(
            ignore_host=self.ignore_host,
            ignore_api_version=self.ignore_api_version,
            match_on=frozenset(self.match_on),
            ignore_json_paths=tuple(parse_json_path(p) for p in self.ignore_json_paths),
            matchers=self.matchers,
        )


SETTINGS = tuple(f.name for f in fields(Config) if f.name not in ("extras", "matchers"))


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


def parse_match_on(value: object) -> tuple[tuple[str, ...], tuple[Matcher, ...]]:
    """Read `match_on`: part names (vcrpy's: ``uri`` is scheme, host, port, path and query together)
    and callables, which become custom matchers. A comma-separated string is read as a list."""
    items = value.split(",") if isinstance(value, str) else value
    if callable(items):
        items = [items]
    if not isinstance(items, Sequence | frozenset | set):
        raise ConfigError(f"genai_replay match_on must be a list of part names or matchers, got {value!r}")
    parts: list[str] = []
    matchers: list[Matcher] = []
    for item in items:
        if callable(item):
            matchers.append(item)
            continue
        name = str(item).strip().lower()
        expanded = _MATCH_ALIASES.get(name, (name,))
        for part in expanded:
            if part not in MATCH_PARTS:
                raise ConfigError(_unknown_part(name))
            if part not in parts:
                parts.append(part)
    return tuple(parts), tuple(matchers)


_MATCH_ALIASES = {
    "uri": ("scheme", "host", "port", "path", "query"),
    "url": ("scheme", "host", "port", "path", "query"),  # vcrpy's older name for uri
    "raw_body": ("body",),
    "": (),
}


def _unknown_part(name: str) -> str:
    if name == "headers":
        return (
            "genai_replay match_on cannot compare 'headers': credentials and client versions in them "
            "differ between machines and are not stored; drop it, or pass a callable "
            "(request, recorded) -> bool that compares the headers you mean"
        )
    return (
        f"genai_replay match_on got unknown part {name!r}; use {', '.join(MATCH_PARTS)}, "
        "'uri' (scheme, host, port, path and query) or callables (request, recorded) -> bool"
    )


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
    match_on, matchers = parse_match_on(chosen.get("match_on", DEFAULT_MATCH_ON))
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
        match_on=match_on,
        matchers=matchers,
        ignore_json_paths=_strings(chosen.get("ignore_json_paths", ()), "ignore_json_paths"),
        before_record_request=_hook(chosen.get("before_record_request"), "before_record_request"),
        before_record_response=_hook(chosen.get("before_record_response"), "before_record_response"),
        ignore_hosts=tuple(h.lower() for h in _strings(chosen.get("ignore_hosts", ()), "ignore_hosts")),
        ignore_localhost=_flag(chosen.get("ignore_localhost", False), "ignore_localhost"),
        max_age=parse_max_age(chosen.get("max_age", "none")),
        on_stale=_on_stale(chosen.get("on_stale", OnStale.WARN)),
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


def _strings(value: object, name: str) -> tuple[str, ...]:
    """Read a list of strings given as a list, or as one string of lines or commas."""
    if isinstance(value, str):
        value = [part for line in value.splitlines() for part in line.split(",")]
    if not isinstance(value, Sequence | frozenset | set):
        raise ConfigError(f"genai_replay setting {name} must be a list of strings, got {value!r}")
    return tuple(text for item in value if (text := str(item).strip()))


def _hook(value: object, name: str) -> Callable[[Any], Any] | None:
    if value is None or callable(value):
        return value
    raise ConfigError(f"genai_replay setting {name} must be a callable, got {value!r}")


def _upstream(value: object) -> Upstream:
    if isinstance(value, Upstream):
        return value
    try:
        return Upstream(str(value).strip().lower())
    except ValueError:
        names = ", ".join(u.value for u in Upstream)
        raise ConfigError(f"unknown genai_replay upstream {value!r}; use one of: {names}") from None


def _on_stale(value: object) -> OnStale:
    if isinstance(value, OnStale):
        return value
    try:
        return OnStale(str(value).strip().lower())
    except ValueError:
        names = ", ".join(o.value for o in OnStale)
        raise ConfigError(f"unknown genai_replay on_stale {value!r}; use one of: {names}") from None
