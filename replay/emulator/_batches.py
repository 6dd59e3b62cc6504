"""Batch jobs: Gemini ``batches`` (operations wrapping a batch) and Vertex AI ``batchPredictionJobs``.

Progress is counted in polls, one state per GET, so a polling loop ends after two polls: a job is
created PENDING, then RUNNING, then SUCCEEDED (``BATCH_STATE_*`` on the Gemini API, ``JOB_STATE_*``
on Vertex AI). Listing does not count as a poll. ``:cancel`` ends a job that has not finished:
Gemini batches are BATCH_STATE_CANCELLED at once, Vertex AI jobs JOB_STATE_CANCELLING at the next
poll and JOB_STATE_CANCELLED at the one after.

Gemini results are real: each inline request is answered by the same generator as
``generateContent`` (or ``embedContent`` for ``asyncBatchEmbedContent``) when the batch finishes,
in ``output.inlinedResponses``; a batch read from an uploaded JSONL file (``{"key", "request"}``
lines) writes its answers to a generated ``responsesFile``. Vertex AI jobs read from Cloud Storage or
BigQuery, which the emulator cannot reach: they succeed with ``outputInfo`` pointing where the
results would be, and ``completionStats`` of zero.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from replay.emulator._errors import StatusError, failed_precondition, invalid_argument, not_found
from replay.emulator._files import FileStore
from replay.emulator._http import Call, Reply, json_reply
from replay.emulator._pages import listing, page
from replay.emulator._state import Context, vertex_deletion
from replay.emulator._wire import JSONObject, as_dict, as_list, as_str, timestamp

Answer = Callable[[Call, str, JSONObject], JSONObject]
"""Answer one request of a batch: (call, model path, request body) -> response body."""

_GEMINI_STATES = ("BATCH_STATE_PENDING", "BATCH_STATE_RUNNING", "BATCH_STATE_SUCCEEDED")
_VERTEX_STATES = ("JOB_STATE_PENDING", "JOB_STATE_RUNNING", "JOB_STATE_SUCCEEDED")
_TYPE = "type.googleapis.com/google.ai.generativelanguage.v1main."


@dataclass
class _Batch:
    batch_id: str
    is_vertex: bool
    parent: str
    model: str
    display_name: str
    create_time: float
    request: JSONObject
    is_embedding: bool = False
    polls: int = 0
    cancelled_at: int | None = None
    update_time: float = 0.0
    output: JSONObject | None = None
    counts: tuple[int, int] = (0, 0)

    @property
    def state(self) -> str:
        if self.cancelled_at is not None:
            if self.is_vertex and self.polls <= self.cancelled_at + 1:
                return "JOB_STATE_CANCELLING"
            return "JOB_STATE_CANCELLED" if self.is_vertex else "BATCH_STATE_CANCELLED"
        states = _VERTEX_STATES if self.is_vertex else _GEMINI_STATES
        return states[min(self.polls, len(states) - 1)]

    @property
    def is_done(self) -> bool:
        return self.state.endswith(("SUCCEEDED", "CANCELLED"))


class BatchStore:
    """The batch jobs of one emulator."""

    def __init__(self, context: Context, files: FileStore, generate: Answer, embed: Answer) -> None:
        self._context = context
        self._files = files
        self._generate = generate
        self._embed = embed
        self._batches: dict[str, _Batch] = {}

    def reset(self) -> None:
        """Forget every batch."""
        self._batches.clear()

    def create_gemini(self, call: Call, model_path: str, *, is_embedding: bool) -> Reply:
        """Start a Gemini batch (``:batchGenerateContent`` or ``:asyncBatchEmbedContent``)."""
        batch = call.field("batch")
        source = as_dict(batch.get("inputConfig"))
        inline = as_list(as_dict(source.get("requests")).get("requests"))
        file_name = as_str(source.get("fileName"))
        if not inline and not file_name:
            raise invalid_argument("* Batch.input_config: give inline requests or a file name.")
        if file_name and self._files.data_of(file_name) is None:
            raise StatusError(
                403, f"You do not have permission to access the File {file_name} or it may not exist."
            )
        job = self._add(call, model_path, as_str(batch.get("displayName")), batch)
        job.is_embedding = is_embedding
        return json_reply(self._gemini_wire(job))

    def create_vertex(self, call: Call) -> Reply:
        """Start a Vertex AI batch prediction job."""
        body = call.body
        if not as_str(body.get("model")):
            raise invalid_argument("* BatchPredictionJob.model: the model is required.")
        if not call.field("inputConfig") or not call.field("outputConfig"):
            raise invalid_argument("* BatchPredictionJob: input_config and output_config are required.")
        job = self._add(call, as_str(body.get("model")), as_str(body.get("displayName")), body)
        return json_reply(self._vertex_wire(job))

    def get(self, call: Call, batch_id: str) -> Reply:
        """Return a batch; each GET is one poll."""
        job = self._find(call, batch_id)
        with self._context.lock:
            job.polls += 1
            job.update_time = self._context.clock.now()
        self._finish(call, job)
        return json_reply(self._vertex_wire(job) if job.is_vertex else self._gemini_wire(job))

    def list(self, call: Call) -> Reply:
        """List batches (Gemini: as operations)."""
        with self._context.lock:
            jobs = [j for j in self._batches.values() if j.is_vertex == call.is_vertex]
        wire = [self._vertex_wire(j) if j.is_vertex else self._gemini_wire(j) for j in jobs]
        items, token = page(wire, call, default_size=10, max_size=1000)
        return json_reply(listing("batchPredictionJobs" if call.is_vertex else "operations", items, token))

    def cancel(self, call: Call, batch_id: str) -> Reply:
        """Cancel a batch that has not finished."""
        job = self._find(call, batch_id)
        with self._context.lock:
            if job.is_done or job.cancelled_at is not None:
                raise failed_precondition(
                    f"Batch {batch_id} is in state {job.state} and cannot be cancelled."
                )
            job.cancelled_at = job.polls
            job.update_time = self._context.clock.now()
        return json_reply({})

    def delete(self, call: Call, batch_id: str) -> Reply:
        """Delete a batch; Vertex AI answers with the (finished) deletion operation."""
        job = self._find(call, batch_id)
        with self._context.lock:
            self._batches.pop(job.batch_id, None)
        if not call.is_vertex:
            return json_reply({})
        return json_reply(vertex_deletion(self._context, job.parent))

    # -- shared -----------------------------------------------------------------------------------

    def _add(self, call: Call, model: str, display_name: str, request: JSONObject) -> _Batch:
        now = self._context.clock.now()
        batch_id = self._context.ids.next("batches", "digits" if call.is_vertex else "long")
        job = _Batch(
            batch_id, call.is_vertex, call.parent(), model, display_name, now, request, update_time=now
        )
        with self._context.lock:
            self._batches[batch_id] = job
        return job

    def _find(self, call: Call, batch_id: str) -> _Batch:
        with self._context.lock:
            job = self._batches.get(batch_id)
        if job is None or job.is_vertex != call.is_vertex:
            name = (
                f"{call.parent()}batchPredictionJobs/{batch_id}" if call.is_vertex else f"batches/{batch_id}"
            )
            raise not_found(f"{name} not found." if call.is_vertex else f"Batch {name} not found.")
        return job

    def _finish(self, call: Call, job: _Batch) -> None:
        """Work out a finished Gemini batch's answers, once."""
        if job.is_vertex or job.output is not None or not job.state.endswith("SUCCEEDED"):
            return
        answer = self._embed if job.is_embedding else self._generate
        source = as_dict(job.request.get("inputConfig"))
        inline = as_list(as_dict(source.get("requests")).get("requests"))
        responses: list[JSONObject] = []
        if inline:
            for item in inline:
                entry = self._answer(call, job, answer, as_dict(as_dict(item).get("request")))
                if "metadata" in as_dict(item):
                    entry["metadata"] = as_dict(item)["metadata"]
                responses.append(entry)
            job.output = {"inlinedResponses": {"inlinedResponses": list(responses)}}
        else:
            data = self._files.data_of(as_str(source.get("fileName"))) or b""
            for line in data.decode("utf-8", "replace").splitlines():
                try:
                    item = as_dict(json.loads(line))
                except ValueError:
                    item = {}
                responses.append(
                    {"key": item.get("key"), **self._answer(call, job, answer, as_dict(item.get("request")))}
                )
            lines = "\n".join(json.dumps(r) for r in responses).encode()
            stored = self._files.add_generated(lines, "application/jsonl", call.version)
            job.output = {"responsesFile": f"files/{stored.file_id}"}
        failed = sum(1 for r in responses if "error" in r)
        job.counts = (len(responses) - failed, failed)

    def _answer(self, call: Call, job: _Batch, answer: Answer, request: JSONObject) -> JSONObject:
        try:
            return {"response": answer(call, as_str(request.get("model")) or job.model, request)}
        except StatusError as error:
            return {"error": {"code": error.code, "message": error.message, "status": error.status}}

    def _gemini_wire(self, job: _Batch) -> JSONObject:
        kind = "EmbedContentBatch" if job.is_embedding else "GenerateContentBatch"
        requested = len(
            as_list(as_dict(as_dict(job.request.get("inputConfig")).get("requests")).get("requests"))
        )
        metadata: JSONObject = {"@type": _TYPE + kind, "model": job.model, "displayName": job.display_name}
        if job.output is not None:
            metadata["output"] = job.output
        metadata["createTime"] = timestamp(job.create_time)
        if job.is_done:
            metadata["endTime"] = timestamp(job.update_time)
        metadata["updateTime"] = timestamp(job.update_time)
        stats: JSONObject = {"requestCount": str(requested or sum(job.counts))}
        if job.state.endswith("SUCCEEDED"):
            stats["successfulRequestCount"] = str(job.counts[0])
            if job.counts[1]:
                stats["failedRequestCount"] = str(job.counts[1])
        elif not job.is_done:
            stats["pendingRequestCount"] = stats["requestCount"]
        metadata.update({"batchStats": stats, "state": job.state, "name": f"batches/{job.batch_id}"})
        operation: JSONObject = {"name": f"batches/{job.batch_id}", "metadata": metadata}
        if job.is_done:
            operation["done"] = True
            operation["response"] = {"@type": _TYPE + kind + "Output", **(job.output or {})}
        return operation

    def _vertex_wire(self, job: _Batch) -> JSONObject:
        body = job.request
        wire: JSONObject = {
            "name": f"{job.parent}batchPredictionJobs/{job.batch_id}",
            "displayName": job.display_name,
            "model": job.model,
            "inputConfig": body.get("inputConfig"),
            "outputConfig": body.get("outputConfig"),
            "state": job.state,
            "createTime": timestamp(job.create_time),
            "updateTime": timestamp(job.update_time),
        }
        if job.polls >= 1:
            wire["startTime"] = timestamp(job.create_time)
        if job.is_done:
            wire["endTime"] = timestamp(job.update_time)
        if job.state == "JOB_STATE_SUCCEEDED":
            output = as_dict(body.get("outputConfig"))
            prefix = as_str(as_dict(output.get("gcsDestination")).get("outputUriPrefix"))
            table = as_str(as_dict(output.get("bigqueryDestination")).get("outputUri"))
            stamp = timestamp(job.create_time).replace(":", "").replace("-", "")[:15]
            if prefix:
                wire["outputInfo"] = {"gcsOutputDirectory": f"{prefix.rstrip('/')}/prediction-model-{stamp}"}
            elif table:
                dataset, _, name = table.removeprefix("bq://").rpartition(".")
                wire["outputInfo"] = {"bigqueryOutputDataset": f"bq://{dataset}", "bigqueryOutputTable": name}
            wire["completionStats"] = {"successfulCount": "0", "failedCount": "0", "incompleteCount": "0"}
        return wire
