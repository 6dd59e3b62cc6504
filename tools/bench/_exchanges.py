"""The exchanges the replay and load figures use, recorded by each contender's own recorder.

Interaction `i` is a generateContent call with about 1 KB of request and 5 KB of answer. A stub
service (an ``httpx.MockTransport``, so nothing leaves the process) answers request `i` with answer
`i`; our `RecordingTransport` and vcrpy each record the same calls through it into their own files.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from replay import Recorder, RecordingTransport

URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"
ANSWER_TYPE = "application/json; charset=UTF-8"


def request_body(i: int) -> dict[str, object]:
    """Return request `i`: about 1 KB of JSON."""
    text = f"question {i}: " + "why is the sky blue? " * 45
    return {"contents": [{"role": "user", "parts": [{"text": text}]}], "generationConfig": {"temperature": 0}}


def response_body(i: int) -> dict[str, object]:
    """Return answer `i`: about 5 KB of JSON."""
    text = f"answer {i}: " + "Rayleigh scattering of sunlight by air molecules. " * 98
    return {
        "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 230, "candidatesTokenCount": 1100, "totalTokenCount": 1330},
    }


def answer_number(answer: object) -> int:
    """Return which answer `answer` is (the `i` of `response_body(i)`), to check what a replay served."""
    text = answer["candidates"][0]["content"]["parts"][0]["text"]  # type: ignore[index]
    return int(str(text).split(":", 1)[0].removeprefix("answer "))


def _question_number(request: httpx.Request) -> int:
    text = json.loads(request.content)["contents"][0]["parts"][0]["text"]
    return int(str(text).split(":", 1)[0].removeprefix("question "))


def stub_service() -> httpx.MockTransport:
    """Return a transport that answers request `i` with answer `i`, as the service would."""

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.dumps(response_body(_question_number(request))).encode()
        return httpx.Response(200, content=body, headers={"content-type": ANSWER_TYPE})

    return httpx.MockTransport(answer)


def record_ours(size: int, path: Path) -> Path:
    """Record `size` exchanges through `replay.RecordingTransport` into the cassette at `path`."""
    recorder = Recorder(path)
    with httpx.Client(transport=RecordingTransport(recorder, inner=stub_service())) as client:
        for i in range(size):
            client.post(URL, json=request_body(i)).read()
    recorder.save()
    return path


def record_vcrpy(size: int, path: Path, serializer: str = "yaml") -> Path:
    """Record `size` exchanges through vcrpy (its httpx patch) into a cassette with `serializer`."""
    import vcr  # type: ignore[import-untyped]

    recording = vcr.VCR(record_mode="all", serializer=serializer)
    with recording.use_cassette(str(path)), httpx.Client(transport=stub_service()) as client:
        for i in range(size):
            client.post(URL, json=request_body(i)).read()
    return path
