"""The `genai-replay` group: version, help in workflow order, usage errors, and errors as messages."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from replay import CassetteError, __version__
from replay.cli import main

from .conftest import run


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")

    assert (result.exit_code, result.output) == (0, f"genai-replay, version {__version__}\n")


def test_help_lists_the_commands_in_workflow_order(runner: CliRunner) -> None:
    result = run(runner, "-h")

    assert result.exit_code == 0
    listed = result.output.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == [
        "record",
        "check",
        "scrub",
        "diff",
        "show",
        "serve",
        "emulator",
        "import",
    ]


def test_an_unknown_command_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, "lint")

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: No such command 'lint'."


def test_a_replay_error_is_a_message_and_exit_1(runner: CliRunner) -> None:
    @click.command()
    def failing() -> None:
        raise CassetteError("the blob is gone; record it again", cassette_path=Path("a.json"))

    main.add_command(failing)
    try:
        result = run(runner, "failing")
    finally:
        main.commands.pop("failing")

    assert (result.exit_code, result.output) == (1, "Error: a.json: the blob is gone; record it again\n")
