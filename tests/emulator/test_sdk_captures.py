"""Every request the official SDK 3.3.0 sent for the README's examples gets a success answer.

The captures (`../shared/reference/sdk-captures/`) hold requests only, made against canned answers.
Each example is replayed in order against a freshly reset emulator, with three adjustments that
the captures' README explains:

- upload chunks go to the session URL that this emulator's start answer gave, with bytes of the
  recorded length (the captures keep only the length and hash of chunks);
- resource ids that came from the canned answers (a file, a cache, a tuning job and its tuned
  model and endpoint, a batch job, a video operation) are replaced by the ids this emulator gave
  the resource created earlier in the same example; the canned project number is left alone,
  since names are looked up by their ids;
- the API key and bearer token placeholders become real values.

Three requests are errors on purpose (an invalid model name on each backend, a file fetched after
its deletion) and must get the service's 4xx answer. Every JSON answer must also validate against the API's response
schemas (`replay._schemas`), as real traffic does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from replay.emulator import Emulator, canonical_url

CAPTURES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "sdk-captures"
EXPECTED_ERRORS = {("gemini", "error_handling", 1): 404, ("gemini", "files_upload_get_delete", 6): 403}
EXPECTED_ERRORS[("vertex", "error_handling", 1)] = 404
# The README's Cloud Storage image, sent to the Gemini API, which reads no gs:// URI: the service's 400.
EXPECTED_ERRORS[("gemini", "contents_forms", 4)] = EXPECTED_ERRORS[("gemini", "contents_forms", 5)] = 400
EXPECTED_ERRORS[("gemini", "stream_image_uri_and_bytes", 1)] = 400
_RESOURCE = re.compile(
    r"\b(files|cachedContents|tuningJobs|batchPredictionJobs|endpoints|operations)/([A-Za-z0-9][A-Za-z0-9-]*)"
    r"|\b(models)/(\d{6,})"
)
_DROPPED = {"host", "content-length", "connection", "accept-encoding"}


def load(backend: str) -> list[dict[str, Any]]:
    path = CAPTURES / f"{backend}.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def examples() -> list[tuple[str, str]]:
    if not CAPTURES.is_dir():
        return []
    return sorted({(backend, r["example"]) for backend in ("gemini", "vertex") for r in load(backend)})


class Replayer:
    """Send one example's requests, carrying upload URLs and resource ids from answers to requests."""

    def __init__(self, emulator: Emulator, client: httpx.Client) -> None:
        self.emulator = emulator
        self.client = client
        self.upload_url = ""
        self.latest: dict[str, str] = {}
        self.renamed: dict[str, str] = {}

    def send(self, record: dict[str, Any]) -> httpx.Response:
        target = record["path"] + (f"?{record['query']}" if record["query"] else "")
        headers = {k: v for k, v in record["headers"].items() if k not in _DROPPED}
        headers = {
            k: v.replace("<api-key>", "test-key").replace("<token>", "test-token") for k, v in headers.items()
        }
        if record["body_kind"] == "json":
            content = self.rename(json.dumps(record["body"])).encode()
        elif record["body_kind"] == "bytes":
            content = b"\0" * record["body"]["length"]
        else:
            content = b""
        is_chunk = "upload_id=" in record["query"]
        url = self.upload_url if is_chunk else self.emulator.url + self.rename(target)
        response = self.client.request(record["method"], url, headers=headers, content=content)
        self.learn(response)
        return response

    def rename(self, text: str) -> str:
        def swap(match: re.Match[str]) -> str:
            kind = match.group(1) or match.group(3)
            captured = match.group(2) or match.group(4)
            if captured not in self.renamed and kind in self.latest and captured not in self.latest.values():
                self.renamed[captured] = self.latest[kind]
            return f"{kind}/{self.renamed.get(captured, captured)}"

        return _RESOURCE.sub(swap, text)

    def learn(self, response: httpx.Response) -> None:
        if "x-goog-upload-url" in response.headers:
            self.upload_url = response.headers["x-goog-upload-url"]
        if response.headers.get("content-type", "").startswith("application/json"):
            for match in _RESOURCE.finditer(response.text):
                self.latest[match.group(1) or match.group(3)] = match.group(2) or match.group(4)


@pytest.fixture(scope="module")
def replayed() -> Iterator[dict[tuple[str, str], list[tuple[dict[str, Any], httpx.Response]]]]:
    """Replay every example once; map (backend, example) to its requests and answers."""
    results: dict[tuple[str, str], list[tuple[dict[str, Any], httpx.Response]]] = {}
    with Emulator() as emulator, httpx.Client(timeout=30) as client:
        for backend, example in examples():
            emulator.reset()
            replayer = Replayer(emulator, client)
            records = [r for r in load(backend) if r["example"] == example]
            results[backend, example] = [(r, replayer.send(r)) for r in records]
        yield results


@pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"the SDK captures are not here: {CAPTURES}")
@pytest.mark.parametrize(("backend", "example"), examples() or [("none", "none")])
def test_every_captured_request_gets_its_answer(
    replayed: dict[tuple[str, str], list[tuple[dict[str, Any], httpx.Response]]], backend: str, example: str
) -> None:
    for record, response in replayed[backend, example]:
        expected = EXPECTED_ERRORS.get((backend, example, record["seq"]), 200)
        assert response.status_code == expected, (record["seq"], record["path"], response.text[:500])


@pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"the SDK captures are not here: {CAPTURES}")
@pytest.mark.parametrize(("backend", "example"), examples() or [("none", "none")])
def test_answers_validate_against_the_response_schemas(
    replayed: dict[tuple[str, str], list[tuple[dict[str, Any], httpx.Response]]], backend: str, example: str
) -> None:
    schemas = pytest.importorskip("replay._schemas")
    for record, response in replayed[backend, example]:
        if not response.headers.get("content-type", "").startswith(("application/json", "text/event-stream")):
            continue
        if response.headers["content-type"].startswith("text/event-stream"):
            body: Any = [
                json.loads(line[6:]) for line in response.text.splitlines() if line.startswith("data: ")
            ]
        else:
            body = response.json()
        url = canonical_url(
            str(response.request.url), str(response.request.url.copy_with(path="", query=None))
        )
        if response.status_code >= 400:
            assert set(body["error"]) <= {"code", "message", "status", "details"}
            continue
        assert schemas.check_response(record["method"], url, body) == [], (record["seq"], url)
