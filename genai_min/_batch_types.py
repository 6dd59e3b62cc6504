"""The types of the `batches` calls: sources, destinations, and one `BatchJob` for both backends.

`_batches` builds the requests from them and parses both backends' answers into them; a
`BatchJob` polls through `_batches` itself. Gemini's ``BATCH_STATE_*`` are read as the shared
``JOB_STATE_*`` of `_jobs`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, JsonValue, PrivateAttr

from genai_min._base import ConfigModel, WireModel
from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError
from genai_min._generation import GenerateContentConfig
from genai_min._http import JSON, HttpRequest
from genai_min._jobs import ENDED_STATES, JobState, to_job_state
from genai_min._responses import GenerateContentResponse


def _to_job_state(value: object) -> object:
    # Gemini names the same states BATCH_STATE_*; the official SDK reports them as JOB_STATE_*.
    if isinstance(value, str) and value.startswith("BATCH_STATE_"):
        value = "JOB_STATE_" + value.removeprefix("BATCH_STATE_")
    return to_job_state(value)


class JobError(WireModel):
    """Why a job (or one of its requests) failed: a google.rpc.Status."""

    code: int | None = None
    message: str | None = None
    details: list[JsonValue] | None = None


class InlinedRequest(ConfigModel):
    """One request of an inline Gemini batch: `contents` and `config` as for `generate_content`.

    `metadata` comes back unchanged beside the response, to match answers to requests.
    """

    contents: object = None
    config: GenerateContentConfig | None = None
    model: str | None = None
    metadata: dict[str, JsonValue] | None = None


class InlinedResponse(WireModel):
    """The answer to one inline request: a response or an error, and the request's metadata."""

    response: GenerateContentResponse | None = None
    error: JobError | None = None
    metadata: dict[str, JsonValue] | None = None


class BatchJobSource(WireModel):
    """Where a batch reads its requests.

    Vertex AI: `gcs_uri` (JSON Lines files) or `bigquery_uri`, with `format` ``jsonl`` or
    ``bigquery``. Gemini Developer API: `inlined_requests`, or `file_name` (an uploaded
    ``files/ID`` in JSON Lines).
    """

    format: str | None = None
    gcs_uri: list[str] | None = None
    bigquery_uri: str | None = None
    file_name: str | None = None
    inlined_requests: list[InlinedRequest] | None = None


class BatchJobDestination(WireModel):
    """Where a batch writes its answers.

    Vertex AI: a `gcs_uri` prefix or a `bigquery_uri` table. Gemini Developer API (output only):
    the `inlined_responses`, or the `file_name` of a JSON Lines file of responses.
    """

    format: str | None = None
    gcs_uri: str | None = None
    bigquery_uri: str | None = None
    file_name: str | None = None
    inlined_responses: list[InlinedResponse] | None = None


class BatchStats(WireModel):
    """Request counts of a Gemini batch."""

    request_count: int | None = None
    successful_request_count: int | None = None
    failed_request_count: int | None = None
    pending_request_count: int | None = None


class CompletionStats(WireModel):
    """Request counts of a Vertex AI batch job."""

    successful_count: int | None = None
    failed_count: int | None = None
    incomplete_count: int | None = None


class BatchJobOutputInfo(WireModel):
    """Where a Vertex AI batch job actually wrote its output."""

    gcs_output_directory: str | None = None
    bigquery_output_dataset: str | None = None
    bigquery_output_table: str | None = None


class BatchJob(WireModel):
    """A batch job, in one normalised form for both backends.

    `state` is a `JobState` (a string: ``job.state == "JOB_STATE_SUCCEEDED"`` holds); `done`
    tells whether it has ended. It is `Pollable`, so ``genai_min._lro.wait(t, job)`` polls it.
    """

    name: str | None = None
    display_name: str | None = None
    state: Annotated[JobState | str | None, BeforeValidator(_to_job_state)] = None
    model: str | None = None
    create_time: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    update_time: str | None = None
    error: JobError | None = None
    src: BatchJobSource | None = None
    dest: BatchJobDestination | None = None
    batch_stats: BatchStats | None = None
    completion_stats: CompletionStats | None = None
    output_info: BatchJobOutputInfo | None = None
    _is_operation_done: bool = PrivateAttr(default=False)

    @property
    def done(self) -> bool:
        """Tell whether the job has ended: succeeded, failed, cancelled or expired."""
        return self.state in ENDED_STATES or self._is_operation_done

    def poll_request(self, endpoint: Endpoint) -> HttpRequest:
        """Return the GET of this job's current state."""
        # Imported here: `_batches` builds on these types, so it cannot be imported at load time.
        from genai_min._batches import get_request

        if not self.name:
            raise ConfigError("this batch job has no name, so it cannot be polled")
        return get_request(endpoint, self.name)

    def from_poll(self, data: JSON) -> BatchJob:
        """Return the job described by the answer to `poll_request`."""
        from genai_min._batches import parse_batch_job

        return parse_batch_job(data)


class CreateBatchJobConfig(ConfigModel):
    """Options of `batches.create`.

    `dest` (Vertex AI only) is a ``gs://`` prefix, a ``bq://`` table or a `BatchJobDestination`;
    without it the destination is derived from the source, as the official SDK does.
    """

    display_name: str | None = None
    dest: str | BatchJobDestination | None = None


class ListBatchJobsConfig(ConfigModel):
    """Options of `batches.list`; `filter` is supported by Vertex AI only."""

    page_size: int | None = None
    page_token: str | None = None
    filter: str | None = None


class DeleteResourceJob(WireModel):
    """The answer to `batches.delete`: empty (Gemini), or the deletion's operation (Vertex AI)."""

    name: str | None = None
    done: bool | None = None
    error: JobError | None = None
