"""A small stateless fake of the service for the round trips of files, caches, batches, tunings and media.

Answers have the shapes of `../shared/reference/wire-protocol.md`; long-running resources are done
on their first poll. The emulator (`replay.emulator`) is the full, stateful stand-in; this fake only
has to make each operation complete once, so that recording and replaying can be compared.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

from tests.genai_min.test_sdk_parity import answer as model_answer

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40).decode()
UPLOAD_URL = "https://generativelanguage.googleapis.com/upload/v1beta/files?upload_id=CANARY-session-1&upload_protocol=resumable"
FILE = {
    "name": "files/abc123",
    "mimeType": "text/plain",
    "sizeBytes": "11",
    "state": "ACTIVE",
    "uri": "https://generativelanguage.googleapis.com/v1beta/files/abc123",
    "downloadUri": "https://generativelanguage.googleapis.com/v1beta/files/abc123:download?alt=media",
}
CACHE = {
    "name": "cachedContents/c1",
    "model": "models/gemini-2.0-flash-001",
    "expireTime": "2026-11-24T13:00:00Z",
}
VERTEX_JOB = "projects/123456789012/locations/europe-west4"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def service(request: httpx.Request) -> httpx.Response:
    """Answer one request of any genai_min operation."""
    path, method = request.url.path, request.method
    content = request.read()
    if path.startswith("/upload/"):
        if "upload_id" not in request.url.params:
            return json_response(
                {}, headers={"x-goog-upload-url": UPLOAD_URL, "x-goog-upload-status": "active"}
            )
        return json_response({"file": FILE}, headers={"x-goog-upload-status": "final"})
    if path.endswith(":download"):
        return httpx.Response(
            200, content=b"hello world", headers={"content-type": "application/octet-stream"}
        )
    if "/files" in path:
        if method == "DELETE":
            return json_response({})
        return json_response({"files": [FILE]} if method == "GET" and path.endswith("/files") else FILE)
    if "cachedContents" in path:
        if method == "DELETE":
            return json_response({})
        listing = method == "GET" and path.endswith("cachedContents")
        return json_response({"cachedContents": [CACHE]} if listing else CACHE)
    if path.endswith(":batchGenerateContent") or "/batches" in path:
        batch = {
            "name": "batches/b1",
            "metadata": {
                "@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch",
                "name": "batches/b1",
                "model": "models/gemini-2.0-flash-001",
                "state": "BATCH_STATE_SUCCEEDED",
            },
            "done": True,
        }
        return json_response(batch)
    if "batchPredictionJobs" in path:
        return json_response(
            {"name": f"{VERTEX_JOB}/batchPredictionJobs/9", "state": "JOB_STATE_SUCCEEDED", "model": "m"}
        )
    if "tuningJobs" in path:
        return json_response(
            {
                "name": f"{VERTEX_JOB}/tuningJobs/7",
                "state": "JOB_STATE_SUCCEEDED",
                "baseModel": "gemini-2.0-flash-001",
                "tunedModel": {"model": f"{VERTEX_JOB}/models/5", "endpoint": f"{VERTEX_JOB}/endpoints/6"},
            }
        )
    if path.endswith(":predictLongRunning"):
        return json_response(
            {"name": f"{path.split('/v1', 1)[1].split('/', 1)[1].split(':')[0]}/operations/op1"}
        )
    if path.endswith(":fetchPredictOperation") or "/operations/" in path:
        name = json.loads(content)["operationName"] if content else path.split("/", 2)[2]
        videos = {"videos": [{"bytesBase64Encoded": PNG, "mimeType": "video/mp4"}]}
        return json_response({"name": name, "done": True, "response": videos})
    if path.endswith(":predict") and b"prompt" in content:
        return json_response({"predictions": [{"bytesBase64Encoded": PNG, "mimeType": "image/png"}]})
    return model_answer(request)
