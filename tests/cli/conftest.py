"""Fixtures for the `genai-replay` command tests: a click runner, a project folder, small cassettes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import replay._age
from replay import Body, BodyKind, Cassette, Interaction, Meta, Request, Response, save_cassette
from replay.cli import main

MODEL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001"
GENERATE = f"{MODEL}:generateContent"
STREAM = f"{MODEL}:streamGenerateContent?alt=sse"
META = Meta("emulator", "gemini", "v1beta", "genai-min", "0.1.0", "2026-11-24T12:00:00Z")
JSON_TYPE = (("content-type", "application/json; charset=UTF-8"),)


def ask(text: str) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": text}]}]}


def answer(text: str) -> dict[str, Any]:
    return {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}]}


def generate(question: str, reply: str, *, status: int = 200, request: Any = None) -> Interaction:
    """One generateContent exchange: `question` asked, `reply` answered."""
    return Interaction(
        Request(
            "POST",
            GENERATE,
            (("content-type", "application/json"),),
            Body(BodyKind.JSON, json=request or ask(question)),
        ),
        Response(status, JSON_TYPE, Body(BodyKind.JSON, json=answer(reply))),
    )


def stream(question: str, *chunks: str) -> Interaction:
    """One streamGenerateContent exchange answered with one event per chunk."""
    events = tuple({"candidates": [{"content": {"role": "model", "parts": [{"text": c}]}}]} for c in chunks)
    return Interaction(
        Request(
            "POST", STREAM, (("content-type", "application/json"),), Body(BodyKind.JSON, json=ask(question))
        ),
        Response(200, (("content-type", "text/event-stream"),), Body(BodyKind.SSE, events=events)),
    )


def write_cassette(path: Path, *interactions: Interaction, meta: Meta = META) -> Path:
    """Save a cassette made of `interactions` at `path` and return the path."""
    save_cassette(Cassette(interactions, meta), path)
    return path


NOW = datetime(2026, 12, 8, tzinfo=UTC)
"""When the commands run, as far as ages go: `META` was recorded 13 days before."""


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Stop the clock ages are measured by at `NOW`, so that what the commands print does not age."""
    monkeypatch.setattr(replay._age, "current_time", lambda: NOW)
    return NOW


@pytest.fixture
def runner() -> CliRunner:
    """A click runner that invokes `genai-replay` in-process."""
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, made the working directory (so `cassettes/` is its default folder)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(runner: CliRunner, *args: str) -> Result:
    """Run `genai-replay ARGS...` and return the result (never raising what the command raised)."""
    return runner.invoke(main, list(args), catch_exceptions=False)
