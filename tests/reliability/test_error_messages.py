"""Every documented error says what happened (with the offending values) and what to do.

One row per error class of `genai_min` and `replay`, each raised through the public API the way a
user meets it: a stub service answering badly, a cassette that is missing, a plugin setting with a
typo. `test_every_error_class_has_a_row` fails when an error class is added without a row. Where a
message has no hint yet, the row names the gap and its hint test is a strict xfail, so fixing the
message turns it into a failure that asks for the mark to go.

For `APIError` and its subclasses the message has the official SDK's form (``404 NOT_FOUND. ...``),
so the service's own message is what says what to do; the rows check that it is shown whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

# In-process pytester runs drop the modules a run imported, and cryptography's Rust bindings cannot be
# imported twice in one process: load it before any run, as tests/plugin does.
from cryptography.hazmat.primitives import serialization as serialization

import genai_min
import replay
from genai_min import files, models, operations
from genai_min.types import File
from replay import (
    Body,
    BodyKind,
    Cassette,
    Interaction,
    Meta,
    Player,
    Recorder,
    RecordingTransport,
    ReplayTransport,
    Request,
    Response,
    load_cassette,
    save_cassette,
)
from replay._errors import UnsupportedCassetteError  # not exported (yet) by replay
from replay._importer import read_foreign_cassette

MODEL = "gemini-2.0-flash-001"
URL = f"https://generativelanguage.googleapis.com/v1beta/models/{MODEL}:generateContent"
LEAKED_KEY = "AIzaSyD-leaked-key-0123456789abcdefghijk"


@dataclass(frozen=True)
class Row:
    """How to meet one error class, what its message must show, and the hint it must give."""

    error: type[BaseException]
    trigger: Callable[[Path], BaseException | str]
    """Raise the error (return it), or, for what only the pytest plugin shows, return the text shown."""
    shows: tuple[str, ...]
    hint: str | None
    gap: str = ""
    """Why there is no hint yet, and the hint to add (a strict xfail until it is added)."""


def service(handle: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> genai_min.Transport:
    return genai_min.Transport(api_key="test-key", transport=httpx.MockTransport(handle), **kwargs)


def caught(call: Callable[[], object]) -> BaseException:
    try:
        call()
    except Exception as exc:
        return exc
    raise AssertionError("nothing was raised")


def envelope(code: int, status: str, message: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(
        code, json={"error": {"code": code, "status": status, "message": message}}
    )


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


def too_slow(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("The read operation timed out", request=request)


def html_stream(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, content=b"<html>Sign in</html>\n", headers={"content-type": "text/event-stream"}
    )


def no_upload_url(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"x-goog-upload-status": "active"})


def pending_video(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"name": "models/veo-2.0-generate-001/operations/op-7", "done": False})


# -- replay ------------------------------------------------------------------------------------------


def leak(tmp: Path) -> BaseException:
    recorder = Recorder(tmp / "leak.json", meta=Meta(recorded_against="emulator"))

    def echo_key(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"note": f"your key is {LEAKED_KEY}"})

    recording = RecordingTransport(recorder, inner=httpx.MockTransport(echo_key))
    with genai_min.Transport(api_key="test-key", transport=recording) as t:  # type: ignore[arg-type]
        t.send(genai_min.HttpRequest("GET", "models"))
    return caught(recorder.save)


def no_match(tmp: Path) -> BaseException:
    path = tmp / "recorded.json"
    question = Body(BodyKind.JSON, json={"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]})
    answer = Body(BodyKind.JSON, json={"candidates": []})
    save_cassette(
        Cassette((Interaction(Request("POST", URL, (), question), Response(200, (), answer)),)), path
    )
    player = Player(load_cassette(path), path=path)
    t = genai_min.Transport(api_key="unused", transport=ReplayTransport(player))
    return caught(lambda: models.generate_content(t, model=MODEL, contents="Hello"))


def stale(tmp: Path) -> BaseException:
    from datetime import timedelta

    from replay._age import OnStale
    from replay._cassette import Meta
    from replay._config import Config
    from replay._harness import Harness

    path = tmp / "old.json"
    save_cassette(Cassette((), Meta(recorded_at="2020-01-01T00:00:00Z")), path)
    harness = Harness()
    try:
        config = Config(max_age=timedelta(days=90), on_stale=OnStale.FAIL)
        return caught(lambda: harness.session(path, config, rerun="pytest test_x.py --genai-replay-mode=all"))
    finally:
        harness.close()


def foreign(tmp: Path) -> BaseException:
    path = tmp / "foreign.yaml"
    path.write_text("just: a yaml file\n")
    return caught(lambda: read_foreign_cassette(path))


PLUGIN_TESTS = {
    "config": """
import pytest

@pytest.mark.genai_replay(mdoe="all")
def test_typo(genai_replay):
    pass
""",
    "network": """
import socket

def test_reaches_out(genai_replay):
    with socket.socket() as sock:
        sock.connect(("192.0.2.1", 443))
""",
}


PLUGIN_LINES = {
    "config": re.compile(r"ERROR: test_config\.py::test_typo: (.*)"),  # a usage error, at collection
    "network": re.compile(r"E +replay\._errors\.NetworkBlockedError: (.*)"),
}
"""The line of pytest's output that shows each error, and the message in it."""


def plugin_output(pytester: pytest.Pytester, which: str) -> str:
    """Run a throwaway test project that meets the error; return the message pytest shows."""
    pytester.makeini("[pytest]\naddopts = -p no:cacheprovider -p no:hypothesispytest\n")
    pytester.makepyfile(**{f"test_{which}": PLUGIN_TESTS[which]})
    result = pytester.runpytest_inprocess()
    found = [m for line in result.outlines + result.errlines if (m := PLUGIN_LINES[which].match(line))]
    assert len(found) == 1, "\n".join(result.outlines + result.errlines)
    return found[0].group(1)


# -- the table ---------------------------------------------------------------------------------------

ROWS: list[Row] = [
    Row(
        genai_min.ConfigError,
        lambda tmp: caught(
            lambda: models.generate_content(service(envelope(500, "X", "x")), model=MODEL, contents=5)
        ),
        ("int 5",),
        "pass a str, Part, dict or File",
    ),
    Row(
        genai_min.UnsupportedError,
        lambda tmp: caught(
            lambda: models.compute_tokens(service(envelope(500, "X", "x")), model=MODEL, contents="a")
        ),
        ("compute_tokens",),
        "use count_tokens on the Gemini Developer API",
    ),
    Row(
        genai_min.TransportError,
        lambda tmp: caught(lambda: models.generate_content(service(refused), model=MODEL, contents="a")),
        (f"POST models/{MODEL}:generateContent", "Connection refused"),
        "check the network and the base URL, or retry with RetryOptions",
    ),
    Row(
        genai_min.RequestTimeoutError,
        lambda tmp: caught(lambda: models.generate_content(service(too_slow), model=MODEL, contents="a")),
        (f"POST models/{MODEL}:generateContent", "timed out"),
        "raise timeout= on the Transport or retry with RetryOptions",
    ),
    Row(
        genai_min.ResponseError,
        lambda tmp: caught(
            lambda: list(models.generate_content_stream(service(html_stream), model=MODEL, contents="a"))
        ),
        ("'<html>Sign in</html>'",),
        "check that the base URL points at the Gemini API or Vertex AI",
    ),
    Row(
        genai_min.FileUploadError,
        lambda tmp: caught(
            lambda: files.upload(service(no_upload_url), file=b"abc", config={"mime_type": "text/plain"})
        ),
        ("x-goog-upload-url", "None"),
        "the service (or a recording of it) must return one",
    ),
    Row(
        genai_min.FileProcessingError,
        lambda tmp: caught(
            lambda: files.wait_active(
                service(envelope(500, "X", "x")),
                file=File(name="files/clip", state="FAILED", error={"message": "unsupported codec"}),
            )
        ),
        ("files/clip", "unsupported codec"),
        "upload it again, perhaps in another format",
    ),
    Row(
        genai_min.FileWaitTimeoutError,
        lambda tmp: caught(
            lambda: files.wait_active(
                service(envelope(500, "X", "x")), file=File(name="files/clip", state="PROCESSING"), timeout=0
            )
        ),
        ("files/clip", "PROCESSING", "0 s"),
        "call files.wait_active again, with a longer timeout",
    ),
    Row(
        genai_min.OperationTimeoutError,
        lambda tmp: caught(
            lambda: operations.wait(
                (t := service(pending_video)),
                models.generate_videos(t, model="veo-2.0-generate-001", prompt="A neon cat"),
                timeout=0,
            )
        ),
        ("models/veo-2.0-generate-001/operations/op-7", "0 s"),
        "call wait() again with a longer timeout",
    ),
    Row(
        genai_min.APIError,
        lambda tmp: caught(
            lambda: models.generate_content(
                service(
                    lambda r: httpx.Response(302, headers={"location": "https://accounts.example/login"})
                ),
                model=MODEL,
                contents="a",
            )
        ),
        ("302", "'https://accounts.example/login'"),
        "check the base URL and the credentials",
    ),
    Row(
        genai_min.ClientError,
        lambda tmp: caught(
            lambda: models.generate_content(
                service(envelope(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.")),
                model=MODEL,
                contents="a",
            )
        ),
        ("400", "INVALID_ARGUMENT"),
        "API key not valid. Please pass a valid API key.",
    ),
    Row(
        genai_min.ServerError,
        lambda tmp: caught(
            lambda: models.generate_content(
                service(envelope(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")),
                model=MODEL,
                contents="a",
            )
        ),
        ("503", "UNAVAILABLE"),
        "The model is overloaded. Please try again later.",
    ),
    Row(
        replay.CassetteError,
        lambda tmp: caught(lambda: load_cassette(tmp / "missing.json")),
        ("missing.json",),
        "record it first",
    ),
    Row(
        UnsupportedCassetteError,
        foreign,
        ("foreign.yaml",),
        "cannot import it",
    ),
    Row(
        replay.CredentialLeakError,
        leak,
        ("leak.json", "interactions[0].response.body"),
        "Add a sanitising rule",
    ),
    Row(
        replay.NoMatchError,
        no_match,
        ("recorded.json", f"POST {URL}", "contents[0].parts[0].text"),
        "re-run with --genai-replay-mode=new_episodes to record it",
    ),
    Row(
        replay.ConfigError,
        lambda tmp: "config",  # raised by the plugin: see test_plugin_errors below
        ("'mdoe'",),
        "allowed: mode",
    ),
    Row(
        replay.StaleCassetteError,
        stale,
        ("old.json", "90d"),
        "re-record it with `pytest test_x.py --genai-replay-mode=all`",
    ),
    Row(
        replay.NetworkBlockedError,
        lambda tmp: "network",
        ("192.0.2.1",),
        "--genai-replay-mode=new_episodes",
    ),
]


def row_id(row: Row) -> str:
    return f"{row.error.__module__.split('.')[0]}.{row.error.__name__}"


def message_of(row: Row, tmp: Path, pytester: pytest.Pytester) -> str:
    raised = row.trigger(tmp)
    if isinstance(raised, str):
        return plugin_output(pytester, raised)
    assert type(raised) is row.error, f"expected {row.error.__name__}, got {type(raised).__name__}: {raised}"
    return str(raised)


@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_the_message_says_what_happened(row: Row, tmp_path: Path, pytester: pytest.Pytester) -> None:
    message = message_of(row, tmp_path, pytester)
    for shown in row.shows:
        assert shown in message, f"{shown!r} is not in the message: {message}"


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(row, marks=pytest.mark.xfail(strict=True, reason=row.gap)) if row.gap else row
        for row in ROWS
    ],
    ids=row_id,
)
def test_the_message_says_what_to_do(row: Row, tmp_path: Path, pytester: pytest.Pytester) -> None:
    message = message_of(row, tmp_path, pytester)
    assert row.hint is not None and row.hint in message, f"no hint in: {message}"


def error_classes() -> Iterator[type[BaseException]]:
    """Every error class of both packages: the subclasses of their roots defined in them."""
    pending: list[type[BaseException]] = [genai_min.GenAIError, replay.ReplayError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in ("genai_min", "replay"):
            yield cls


def test_every_error_class_has_a_row() -> None:
    roots = {genai_min.GenAIError, replay.ReplayError}  # never raised themselves: only caught
    missing = {cls.__qualname__ for cls in error_classes()} - {row.error.__qualname__ for row in ROWS}
    missing -= {root.__qualname__ for root in roots}
    assert not missing, f"add a row to ROWS for each new error class: {sorted(missing)}"
    assert len({row.error for row in ROWS}) == len(ROWS), "one row per error class"


# -- beyond the table --------------------------------------------------------------------------------


def test_a_success_answer_that_is_not_json_is_a_response_error() -> None:
    t = service(lambda request: httpx.Response(200, content=b"<html>Sign in</html>"))
    with pytest.raises(genai_min.ResponseError, match="base URL") as caught:
        models.generate_content(t, model=MODEL, contents="a")
    assert "'<html>Sign in</html>'" in str(caught.value)
    assert caught.value.body == b"<html>Sign in</html>"


def test_a_stream_cut_after_events_says_how_many_arrived() -> None:
    def cut(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            yield b'data: {"candidates": []}\r\n\r\n'
            raise httpx.RemoteProtocolError("peer closed connection", request=request)

        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    stream = models.generate_content_stream(service(cut), model=MODEL, contents="a")
    next(stream)
    with pytest.raises(genai_min.TransportError) as caught:
        next(stream)
    message = str(caught.value)
    assert "before an answer arrived" not in message
    assert "the stream broke off after 1 event: RemoteProtocolError('peer closed connection')" in message
    assert message.endswith("the answer is incomplete: retry the request")
