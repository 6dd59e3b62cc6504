"""Malformed HTTP against `serve` and the emulator, and recorded headers that would split an answer.

Both servers read request bodies through `replay._handler.Handler`. A ``content-length`` that is not
a number (or is negative: `serve` waited 30 s for the connection to time out), a chunk size that is
not hexadecimal, or a body longer than `MAX_BODY` dropped the connection with a traceback on
stderr; now each is answered 400 or 413 in the service's error envelope, the connection is closed
(where the next request would start is unknown), nothing is printed, and the server goes on
answering. A header with CR, LF or NUL never leaves `serve` or a replaying transport, whatever the
`Response` holds, and `serve` warns when it listens beyond loopback, since it asks for no key.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

import replay._serve
from replay import (
    Body,
    BodyKind,
    Cassette,
    Interaction,
    Player,
    ReplayTransport,
    Request,
    Response,
    save_cassette,
)
from replay import _cli_server as server_cli
from replay._handler import MAX_BODY, Handler
from replay._serve import CassetteServer
from replay._session import Session
from replay.cli import main
from replay.emulator import Emulator
from tests.reliability.conftest import MALFORMED, Tally

PATH = "/v1beta/models/gemini-2.0-flash-001:generateContent"
URL = "https://generativelanguage.googleapis.com" + PATH
ASK = {"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}
ANSWER = {
    "candidates": [{"content": {"role": "model", "parts": [{"text": "Hello"}]}, "finishReason": "STOP"}]
}
JSON_TYPE = ("content-type", "application/json")
SPLIT = "b\r\nset-cookie: evil=1\r\n\r\nINJECTED"
"""A header value that, sent as it is, ends the headers and starts a body of the attacker's."""
FORBIDDEN = (("x-split", SPLIT), ("x-lf", "a\nb"), ("x-nul", "a\x00b"), ("x bad", "name"))
"""Headers a `Response` built in code may hold and no server or transport may pass on."""


def generate(*headers: tuple[str, str]) -> Interaction:
    return Interaction(
        Request("POST", URL, (JSON_TYPE,), Body(BodyKind.JSON, json=ASK)),
        Response(200, (JSON_TYPE, *headers), Body(BodyKind.JSON, json=ANSWER)),
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CassetteServer]:
    folder = tmp_path_factory.mktemp("cassettes")
    save_cassette(Cassette((generate(),)), folder / "a.json")
    with CassetteServer(folder) as server:
        yield server


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator() as running:
        yield running


@dataclass(frozen=True)
class Answer:
    """An HTTP answer read off a socket until the server closed it."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def envelope(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]


def exchange(url: str, head: str, body: bytes = b"", *, half_close: bool = False) -> Answer:
    """Send `head` (request line and headers, CRLF-separated) and `body` raw; read until the server hangs up."""
    host, port = url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n\r\n" + body)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while piece := sock.recv(65536):
            received += piece
    head_part, _, content = received.partition(b"\r\n\r\n")
    status_line, *lines = head_part.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return Answer(int(status_line.split(" ")[1]), headers, content, time.monotonic() - started)


def post(fields: str) -> str:
    return f"POST {PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{fields}"


@dataclass(frozen=True)
class Framing:
    """One malformed request: its header fields and body, and the answer it must get."""

    name: str
    fields: str
    body: bytes
    status: int
    shows: str
    half_close: bool = False


FRAMINGS = [
    Framing(
        "length-not-a-number",
        "Content-Length: abc",
        b"{}",
        400,
        "content-length 'abc' is not a single number",
    ),
    Framing(
        "length-negative", "Content-Length: -1", b"{}", 400, "content-length '-1' is not a single number"
    ),
    Framing(
        "length-fraction", "Content-Length: 1.5", b"{}", 400, "content-length '1.5' is not a single number"
    ),
    Framing("length-signed", "Content-Length: +2", b"{}", 400, "content-length '+2' is not a single number"),
    Framing(
        "lengths-differ",
        "Content-Length: 2\r\nContent-Length: 3",
        b"{}",
        400,
        "'2', '3' is not a single number",
    ),
    Framing(
        "length-huge",
        "Content-Length: " + "9" * 5000,
        b"{}",
        413,
        f"content-length {'9' * 20}… announces a longer body than the {MAX_BODY:,} bytes",
    ),
    Framing("length-over-limit", f"Content-Length: {MAX_BODY + 1}", b"{}", 413, "announces a longer body"),
    Framing(
        "body-ends-early",
        "Content-Length: 100",
        b"{}",
        400,
        "ended after 2 of the 100 bytes its content-length announced; send the whole body",
        True,
    ),
    Framing("chunk-not-hex", "Transfer-Encoding: chunked", b"zz\r\n{}\r\n0\r\n\r\n", 400, "chunk size 'zz'"),
    Framing("chunk-negative", "Transfer-Encoding: chunked", b"-2\r\n{}\r\n0\r\n\r\n", 400, "chunk size '-2'"),
    Framing("chunk-0x", "Transfer-Encoding: chunked", b"0x2\r\n{}\r\n0\r\n\r\n", 400, "chunk size '0x2'"),
    Framing("chunk-huge", "Transfer-Encoding: chunked", b"F" * 40 + b"\r\n{}", 413, "make a longer body"),
    Framing(
        "chunk-unended", "Transfer-Encoding: chunked", b"2\r\n{}XX0\r\n\r\n", 400, "not followed by CRLF"
    ),
    Framing(
        "coding-gzip", "Transfer-Encoding: gzip", b"{}", 400, "transfer-encoding 'gzip' is not supported"
    ),
    Framing(
        "length-and-chunked",
        "Content-Length: 2\r\nTransfer-Encoding: chunked",
        b"2\r\n{}\r\n0\r\n\r\n",
        400,
        "both a content-length and a transfer-encoding",
    ),
]


def good_request(server: str, url: str) -> int:
    """Ask `server` something it answers well, on a new connection; return the status."""
    if server == "serve":
        answered = httpx.post(url + PATH, json=ASK)
        assert answered.json() == ANSWER
    else:
        answered = httpx.get(url + "/v1beta/models", params={"key": "any"})
        assert answered.json()["models"]
    return answered.status_code


@pytest.mark.parametrize("server", ["serve", "emulator"])
@pytest.mark.parametrize("framing", FRAMINGS, ids=[framing.name for framing in FRAMINGS])
def test_a_body_that_cannot_be_read_is_an_error_answer_not_a_dropped_connection(
    framing: Framing,
    server: str,
    served: CassetteServer,
    emulator: Emulator,
    capfd: pytest.CaptureFixture[str],
    reliability_tally: Tally,
) -> None:
    url = served.url if server == "serve" else emulator.url

    answer = exchange(url, post(framing.fields), framing.body, half_close=framing.half_close)

    assert answer.status == framing.status
    assert answer.headers["connection"] == "close"
    error = answer.envelope()["error"]
    assert (error["code"], error["status"]) == (framing.status, "INVALID_ARGUMENT")
    assert framing.shows in error["message"]
    assert answer.seconds < 5, "the server waited for a body that was never coming"
    assert good_request(server, url) == 200
    assert "Traceback" not in capfd.readouterr().err
    reliability_tally[MALFORMED] += 1


def test_serve_never_sends_a_header_that_would_split_the_answer(
    served: CassetteServer, monkeypatch: pytest.MonkeyPatch, reliability_tally: Tally
) -> None:
    # The reader refuses such a cassette; a `Response` built in code can still hold one.
    player = Player(Cassette((generate(*FORBIDDEN, ("x-kept", "yes")),)))
    monkeypatch.setattr(served, "session", Session.replaying(player))
    body = json.dumps(ASK).encode()

    answer = exchange(served.url, post(f"Content-Length: {len(body)}\r\nConnection: close"), body)

    assert answer.status == 200
    assert answer.headers["x-kept"] == "yes"
    assert not {"x-split", "x-lf", "x-nul", "x bad", "set-cookie"} & answer.headers.keys()
    assert json.loads(answer.body) == ANSWER
    reliability_tally[MALFORMED] += 1


def test_a_replaying_transport_never_passes_such_a_header_on(reliability_tally: Tally) -> None:
    player = Player(Cassette((generate(*FORBIDDEN, ("x-kept", "yes")),)))

    with httpx.Client(transport=ReplayTransport(player)) as client:
        answered = client.post(URL, json=ASK)

    assert answered.headers["x-kept"] == "yes"
    assert not {"x-split", "x-lf", "x-nul", "x bad", "set-cookie"} & answered.headers.keys()
    assert answered.json() == ANSWER
    reliability_tally[MALFORMED] += 1


class _Careless(Handler):
    """A handler that sends whatever header it is given, as a server with a bug might."""

    def serve(self) -> None:
        self.send_response(200)
        for name, value in (*FORBIDDEN, ("x-kept", "yes"), ("content-length", "2")):
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(b"ok")


def test_the_shared_handler_leaves_out_any_header_that_would_split_the_answer() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Careless)
    with server:
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            answer = exchange(
                f"http://127.0.0.1:{server.server_address[1]}", "GET / HTTP/1.1\r\nConnection: close"
            )
        finally:
            server.shutdown()
    assert (answer.status, answer.body, answer.headers["x-kept"]) == (200, b"ok", "yes")
    assert not {"x-split", "x-lf", "x-nul", "x bad", "set-cookie"} & answer.headers.keys()


class _OnLoopback(CassetteServer):
    """A `CassetteServer` that binds 127.0.0.1 whatever host it is given: tests stay off the network."""

    def __init__(self, folder: Path, **options: Any) -> None:
        super().__init__(folder, **{**options, "host": "127.0.0.1"})


@pytest.mark.parametrize(
    ("host", "is_warned"), [("0.0.0.0", True), ("192.0.2.7", True), ("127.0.0.1", False)]
)
def test_serve_warns_when_it_listens_beyond_loopback(
    host: str, is_warned: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reliability_tally: Tally
) -> None:
    save_cassette(Cassette((generate(),)), tmp_path / "a.json")
    monkeypatch.setattr(replay._serve, "CassetteServer", _OnLoopback)
    monkeypatch.setattr(server_cli, "wait_for_interrupt", lambda url: None)

    result = CliRunner().invoke(main, ["serve", str(tmp_path), "--host", host], catch_exceptions=False)

    assert result.exit_code == 0
    warning = server_cli.exposure_warning(host)
    assert (warning in result.stderr) is is_warned
    if is_warned:
        assert "anyone who can reach this machine can read every recorded exchange" in warning
        assert "Use --host 127.0.0.1" in warning
        reliability_tally[MALFORMED] += 1


def test_serve_help_says_there_is_no_authentication() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])

    assert "There is no authentication" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("host", "is_loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.1", False),
        ("example.com", False),
        ("", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host: str, is_loopback: bool) -> None:
    assert server_cli.is_loopback(host) is is_loopback
