"""The exchanges the replay and load figures use, recorded by each contender's own recorder.

Interaction `i` is a generateContent call with about 1 KB of request and 5 KB of answer. A stub
service (an ``httpx.MockTransport``, so nothing leaves the process) answers request `i` with answer
`i`; our `RecordingTransport` and vcrpy each record the same calls through it into their own files.
The figures about the official SDK ask the same questions through its ``generate_content``, over
httpx2 (the SDK's default HTTP library) and the twin stub `stub_service_httpx2`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import httpx2

from replay import Recorder, RecordingTransport

if TYPE_CHECKING:
    from google import genai
    from google.genai import types

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


# The official SDK's side: the same questions asked through `google.genai` 3.3.0's generate_content,
# recorded through its default HTTP library, httpx2. The SDK is imported only by what uses it.

MODEL = "gemini-2.0-flash-001"
SDK_KEY = "bench-key"


def question_text(i: int) -> str:
    """Return the text of request `i`, as a caller passes it to ``generate_content``."""
    return str(request_body(i)["contents"][0]["parts"][0]["text"])  # type: ignore[index]


def text_number(text: str) -> int:
    """Return which answer a response's text is (the `i` of `response_body(i)`)."""
    return int(text.split(":", 1)[0].removeprefix("answer "))


def ask_sdk(client: genai.Client, i: int) -> str:
    """Ask question `i` through the official SDK's ``generate_content``; return the answer's text."""
    config: types.GenerateContentConfigDict = {"temperature": 0}
    response = client.models.generate_content(model=MODEL, contents=question_text(i), config=config)
    return response.text or ""


def stub_answer(content: bytes) -> bytes:
    """Return the answer body the stub service gives to a request body: answer `i` to question `i`."""
    text = json.loads(content)["contents"][0]["parts"][0]["text"]
    number = int(str(text).split(":", 1)[0].removeprefix("question "))
    return json.dumps(response_body(number)).encode()


def stub_service_httpx2() -> httpx2.MockTransport:
    """Return `stub_service`'s twin for httpx2, the HTTP library the SDK uses by default."""

    def answer(request: httpx2.Request) -> httpx2.Response:
        headers = {"content-type": ANSWER_TYPE}
        return httpx2.Response(200, content=stub_answer(request.content), headers=headers)

    return httpx2.MockTransport(answer)


class SwitchTransport(httpx2.BaseTransport):
    """An httpx2 transport that hands each request to whichever transport is `current`.

    Building an SDK client costs tens of milliseconds (it makes three TLS contexts), so a figure
    builds its client once and puts a fresh replaying transport behind it for each replay.
    """

    def __init__(self, current: httpx2.BaseTransport | None = None) -> None:
        self.current = current or httpx2.MockTransport(lambda request: httpx2.Response(599))

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send `request` through the current transport."""
        return self.current.handle_request(request)


def sdk_client(transport: httpx.BaseTransport | httpx2.BaseTransport | None = None) -> genai.Client:
    """Build an SDK client with a fake key, sending through `transport` when one is given.

    Without one, the SDK builds its own httpx2 client, as it does in a user's code.
    """
    from google import genai
    from google.genai import types

    if transport is None:
        return genai.Client(api_key=SDK_KEY)
    return genai.Client(api_key=SDK_KEY, http_options=types.HttpOptions(client_args={"transport": transport}))


def record_ours_sdk(cassettes: Iterable[tuple[Path, Sequence[int]]]) -> None:
    """Record the SDK asking each cassette's questions, in order, through `replay.httpx2`'s recorder."""
    from replay.httpx2 import RecordingTransport as Recording2Transport

    switch = SwitchTransport()
    client = sdk_client(switch)
    for path, questions in cassettes:
        recorder = Recorder(path)
        switch.current = Recording2Transport(recorder, inner=stub_service_httpx2())
        for i in questions:
            ask_sdk(client, i)
        recorder.save()


def record_vcrpy_sdk(cassettes: Iterable[tuple[Path, Sequence[int]]]) -> None:
    """Record the SDK asking each cassette's questions, in order, into vcrpy YAML cassettes."""
    import vcr

    client = sdk_client(stub_service_httpx2())
    recording = vcr.VCR(record_mode="all")
    for path, questions in cassettes:
        with recording.use_cassette(str(path)):
            for i in questions:
                ask_sdk(client, i)
