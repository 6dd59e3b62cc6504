"""ignore_hosts and ignore_localhost: traffic to those hosts is sent as it is, in every mode, and never stored.

A downstream project with no credentials talks to Gemini and to its own local services (an
``httpx.MockTransport`` on ``http://localhost``, a server on 127.0.0.1 called with httpx, requests and
aiohttp): recording against the emulator keeps only Gemini's exchanges, and replaying answers Gemini
from the cassette while the local calls still reach their handlers. An ignored public host is
still refused by the network guard while replaying.
"""

from __future__ import annotations

import json

import pytest

GEMINI = """
from google import genai

MODEL = "gemini-2.0-flash-001"


def ask_gemini():
    client = genai.Client()
    return client.models.generate_content(model=MODEL, contents="Why is the sky blue?").text
"""

MOCK_TRANSPORT_TESTS = """
import asyncio

import httpx
import pytest

from gemini import ask_gemini


def handler(request):
    return httpx.Response(200, json={"local": True, "path": request.url.path})


@pytest.mark.genai_replay(ignore_localhost=True)
def test_mock_transport_on_localhost(genai_replay):
    assert ask_gemini()
    handled = []

    def handle(request):
        handled.append(str(request.url))
        return handler(request)

    with httpx.Client(transport=httpx.MockTransport(handle)) as local:
        assert local.get("http://localhost/status").json() == {"local": True, "path": "/status"}

    async def ask_async():
        async with httpx.AsyncClient(transport=httpx.MockTransport(handle)) as local:
            return (await local.post("http://LOCALHOST:8080/jobs", json={"n": 1})).json()

    assert asyncio.run(ask_async()) == {"local": True, "path": "/jobs"}
    assert handled == ["http://localhost/status", "http://localhost:8080/jobs"]
    assert [r.url.split("/")[2] for r in genai_replay.requests] == ["generativelanguage.googleapis.com"]


def test_mock_transport_without_ignore_localhost(genai_replay):
    with httpx.Client(transport=httpx.MockTransport(handler)) as local:
        local.get("http://localhost/status")
"""

LOCAL_SERVER_CONFTEST = """
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@pytest.fixture
def genai_replay_config():
    return {"ignore_hosts": ["127.0.0.1"]}


@pytest.fixture
def local_server():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.answer({"method": "GET", "path": self.path})

        def do_POST(self):
            sent = json.loads(self.rfile.read(int(self.headers["content-length"])))
            self.answer({"method": "POST", "path": self.path, "sent": sent})

        def answer(self, body):
            hits.append(self.path)
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()
    thread.join()
"""

LOCAL_SERVER_TESTS = """
import asyncio

import aiohttp
import httpx
import requests

from gemini import ask_gemini


def test_local_server(genai_replay, local_server):
    base, hits = local_server
    assert ask_gemini()
    assert httpx.get(f"{base}/httpx").json() == {"method": "GET", "path": "/httpx"}
    answer = requests.post(f"{base}/requests", json={"n": 1}, timeout=10).json()
    assert answer == {"method": "POST", "path": "/requests", "sent": {"n": 1}}

    async def ask_aiohttp():
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{base}/aiohttp", json={"n": 2}) as answer:
                return await answer.json()

    assert asyncio.run(ask_aiohttp()) == {"method": "POST", "path": "/aiohttp", "sent": {"n": 2}}
    assert hits == ["/httpx", "/requests", "/aiohttp"]
"""

PUBLIC_HOST_TESTS = """
import httpx
import pytest

from replay import NetworkBlockedError


@pytest.mark.genai_replay(ignore_hosts=["Example.COM"])
def test_ignored_public_host(genai_replay):
    # A mock transport opens no socket: an ignored host's handler is reached, even replaying.
    with httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(204))) as mocked:
        assert mocked.get("https://example.com/").status_code == 204
    with pytest.raises(NetworkBlockedError, match="'example.com'"):
        httpx.get("https://EXAMPLE.com/")
"""


def recorded(project: pytest.Pytester, module: str) -> dict[str, dict]:
    folder = project.path / "cassettes" / module
    return {path.stem: json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))}


def test_a_mock_transport_on_localhost_is_left_alone_recording_and_replaying(
    downstream: pytest.Pytester,
) -> None:
    downstream.makepyfile(gemini=GEMINI, test_mock=MOCK_TRANSPORT_TESTS)

    recording = downstream.runpytest("--genai-replay-mode=once", "-k", "test_mock_transport_on_localhost")
    recording.assert_outcomes(passed=1)
    cassette = recorded(downstream, "test_mock")["test_mock_transport_on_localhost"]
    urls = [i["request"]["url"] for i in cassette["interactions"]]
    assert len(urls) == 1 and urls[0].startswith("https://generativelanguage.googleapis.com/"), urls
    assert "localhost" not in json.dumps(cassette)

    replaying = downstream.runpytest("-k", "test_mock_transport_on_localhost")
    replaying.assert_outcomes(passed=1)
    replaying.stdout.fnmatch_lines(
        [
            "genai-replay: 1 cassette; 1 interactions replayed, 0 recorded (0 new cassettes, 0 changed), 0 unplayed, 0 missing"
        ]
    )


def test_without_ignore_localhost_a_mock_transport_request_is_a_miss(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(gemini=GEMINI, test_mock=MOCK_TRANSPORT_TESTS)

    result = downstream.runpytest("-k", "test_mock_transport_without_ignore_localhost")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*NoMatchError: no cassette at *.json to answer GET http://localhost/status;*"]
    )


def test_a_local_server_in_ignore_hosts_is_reached_by_httpx_requests_and_aiohttp(
    downstream: pytest.Pytester,
) -> None:
    downstream.makeconftest(LOCAL_SERVER_CONFTEST)
    downstream.makepyfile(gemini=GEMINI, test_local=LOCAL_SERVER_TESTS)

    downstream.runpytest("--genai-replay-mode=once").assert_outcomes(passed=1)
    cassette = recorded(downstream, "test_local")["test_local_server"]
    # The emulator is on 127.0.0.1 too: its exchange is recorded, on Google's host.
    assert cassette["meta"]["recorded_against"] == "emulator"
    assert [i["request"]["url"].split("/")[2] for i in cassette["interactions"]] == [
        "generativelanguage.googleapis.com"
    ]
    assert "127.0.0.1" not in json.dumps(cassette)

    downstream.runpytest().assert_outcomes(passed=1)


def test_an_ignored_public_host_is_still_blocked_while_replaying(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_public=PUBLIC_HOST_TESTS)

    result = downstream.runpytest()

    result.assert_outcomes(passed=1)
    assert not (downstream.path / "cassettes").exists()
