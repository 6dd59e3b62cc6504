"""Cassettes edited by hand into values no recording holds: refused by name, in every command, without a traceback.

Each case is one valid cassette with one value broken: a URL `urlsplit` rejects or that is not
absolute http(s), JSON nested deeper than `MAX_DEPTH` (900 levels broke `show` and `scrub` with a
`RecursionError`; 980 was called "not valid JSON"), a status outside 100..599 or not an integer,
a body of two kinds, a header HTTP forbids (CR, LF, NUL; a name that is not a token). The reader
raises `CassetteError` naming the file, the interaction, what is wrong and what to do, so replaying
(`ReplayTransport(Player(load_cassette(path)))`) never starts; `check`, `scrub`, `show` and `serve`
report it and exit 1, `diff` exits 2. A cassette exactly at the nesting limit works everywhere.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from replay import CassetteError, Player, ReplayTransport, load_cassette
from replay import _cli_server as server_cli
from replay._json_depth import MAX_DEPTH, nests_deeper
from replay._serve import CassetteServer
from replay.cli import main
from tests.reliability.conftest import MALFORMED, Tally

URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"
STREAM_URL = URL.replace(":generateContent", ":streamGenerateContent?alt=sse")


def nested(levels: int, leaf: Any, key: str | None = "a") -> Any:
    """`leaf` inside `levels` objects (``{"a": ...}``) or, with no key, lists."""
    value = leaf
    for _ in range(levels):
        value = [value] if key is None else {key: value}
    return value


def document(args: Any = "x", event_text: Any = "Hello") -> dict[str, Any]:
    """A valid cassette: a generateContent call and a stream; `args` and `event_text` may nest deeply."""
    call = {"role": "model", "parts": [{"functionCall": {"name": "f", "args": {"v": args}}}]}
    ask = {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}, call]}
    answer = {"candidates": [{"content": call, "finishReason": "STOP"}]}
    event = {"candidates": [{"content": {"role": "model", "parts": [{"text": event_text}]}}]}
    json_type = "application/json"
    return {
        "format": "genai-replay/1",
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "url": URL,
                    "headers": {"content-type": json_type},
                    "body": {"json": ask},
                },
                "response": {"status": 200, "headers": {"content-type": json_type}, "body": {"json": answer}},
            },
            {
                "request": {
                    "method": "POST",
                    "url": STREAM_URL,
                    "headers": {"content-type": json_type},
                    "body": {"json": copy.deepcopy(ask)},
                },
                "response": {
                    "status": 200,
                    "headers": {"content-type": "text/event-stream"},
                    "body": {"sse": [event, event]},
                },
            },
        ],
        "meta": {"recorded_against": "emulator", "backend": "gemini", "api_version": "v1beta"},
    }


def depth(value: Any) -> int:
    levels = 0
    while nests_deeper(value, levels):
        levels += 1
    return levels


ARGS_SPARE = MAX_DEPTH + 1 - depth(document(args=[]))
"""How many levels a function call's argument may nest before the cassette is too deep."""
TEXT_SPARE = MAX_DEPTH + 1 - depth(document(event_text=[]))
"""How many levels a stream event's text may nest (in lists; the schema check objects to that)."""


@dataclass(frozen=True)
class Case:
    """One broken value: how to break the document (or the raw file) and what the error must say."""

    name: str
    shows: tuple[str, ...]
    change: Callable[[dict[str, Any]], None] | None = None
    raw: bytes | None = None

    def write(self, path: Path) -> Path:
        if self.raw is not None:
            path.write_bytes(self.raw)
        else:
            broken = document()
            assert self.change is not None
            self.change(broken)
            path.write_text(written(broken), encoding="utf-8")
        return path


@dataclass(frozen=True)
class Nesting:
    """A value nested `levels` deep in objects (or lists), written as text: `json.dumps` would recurse."""

    levels: int
    key: str | None = "a"

    def text(self) -> str:
        if self.key is None:
            return "[" * self.levels + "1" + "]" * self.levels
        return f'{{"{self.key}": ' * self.levels + "1" + "}" * self.levels


def written(value: dict[str, Any]) -> str:
    """Dump `value` as JSON, with each `Nesting` in it written out in full."""
    found: list[Nesting] = []

    def mark(nesting: object) -> str:
        assert isinstance(nesting, Nesting)
        found.append(nesting)
        return f"<nesting {len(found) - 1}>"

    text = json.dumps(value, default=mark)
    for index, nesting in enumerate(found):
        text = text.replace(f'"<nesting {index}>"', nesting.text())
    return text


def setting(*steps: str | int, to: Any) -> Callable[[dict[str, Any]], None]:
    """Set the value at `steps` (keys and indexes from the top of the document)."""

    def change(broken: dict[str, Any]) -> None:
        parent: Any = broken
        for step in steps[:-1]:
            parent = parent[step]
        parent[steps[-1]] = to

    return change


def first(side: str, *steps: str | int, to: Any) -> Callable[[dict[str, Any]], None]:
    return setting("interactions", 0, side, *steps, to=to)


EVENT_TEXT = ("interactions", 1, "response", "body", "sse", 0, "candidates", 0, "content", "parts", 0, "text")
TOO_DEEP = f"nests deeper than {MAX_DEPTH} levels of objects and lists"
DEEP_RAW = b'{"format": "genai-replay/1", "interactions": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"

CASES = [
    # 13: URLs the reader cannot use, JSON nested too deep to walk.
    Case(
        "ipv6-url",
        ("interactions[0]: the request URL 'http://[::1' does not parse (Invalid IPv6 URL)",),
        first("request", "url", to="http://[::1"),
    ),
    Case(
        "port-out-of-range",
        ("interactions[0]: the request URL", "does not parse (Port out of range"),
        first("request", "url", to="http://127.0.0.1:99999/v1beta/models"),
    ),
    Case(
        "ftp-url",
        ("interactions[0]: the request URL 'ftp://x/y' is not an absolute http(s) URL",),
        first("request", "url", to="ftp://x/y"),
    ),
    Case(
        "relative-url",
        ("interactions[1]: the request URL '/v1beta/models' is not an absolute http(s) URL",),
        setting("interactions", 1, "request", "url", to="/v1beta/models"),
    ),
    Case(
        "no-host",
        ("interactions[0]: the request URL 'https:///v1beta/models' has no host",),
        first("request", "url", to="https:///v1beta/models"),
    ),
    Case(
        "json-900-deep",
        ("interactions[0].response.body.json.candidates…", TOO_DEEP),
        first("response", "body", "json", "candidates", 0, "content", to=Nesting(900)),
    ),
    Case(
        "json-980-deep",
        ("interactions[0].request.body.json.contents…", TOO_DEEP),
        first("request", "body", "json", "contents", 0, to=Nesting(980, key=None)),
    ),
    Case(
        "event-one-level-too-deep",
        ("interactions[1].response.body.sse[0]… (line 1)", TOO_DEEP),
        setting(*EVENT_TEXT, to=Nesting(TEXT_SPARE + 1, key=None)),
    ),
    Case("100000-deep", ("interactions[0][0][0][0][0]… (line 1)", TOO_DEEP), raw=DEEP_RAW),
    # 14: statuses that are not HTTP statuses, bodies of two kinds.
    Case(
        "status-999",
        ("interactions[0]: a response needs an integer status from 100 to 599, found 999",),
        first("response", "status", to=999),
    ),
    Case(
        "status-negative",
        ("an integer status from 100 to 599, found -5",),
        first("response", "status", to=-5),
    ),
    Case(
        "status-true",
        ("an integer status from 100 to 599, found true",),
        first("response", "status", to=True),
    ),
    Case(
        "status-text",
        ('an integer status from 100 to 599, found "200"',),
        first("response", "status", to="200"),
    ),
    Case(
        "status-missing",
        ("an integer status from 100 to 599, found null",),
        first("response", "status", to=None),
    ),
    Case(
        "json-and-sse",
        ("interactions[0].response.body: a body has exactly one kind, found 'json' and 'sse'",),
        first("response", "body", "sse", to=[]),
    ),
    Case(
        "json-and-text",
        ("interactions[0].request.body: a body has exactly one kind, found 'json' and 'text'",),
        first("request", "body", "text", to="Hi"),
    ),
    Case(
        "json-and-stray-key",
        ("interactions[0].response.body: a 'json' body has unknown keys ['delays']",),
        first("response", "body", "delays", to=[0.5]),
    ),
    # 15: headers HTTP forbids.
    Case(
        "crlf-in-response-header",
        (
            "interactions[0]: response header 'x-a': its value 'b\\r\\nset-cookie: evil=1' holds '\\r'",
            "which HTTP forbids in a header",
        ),
        first("response", "headers", "x-a", to="b\r\nset-cookie: evil=1"),
    ),
    Case(
        "lf-in-response-header",
        ("response header 'x-a': its value 'b\\nc' holds '\\n'",),
        first("response", "headers", "x-a", to="b\nc"),
    ),
    Case(
        "nul-in-request-header",
        ("interactions[0]: request header 'x-a': its value 'a\\x00b' holds '\\x00'",),
        first("request", "headers", "x-a", to="a\x00b"),
    ),
    Case(
        "space-in-header-name",
        ("response header 'x a': its name is not an HTTP token",),
        first("response", "headers", "x a", to="b"),
    ),
    Case(
        "colon-in-header-name",
        ("response header 'x-a:': its name is not an HTTP token",),
        first("response", "headers", "x-a:", to="b"),
    ),
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> tuple[int, str]:
    """Run `genai-replay ARGS...` in-process; anything it raises (a traceback) fails the test."""
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def refusal(case: Case, path: Path) -> str:
    """Return the reader's message for `case` once checked: it names the file, the place and the fix."""
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    message = str(caught.value)
    assert caught.value.cassette_path == path
    assert message.startswith(f"{path}: ")
    for part in case.shows:
        assert part in message
    assert "not valid JSON" not in message
    assert message.endswith("record it again")
    return message


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_reader_refuses_it_so_replay_never_starts(
    case: Case, tmp_path: Path, reliability_tally: Tally
) -> None:
    path = case.write(tmp_path / "c.json")

    refusal(case, path)

    reliability_tally[MALFORMED] += 1


@pytest.mark.parametrize("command", ["check", "scrub", "show", "diff", "serve"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_command_reports_it_without_a_traceback(
    case: Case,
    command: str,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    reliability_tally: Tally,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(server_cli, "wait_for_interrupt", lambda url: None)  # were it to start after all
    (tmp_path / "cassettes").mkdir()
    path = case.write(Path("cassettes") / "c.json")
    good = Path("good.json")
    good.write_text(json.dumps(document()), encoding="utf-8")
    before = path.read_bytes()
    message = refusal(case, path)

    if command == "check":
        assert invoke(runner, "check") == (1, f"{message}\n1 problem in 1 of 1 cassette\n")
    elif command == "scrub":
        failed = f"{path}: failed, {message.removeprefix(f'{path}: ')}"
        assert invoke(runner, "scrub") == (1, f"{failed}\n1 cassette: 1 failed\n")
    elif command == "show":
        assert invoke(runner, "show", str(path)) == (1, f"Error: {message}\n")
    elif command == "diff":
        assert invoke(runner, "diff", str(good), str(path)) == (2, f"Error: {message}\n")
    else:
        assert invoke(runner, "serve") == (1, f"Error: {message}\n")
    assert path.read_bytes() == before
    reliability_tally[MALFORMED] += 1


def test_a_cassette_at_the_nesting_limit_works_in_every_command(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    deep = document(args=nested(ARGS_SPARE, "x"), event_text=nested(TEXT_SPARE, "x", key=None))
    changed = document(args=nested(ARGS_SPARE, "y"), event_text=nested(TEXT_SPARE, "x", key=None))
    assert depth(deep) == depth(changed) == MAX_DEPTH
    path, other = Path("cassettes/deep.json"), Path("changed.json")
    path.parent.mkdir()
    path.write_text(json.dumps(deep), encoding="utf-8")
    other.write_text(json.dumps(changed), encoding="utf-8")

    code, output = invoke(runner, "check", str(path))
    # Only the schema objects, to text that is a list: the walk into it came back.
    assert code == 1 and "interactions[1].response.body[0].candidates[0].content.parts[0].text" in output
    assert invoke(runner, "show", str(path))[0] == 0
    assert invoke(runner, "show", "--full", str(path))[0] == 0
    assert invoke(runner, "scrub", str(path)) == (0, f"{path}: unchanged\n1 cassette: 1 unchanged\n")
    code, output = invoke(runner, "diff", str(path), str(other))
    assert code == 1 and ': "x" → "y"' in output

    cassette = load_cassette(path)
    asked = deep["interactions"][0]["request"]["body"]["json"]
    with httpx.Client(transport=ReplayTransport(Player(cassette, path=path))) as client:
        assert client.post(URL, json=asked).json() == deep["interactions"][0]["response"]["body"]["json"]
    with CassetteServer(path.parent) as server:
        served = httpx.post(
            server.url + URL.removeprefix("https://generativelanguage.googleapis.com"), json=asked
        )
        assert served.json() == deep["interactions"][0]["response"]["body"]["json"]
