"""Tuning jobs: their types, and the pure requests and parsers of `tunings`, shared by sync and async.

Vertex AI runs supervised tuning jobs (``tuningJobs``) from a dataset in Cloud Storage; the Gemini
Developer API builds a ``tunedModels`` resource from inline examples and answers with an operation.
Both are presented as one `TuningJob`, Gemini's model states mapped onto the job states.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, JsonValue

from genai_min._base import ConfigModel, WireModel, coerce, parse
from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError, ResponseError, UnsupportedError
from genai_min._http import JSON, HttpRequest, JSONObject
from genai_min._jobs import ENDED_STATES, JobState, to_job_state
from genai_min._names import model_path, path_segment, resource_name
from genai_min._pager import Page, page_query

# A Gemini tuned model's state, seen as a job state (as the official SDK maps it).
_GEMINI_STATES = {
    "STATE_UNSPECIFIED": "JOB_STATE_UNSPECIFIED",
    "CREATING": "JOB_STATE_RUNNING",
    "ACTIVE": "JOB_STATE_SUCCEEDED",
    "FAILED": "JOB_STATE_FAILED",
}


class TuningExample(ConfigModel):
    """One example to tune on (Gemini Developer API): an input text and the output wanted."""

    text_input: str | None = None
    output: str | None = None


class TuningDataset(ConfigModel):
    """What to tune on: a JSONL file in Cloud Storage (Vertex AI) or inline examples (Gemini)."""

    gcs_uri: str | None = None
    vertex_dataset_resource: str | None = None
    examples: list[TuningExample] | None = None


class TuningValidationDataset(ConfigModel):
    """Data to validate a Vertex AI tuning job on."""

    gcs_uri: str | None = None
    vertex_dataset_resource: str | None = None


class CreateTuningJobConfig(ConfigModel):
    """Options of `tunings.tune`: hyperparameters, names and (Vertex AI) validation data."""

    tuned_model_display_name: str | None = None
    description: str | None = None
    epoch_count: int | None = None
    learning_rate_multiplier: float | None = None
    learning_rate: float | None = None
    batch_size: int | None = None
    adapter_size: str | None = None
    validation_dataset: TuningValidationDataset | None = None
    export_last_checkpoint_only: bool | None = None
    pre_tuned_model_checkpoint_id: str | None = None
    labels: dict[str, str] | None = None


class ListTuningJobsConfig(ConfigModel):
    """Options of `tunings.list`: page size and token, and a filter."""

    page_size: int | None = None
    page_token: str | None = None
    filter: str | None = None


class TunedModel(WireModel):
    """What a successful tuning job made: the model, and the endpoint that serves it."""

    model: str | None = None
    endpoint: str | None = None
    checkpoints: list[dict[str, JsonValue]] | None = None


class TuningJob(WireModel):
    """A tuning job; `state` is a `JobState` (a string, ``JOB_STATE_…``) on both backends.

    It can be waited for: ``operations.wait(t, job)`` polls it until `has_ended`.
    """

    name: str | None = None
    state: Annotated[JobState | str | None, BeforeValidator(to_job_state)] = None
    base_model: str | None = None
    tuned_model: TunedModel | None = None
    tuned_model_display_name: str | None = None
    description: str | None = None
    create_time: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    update_time: str | None = None
    error: dict[str, JsonValue] | None = None
    supervised_tuning_spec: dict[str, JsonValue] | None = None
    tuning_data_stats: dict[str, JsonValue] | None = None
    pre_tuned_model: dict[str, JsonValue] | None = None
    experiment: str | None = None
    labels: dict[str, str] | None = None

    @property
    def has_ended(self) -> bool:
        """Tell whether the job succeeded, failed, was cancelled or expired."""
        return self.state in ENDED_STATES

    @property
    def has_succeeded(self) -> bool:
        """Tell whether the job succeeded."""
        return self.state == JobState.JOB_STATE_SUCCEEDED

    @property
    def done(self) -> bool:
        """Tell whether waiting is over: the same as `has_ended`."""
        return self.has_ended

    def poll_request(self, endpoint: Endpoint) -> HttpRequest:
        """Build the request for this job's current state."""
        if not self.name:
            raise ConfigError("this tuning job has no name, so its state cannot be fetched")
        return get_request(endpoint, self.name)

    def from_poll(self, data: JSON) -> TuningJob:
        """Return the job described by the answer to `poll_request`."""
        return parse_tuning_job(data)


def tune_request(
    endpoint: Endpoint, base_model: str, training_dataset: object, config: object
) -> HttpRequest:
    """Build ``POST tuningJobs`` (Vertex AI) or ``POST tunedModels`` (Gemini Developer API)."""
    dataset = coerce(TuningDataset, training_dataset, what="TuningDataset")
    cfg = coerce(CreateTuningJobConfig, config or {}, what="CreateTuningJobConfig")
    if not base_model or not base_model.strip():
        raise ConfigError("base_model must name the model to tune, e.g. 'gemini-2.0-flash-001'")
    if cfg.learning_rate is not None and cfg.learning_rate_multiplier is not None:
        raise ConfigError("pass learning_rate or learning_rate_multiplier, not both")
    if endpoint.is_vertex:
        return HttpRequest("POST", "tuningJobs", json=_vertex_body(base_model, dataset, cfg))
    return HttpRequest("POST", "tunedModels", json=_gemini_body(endpoint, base_model, dataset, cfg))


def _hyperparameters(cfg: CreateTuningJobConfig, names: tuple[str, ...]) -> JSONObject:
    values = cfg.model_dump(by_alias=False, exclude_none=True, include=set(names))
    return {CreateTuningJobConfig.model_fields[k].alias or k: v for k, v in values.items()}


def _vertex_body(base_model: str, dataset: TuningDataset, cfg: CreateTuningJobConfig) -> JSONObject:
    uri = dataset.gcs_uri or dataset.vertex_dataset_resource
    if dataset.examples is not None or not uri:
        raise UnsupportedError(
            "Vertex AI tunes from a JSONL dataset in Cloud Storage, not from inline examples: pass "
            "TuningDataset(gcs_uri='gs://bucket/train.jsonl')"
        )
    spec: JSONObject = {"trainingDatasetUri": uri}
    if cfg.validation_dataset is not None:
        validation = cfg.validation_dataset.gcs_uri or cfg.validation_dataset.vertex_dataset_resource
        if validation:
            spec["validationDatasetUri"] = validation
    names = ("epoch_count", "learning_rate_multiplier", "learning_rate", "batch_size", "adapter_size")
    if hyper := _hyperparameters(cfg, names):
        spec["hyperParameters"] = hyper
    if cfg.export_last_checkpoint_only is not None:
        spec["exportLastCheckpointOnly"] = cfg.export_last_checkpoint_only
    body: JSONObject = {}
    if base_model.startswith("projects/"):
        # Tuning a tuned model again: Vertex names it, and optionally a checkpoint, separately.
        pre: JSONObject = {"tunedModelName": base_model}
        if cfg.pre_tuned_model_checkpoint_id is not None:
            pre["checkpointId"] = cfg.pre_tuned_model_checkpoint_id
        body["preTunedModel"] = pre
    else:
        body["baseModel"] = base_model
    body["supervisedTuningSpec"] = spec
    for name in ("tuned_model_display_name", "description", "labels"):
        if (value := getattr(cfg, name)) is not None:
            body[CreateTuningJobConfig.model_fields[name].alias or name] = value
    return body


_VERTEX_ONLY = (
    "validation_dataset",
    "adapter_size",
    "export_last_checkpoint_only",
    "pre_tuned_model_checkpoint_id",
    "labels",
)


def _gemini_body(
    endpoint: Endpoint, base_model: str, dataset: TuningDataset, cfg: CreateTuningJobConfig
) -> JSONObject:
    if dataset.examples is None or dataset.gcs_uri or dataset.vertex_dataset_resource:
        raise UnsupportedError(
            "the Gemini Developer API tunes from inline examples, not from a stored dataset: pass "
            "TuningDataset(examples=[TuningExample(text_input=..., output=...), ...])"
        )
    if refused := [name for name in _VERTEX_ONLY if getattr(cfg, name) is not None]:
        raise UnsupportedError(
            f"tune: {', '.join(refused)} only apply to Vertex AI; leave them out for the Gemini Developer API"
        )
    # Field names follow the TunedModel proto: tuningTask.trainingData.examples.examples[].
    examples: list[JSON] = [example.to_wire() for example in dataset.examples]
    task: JSONObject = {"trainingData": {"examples": {"examples": examples}}}
    names = ("epoch_count", "learning_rate_multiplier", "learning_rate", "batch_size")
    if hyper := _hyperparameters(cfg, names):
        task["hyperparameters"] = hyper
    body: JSONObject = {"baseModel": model_path(endpoint, base_model), "tuningTask": task}
    if cfg.tuned_model_display_name is not None:
        body["displayName"] = cfg.tuned_model_display_name
    if cfg.description is not None:
        body["description"] = cfg.description
    return body


def parse_tune(endpoint: Endpoint, data: JSON) -> TuningJob:
    """Parse the answer to `tune_request`: a Vertex tuning job, or Gemini's create operation."""
    if endpoint.is_vertex:
        return parse_tuning_job(data)
    if not isinstance(data, dict):
        raise ResponseError(f"expected an operation object, got {type(data).__name__}")
    metadata = data.get("metadata")
    name = metadata.get("tunedModel") if isinstance(metadata, dict) else None
    if not isinstance(name, str):
        operation = data.get("name")
        name = operation.partition("/operations/")[0] if isinstance(operation, str) else None
    if not name:
        raise ResponseError("the tuning operation names no tuned model (metadata.tunedModel or name)")
    error = data.get("error")
    if isinstance(error, dict):
        return parse(TuningJob, {"name": name, "state": JobState.JOB_STATE_FAILED, "error": error})
    return TuningJob(name=name, state=JobState.JOB_STATE_QUEUED)


def parse_tuning_job(data: JSON) -> TuningJob:
    """Parse a Vertex tuning job, or a Gemini tuned model seen as a job."""
    if not isinstance(data, dict):
        raise ResponseError(f"expected a tuning job object, got {type(data).__name__}")
    name = data.get("name")
    if not (isinstance(name, str) and name.startswith("tunedModels/")):
        return parse(TuningJob, data)
    state = data.get("state")
    task = data.get("tuningTask")
    task = task if isinstance(task, dict) else {}
    job: JSONObject = {
        "name": name,
        "state": _GEMINI_STATES.get(state, state) if isinstance(state, str) else None,
        "baseModel": data.get("baseModel"),
        "tunedModelDisplayName": data.get("displayName"),
        "description": data.get("description"),
        "createTime": data.get("createTime"),
        "startTime": task.get("startTime"),
        "endTime": task.get("completeTime"),
        "updateTime": data.get("updateTime"),
        # On Gemini the tuned model is both the model and what generate_content is called on.
        "tunedModel": {"model": name, "endpoint": name},
    }
    return parse(TuningJob, {k: v for k, v in job.items() if v is not None})


def _job_name(endpoint: Endpoint, name: str) -> str:
    return resource_name(endpoint, "tuningJobs" if endpoint.is_vertex else "tunedModels", name)


def get_request(endpoint: Endpoint, name: str) -> HttpRequest:
    """Build the GET of a tuning job (Vertex AI) or tuned model (Gemini); a bare id is completed."""
    return HttpRequest("GET", path_segment(_job_name(endpoint, name)))


def list_config(config: object) -> ListTuningJobsConfig:
    """Accept a `ListTuningJobsConfig`, a dict or None."""
    return coerce(ListTuningJobsConfig, config or {}, what="ListTuningJobsConfig")


def list_request(endpoint: Endpoint, config: ListTuningJobsConfig, page_token: str | None) -> HttpRequest:
    """Build one page of ``GET tuningJobs`` (Vertex AI) or ``GET tunedModels`` (Gemini)."""
    query: list[tuple[str, str]] = []
    if config.filter:
        query.append(("filter", config.filter))
    query += page_query(config.page_size, page_token or config.page_token)
    return HttpRequest("GET", "tuningJobs" if endpoint.is_vertex else "tunedModels", tuple(query))


def parse_jobs_page(data: JSON) -> Page[TuningJob]:
    """Parse one page of tuning jobs, or of Gemini tuned models seen as jobs."""
    if not isinstance(data, dict):
        return [], None
    items = data.get("tuningJobs") or data.get("tunedModels") or []
    token = data.get("nextPageToken")
    jobs = [parse_tuning_job(item) for item in items] if isinstance(items, list) else []
    return jobs, token if isinstance(token, str) and token else None


def cancel_request(endpoint: Endpoint, name: str) -> HttpRequest:
    """Build ``POST tuningJobs/ID:cancel`` (Vertex AI only)."""
    if not endpoint.is_vertex:
        # ModelService binds no cancel for tunedModels (only batches/*:cancel exists).
        raise UnsupportedError(
            "the Gemini Developer API cannot cancel tuning; delete the tuned model with "
            "models.delete(t, model=...) if you no longer want it"
        )
    return HttpRequest("POST", f"{path_segment(_job_name(endpoint, name))}:cancel", json={})
