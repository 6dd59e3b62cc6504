"""A stub of the service for `genai_min` tests: it records each request and plays queued answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from google.oauth2.credentials import Credentials

import genai_min
from replay import check_request


@dataclass
class Seen:
    """One request as the stub received it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: httpx.Headers
    content: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.content) if self.content else None


@dataclass
class Stub:
    """Answer requests from a queue; remember every request."""

    requests: list[Seen] = field(default_factory=list)
    answers: list[httpx.Response] = field(default_factory=list)

    def reply(self, body: Any = None, *, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.answers.append(httpx.Response(status, json=body if body is not None else {}, headers=headers))

    def reply_sse(self, *events: Any, crlf: bool = True) -> None:
        end = "\r\n" if crlf else "\n"
        text = "".join(f"data: {json.dumps(e)}{end}{end}" for e in events)
        self.answers.append(
            httpx.Response(200, content=text.encode(), headers={"content-type": "text/event-stream"})
        )

    def reply_raw(self, status: int, content: bytes, headers: dict[str, str] | None = None) -> None:
        self.answers.append(httpx.Response(status, content=content, headers=headers))

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(
            Seen(
                request.method,
                request.url.path,
                list(request.url.params.multi_items()),
                request.headers,
                request.read(),
            )
        )
        schema_check(self.requests[-1], str(request.url))
        if not self.answers:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        return self.answers.pop(0)

    @property
    def last(self) -> Seen:
        return self.requests[-1]

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]


def schema_check(seen: Seen, url: str) -> None:
    """Every JSON request genai_min sends must satisfy the API's own schema for its operation.

    The schemas come from Google's published definitions (`replay/schemas/`), so this checks every
    request of every test here against the service's contract, not against our own models.
    """
    if not seen.content or seen.content[:1] not in (b"{", b"["):
        return
    violations = check_request(seen.method, url, json.loads(seen.content))
    assert not violations, f"{seen.method} {seen.path} breaks the API schema: {violations}"


@dataclass
class FakeTime:
    """A clock that only moves when the code under test sleeps, recording each sleep."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def stub() -> Stub:
    return Stub()


def make_transport(backend: str, stub: Stub, **kwargs: Any) -> genai_min.Transport:
    mock = httpx.MockTransport(stub.handle)
    if backend == "gemini":
        return genai_min.Transport(api_key="test-key", transport=mock, async_transport=mock, **kwargs)
    return genai_min.Transport(
        vertexai=True,
        project="test-project",
        location="us-central1",
        credentials=Credentials(token="test-token"),
        transport=mock,
        async_transport=mock,
        **kwargs,
    )


@pytest.fixture(params=["gemini", "vertex"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def t(backend: str, stub: Stub) -> Iterator[genai_min.Transport]:
    with make_transport(backend, stub) as transport:
        yield transport


def prefix(backend: str) -> str:
    """The versioned path prefix the stub sees for a model call on each backend."""
    if backend == "gemini":
        return "/v1beta/models/"
    return "/v1beta1/projects/test-project/locations/us-central1/publishers/google/models/"


def text_response(text: str = "The sky is blue because of Rayleigh scattering.") -> dict[str, Any]:
    """A realistic generateContent answer."""
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": "STOP",
                "index": 0,
                "safetyRatings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"}],
            }
        ],
        "usageMetadata": {"promptTokenCount": 6, "candidatesTokenCount": 9, "totalTokenCount": 15},
        "modelVersion": "gemini-2.0-flash-001",
        "responseId": "qpc2afWVFJK4vr0Pq6WiyAU",
    }


def call_response(name: str, args: dict[str, Any]) -> dict[str, Any]:
    """A realistic answer that asks for one function call."""
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"functionCall": {"name": name, "args": args}}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {"promptTokenCount": 20, "candidatesTokenCount": 5, "totalTokenCount": 25},
        "modelVersion": "gemini-2.0-flash-001",
    }
