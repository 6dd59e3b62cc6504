"""`genai-replay emulator`: the emulator on 127.0.0.1 until Ctrl-C, with the banner that points clients at it."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

import genai_min
from genai_min import ClientError, models
from replay import _cli_server as server_cli

from .conftest import run


def test_the_emulator_answers_until_interrupted(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts: list[str | None] = []

    def generate_then_stop(url: str) -> None:
        with genai_min.Transport(api_key="any", base_url=url) as t:
            texts.append(models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi").text)

    monkeypatch.setattr(server_cli, "wait_for_interrupt", generate_then_stop)
    result = run(runner, "emulator")

    assert result.exit_code == 0
    assert texts and texts[0]
    url = result.output.splitlines()[0].rsplit(" on ", 1)[1]
    assert result.output.splitlines() == [
        *server_cli.banner("Emulating the Gemini Developer API and Vertex AI", url),
        "Stopped.",
    ]
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)


def test_api_key_makes_the_emulator_strict(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes: list[int] = []

    def try_a_wrong_key(url: str) -> None:
        with genai_min.Transport(api_key="wrong", base_url=url) as t, pytest.raises(ClientError) as raised:
            models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi")
        codes.append(raised.value.code)

    monkeypatch.setattr(server_cli, "wait_for_interrupt", try_a_wrong_key)
    result = run(runner, "emulator", "--api-key", "s3cret-key")

    assert (result.exit_code, codes) == (0, [400])
    url = result.output.splitlines()[0].rsplit(" on ", 1)[1]
    assert result.output.splitlines()[1:5] == [
        "Point genai_min and the official Python SDK at it (the key the server demands):",
        f"  export GOOGLE_GEMINI_BASE_URL={url}",
        f"  export GOOGLE_VERTEX_BASE_URL={url}",
        "  export GOOGLE_API_KEY=s3cret-key",
    ]


def test_a_port_in_use_is_an_error(runner: CliRunner, project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run(runner, "emulator", "--port", str(port))

    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); pass another --port, "
        "or --port 0 for any free one\n"
    )


def test_an_unknown_option_is_a_usage_error(runner: CliRunner, project: Path) -> None:
    result = run(runner, "emulator", "--host", "0.0.0.0")

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: No such option '--host'. Did you mean '--port'?"


def test_python_m_replay_emulator_is_the_same_command() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "replay.emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--port" in result.stdout and "--api-key" in result.stdout
