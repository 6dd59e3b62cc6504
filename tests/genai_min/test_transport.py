"""`Transport` against a stub: headers, URLs, errors, streaming, retries, clients and auth."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import google.auth
import httpx
import pytest
from google.oauth2.credentials import Credentials

import genai_min
from genai_min import HttpRequest, RetryOptions
from genai_min._http import JSONObject
from genai_min._retry import RETRYABLE_STATUS_CODES

from .conftest import Stub, make_transport

GENERATE = HttpRequest("POST", "models/m:generateContent", json={"contents": []})
STREAM = HttpRequest(
    "POST", "models/m:streamGenerateContent", query=(("alt", "sse"),), json={"contents": []}, is_stream=True
)
FAST_RETRY = RetryOptions(attempts=3, initial_delay=0, jitter=0)
TOKEN_URI = "https://oauth2.googleapis.com/token"

ENV_VARS = (
    "GOOGLE_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_LOCATION",
    "GOOGLE_GEMINI_BASE_URL",
    "GOOGLE_VERTEX_BASE_URL",
    "GOOGLE_GENAI_API_VERSION",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """`Transport` reads os.environ; keep the developer's settings out of these tests."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the transport's retry waits instead of sleeping."""
    recorded: list[float] = []
    monkeypatch.setattr("genai_min._transport.time.sleep", recorded.append)
    return recorded


@dataclass
class UrlStub(Stub):
    """A `Stub` that also remembers each full URL (host included)."""

    urls: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return super().handle(request)


def sse(*events: Any) -> bytes:
    return "".join(f"data: {json.dumps(e)}\r\n\r\n" for e in events).encode()


def collect(events: Iterator[JSONObject], into: list[JSONObject]) -> None:
    """Append each event to `into`, so a test can see what arrived before an error."""
    for event in events:
        into.append(event)


async def acollect(events: AsyncIterator[JSONObject], into: list[JSONObject]) -> None:
    async for event in events:
        into.append(event)


def failing_first(stub: Stub, *errors: type[httpx.TransportError]) -> httpx.MockTransport:
    """A mock transport that raises `errors` (one per request) and then answers from `stub`."""
    pending = list(errors)

    def handle(request: httpx.Request) -> httpx.Response:
        if pending:
            raise pending.pop(0)("simulated failure", request=request)
        return stub.handle(request)

    return httpx.MockTransport(handle)


def refreshable_credentials() -> Credentials:
    return Credentials(
        token=None,
        refresh_token="refresh-me",
        token_uri=TOKEN_URI,
        client_id="client-id",
        client_secret="client-secret",
    )


def vertex_transport(stub: Stub, credentials: Credentials | None, **kwargs: Any) -> genai_min.Transport:
    mock = httpx.MockTransport(stub.handle)
    return genai_min.Transport(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=credentials,
        transport=mock,
        async_transport=mock,
        **kwargs,
    )


class RecordingStream(httpx.SyncByteStream):
    """A response body produced chunk by chunk; `produced` counts the chunks handed out."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.produced = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.produced += 1
            yield chunk


class AsyncRecordingStream(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.produced = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.produced += 1
            yield chunk


class BrokenStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that delivers one chunk and then fails the way a dropped connection does."""

    def __init__(self, first: bytes, error: type[httpx.TransportError]) -> None:
        self.first = first
        self.error = error

    def __iter__(self) -> Iterator[bytes]:
        yield self.first
        raise self.error("connection dropped mid-body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        raise self.error("connection dropped mid-body")


# -- headers ---------------------------------------------------------------------------------------


def test_gemini_sends_api_key_header(stub: Stub) -> None:
    stub.reply({})
    with make_transport("gemini", stub) as t:
        t.send(GENERATE)
    headers = stub.last.headers
    assert headers["x-goog-api-key"] == "test-key"
    assert "authorization" not in headers
    assert "key" not in dict(stub.last.query)


def test_vertex_sends_bearer_token(stub: Stub) -> None:
    stub.reply({})
    with make_transport("vertex", stub) as t:
        t.send(GENERATE)
    headers = stub.last.headers
    assert headers["authorization"] == "Bearer test-token"
    assert "x-goog-api-key" not in headers
    assert "x-goog-user-project" not in headers


def test_vertex_sends_quota_project(stub: Stub) -> None:
    stub.reply({})
    with vertex_transport(stub, Credentials(token="tok", quota_project_id="billing-project")) as t:
        t.send(GENERATE)
    assert stub.last.headers["authorization"] == "Bearer tok"
    assert stub.last.headers["x-goog-user-project"] == "billing-project"


def test_express_mode_sends_api_key_to_global_host() -> None:
    stub = UrlStub()
    stub.reply({})
    mock = httpx.MockTransport(stub.handle)
    with genai_min.Transport(vertexai=True, api_key="express-key", transport=mock) as t:
        t.send(HttpRequest("POST", "publishers/google/models/m:generateContent", json={}))
    assert stub.last.headers["x-goog-api-key"] == "express-key"
    assert "authorization" not in stub.last.headers
    assert stub.urls == [
        "https://aiplatform.googleapis.com/v1beta1/publishers/google/models/m:generateContent"
    ]


def test_client_labels(stub: Stub, backend: str) -> None:
    stub.reply({})
    with make_transport(backend, stub) as t:
        t.send(GENERATE)
    headers = stub.last.headers
    assert headers["user-agent"].startswith("genai-min/")
    assert headers["x-goog-api-client"].startswith("genai-min/")
    assert "gl-python/" in headers["user-agent"]
    assert headers["content-type"] == "application/json"
    assert "x-server-timeout" not in headers


def test_extra_headers_are_merged_and_labels_prefixed(stub: Stub) -> None:
    stub.reply({})
    extra = {"X-Custom": "yes", "User-Agent": "my-app/1.0", "x-goog-api-client": "my-lib/2"}
    with make_transport("gemini", stub, headers=extra) as t:
        t.send(GENERATE)
    headers = stub.last.headers
    assert headers["x-custom"] == "yes"
    assert headers["user-agent"].startswith("my-app/1.0 genai-min/")
    assert headers["x-goog-api-client"].startswith("my-lib/2 genai-min/")
    assert headers["x-goog-api-key"] == "test-key"


def test_request_headers_are_sent(stub: Stub) -> None:
    stub.reply({})
    with make_transport("gemini", stub) as t:
        t.send(HttpRequest("POST", "files", content=b"x", headers=(("x-goog-upload-protocol", "resumable"),)))
    assert stub.last.headers["x-goog-upload-protocol"] == "resumable"
    assert stub.last.content == b"x"


def test_timeout_sends_server_timeout_rounded_up(stub: Stub) -> None:
    stub.reply({})
    with make_transport("gemini", stub, timeout=7.2) as t:
        t.send(GENERATE)
        assert t.client.timeout.read == 7.2
    assert stub.last.headers["x-server-timeout"] == "8"


def test_unauthenticated_absolute_url_carries_no_credentials(backend: str) -> None:
    stub = UrlStub()
    stub.reply({})
    url = "https://upload.example.invalid/resumable?upload_id=abc"
    with make_transport(backend, stub) as t:
        t.send(HttpRequest("PUT", url, content=b"bytes", is_authenticated=False))
    assert stub.urls == [url]
    assert "x-goog-api-key" not in stub.last.headers
    assert "authorization" not in stub.last.headers
    assert stub.last.content == b"bytes"


def test_query_parameter_order_is_kept(stub: Stub) -> None:
    stub.reply({})
    query = (("pageSize", "5"), ("pageToken", "next"), ("alt", "json"), ("filter", "b"), ("filter", "a"))
    with make_transport("gemini", stub) as t:
        t.send(HttpRequest("GET", "models", query=query))
    assert stub.last.query == list(query)


def test_absolute_url_query_is_kept_when_more_parameters_are_added() -> None:
    stub = UrlStub()
    stub.reply({})
    url = "https://upload.example.invalid/resumable?upload_id=abc"
    with make_transport("gemini", stub) as t:
        t.send(HttpRequest("PUT", url, query=(("alt", "json"),), content=b"x", is_authenticated=False))
    assert stub.urls == [url + "&alt=json"]


# -- URLs --------------------------------------------------------------------------------------------


def test_urls_per_backend() -> None:
    gemini, vertex = UrlStub(), UrlStub()
    for s in (gemini, vertex):
        s.reply({})
        s.reply({})
    with make_transport("gemini", gemini) as t:
        t.send(GENERATE)
        t.send(HttpRequest("POST", "files", is_upload=True))
    with make_transport("vertex", vertex) as t:
        t.send(GENERATE)
        t.send(HttpRequest("GET", "publishers/google/models/m"))
    assert gemini.urls == [
        "https://generativelanguage.googleapis.com/v1beta/models/m:generateContent",
        "https://generativelanguage.googleapis.com/upload/v1beta/files",
    ]
    assert vertex.urls == [
        "https://us-central1-aiplatform.googleapis.com/v1beta1/projects/test-project/locations/us-central1/"
        "models/m:generateContent",
        "https://us-central1-aiplatform.googleapis.com/v1beta1/publishers/google/models/m",
    ]


# -- send ----------------------------------------------------------------------------------------


def test_send_returns_response_with_lower_cased_headers(stub: Stub) -> None:
    stub.reply_raw(200, b'{"ok": true}', headers={"Content-Type": "application/json", "X-Request-ID": "r1"})
    with make_transport("gemini", stub) as t:
        response = t.send(GENERATE)
    assert isinstance(response, genai_min.HttpResponse)
    assert response.status == 200
    assert response.headers["x-request-id"] == "r1"
    assert "X-Request-ID" not in response.headers
    assert response.content == b'{"ok": true}'
    assert response.json() == {"ok": True}


def test_client_error_carries_the_envelope(stub: Stub) -> None:
    body = {"error": {"code": 404, "message": "models/m is not found", "status": "NOT_FOUND", "details": []}}
    stub.reply(body, status=404)
    with make_transport("gemini", stub) as t, pytest.raises(genai_min.ClientError) as caught:
        t.send(GENERATE)
    error = caught.value
    assert (error.code, error.status, error.message) == (404, "NOT_FOUND", "models/m is not found")
    assert error.details == body
    assert error.response is not None and error.response.status == 404
    assert str(error) == "404 NOT_FOUND. models/m is not found"


def test_server_error(stub: Stub) -> None:
    stub.reply({"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}}, status=503)
    with make_transport("vertex", stub) as t, pytest.raises(genai_min.ServerError) as caught:
        t.send(GENERATE)
    assert (caught.value.code, caught.value.status, caught.value.message) == (
        503,
        "UNAVAILABLE",
        "overloaded",
    )


def test_error_with_non_json_body(stub: Stub) -> None:
    stub.reply_raw(502, b"<html>Bad Gateway</html>", headers={"content-type": "text/html"})
    with make_transport("gemini", stub) as t, pytest.raises(genai_min.ServerError) as caught:
        t.send(GENERATE)
    assert caught.value.code == 502
    assert caught.value.message == "<html>Bad Gateway</html>"


# -- stream ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("crlf", [True, False])
def test_stream_yields_each_event(stub: Stub, crlf: bool) -> None:
    stub.reply_sse({"n": 1}, {"n": 2}, {"n": 3}, crlf=crlf)
    with make_transport("gemini", stub) as t:
        assert list(t.stream(STREAM)) == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert stub.last.query == [("alt", "sse")]


def test_stream_delivers_first_event_before_body_ends(stub: Stub) -> None:
    body = RecordingStream([sse({"n": 1}), sse({"n": 2})])
    stub.answers.append(httpx.Response(200, stream=body, headers={"content-type": "text/event-stream"}))
    with make_transport("gemini", stub) as t:
        events = t.stream(STREAM)
        assert next(events) == {"n": 1}
        assert body.produced == 1  # event 2 has not been produced yet
        assert next(events) == {"n": 2}
        assert body.produced == 2
        assert list(events) == []


def test_stream_event_split_across_chunks(stub: Stub) -> None:
    body = RecordingStream([b'data: {"text": "Hel', b'lo"}\r', b"\n\r\n", b'data: {"n": 2}\r\n\r\n'])
    stub.answers.append(httpx.Response(200, stream=body, headers={"content-type": "text/event-stream"}))
    with make_transport("gemini", stub) as t:
        assert list(t.stream(STREAM)) == [{"text": "Hello"}, {"n": 2}]


def test_stream_final_event_without_blank_line(stub: Stub) -> None:
    stub.reply_raw(200, b'data: {"n": 1}\n\ndata: {"n": 2}', headers={"content-type": "text/event-stream"})
    with make_transport("gemini", stub) as t:
        assert list(t.stream(STREAM)) == [{"n": 1}, {"n": 2}]


def test_stream_error_status_raises(stub: Stub) -> None:
    stub.reply({"error": {"code": 429, "message": "quota", "status": "RESOURCE_EXHAUSTED"}}, status=429)
    with make_transport("gemini", stub) as t, pytest.raises(genai_min.APIError) as caught:
        list(t.stream(STREAM))
    assert isinstance(caught.value, genai_min.ClientError)
    assert (caught.value.code, caught.value.status) == (429, "RESOURCE_EXHAUSTED")


def test_stream_answered_as_json_array(stub: Stub) -> None:
    stub.reply([{"n": 1}, {"n": 2}])
    with make_transport("gemini", stub) as t:
        assert list(t.stream(STREAM)) == [{"n": 1}, {"n": 2}]


def test_stream_mid_stream_error_event(stub: Stub) -> None:
    error = {"error": {"code": 429, "message": "Resource exhausted", "status": "RESOURCE_EXHAUSTED"}}
    stub.reply_raw(200, sse({"n": 1}, error), headers={"content-type": "text/event-stream"})
    received: list[JSONObject] = []
    with make_transport("gemini", stub) as t, pytest.raises(genai_min.APIError) as caught:
        collect(t.stream(STREAM), received)
    assert received == [{"n": 1}]
    assert isinstance(caught.value, genai_min.ClientError)
    assert (caught.value.code, caught.value.status, caught.value.message) == (
        429,
        "RESOURCE_EXHAUSTED",
        "Resource exhausted",
    )


def test_stream_bare_multi_line_error(stub: Stub) -> None:
    bare = b'{\n  "error": {\n    "code": 503,\n    "message": "x",\n    "status": "UNAVAILABLE"\n  }\n}\n'
    stub.reply_raw(200, sse({"n": 1}) + bare, headers={"content-type": "text/event-stream"})
    with make_transport("gemini", stub) as t, pytest.raises(genai_min.ServerError) as caught:
        list(t.stream(STREAM))
    assert (caught.value.code, caught.value.status) == (503, "UNAVAILABLE")


def test_stream_connection_drop_mid_body_is_a_transport_error(stub: Stub) -> None:
    body = BrokenStream(sse({"n": 1}), httpx.ReadError)
    stub.answers.append(httpx.Response(200, stream=body, headers={"content-type": "text/event-stream"}))
    received: list[JSONObject] = []
    with make_transport("gemini", stub) as t, pytest.raises(genai_min.TransportError) as caught:
        collect(t.stream(STREAM), received)
    assert received == [{"n": 1}]
    assert isinstance(caught.value.__cause__, httpx.ReadError)


# -- async ---------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_asend(stub: Stub, backend: str) -> None:
    stub.reply({"ok": True}, headers={"X-Thing": "1"})
    async with make_transport(backend, stub) as t:
        response = await t.asend(GENERATE)
    assert response.status == 200
    assert response.json() == {"ok": True}
    assert response.headers["x-thing"] == "1"
    assert stub.last.headers["user-agent"].startswith("genai-min/")
    if backend == "gemini":
        assert stub.last.headers["x-goog-api-key"] == "test-key"
    else:
        assert stub.last.headers["authorization"] == "Bearer test-token"


@pytest.mark.anyio
async def test_asend_error(stub: Stub) -> None:
    stub.reply({"error": {"code": 400, "message": "bad", "status": "INVALID_ARGUMENT"}}, status=400)
    async with make_transport("gemini", stub) as t:
        with pytest.raises(genai_min.ClientError) as caught:
            await t.asend(GENERATE)
    assert (caught.value.code, caught.value.status, caught.value.message) == (400, "INVALID_ARGUMENT", "bad")


@pytest.mark.anyio
async def test_astream(stub: Stub, backend: str) -> None:
    stub.reply_sse({"n": 1}, {"n": 2})
    async with make_transport(backend, stub) as t:
        events = [e async for e in await t.astream(STREAM)]
    assert events == [{"n": 1}, {"n": 2}]


@pytest.mark.anyio
async def test_astream_delivers_first_event_before_body_ends(stub: Stub) -> None:
    body = AsyncRecordingStream([sse({"n": 1}), sse({"n": 2})])
    stub.answers.append(httpx.Response(200, stream=body, headers={"content-type": "text/event-stream"}))
    async with make_transport("gemini", stub) as t:
        events = await t.astream(STREAM)
        assert await events.__anext__() == {"n": 1}
        assert body.produced == 1
        assert [e async for e in events] == [{"n": 2}]


@pytest.mark.anyio
async def test_astream_error_status_raises_when_awaited(stub: Stub) -> None:
    stub.reply({"error": {"code": 403, "message": "denied", "status": "PERMISSION_DENIED"}}, status=403)
    async with make_transport("gemini", stub) as t:
        with pytest.raises(genai_min.ClientError) as caught:
            await t.astream(STREAM)
    assert caught.value.code == 403


@pytest.mark.anyio
async def test_astream_json_array_and_mid_stream_error(stub: Stub) -> None:
    stub.reply([{"n": 1}, {"n": 2}])
    stub.reply_raw(
        200,
        sse({"n": 1}, {"error": {"code": 500, "message": "boom", "status": "INTERNAL"}}),
        headers={"content-type": "text/event-stream"},
    )
    async with make_transport("gemini", stub) as t:
        assert [e async for e in await t.astream(STREAM)] == [{"n": 1}, {"n": 2}]
        received: list[JSONObject] = []
        with pytest.raises(genai_min.ServerError) as caught:
            await acollect(await t.astream(STREAM), received)
    assert received == [{"n": 1}]
    assert (caught.value.code, caught.value.status) == (500, "INTERNAL")


@pytest.mark.anyio
async def test_async_retry_then_success(stub: Stub) -> None:
    stub.reply({}, status=503)
    stub.reply({"ok": True})
    async with make_transport("gemini", stub, retry=FAST_RETRY) as t:
        assert (await t.asend(GENERATE)).json() == {"ok": True}
    assert len(stub.requests) == 2


@pytest.mark.anyio
async def test_async_connection_error_is_mapped(stub: Stub) -> None:
    mock = failing_first(stub, httpx.ConnectError)
    async with genai_min.Transport(api_key="k", async_transport=mock) as t:
        with pytest.raises(genai_min.TransportError) as caught:
            await t.asend(GENERATE)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


# -- retries -------------------------------------------------------------------------------------


def test_retry_then_success(stub: Stub, sleeps: list[float]) -> None:
    stub.reply({"error": {"code": 503}}, status=503)
    stub.reply({"ok": True})
    with make_transport("gemini", stub, retry=FAST_RETRY) as t:
        assert t.send(GENERATE).json() == {"ok": True}
    assert len(stub.requests) == 2
    assert sleeps == [0]


def test_retries_stop_after_attempts(stub: Stub, sleeps: list[float]) -> None:
    for _ in range(3):
        stub.reply({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED"}}, status=429)
    stub.reply({"ok": True})  # never reached
    with (
        make_transport("gemini", stub, retry=FAST_RETRY) as t,
        pytest.raises(genai_min.ClientError) as caught,
    ):
        t.send(GENERATE)
    assert caught.value.code == 429
    assert len(stub.requests) == 3
    assert len(sleeps) == 2


def test_no_retry_by_default(stub: Stub, sleeps: list[float]) -> None:
    stub.reply({}, status=503)
    stub.reply({"ok": True})
    with make_transport("gemini", stub) as t, pytest.raises(genai_min.ServerError):
        t.send(GENERATE)
    assert len(stub.requests) == 1
    assert sleeps == []


def test_client_error_is_not_retried(stub: Stub, sleeps: list[float]) -> None:
    stub.reply({"error": {"code": 400}}, status=400)
    stub.reply({"ok": True})
    with make_transport("gemini", stub, retry=FAST_RETRY) as t, pytest.raises(genai_min.ClientError):
        t.send(GENERATE)
    assert len(stub.requests) == 1
    assert sleeps == []


def test_stream_is_retried_before_the_body(stub: Stub, sleeps: list[float]) -> None:
    stub.reply({}, status=500)
    stub.reply_sse({"n": 1})
    with make_transport("gemini", stub, retry=FAST_RETRY) as t:
        assert list(t.stream(STREAM)) == [{"n": 1}]
    assert len(stub.requests) == 2


def test_retry_after_header_is_honoured(stub: Stub, sleeps: list[float]) -> None:
    stub.reply({}, status=429, headers={"retry-after": "0"})
    stub.reply({}, status=429, headers={"retry-after": "2.5"})
    stub.reply({"ok": True})
    retry = RetryOptions(attempts=3, initial_delay=30, jitter=0)
    with make_transport("gemini", stub, retry=retry) as t:
        t.send(GENERATE)
    assert sleeps == [0.0, 2.5]


def test_retry_waits_back_off_without_retry_after(stub: Stub, sleeps: list[float]) -> None:
    for _ in range(3):
        stub.reply({}, status=500)
    stub.reply({"ok": True})
    retry = RetryOptions(attempts=4, initial_delay=0.5, multiplier=3, jitter=0)
    with make_transport("gemini", stub, retry=retry) as t:
        t.send(GENERATE)
    assert sleeps == [0.5, 1.5, 4.5]


def test_retry_delay_math() -> None:
    r = RetryOptions(initial_delay=1, multiplier=2, max_delay=10, jitter=0)
    assert [r.delay(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert r.delay(5) == 10  # 16, capped at max_delay
    assert r.delay(50) == 10


def test_retry_delay_with_jitter_stays_in_range() -> None:
    r = RetryOptions(initial_delay=1, multiplier=2, max_delay=100, jitter=0.5)
    delays = [r.delay(2) for _ in range(50)]
    assert all(2 <= d <= 2.5 for d in delays)
    assert len(set(delays)) > 1


def test_retry_delay_retry_after() -> None:
    r = RetryOptions(initial_delay=1, max_delay=10, jitter=0)
    assert r.delay(3, "0") == 0
    assert r.delay(1, "7") == 7
    assert r.delay(1, "1.5") == 1.5
    assert r.delay(1, "120") == 10  # capped at max_delay
    assert r.delay(1, "-3") == 0


def test_retry_delay_http_date_falls_back_to_backoff() -> None:
    r = RetryOptions(initial_delay=1, multiplier=2, max_delay=10, jitter=0)
    assert r.delay(3, "Wed, 21 Oct 2015 07:28:00 GMT") == 4
    assert r.delay(9, "Wed, 21 Oct 2015 07:28:00 GMT") == 10


def test_retry_delay_non_finite_retry_after_falls_back_to_backoff() -> None:
    r = RetryOptions(initial_delay=1, multiplier=2, max_delay=10, jitter=0)
    assert r.delay(2, "nan") == 2


def test_retry_defaults() -> None:
    r = RetryOptions()
    assert (r.attempts, r.initial_delay, r.max_delay) == (5, 1.0, 60.0)
    assert r.status_codes == RETRYABLE_STATUS_CODES
    assert set(RETRYABLE_STATUS_CODES) == {408, 429, 500, 502, 503, 504}
    with pytest.raises(ValueError, match="attempts"):
        RetryOptions(attempts=0)


# -- httpx failures ------------------------------------------------------------------------------


def test_connection_error_maps_to_transport_error(stub: Stub) -> None:
    with (
        genai_min.Transport(api_key="k", transport=failing_first(stub, httpx.ConnectError)) as t,
        pytest.raises(genai_min.TransportError) as caught,
    ):
        t.send(GENERATE)
    assert not isinstance(caught.value, genai_min.RequestTimeoutError)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert caught.value.request is GENERATE


def test_connection_error_is_retried(stub: Stub, sleeps: list[float]) -> None:
    stub.reply({"ok": True})
    mock = failing_first(stub, httpx.ConnectError, httpx.RemoteProtocolError)
    with genai_min.Transport(api_key="k", transport=mock, retry=FAST_RETRY) as t:
        assert t.send(GENERATE).json() == {"ok": True}
    assert len(stub.requests) == 1
    assert len(sleeps) == 2


def test_connection_error_gives_up_after_attempts(stub: Stub, sleeps: list[float]) -> None:
    mock = failing_first(stub, httpx.ConnectError, httpx.ConnectError, httpx.ConnectError)
    with (
        genai_min.Transport(api_key="k", transport=mock, retry=FAST_RETRY) as t,
        pytest.raises(genai_min.TransportError),
    ):
        t.send(GENERATE)
    assert len(sleeps) == 2


def test_read_timeout_maps_to_request_timeout_error(stub: Stub) -> None:
    with (
        genai_min.Transport(api_key="k", transport=failing_first(stub, httpx.ReadTimeout)) as t,
        pytest.raises(genai_min.RequestTimeoutError) as caught,
    ):
        t.send(GENERATE)
    assert isinstance(caught.value, genai_min.TransportError)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


def test_timeout_while_reading_the_body_is_mapped(stub: Stub) -> None:
    stub.answers.append(httpx.Response(200, stream=BrokenStream(b'{"partial', httpx.ReadTimeout)))
    with make_transport("gemini", stub) as t, pytest.raises(genai_min.RequestTimeoutError):
        t.send(GENERATE)


@pytest.mark.anyio
async def test_async_drop_while_reading_the_body_is_mapped(stub: Stub) -> None:
    stub.answers.append(httpx.Response(200, stream=BrokenStream(b'{"partial', httpx.ReadError)))
    async with make_transport("gemini", stub) as t:
        with pytest.raises(genai_min.TransportError):
            await t.asend(GENERATE)


# -- clients -------------------------------------------------------------------------------------


def test_clients_are_created_lazily(stub: Stub) -> None:
    stub.reply({})
    t = make_transport("gemini", stub)
    assert t._client is None
    assert t._async_client is None
    t.send(GENERATE)
    assert isinstance(t._client, httpx.Client)
    assert t._async_client is None
    t.close()


def test_close_then_send_reopens(stub: Stub) -> None:
    stub.reply({})
    stub.reply({})
    t = make_transport("gemini", stub)
    t.send(GENERATE)
    first = t._client
    assert first is not None
    t.close()
    assert t._client is None
    assert first.is_closed
    t.send(GENERATE)
    assert t._client is not None and t._client is not first
    assert not t._client.is_closed
    assert len(stub.requests) == 2
    t.close()


def test_with_closes(stub: Stub) -> None:
    stub.reply({})
    with make_transport("gemini", stub) as t:
        t.send(GENERATE)
        client = t._client
    assert t._client is None
    assert client is not None and client.is_closed


@pytest.mark.anyio
async def test_async_with_closes_both(stub: Stub) -> None:
    stub.reply({})
    stub.reply({})
    async with make_transport("gemini", stub) as t:
        t.send(GENERATE)
        await t.asend(GENERATE)
        sync_client, async_client = t._client, t._async_client
        assert sync_client is not None and async_client is not None
    assert t._client is None and t._async_client is None
    assert sync_client.is_closed and async_client.is_closed


def test_client_args_are_passed_to_httpx(stub: Stub) -> None:
    stub.reply({})
    hooked: list[str] = []

    def hook(request: httpx.Request) -> None:
        hooked.append(str(request.url))

    client_args = {"headers": {"x-proxy-tag": "abc"}, "event_hooks": {"request": [hook]}}
    with make_transport("gemini", stub, client_args=client_args) as t:
        t.send(GENERATE)
    assert stub.last.headers["x-proxy-tag"] == "abc"
    assert stub.last.headers["user-agent"].startswith("genai-min/")
    assert hooked == ["https://generativelanguage.googleapis.com/v1beta/models/m:generateContent"]


@pytest.mark.anyio
async def test_async_client_args_are_passed_to_httpx(stub: Stub) -> None:
    stub.reply({})
    hooked: list[str] = []

    async def hook(request: httpx.Request) -> None:
        hooked.append(request.method)

    async with make_transport("gemini", stub, async_client_args={"event_hooks": {"request": [hook]}}) as t:
        await t.asend(GENERATE)
    assert hooked == ["POST"]


def test_timeout_in_client_args(stub: Stub) -> None:
    stub.reply({})
    with make_transport("gemini", stub, client_args={"timeout": httpx.Timeout(5.0)}) as t:
        t.send(GENERATE)
        assert t.client.timeout.read == 5.0


# -- Vertex AI credentials -------------------------------------------------------------------------


def fake_adc(
    monkeypatch: pytest.MonkeyPatch, credentials: Credentials, project: str | None
) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def default(**kwargs: Any) -> tuple[Credentials, str | None]:
        calls.append(kwargs)
        return credentials, project

    monkeypatch.setattr(google.auth, "default", default)
    return calls


def test_project_from_application_default_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_adc(monkeypatch, Credentials(token="t"), "adc-project")
    stub = UrlStub()
    stub.reply({})
    stub.reply({})
    mock = httpx.MockTransport(stub.handle)
    with genai_min.Transport(vertexai=True, location="us-central1", transport=mock) as t:
        assert calls == []  # building the transport loads nothing
        t.send(GENERATE)
        t.send(GENERATE)
        assert t.endpoint.project == "adc-project"  # request bodies can name it too
    assert calls == [{"scopes": ["https://www.googleapis.com/auth/cloud-platform"]}]
    assert "/v1beta1/projects/adc-project/locations/us-central1/models/m:generateContent" in stub.urls[0]
    assert stub.urls[0] == stub.urls[1]
    assert stub.last.headers["authorization"] == "Bearer t"


@pytest.mark.anyio
async def test_async_project_from_application_default_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_adc(monkeypatch, Credentials(token="t"), "adc-project")
    stub = UrlStub()
    stub.reply({})
    mock = httpx.MockTransport(stub.handle)
    async with genai_min.Transport(vertexai=True, location="us-central1", async_transport=mock) as t:
        assert calls == []
        await t.asend(GENERATE)
    assert len(calls) == 1
    assert "/projects/adc-project/locations/us-central1/" in stub.urls[0]
    assert stub.last.headers["authorization"] == "Bearer t"


def test_adc_without_project_is_a_config_error(monkeypatch: pytest.MonkeyPatch, stub: Stub) -> None:
    fake_adc(monkeypatch, Credentials(token="t"), None)
    mock = httpx.MockTransport(stub.handle)
    with (
        genai_min.Transport(vertexai=True, transport=mock) as t,
        pytest.raises(genai_min.ConfigError, match="project"),
    ):
        t.send(GENERATE)
    assert stub.requests == []


def test_missing_application_default_credentials(monkeypatch: pytest.MonkeyPatch, stub: Stub) -> None:
    def default(**kwargs: Any) -> tuple[Credentials, str]:
        raise google.auth.exceptions.DefaultCredentialsError("none found")

    monkeypatch.setattr(google.auth, "default", default)
    mock = httpx.MockTransport(stub.handle)
    with (
        genai_min.Transport(vertexai=True, project="p", transport=mock) as t,
        pytest.raises(genai_min.ConfigError, match="credentials"),
    ):
        t.send(GENERATE)
    assert stub.requests == []


def test_credentials_without_vertex_project_are_rejected() -> None:
    with pytest.raises(genai_min.ConfigError, match="credentials"):
        genai_min.Transport(api_key="k", credentials=Credentials(token="t"))


def test_stale_credentials_are_refreshed_through_the_transport(stub: Stub) -> None:
    stub.reply({"access_token": "fresh", "expires_in": 3600})
    stub.reply({"ok": True})
    stub.reply({"ok": True})
    hooked: list[str] = []
    credentials = refreshable_credentials()
    hooks = {"event_hooks": {"request": [lambda r: hooked.append(str(r.url))]}}
    with vertex_transport(stub, credentials, client_args=hooks) as t:
        t.send(GENERATE)
        t.send(GENERATE)  # the token is valid now: no second refresh
    assert stub.paths()[0] == "POST /token"
    assert b"grant_type=refresh_token" in stub.requests[0].content
    assert b"refresh_token=refresh-me" in stub.requests[0].content
    assert len(stub.requests) == 3
    assert stub.requests[1].headers["authorization"] == "Bearer fresh"
    assert stub.requests[2].headers["authorization"] == "Bearer fresh"
    assert hooked[0] == TOKEN_URI  # the transport's own httpx client sent the refresh
    assert credentials.token == "fresh"


@pytest.mark.anyio
async def test_async_refresh(stub: Stub) -> None:
    stub.reply({"access_token": "fresh", "expires_in": 3600})
    stub.reply({"ok": True})
    async with vertex_transport(stub, refreshable_credentials()) as t:
        await t.asend(GENERATE)
    assert stub.paths()[0] == "POST /token"
    assert stub.last.headers["authorization"] == "Bearer fresh"


def test_failing_refresh_is_a_config_error(stub: Stub) -> None:
    stub.reply(
        {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, status=400
    )
    with (
        vertex_transport(stub, refreshable_credentials()) as t,
        pytest.raises(genai_min.ConfigError) as caught,
    ):
        t.send(GENERATE)
    assert "refresh" in str(caught.value)
    assert stub.paths() == ["POST /token"]  # the API call was never sent


def test_connection_failure_during_refresh_is_a_transport_error(stub: Stub, sleeps: list[float]) -> None:
    stub.reply({"access_token": "fresh", "expires_in": 3600})
    stub.reply({"ok": True})
    mock = failing_first(stub, httpx.ConnectError)
    with genai_min.Transport(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=refreshable_credentials(),
        transport=mock,
        retry=FAST_RETRY,
    ) as t:
        assert t.send(GENERATE).json() == {"ok": True}
    assert stub.last.headers["authorization"] == "Bearer fresh"
