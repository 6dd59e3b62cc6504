"""`genai-replay serve` and `CassetteServer`: cassettes answered over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from google import genai
from google.genai import types

import genai_min
from genai_min import ServerError, models
from replay import Body, BodyKind, Interaction, Request, Response
from replay import _cli_server as server_cli
from replay._serve import CassetteServer

from .conftest import JSON_TYPE, answer, ask, generate, run, stream, write_cassette

VERTEX = (
    "https://LOCATION-aiplatform.googleapis.com/v1beta1/projects/PROJECT/locations/LOCATION"
    "/publishers/google/models/gemini-2.0-flash-001:generateContent"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_cassette(
        tmp_path / "cassettes" / "a.json", generate("Hi", "Hello"), stream("Story", "Once", " upon")
    )
    write_cassette(tmp_path / "cassettes" / "more" / "b.json", generate("Hi", "Hello again"))
    return tmp_path / "cassettes"


@pytest.fixture
def server(folder: Path) -> Iterator[CassetteServer]:
    with CassetteServer(folder) as running:
        yield running


def test_a_recorded_request_is_answered(server: CassetteServer) -> None:
    url = f"{server.url}/v1beta/models/gemini-2.0-flash-001:generateContent?key=anything"

    response = httpx.post(url, json=ask("Hi"))

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    assert response.json() == answer("Hello")


def test_streams_keep_the_service_framing(server: CassetteServer) -> None:
    url = f"{server.url}/v1beta/models/gemini-2.0-flash-001:streamGenerateContent?alt=sse"

    with httpx.stream("POST", url, json=ask("Story")) as response:
        chunks = list(response.iter_raw())

    assert response.headers["content-type"] == "text/event-stream"
    assert response.headers["transfer-encoding"] == "chunked"
    assert chunks == [
        b'data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Once"}]}}]}\r\n\r\n',
        b'data: {"candidates":[{"content":{"role":"model","parts":[{"text":" upon"}]}}]}\r\n\r\n',
    ]


def test_a_cut_stream_breaks_off_as_recorded_and_header_bytes_come_back_as_recorded(tmp_path: Path) -> None:
    cut = stream("Story", "Once")
    latin1 = "caf\udce9"  # a latin-1 byte that is not UTF-8, as the recorder stores it
    response = Response(
        200, (*cut.response.headers, ("x-note", latin1)), cut.response.body, cut="ReadError: reset"
    )
    write_cassette(tmp_path / "c" / "a.json", Interaction(cut.request, response))
    url = "/v1beta/models/gemini-2.0-flash-001:streamGenerateContent?alt=sse"
    chunks: list[bytes] = []

    with (
        CassetteServer(tmp_path / "c") as running,
        httpx.stream("POST", running.url + url, json=ask("Story")) as answer,
    ):
        assert (b"x-note", b"caf\xe9") in answer.headers.raw
        with pytest.raises(httpx.RemoteProtocolError):
            chunks.extend(answer.iter_raw())

    assert chunks == [
        b'data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Once"}]}}]}\r\n\r\n'
    ]


def test_a_miss_is_a_501_error_envelope_with_the_closest_recording(
    server: CassetteServer, folder: Path
) -> None:
    url = f"{server.url}/v1beta/models/gemini-2.0-flash-001:generateContent"

    response = httpx.post(url, json=ask("Bye"))

    assert response.status_code == 501
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (501, "NOT_IMPLEMENTED")
    assert error["message"].splitlines() == [
        f"no recorded interaction in {folder} matches POST "
        "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent",
        "closest recorded request: POST https://generativelanguage.googleapis.com/v1beta/models/"
        "gemini-2.0-flash-001:generateContent, which differs at:",
        "  body.contents[0].parts[0].text: values changed 'Hi' -> 'Bye'",
        "re-run with --genai-replay-mode=new_episodes to record it",
    ]


def test_identical_requests_get_every_cassette_s_answer_in_order(server: CassetteServer) -> None:
    url = f"{server.url}/v1beta/models/gemini-2.0-flash-001:generateContent"

    texts = [
        httpx.post(url, json=ask("Hi")).json()["candidates"][0]["content"]["parts"][0]["text"]
        for _ in range(3)
    ]

    assert texts == ["Hello", "Hello again", "Hello again"]
    assert server.interactions == 3
    assert [p.name for p in server.paths] == ["a.json", "b.json"]


def test_genai_min_replays_through_the_base_url(server: CassetteServer) -> None:
    with genai_min.Transport(api_key="unused", base_url=server.url) as t:
        assert models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi").text == "Hello"
        chunks = models.generate_content_stream(t, model="gemini-2.0-flash-001", contents="Story")
        assert [c.text for c in chunks] == ["Once", " upon"]
        with pytest.raises(ServerError) as raised:
            models.generate_content(t, model="gemini-2.0-flash-001", contents="Unrecorded")
    assert (raised.value.code, raised.value.status) == (501, "NOT_IMPLEMENTED")
    assert "closest recorded request" in raised.value.message


def test_the_official_sdk_replays_through_the_base_url(server: CassetteServer) -> None:
    options = types.HttpOptions(base_url=server.url, api_version="v1beta")
    with genai.Client(api_key="unused", http_options=options) as client:
        assert client.models.generate_content(model="gemini-2.0-flash-001", contents="Hi").text == "Hello"


def test_vertex_requests_get_the_caller_s_project_back(tmp_path: Path) -> None:
    named = {"name": "projects/PROJECT/locations/LOCATION/cachedContents/1", **answer("Bonjour")}
    recorded = Interaction(
        Request("POST", VERTEX, (), Body(BodyKind.JSON, json=ask("Hi"))),
        Response(200, JSON_TYPE, Body(BodyKind.JSON, json=named)),
    )
    write_cassette(tmp_path / "v.json", recorded)
    path = "/v1beta1/projects/my-proj/locations/europe-west4/publishers/google/models/gemini-2.0-flash-001"

    with CassetteServer(tmp_path) as server:
        response = httpx.post(f"{server.url}{path}:generateContent", json=ask("Hi"))

    assert response.status_code == 200
    assert response.json()["name"] == "projects/my-proj/locations/europe-west4/cachedContents/1"


def test_upload_urls_point_back_at_the_server(tmp_path: Path) -> None:
    upload = "https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=REDACTED&upload_protocol=resumable"
    start = Interaction(
        Request(
            "POST",
            "https://generativelanguage.googleapis.com/upload/v1beta/files",
            (),
            Body(BodyKind.JSON, json={"file": {}}),
        ),
        Response(200, (("x-goog-upload-url", upload), ("x-goog-upload-status", "active")), Body()),
    )
    finish = Interaction(
        Request("POST", upload, (), Body(BodyKind.BYTES, data=b"\x00data")),
        Response(200, JSON_TYPE, Body(BodyKind.JSON, json={"file": {"name": "files/x"}})),
    )
    write_cassette(tmp_path / "u.json", start, finish)

    with CassetteServer(tmp_path) as server:
        started = httpx.post(f"{server.url}/upload/v1beta/files", json={"file": {}})
        sent = httpx.post(started.headers["x-goog-upload-url"], content=b"\x00data")
        here = server.url

    assert started.headers["x-goog-upload-url"].startswith(f"{here}/upload/v1beta/files?upload_id=")
    assert sent.json() == {"file": {"name": "files/x"}}


def test_log_reports_each_answer(folder: Path) -> None:
    lines: list[str] = []
    with CassetteServer(folder, log=lines.append) as server:
        httpx.post(f"{server.url}/v1beta/models/gemini-2.0-flash-001:generateContent", json=ask("Hi"))
        httpx.get(f"{server.url}/v1beta/models")

    assert lines == [
        "POST /v1beta/models/gemini-2.0-flash-001:generateContent → 200",
        "GET /v1beta/models → 501",
    ]


def test_a_failure_inside_the_server_is_still_an_answer(
    server: CassetteServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise ValueError("index is corrupt")

    monkeypatch.setattr(server.player, "play_wire", broken)

    response = httpx.post(f"{server.url}/v1beta/models/gemini-2.0-flash-001:generateContent", json=ask("Hi"))

    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": 500,
            "message": "genai-replay serve failed to answer: ValueError: index is corrupt; please report it",
            "status": "INTERNAL",
        }
    }


def test_a_malformed_cassette_stops_the_server_from_starting(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")

    with pytest.raises(Exception, match="unknown format None"):
        CassetteServer(tmp_path)


def test_url_needs_a_running_server(folder: Path) -> None:
    with pytest.raises(RuntimeError, match="not running"):
        _ = CassetteServer(folder).url


def test_banner_names_the_url_and_the_environment() -> None:
    assert server_cli.banner("Replaying 3 interactions", "http://127.0.0.1:8080") == [
        "Replaying 3 interactions on http://127.0.0.1:8080",
        "Point genai_min and the official Python SDK at it (any key will do):",
        "  export GOOGLE_GEMINI_BASE_URL=http://127.0.0.1:8080",
        "  export GOOGLE_VERTEX_BASE_URL=http://127.0.0.1:8080",
        "  export GOOGLE_API_KEY=unused",
        "Other clients (curl, the JS SDK) take http://127.0.0.1:8080 as their base URL. Press Ctrl-C to stop.",
    ]


def test_the_environment_points_genai_min_at_the_server(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with CassetteServer(folder) as server:
        for name, value in server_cli.client_environment(server.url).items():
            monkeypatch.setenv(name, value)
        with genai_min.Transport() as t:
            assert models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi").text == "Hello"


# --- the command ----------------------------------------------------------------------------------


def test_the_command_serves_until_interrupted(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_cassette(project / "cassettes" / "a.json", generate("Hi", "Hello"))
    answers: list[httpx.Response] = []

    def ask_then_stop(url: str) -> None:
        answers.append(
            httpx.post(f"{url}/v1beta/models/gemini-2.0-flash-001:generateContent", json=ask("Hi"))
        )

    monkeypatch.setattr(server_cli, "wait_for_interrupt", ask_then_stop)
    result = run(runner, "serve")

    assert result.exit_code == 0
    assert answers[0].json() == answer("Hello")
    url = result.stdout.splitlines()[0].rsplit(" on ", 1)[1]
    assert result.stdout.splitlines() == [
        f"Replaying 1 interaction from 1 cassette in cassettes on {url}",
        *server_cli.banner("", url)[1:],
        "Stopped.",
    ]
    assert result.stderr == "POST /v1beta/models/gemini-2.0-flash-001:generateContent → 200\n"
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)


def test_a_port_in_use_is_an_error(runner: CliRunner, project: Path) -> None:
    write_cassette(project / "cassettes" / "a.json", generate("Hi", "Hello"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run(runner, "serve", "--port", str(port))

    assert result.exit_code == 1
    assert result.output == (
        f"Error: cannot listen on 127.0.0.1:{port} (Address already in use); pass another --port, "
        "or --port 0 for any free one\n"
    )


def test_a_malformed_cassette_is_an_error(runner: CliRunner, project: Path) -> None:
    (project / "cassettes").mkdir()
    (project / "cassettes" / "a.json").write_text(json.dumps({"format": "genai-replay/1", "meta": []}))

    result = run(runner, "serve")

    assert result.exit_code == 1
    assert result.output == (
        "Error: cassettes/a.json: meta must be an object, found list; "
        "restore it from version control or record it again\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [],
            "Error: no cassette folder 'cassettes' here; pass cassette files or folders, or name the folder with --cassettes DIR",
        ),
        (["nowhere"], "Error: Invalid value for '[FOLDER]': Directory 'nowhere' does not exist."),
        (["--port", "70000"], "Error: Invalid value for '--port': 70000 is not in the range 0<=x<=65535."),
    ],
    ids=["no-default-folder", "missing-folder", "bad-port"],
)
def test_bad_input_is_a_usage_error(runner: CliRunner, project: Path, args: list[str], message: str) -> None:
    result = run(runner, "serve", *args)

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message
