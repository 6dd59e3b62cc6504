"""Options and helpers shared by several `genai-replay` commands: sanitising rules, durations, and
running a server.

Part of the command line, like `replay.cli`, so it may use click; the core never imports it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Protocol

import click

from replay._age import DURATION_FORMS, parse_max_age
from replay._errors import ConfigError
from replay._sanitiser import HeaderRule, JsonPathRule, RegexRule, Sanitiser


def read_duration(ctx: click.Context, param: click.Parameter, value: str | None) -> timedelta | None:
    """Read an option's duration as `max_age` is written (``90d``); ``none`` or no value gives None."""
    try:
        return None if value is None else parse_max_age(value)
    except ConfigError as exc:
        raise click.BadParameter(
            f"{value!r} is not a duration; write {DURATION_FORMS}, or 'none' for no limit"
        ) from exc


def rule_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the --rule-header, --rule-json-path and --rule-regex options to a command.

    They reach the command as `headers`, `json_paths` and `regexes`, ready for `sanitiser_from`.
    """
    options = [
        click.option(
            "--rule-header", "headers", multiple=True, metavar="NAME",
            help="Keep this header too (only an allow-list is kept otherwise). Repeatable.",
        ),
        click.option(
            "--rule-json-path", "json_paths", multiple=True, metavar="PATH",
            help="Redact the value at this dotted path in JSON bodies (candidates.*.content). Repeatable.",
        ),
        click.option(
            "--rule-regex", "regexes", multiple=True, metavar="PATTERN", callback=_check_patterns,
            help="Redact every match of this regular expression. Repeatable.",
        ),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def _check_patterns(ctx: click.Context, param: click.Parameter, patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise click.BadParameter(
                f"{pattern!r} is not a regular expression ({exc}); fix or quote it"
            ) from exc
    return patterns


def sanitiser_from(
    headers: tuple[str, ...], json_paths: tuple[str, ...], regexes: tuple[str, ...]
) -> Sanitiser:
    """Build the default sanitiser plus the rules given with the options of `rule_options`."""
    rules: list[HeaderRule | JsonPathRule | RegexRule] = [HeaderRule(name) for name in headers]
    rules += [JsonPathRule(path) for path in json_paths]
    rules += [RegexRule(pattern) for pattern in regexes]
    return Sanitiser(tuple(rules))


class _Server(Protocol):
    def start(self) -> object: ...

    def stop(self) -> None: ...


@contextlib.contextmanager
def listening(server: _Server, host: str, port: int) -> Iterator[None]:
    """Run `server` for the block; a port that cannot be bound is the user's to change."""
    try:
        server.start()
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); pass another --port, or --port 0 "
            "for any free one"
        ) from exc
    try:
        yield
    finally:
        server.stop()
