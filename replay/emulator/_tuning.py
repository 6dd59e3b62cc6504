"""Tuning jobs and the tuned models they make, on both backends.

Progress is counted in polls, one state per poll, so a test's polling loop ends after two polls:

- Vertex AI ``tuningJobs``: create answers JOB_STATE_PENDING; each GET of the job moves it on,
  to JOB_STATE_RUNNING and then JOB_STATE_SUCCEEDED, when it names its ``tunedModel`` (``model``
  ``projects/P/locations/L/models/ID@1`` and ``endpoint`` ``.../endpoints/ID``). After
  ``:cancel`` the next poll finds it JOB_STATE_CANCELLING and the one after JOB_STATE_CANCELLED.
- Gemini ``tunedModels``: create answers an Operation (``tunedModels/ID/operations/OP``) whose
  metadata names the tuned model; each GET of the model (or of the operation) moves it from
  CREATING to ACTIVE, when the operation is done.

A Vertex AI job tunes in one of three ways, named by its spec: ``supervisedTuningSpec``,
``preferenceOptimizationSpec`` or ``reinforcementTuningSpec``, each with a ``trainingDatasetUri``.
Continued tuning names ``preTunedModel`` (a tuned model of this emulator, ``tunedModelName``)
instead of ``baseModel``; the job then tunes that model's base model. ``tuningJobs:
validateReinforcementTuningReward`` scores a sample response against an example's references:
the share of the references' words the response holds, the same for every reward named.

A tuned model serves generate calls once its job has succeeded: Gemini ``tunedModels/ID``, Vertex
AI ``models/ID`` and ``endpoints/ID``, all answering as their base model. Tuned models can be
listed (Vertex AI: ``models?filter=labels.tune-type:*``), got, updated (display name, description,
default checkpoint) and deleted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from replay.emulator._catalogue import Family, family_of
from replay.emulator._checks import snake_path
from replay.emulator._errors import failed_precondition, invalid_argument, not_found
from replay.emulator._http import Call, Reply, json_reply
from replay.emulator._pages import listing, page
from replay.emulator._state import Context, vertex_deletion
from replay.emulator._wire import JSONObject, as_dict, as_list, as_str, timestamp

SPECS = ("supervisedTuningSpec", "preferenceOptimizationSpec", "reinforcementTuningSpec")
"""The ways a Vertex AI job tunes, by the field of its spec."""
VERTEX_STATES = ("JOB_STATE_PENDING", "JOB_STATE_RUNNING", "JOB_STATE_SUCCEEDED")
_METADATA_TYPE = "type.googleapis.com/google.ai.generativelanguage.v1beta.CreateTunedModelMetadata"


@dataclass
class _Tuned:
    """One tuning job and the model it makes (both backends)."""

    job_id: str
    model_id: str
    endpoint_id: str
    operation_id: str
    parent: str
    base_id: str
    base_model: str
    display_name: str
    create_time: float
    spec: JSONObject
    is_vertex: bool
    spec_field: str = "supervisedTuningSpec"
    pre_tuned: JSONObject = field(default_factory=dict)
    description: str = ""
    default_checkpoint_id: str = ""
    polls: int = 0
    cancelled_at: int | None = None
    update_time: float = 0.0
    is_deleted: bool = False
    hyperparameters: JSONObject = field(default_factory=dict)

    @property
    def state(self) -> str:
        if self.cancelled_at is not None:
            return "JOB_STATE_CANCELLING" if self.polls <= self.cancelled_at + 1 else "JOB_STATE_CANCELLED"
        return VERTEX_STATES[min(self.polls, len(VERTEX_STATES) - 1)]

    @property
    def has_succeeded(self) -> bool:
        return self.state == "JOB_STATE_SUCCEEDED"


class TuningStore:
    """The tuning jobs and tuned models of one emulator."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._jobs: dict[str, _Tuned] = {}

    def reset(self) -> None:
        """Forget every job and tuned model."""
        self._jobs.clear()

    def base_model_of(self, resource: str) -> str | None:
        """Return the base model a tuned resource runs (``tunedModels/x``, ``models/1``, ``endpoints/2``)."""
        kind, _, wanted = resource.partition("/")
        with self._context.lock:
            for job in self._jobs.values():
                ids = {"tunedModels": job.model_id, "models": job.model_id, "endpoints": job.endpoint_id}
                if ids.get(kind) == wanted and job.has_succeeded and not job.is_deleted:
                    return job.base_id
        return None

    def _pre_tuned_base(self, call: Call, pre_tuned: JSONObject) -> str:
        """Return the base model of the tuned model continued tuning starts from, or raise 404."""
        name = as_str(pre_tuned.get("tunedModelName"))
        model_id = name.rsplit("/", 1)[-1].split("@", 1)[0]
        base = self.base_model_of(f"models/{model_id}") if "/models/" in f"/{name}" else None
        if base is None:
            raise not_found(f"Model {name or '(none)'} to continue tuning from was not found.")
        return base

    # -- jobs -------------------------------------------------------------------------------

    def create(self, call: Call) -> Reply:
        """Start a tuning job (Vertex AI ``tuningJobs``, Gemini ``tunedModels``)."""
        body = call.body
        pre_tuned = call.field("preTunedModel") if call.is_vertex else {}
        base_model = as_str(body.get("baseModel"))
        if pre_tuned and not base_model:
            base_model = self._pre_tuned_base(call, pre_tuned)
            pre_tuned = {**pre_tuned, "baseModel": base_model}
        base_id = base_model.rsplit("/", 1)[-1]
        if not base_model:
            raise invalid_argument("* TuningJob.base_model: the base model to tune is required.")
        if family_of(base_id) is not Family.GENERATIVE:
            raise invalid_argument(f"Base model {base_model} is not supported for tuning.")
        spec_field = next((name for name in SPECS if name in body), SPECS[0])
        spec = call.field(spec_field)
        if call.is_vertex and not as_str(spec.get("trainingDatasetUri")):
            raise invalid_argument(
                f"* TuningJob.{snake_path(spec_field)}.training_dataset_uri: a training dataset is required."
            )
        ids = self._context.ids
        display = as_str(body.get("tunedModelDisplayName") or body.get("displayName"))
        if call.is_vertex:
            model_id = ids.next("models", "digits")
        else:
            slug = re.sub(r"[^a-z0-9]+", "-", display.lower()).strip("-")[:30] or "tuned-model"
            model_id = f"{slug}-{ids.next('tunedModels')[:6]}"
        now = self._context.clock.now()
        job = _Tuned(
            job_id=ids.next("tuningJobs", "digits"),
            model_id=model_id,
            endpoint_id=ids.next("endpoints", "digits"),
            operation_id=ids.next("operations"),
            parent=call.parent(),
            base_id=base_id,
            base_model=base_model,
            display_name=display,
            create_time=now,
            update_time=now,
            spec=spec,
            is_vertex=call.is_vertex,
            spec_field=spec_field,
            pre_tuned=pre_tuned,
            description=as_str(body.get("description")),
            hyperparameters=as_dict(as_dict(body.get("tuningTask")).get("hyperparameters")),
        )
        with self._context.lock:
            self._jobs[job.job_id] = job
        if call.is_vertex:
            return json_reply(self._vertex_job(job))
        return json_reply(self._gemini_operation(job))

    def get_job(self, call: Call, job_id: str) -> Reply:
        """Return a Vertex AI tuning job; each GET is one poll."""
        job = self._find(lambda j: j.job_id == job_id and j.is_vertex, f"{call.parent()}tuningJobs/{job_id}")
        self._poll(job)
        return json_reply(self._vertex_job(job))

    def list_jobs(self, call: Call) -> Reply:
        """List Vertex AI tuning jobs."""
        with self._context.lock:
            jobs = [self._vertex_job(j) for j in self._jobs.values() if j.is_vertex]
        items, token = page(jobs, call, default_size=10, max_size=100)
        return json_reply(listing("tuningJobs", items, token))

    def cancel_job(self, call: Call, job_id: str) -> Reply:
        """Cancel a Vertex AI tuning job that has not ended."""
        job = self._find(lambda j: j.job_id == job_id and j.is_vertex, f"{call.parent()}tuningJobs/{job_id}")
        with self._context.lock:
            if job.state in ("JOB_STATE_SUCCEEDED", "JOB_STATE_CANCELLED", "JOB_STATE_CANCELLING"):
                raise failed_precondition(
                    f"Tuning job {job.job_id} is in state {job.state} and cannot be cancelled."
                )
            job.cancelled_at = job.polls
            job.update_time = self._context.clock.now()
        return json_reply({})

    def get_operation(self, call: Call, model_id: str, operation_id: str) -> Reply:
        """Return a Gemini tuning operation; each GET is one poll of its tuned model."""
        job = self._find(
            lambda j: not j.is_vertex and j.model_id == model_id and j.operation_id == operation_id,
            f"tunedModels/{model_id}/operations/{operation_id}",
        )
        self._poll(job)
        return json_reply(self._gemini_operation(job))

    # -- tuned models -----------------------------------------------------------------------------

    def get_model(self, call: Call, model_id: str) -> Reply:
        """Return a tuned model (Gemini: each GET is one poll of its tuning)."""
        job = self._model(call, model_id)
        if not call.is_vertex:
            self._poll(job)
        return json_reply(self._model_wire(call, job))

    def list_models(self, call: Call) -> Reply:
        """List tuned models (Vertex AI: those whose job succeeded)."""
        with self._context.lock:
            jobs = [
                j
                for j in self._jobs.values()
                if j.is_vertex == call.is_vertex and not j.is_deleted and (j.has_succeeded or not j.is_vertex)
            ]
        items, token = page([self._model_wire(call, j) for j in jobs], call, default_size=10, max_size=1000)
        return json_reply(listing("models" if call.is_vertex else "tunedModels", items, token))

    def update_model(self, call: Call, model_id: str) -> Reply:
        """Update a tuned model's display name, description or default checkpoint."""
        job = self._model(call, model_id)
        body = call.body
        with self._context.lock:
            if "displayName" in body:
                job.display_name = as_str(body.get("displayName"))
            if "description" in body:
                job.description = as_str(body.get("description"))
            if "defaultCheckpointId" in body:
                job.default_checkpoint_id = as_str(body.get("defaultCheckpointId"))
            job.update_time = self._context.clock.now()
        return json_reply(self._model_wire(call, job))

    def delete_model(self, call: Call, model_id: str) -> Reply:
        """Delete a tuned model; Vertex AI answers with the (finished) deletion operation."""
        job = self._model(call, model_id)
        with self._context.lock:
            job.is_deleted = True
        if not call.is_vertex:
            return json_reply({})
        return json_reply(vertex_deletion(self._context, job.parent))

    # -- shared -----------------------------------------------------------------------------------

    def _poll(self, job: _Tuned) -> None:
        with self._context.lock:
            before = job.state
            job.polls += 1
            if job.state != before:
                job.update_time = self._context.clock.now()

    def _find(self, match: Callable[[_Tuned], bool], name: str) -> _Tuned:
        with self._context.lock:
            found = next((j for j in self._jobs.values() if match(j)), None)
        if found is None or found.is_deleted:
            raise not_found(f"{name} not found.")
        return found

    def _model(self, call: Call, model_id: str) -> _Tuned:
        model_id = model_id.split("@", 1)[0]
        prefix = call.parent() + "models/" if call.is_vertex else "tunedModels/"
        job = self._find(
            lambda j: j.model_id == model_id and j.is_vertex == call.is_vertex, prefix + model_id
        )
        if call.is_vertex and not job.has_succeeded:
            raise not_found(f"{prefix}{model_id} not found.")
        return job

    def _vertex_job(self, job: _Tuned) -> JSONObject:
        wire: JSONObject = {
            "name": f"{job.parent}tuningJobs/{job.job_id}",
            "tunedModelDisplayName": job.display_name,
            "baseModel": job.base_model,
            job.spec_field: job.spec,
            "state": job.state,
            "createTime": timestamp(job.create_time),
            "updateTime": timestamp(job.update_time),
        }
        if job.pre_tuned:
            wire["preTunedModel"] = job.pre_tuned
        if job.description:
            wire["description"] = job.description
        if job.polls >= 1:
            wire["startTime"] = timestamp(job.create_time)
        if job.state in ("JOB_STATE_SUCCEEDED", "JOB_STATE_CANCELLED"):
            wire["endTime"] = timestamp(job.update_time)
        if job.has_succeeded:
            wire["tunedModel"] = {
                "model": f"{job.parent}models/{job.model_id}@1",
                "endpoint": f"{job.parent}endpoints/{job.endpoint_id}",
            }
        return wire

    def _gemini_operation(self, job: _Tuned) -> JSONObject:
        steps = 10
        done = job.has_succeeded
        operation: JSONObject = {
            "name": f"tunedModels/{job.model_id}/operations/{job.operation_id}",
            "metadata": {
                "@type": _METADATA_TYPE,
                "tunedModel": f"tunedModels/{job.model_id}",
                "totalSteps": steps,
                "completedSteps": steps if done else 0,
                "completedPercent": 100 if done else 0,
            },
        }
        if done:
            operation["done"] = True
            operation["response"] = {
                "@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.TunedModel",
                **self._gemini_model(job),
            }
        return operation

    def _model_wire(self, call: Call, job: _Tuned) -> JSONObject:
        return self._vertex_model(job) if call.is_vertex else self._gemini_model(job)

    def _gemini_model(self, job: _Tuned) -> JSONObject:
        task: JSONObject = {"startTime": timestamp(job.create_time)}
        if job.has_succeeded:
            task["completeTime"] = timestamp(job.update_time)
        if job.hyperparameters:
            task["hyperparameters"] = job.hyperparameters
        wire: JSONObject = {
            "name": f"tunedModels/{job.model_id}",
            "baseModel": job.base_model,
            "displayName": job.display_name,
            "description": job.description,
            "state": "ACTIVE" if job.has_succeeded else "CREATING",
            "createTime": timestamp(job.create_time),
            "updateTime": timestamp(job.update_time),
            "tuningTask": task,
            "temperature": 1,
            "topP": 0.95,
            "topK": 64,
        }
        return wire

    def _vertex_model(self, job: _Tuned) -> JSONObject:
        wire: JSONObject = {
            "name": f"{job.parent}models/{job.model_id}",
            "displayName": job.display_name,
            "versionId": "1",
            "versionAliases": ["default"],
            "createTime": timestamp(job.create_time),
            "updateTime": timestamp(job.update_time),
            "labels": {
                "google-vertex-llm-tuning-base-model-id": re.sub(r"[^a-z0-9_-]", "-", job.base_id),
                "google-vertex-llm-tuning-job-id": job.job_id,
                "tune-type": "sft",
            },
            "deployedModels": [
                {
                    "endpoint": f"{job.parent}endpoints/{job.endpoint_id}",
                    "deployedModelId": job.endpoint_id[::-1],
                }
            ],
            "checkpoints": [{"checkpointId": "1", "epoch": "1", "step": "10"}],
        }
        if job.description:
            wire["description"] = job.description
        if job.default_checkpoint_id:
            wire["defaultCheckpointId"] = job.default_checkpoint_id
        return wire


def validate_reward(call: Call) -> JSONObject:
    """Answer ``tuningJobs:validateReinforcementTuningReward``: the sample response's reward."""
    body = call.body
    if ("singleRewardConfig" in body) == ("compositeRewardConfig" in body):
        raise invalid_argument(
            "* ValidateReinforcementTuningRewardRequest: set exactly one of single_reward_config "
            "and composite_reward_config."
        )
    response = " ".join(
        as_str(as_dict(p).get("text")) for p in as_list(as_dict(body.get("sampleResponse")).get("parts"))
    )
    said = set(re.findall(r"\w+", response.lower()))
    wanted: set[str] = set()
    for reference in as_dict(as_dict(body.get("example")).get("references")).values():
        wanted |= set(re.findall(r"\w+", as_str(reference).lower()))
    reward = round(len(wanted & said) / len(wanted), 4) if wanted else 0.0
    configs = (
        [call.field("singleRewardConfig")]
        if "singleRewardConfig" in body
        else [
            as_dict(as_dict(w).get("rewardConfig")) or as_dict(w)
            for w in as_list(call.field("compositeRewardConfig").get("weightedRewardConfigs"))
        ]
    )
    names = [as_str(c.get("rewardName"), f"reward_{i}") for i, c in enumerate(configs)] or ["reward_0"]
    details: JSONObject = {name: {"reward": reward} for name in names}
    return {"overallReward": reward, "rewardInfoDetails": details}
