"""The `genai-replay` command line: check, scrub, diff and show cassettes, serve them, run the emulator.

Each command parses its arguments, calls one library function and prints. A `ReplayError` becomes a
clean ``Error: ...`` message in one place (`_Cli.invoke`); usage problems exit 2::

    genai-replay check                                   # every cassette under cassettes/
    genai-replay diff --rev HEAD cassettes/test_chat.json
    genai-replay serve cassettes --port 8080
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

import click
from click.core import ParameterSource

from replay import ReplayError, __version__, load_cassette
from replay import _cli_server as server_cli
from replay._age import format_duration
from replay._cassette_diff import diff_cassettes, load_revision
from replay._check import check_cassettes, find_cassettes
from replay._cli_options import listening, read_duration, rule_options, sanitiser_from
from replay._cli_scrub import ScrubStatus, scrub_cassette, summarise
from replay._config import Mode
from replay._folder_diff import diff_folders, verdict_of
from replay._show import render_cassette

COMMAND_ORDER = ("record", "check", "scrub", "diff", "show", "serve", "emulator", "import")
"""The order `--help` lists commands in; commands not named here follow, alphabetically."""
TROUBLE_EXITS_2 = frozenset({"diff"})
"""Commands that, like diff(1), exit 2 on trouble (a `ReplayError`), since 1 means "different"."""


@dataclass(frozen=True)
class Settings:
    """The group's options, handed to the commands that use them."""

    cassettes: Path
    is_quiet: bool


pass_settings = click.make_pass_decorator(Settings)


class _Cli(click.Group):
    """The `genai-replay` group: commands in workflow order, and `ReplayError` turned into a message."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        rank = {name: index for index, name in enumerate(COMMAND_ORDER)}
        return sorted(super().list_commands(ctx), key=lambda name: (rank.get(name, len(rank)), name))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReplayError as exc:
            failure = _Trouble if ctx.invoked_subcommand in TROUBLE_EXITS_2 else click.ClickException
            raise failure(str(exc)) from exc


class _Trouble(click.ClickException):
    """A `ReplayError` in a command whose exit status 1 already means something else."""

    exit_code = 2


@click.group("genai-replay", cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="genai-replay")
@click.option(
    "--cassettes",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("cassettes"),
    show_default=True,
    help="The cassette folder of commands given no paths.",
)
@click.option("-q", "--quiet", "is_quiet", is_flag=True, help="Print only findings, changes and errors.")
@click.pass_context
def main(ctx: click.Context, cassettes: Path, is_quiet: bool) -> None:
    """Record, check and replay Gemini API and Vertex AI exchanges kept in cassettes.

    \b
        genai-replay check
        genai-replay show cassettes/test_chat.json
    """
    ctx.obj = Settings(cassettes, is_quiet)


@main.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.option(
    "--mode",
    type=click.Choice(["once", "new_episodes", "all"]),
    default="new_episodes",
    show_default=True,
    help="once: only missing cassettes; new_episodes: also missing requests; all: everything again.",
)
@click.option("--emulator", "force_emulator", is_flag=True, help="Record against the embedded emulator.")
@click.option("--no-replay", "skip_replay", is_flag=True, help="Skip replaying the cassettes offline.")
@click.pass_context
def record(
    ctx: click.Context, args: tuple[str, ...], mode: str, force_emulator: bool, skip_replay: bool
) -> None:
    """Record a test suite (or one script) into cassettes, check them, and replay them offline.

    ARGS go to pytest (test paths, -k ...); a single .py file that is not a test module is run as a
    script into cassettes/<name>.json beside it. Without credentials, or with --emulator, requests go
    to the embedded emulator, and the cassettes say so.

    \b
        genai-replay record tests/
        genai-replay record --mode all -- tests/test_chat.py -k stream
    """
    from replay._recording_run import UPSTREAM_NAMES, choose_upstream, record_run, summary_lines

    settings: Settings = ctx.obj
    given_dir = (
        ctx.parent is not None and ctx.parent.get_parameter_source("cassettes") is ParameterSource.COMMANDLINE
    )
    upstream = choose_upstream(force_emulator=force_emulator)
    click.echo(f"recording against {UPSTREAM_NAMES[upstream]}")
    echo = (lambda line: None) if settings.is_quiet else click.echo
    result = record_run(
        args,
        mode=Mode(mode),
        upstream=upstream,
        cassette_dir=settings.cassettes if given_dir else None,
        verify=not skip_replay,
        echo=echo,
    )
    for line in summary_lines(result):
        click.echo(line)
    _exit(0 if result.is_ok else 1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as a JSON list.")
@click.option(
    "--max-age",
    metavar="DURATION",
    callback=read_duration,
    help="Also find cassettes recorded longer ago than this: 30m, 12h, 90d, 2w, 1y.",
)
@pass_settings
def check(settings: Settings, paths: tuple[Path, ...], as_json: bool, max_age: timedelta | None) -> None:
    """Check cassettes: format, blobs, bodies against the API's schemas, credentials, and age.

    PATHS are cassette files or folders (default: the --cassettes folder). Exits 1 if anything is
    found, so it can run as a pre-commit hook:

    \b
        genai-replay check cassettes/test_chat.json
        genai-replay check --max-age 90d
    """
    files = find_cassettes(_paths(settings, paths))
    findings = check_cassettes(files, max_age=max_age)
    if as_json:
        click.echo(json.dumps([finding.to_json() for finding in findings], indent=2))
    else:
        for finding in findings:
            click.echo(str(finding))
        if not settings.is_quiet:
            summary = _count_findings(len(findings), len({f.path for f in findings}), len(files))
            if max_age is not None and not findings:
                summary += f", none recorded longer ago than {format_duration(max_age)}"
            click.echo(summary)
    _exit(1 if findings else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@rule_options
@pass_settings
def scrub(settings: Settings, /, paths: tuple[Path, ...], **rules: tuple[str, ...]) -> None:
    """Sanitise cassettes again, in place, with the current rules (plus any --rule options).

    Each file is rewritten atomically, and only if it changes; one that would still hold a
    credential is left as it was, and the command exits 1:

    \b
        genai-replay scrub --rule-regex 'sk-[A-Za-z0-9]+' cassettes/
    """
    sanitiser = sanitiser_from(**rules)
    outcomes = [scrub_cassette(path, sanitiser) for path in find_cassettes(_paths(settings, paths))]
    for outcome in outcomes:
        if outcome.status is not ScrubStatus.UNCHANGED or not settings.is_quiet:
            click.echo(str(outcome))
    if not settings.is_quiet:
        click.echo(summarise(outcomes))
    _exit(1 if any(outcome.is_failure for outcome in outcomes) else 0)


@main.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", required=False, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--rev",
    "revision",
    metavar="REV",
    help="Compare OLD as committed at this git revision (HEAD, main~1) with the file as it is now.",
)
@pass_settings
def diff(settings: Settings, old: Path, new: Path | None, revision: str | None) -> None:
    """Compare two cassettes, or two folders of them, by meaning, interaction by interaction.

    Give two cassettes, two folders (cassettes paired by relative path: added, removed and changed
    ones are listed), or one cassette and --rev to review a re-recording against git. Exit status:
    0 identical, 1 interactions differ (or cassettes were added or removed), 3 only metadata
    differs (when or with what it was recorded), 2 trouble, as diff(1):

    \b
        genai-replay diff old.json new.json
        genai-replay diff cassettes-before/ cassettes/
        genai-replay diff --rev HEAD cassettes/test_chat.json
    """
    if (new is None) == (revision is None):
        raise click.UsageError("give two cassettes or folders (OLD NEW), or one cassette and --rev REV")
    if new is not None and (old.is_dir() or new.is_dir()):
        if not (old.is_dir() and new.is_dir()):
            raise click.UsageError("give two folders, or two cassette files, not one of each")
        _exit(_diff_folders(settings, old, new))
    if old.is_dir():
        raise click.UsageError("--rev compares one cassette file; give the file, not a folder")
    before = load_revision(old, revision) if revision else load_cassette(old)
    after = load_cassette(new or old)
    result = diff_cassettes(before, after)
    if not result.is_equal:
        click.echo(f"--- {f'{revision}:{old}' if revision else old}\n+++ {new or old}")
        for line in result.lines:
            click.echo(line)
    if not settings.is_quiet:
        click.echo(result.summary())
    _exit(verdict_of(result).value)


def _diff_folders(settings: Settings, old: Path, new: Path) -> int:
    result = diff_folders(old, new)
    for relative in result.removed:
        click.echo(f"removed {relative}")
    for relative in result.added:
        click.echo(f"added {relative}")
    for relative, changes in result.changed.items():
        click.echo(f"--- {old / relative}\n+++ {new / relative}")
        for line in changes.lines:
            click.echo(line)
        if not settings.is_quiet:
            click.echo(changes.summary())
    if not settings.is_quiet:
        click.echo(result.summary())
    return result.verdict.value


@main.command()
@click.argument("cassette", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--full", "is_full", is_flag=True, help="Show bodies whole, without shortening them.")
def show(cassette: Path, is_full: bool) -> None:
    """Show a cassette for reading: what recorded it, then each exchange with its bodies.

    Interactions are numbered from 0, as `check` names them (``interactions[3]`` is ``#3``):

    \b
        genai-replay show cassettes/test_chat.json
    """
    for line in render_cassette(load_cassette(cassette), cassette, is_full=is_full):
        click.echo(line)


@main.command()
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port to listen on; 0 picks a free one."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. There is no authentication: any other address than loopback shows "
    "every recording to whoever can reach it (a warning is printed).",
)
@pass_settings
def serve(settings: Settings, folder: Path | None, port: int, host: str) -> None:
    """Answer HTTP requests from the cassettes under FOLDER (default: the --cassettes folder).

    Clients in any language replay through the printed base URL; a request nothing matches gets a
    501 error whose message shows the closest recording. The server asks for no key, so keep it on
    127.0.0.1 (the default). Runs until Ctrl-C:

    \b
        genai-replay serve cassettes --port 8080
    """
    from replay._serve import CassetteServer

    folder = _paths(settings, (folder,) if folder else ())[0]
    if not server_cli.is_loopback(host):
        click.echo(server_cli.exposure_warning(host), err=True)
    log = None if settings.is_quiet else _log_request
    server = CassetteServer(folder, port=port, host=host, log=log)
    with listening(server, host, port):
        counts = (
            f"{_counted(server.interactions, 'interaction')} from {_counted(len(server.paths), 'cassette')}"
        )
        what = f"Replaying {counts} in {folder}"
        for line in server_cli.banner(what, server.url):
            click.echo(line)
        server_cli.wait_for_interrupt(server.url)
    click.echo("Stopped.")


@main.command()
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port to listen on; 0 picks a free one."
)
@click.option("--api-key", default=None, metavar="KEY", help="Accept only this API key (any key otherwise).")
def emulator(port: int, api_key: str | None) -> None:
    """Run the local emulator of the Gemini API and Vertex AI on 127.0.0.1 until Ctrl-C.

    It listens on 127.0.0.1 only, and prints the environment variables that point clients at it:

    \b
        genai-replay emulator --port 8080
    """
    from replay.emulator import Emulator

    running = Emulator(port=port, api_key=api_key)
    with listening(running, "127.0.0.1", port):
        what = "Emulating the Gemini Developer API and Vertex AI"
        for line in server_cli.banner(what, running.url, api_key=api_key):
            click.echo(line)
        server_cli.wait_for_interrupt(running.url)
    click.echo("Stopped.")


@main.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.argument("destination", required=False, type=click.Path(path_type=Path))
@rule_options
@pass_settings
def import_(settings: Settings, /, source: Path, destination: Path | None, **rules: tuple[str, ...]) -> None:
    """Convert vcrpy, pytest-recording, Ruby VCR or go-vcr cassettes into genai-replay ones.

    SOURCE is a cassette file or a folder of them, DESTINATION the file or folder to write (replacing
    what is there). Without DESTINATION each cassette is converted in place: a.yaml gives a.json
    beside it, where genai_replay looks for pytest-recording's tests; the .yaml stays. An a.json
    already there is replaced only if an earlier import wrote it, never if it was recorded. Every
    exchange is sanitised (default rules plus any --rule options). Exits 1 if a file was skipped:

    \b
        genai-replay import tests/cassettes
        genai-replay import tests/cassettes cassettes
    """
    from replay._importer import import_beside, import_cassettes

    sanitiser = sanitiser_from(**rules)
    if destination is None:
        report = import_beside(source, sanitiser)
    else:
        report = import_cassettes(source, destination, sanitiser)
    for item in () if settings.is_quiet else report.imported:
        written = item.destination if item.destination is not None else "nothing written"
        what = f"{_counted(item.interactions, 'interaction')}, {item.format}"
        again = ", replacing the earlier import" if item.is_replacing else ""
        click.echo(f"imported {item.source} → {written} ({what}{again})")
    for skipped in report.skipped:
        click.echo(f"skipped {skipped.path}: {skipped.reason}")
    _exit(1 if report.skipped else 0)


# --- helpers ----------------------------------------------------------------------------------------


def _log_request(line: str) -> None:
    click.echo(line, err=True)


def _paths(settings: Settings, given: tuple[Path, ...]) -> list[Path]:
    if given:
        return list(given)
    if not settings.cassettes.is_dir():
        raise click.UsageError(
            f"no cassette folder {str(settings.cassettes)!r} here; pass cassette files or folders, "
            "or name the folder with --cassettes DIR"
        )
    return [settings.cassettes]


def _count_findings(findings: int, cassettes_with: int, cassettes: int) -> str:
    if not findings:
        return f"no problems in {_counted(cassettes, 'cassette')}"
    return f"{_counted(findings, 'problem')} in {cassettes_with} of {_counted(cassettes, 'cassette')}"


def _counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _exit(code: int) -> NoReturn:
    click.get_current_context().exit(code)
