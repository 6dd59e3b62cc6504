"""Veo video generation: ``:predictLongRunning`` and the operation that brings the videos.

The operation finishes on its second poll: the create answer and the first poll are just
``{"name": ...}`` (the service omits ``done`` while running), the second poll and every later one
carry ``done: true`` and the response. Polling is ``GET {operation name}`` on the Gemini API and
``POST {model}:fetchPredictOperation`` with ``{"operationName"}`` on Vertex AI (which also answers a
GET of the full operation name). Names: ``models/M/operations/ID`` (Gemini) and
``projects/P/locations/L/publishers/google/models/M/operations/ID`` (Vertex AI; without the
project prefix in express mode).

Each of ``parameters.sampleCount`` videos (default 1) is a small MP4 stand-in. On the Gemini API
it is a generated file, referenced by ``video.uri`` (``.../files/ID:download?alt=media``) and
downloadable through the files service; on Vertex AI it comes inline as ``bytesBase64Encoded``, or
as a ``gcsUri`` under ``storageUri`` when one is given. The trigger word ``emulator:block-prompt``
in the prompt filters every video (``raiMediaFilteredCount`` and reasons, no videos).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from replay.emulator._errors import invalid_argument, not_found
from replay.emulator._files import PUBLIC_HOST, FileStore
from replay.emulator._generation import BLOCK_PROMPT
from replay.emulator._http import Call, Reply, json_reply
from replay.emulator._media_bytes import mp4
from replay.emulator._state import Context
from replay.emulator._wire import JSONObject, as_dict, as_int, as_list, as_str, digest, encode_bytes

POLLS_TO_FINISH = 2
_FILTERED = "The prompt was filtered by the emulator's safety trigger."


@dataclass
class _Operation:
    name: str
    model_id: str
    is_vertex: bool
    version: str
    request: JSONObject
    polls: int = 0
    response: JSONObject | None = None


class VideoStore:
    """The video operations of one emulator."""

    def __init__(self, context: Context, files: FileStore) -> None:
        self._context = context
        self._files = files
        self._operations: dict[str, _Operation] = {}

    def reset(self) -> None:
        """Forget every operation."""
        self._operations.clear()

    def create(self, call: Call, model_path: str, model_id: str) -> Reply:
        """Start generating videos."""
        instances = as_list(call.body.get("instances"))
        if not instances:
            raise invalid_argument(
                "* PredictLongRunningRequest.instances: at least one instance is required."
            )
        if call.is_vertex:
            operation_id = str(
                uuid.UUID(bytes=self._context.ids.next("videoOperations", "long").encode()[:16])
            )
        else:
            operation_id = self._context.ids.next("videoOperations")
        name = f"{call.parent()}{model_path}/operations/{operation_id}"
        operation = _Operation(name, model_id, call.is_vertex, call.version, call.body)
        with self._context.lock:
            self._operations[operation_id] = operation
        return json_reply({"name": name})

    def poll(self, call: Call, operation_name: str) -> Reply:
        """Answer one poll of an operation (a GET, or Vertex AI's ``fetchPredictOperation``)."""
        operation_id = operation_name.rstrip("/").rsplit("/", 1)[-1]
        with self._context.lock:
            operation = self._operations.get(operation_id)
            if operation is None or "/operations/" not in operation_name:
                raise not_found(f"Operation {operation_name} not found.")
            operation.polls += 1
            if operation.polls >= POLLS_TO_FINISH and operation.response is None:
                operation.response = self._result(operation)
        wire: JSONObject = {"name": operation.name}
        if operation.response is not None:
            wire["done"] = True
            wire["response"] = operation.response
        return json_reply(wire)

    def _result(self, operation: _Operation) -> JSONObject:
        instance = as_dict(as_list(operation.request.get("instances"))[0])
        parameters = as_dict(operation.request.get("parameters"))
        count = max(1, min(as_int(parameters.get("sampleCount"), 1), 4))
        seed = digest(operation.model_id, operation.request)
        blocked = BLOCK_PROMPT in as_str(instance.get("prompt")).lower()
        if operation.is_vertex:
            result: JSONObject = {
                "@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse",
                "raiMediaFilteredCount": count if blocked else 0,
            }
            if blocked:
                result["raiMediaFilteredReasons"] = [_FILTERED]
                return result
            storage = as_str(parameters.get("storageUri"))
            videos: list[object] = []
            for index in range(count):
                if storage:
                    uri = f"{storage.rstrip('/')}/{operation.name.rsplit('/', 1)[-1]}/sample_{index}.mp4"
                    videos.append({"gcsUri": uri, "mimeType": "video/mp4"})
                else:
                    videos.append(
                        {
                            "bytesBase64Encoded": encode_bytes(mp4(digest(seed, index))),
                            "mimeType": "video/mp4",
                        }
                    )
            result["videos"] = videos
            return result
        samples: list[object] = []
        for index in range(0 if blocked else count):
            stored = self._files.add_generated(mp4(digest(seed, index)), "video/mp4", operation.version)
            uri = f"{PUBLIC_HOST}/{operation.version}/files/{stored.file_id}:download?alt=media"
            samples.append({"video": {"uri": uri}})
        video_response: JSONObject = {"generatedSamples": samples}
        if blocked:
            video_response = {"raiMediaFilteredCount": count, "raiMediaFilteredReasons": [_FILTERED]}
        return {
            "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
            "generateVideoResponse": video_response,
        }
