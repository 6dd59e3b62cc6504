"""Pure request builders and parsers of the `batches` calls, shared by sync and async.

The two backends differ more here than anywhere else: the Gemini Developer API runs inline
requests or an uploaded file through ``models/M:batchGenerateContent`` and answers with
long-running operations whose ``metadata`` is the batch; Vertex AI runs ``batchPredictionJobs``
over Cloud Storage or BigQuery and answers with the job itself. `parse_batch_job` reads both into
one `BatchJob` (Gemini's ``BATCH_STATE_*`` become ``JOB_STATE_*``), which `_lro.wait` can poll.
The types themselves are in `_batch_types`.
"""

from __future__ import annotations

import datetime
import secrets
from typing import TypeVar

from genai_min._base import WireModel, coerce, parse
from genai_min._batch_types import (
    BatchJob,
    BatchJobDestination,
    BatchJobSource,
    CreateBatchJobConfig,
    DeleteResourceJob,
    InlinedRequest,
    ListBatchJobsConfig,
)
from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError, UnsupportedError
from genai_min._generation import generate_body
from genai_min._http import JSON, HttpRequest, JSONObject
from genai_min._names import model_path, path_segment
from genai_min._pager import Page, page_query

W = TypeVar("W", bound=WireModel)


def unique_suffix(now: datetime.datetime | None = None) -> str:
    """Return ``<UTC timestamp>_<5 hex digits>``, for the names Vertex AI jobs need and callers omit."""
    now = now or datetime.datetime.now(datetime.UTC)
    return f"{now:%Y%m%d%H%M%S}_{secrets.token_hex(3)[:5]}"


def batch_name(endpoint: Endpoint, name: str) -> str:
    """Check a job name and complete a bare id: ``batches/ID`` or ``.../batchPredictionJobs/ID``."""
    name = (name or "").strip()
    collection = "batchPredictionJobs" if endpoint.is_vertex else "batches"
    parts = name.split("/")
    if name and len(parts) == 1:
        name = f"{collection}/{name}"
    elif endpoint.is_vertex:
        is_full = len(parts) == 6 and parts[0] == "projects" and parts[2] == "locations"
        if not (is_full and parts[4] == collection and all(parts)):
            raise ConfigError(
                f"{name!r} is not a Vertex AI batch job name; pass "
                "'projects/P/locations/L/batchPredictionJobs/ID' or the bare ID"
            )
    elif len(parts) != 2 or parts[0] != collection or not parts[1]:
        raise ConfigError(
            f"{name!r} is not a Gemini batch name; pass 'batches/ID' as batches.create returned"
        )
    return name


def create_request(
    endpoint: Endpoint, model: str, src: object, config: object, *, unique: str
) -> HttpRequest:
    """Build the creation of a batch job; `unique` names what Vertex AI needs and the caller left out."""
    cfg = coerce(CreateBatchJobConfig, config or {}, what="CreateBatchJobConfig")
    source = _source(endpoint, src)
    if not endpoint.is_vertex:
        if cfg.dest is not None:
            raise UnsupportedError(
                "config.dest is only supported by Vertex AI; the Gemini Developer API returns the "
                "responses inline or as a file named in job.dest"
            )
        batch: JSONObject = {}
        if cfg.display_name is not None:
            batch["displayName"] = cfg.display_name
        batch["inputConfig"] = _gemini_input(endpoint, source)
        path = f"{path_segment(model_path(endpoint, model))}:batchGenerateContent"
        return HttpRequest("POST", path, json={"batch": batch})
    body: JSONObject = {
        "model": model_path(endpoint, model),
        # Vertex AI requires a display name and an output; the official SDK makes both up too.
        "displayName": cfg.display_name or f"genai_batch_job_{unique}",
        "inputConfig": _vertex_input(source),
        "outputConfig": _vertex_output(_destination(cfg.dest, source, unique)),
    }
    return HttpRequest("POST", "batchPredictionJobs", json=body)


def get_request(endpoint: Endpoint, name: str) -> HttpRequest:
    """Build the GET of one job."""
    return HttpRequest("GET", path_segment(batch_name(endpoint, name)))


def cancel_request(endpoint: Endpoint, name: str) -> HttpRequest:
    """Build ``POST {name}:cancel`` (no body, as the official SDK sends it)."""
    return HttpRequest("POST", f"{path_segment(batch_name(endpoint, name))}:cancel")


def delete_request(endpoint: Endpoint, name: str) -> HttpRequest:
    """Build the DELETE of a job."""
    return HttpRequest("DELETE", path_segment(batch_name(endpoint, name)))


def list_config(config: object) -> ListBatchJobsConfig:
    """Accept a `ListBatchJobsConfig`, a dict or None."""
    return coerce(ListBatchJobsConfig, config or {}, what="ListBatchJobsConfig")


def list_request(endpoint: Endpoint, config: ListBatchJobsConfig, page_token: str | None) -> HttpRequest:
    """Build one page of ``batches.list``."""
    if config.filter is not None and not endpoint.is_vertex:
        raise UnsupportedError("config.filter is only supported by Vertex AI; leave it out for Gemini")
    query: list[tuple[str, str]] = []
    query += page_query(config.page_size, page_token or config.page_token)
    if config.filter is not None:
        query.append(("filter", config.filter))
    return HttpRequest("GET", "batchPredictionJobs" if endpoint.is_vertex else "batches", tuple(query))


def parse_batch_job(data: JSON) -> BatchJob:
    """Parse a Gemini batch operation or a Vertex AI batch prediction job into a `BatchJob`."""
    if not isinstance(data, dict):
        return parse(BatchJob, data)
    name = data.get("name")
    if "metadata" in data or (isinstance(name, str) and name.startswith("batches/")):
        job = parse(BatchJob, _from_operation(data))
        job._is_operation_done = data.get("done") is True
        return job
    return parse(BatchJob, _from_prediction_job(data))


def parse_page(data: JSON) -> Page[BatchJob]:
    """Parse one page of jobs: Gemini lists ``operations``, Vertex AI ``batchPredictionJobs``."""
    if not isinstance(data, dict):
        return [], None
    items = data.get("operations") or data.get("batchPredictionJobs") or []
    token = data.get("nextPageToken")
    jobs = [parse_batch_job(item) for item in items] if isinstance(items, list) else []
    return jobs, token if isinstance(token, str) and token else None


def parse_delete(data: JSON) -> DeleteResourceJob:
    """Parse the answer to a delete: empty, or an operation."""
    return parse(DeleteResourceJob, data)


# -- sources and destinations ------------------------------------------------------------------


def _strict(kind: type[W], value: object, what: str) -> W:
    """Coerce `value`, refusing the unknown fields a response type would otherwise keep."""
    model = coerce(kind, value, what=what)
    if model.model_extra:
        raise ConfigError(
            f"unknown {what} field(s) {sorted(model.model_extra)!r}; see genai_min.types.{kind.__name__}"
        )
    return model


def _source(endpoint: Endpoint, src: object) -> BatchJobSource:
    if isinstance(src, str):
        uri = src.strip()
        if uri.startswith("gs://"):
            source = BatchJobSource(format="jsonl", gcs_uri=[uri])
        elif uri.startswith("bq://"):
            source = BatchJobSource(format="bigquery", bigquery_uri=uri)
        elif uri.startswith("files/"):
            source = BatchJobSource(file_name=uri)
        else:
            raise ConfigError(
                f"cannot read batch requests from {src!r}: pass a 'gs://' or 'bq://' URI (Vertex AI), "
                "a 'files/ID' name or a list of inline requests (Gemini Developer API)"
            )
    elif isinstance(src, list | tuple):
        if not src:
            raise ConfigError("a batch needs at least one request; src is empty")
        if all(isinstance(item, str) and item.startswith("gs://") for item in src):
            source = BatchJobSource(format="jsonl", gcs_uri=list(src))
        else:
            requests = [coerce(InlinedRequest, item, what="inline batch request") for item in src]
            source = BatchJobSource(inlined_requests=requests)
    elif isinstance(src, BatchJobSource | dict):
        source = _strict(BatchJobSource, src, "batch source")
    else:
        raise ConfigError(f"cannot use {type(src).__name__} {src!r} as a batch source")
    _check_source(endpoint, source)
    return source


def _check_source(endpoint: Endpoint, source: BatchJobSource) -> None:
    vertex = [source.gcs_uri is not None, source.bigquery_uri is not None]
    gemini = [source.file_name is not None, source.inlined_requests is not None]
    here, there = (vertex, gemini) if endpoint.is_vertex else (gemini, vertex)
    if any(there) or (not endpoint.is_vertex and source.format is not None):
        raise UnsupportedError(
            "Vertex AI batches read 'gs://' or 'bq://' sources; the Gemini Developer API reads inline "
            "requests or a 'files/ID' upload. This source is for the other backend"
        )
    if sum(here) != 1:
        raise ConfigError("a batch source needs exactly one place to read requests from")
    for index, request in enumerate(source.inlined_requests or ()):
        if request.contents is None:
            raise ConfigError(f"inline batch request {index} has no contents")


def _gemini_input(endpoint: Endpoint, source: BatchJobSource) -> JSONObject:
    if source.file_name is not None:
        return {"fileName": source.file_name}
    items: list[JSON] = []
    for request in source.inlined_requests or ():
        body, _ = generate_body(endpoint, request.contents, request.config)
        if request.model is not None:
            body["model"] = model_path(endpoint, request.model)
        item: JSONObject = {"request": body}
        if request.metadata is not None:
            item["metadata"] = dict(request.metadata)
        items.append(item)
    return {"requests": {"requests": items}}


def _vertex_input(source: BatchJobSource) -> JSONObject:
    if source.gcs_uri is not None:
        return {"instancesFormat": source.format or "jsonl", "gcsSource": {"uris": list(source.gcs_uri)}}
    return {
        "instancesFormat": source.format or "bigquery",
        "bigquerySource": {"inputUri": source.bigquery_uri},
    }


def _destination(
    dest: str | BatchJobDestination | None, source: BatchJobSource, unique: str
) -> BatchJobDestination:
    if dest is None:
        first = (source.gcs_uri or [""])[0]
        # Derived as the official SDK derives it: beside a .jsonl input, or a new BigQuery table.
        if first.endswith(".jsonl"):
            dest = f"{first.removesuffix('.jsonl')}/dest"
        elif source.bigquery_uri is not None:
            dest = f"{source.bigquery_uri}_dest_{unique}"
        else:
            raise ConfigError(
                f"cannot derive where to write the results of {source.gcs_uri!r}; pass "
                "config={'dest': 'gs://bucket/prefix'} (or a 'bq://' table)"
            )
    if isinstance(dest, str):
        if dest.startswith("gs://"):
            return BatchJobDestination(format="jsonl", gcs_uri=dest)
        if dest.startswith("bq://"):
            return BatchJobDestination(format="bigquery", bigquery_uri=dest)
        raise ConfigError(f"cannot write batch results to {dest!r}: pass a 'gs://' prefix or a 'bq://' table")
    dest = _strict(BatchJobDestination, dest, "batch destination")
    if dest.file_name is not None or dest.inlined_responses is not None:
        raise UnsupportedError("Vertex AI batches write to 'gs://' or 'bq://' destinations only")
    if (dest.gcs_uri is None) == (dest.bigquery_uri is None):
        raise ConfigError("a batch destination needs exactly one of gcs_uri and bigquery_uri")
    return dest


def _vertex_output(dest: BatchJobDestination) -> JSONObject:
    if dest.gcs_uri is not None:
        return {
            "predictionsFormat": dest.format or "jsonl",
            "gcsDestination": {"outputUriPrefix": dest.gcs_uri},
        }
    return {
        "predictionsFormat": dest.format or "bigquery",
        "bigqueryDestination": {"outputUri": dest.bigquery_uri},
    }


# -- answers -----------------------------------------------------------------------------------


def _from_operation(data: JSONObject) -> JSONObject:
    """Flatten a Gemini batch operation: the batch is its metadata; the output may be its response."""
    metadata = data.get("metadata")
    meta = metadata if isinstance(metadata, dict) else {}
    batch: JSONObject = {k: v for k, v in meta.items() if k not in ("@type", "output", "inputConfig")}
    batch.setdefault("name", data.get("name"))
    output = meta.get("output")
    response = data.get("response")
    if not isinstance(output, dict) and isinstance(response, dict):
        output = {k: v for k, v in response.items() if k != "@type"}
    if isinstance(output, dict):
        dest: JSONObject = {k: v for k, v in output.items() if k not in ("responsesFile", "inlinedResponses")}
        dest["fileName"] = output.get("responsesFile")
        inlined = output.get("inlinedResponses")
        dest["inlinedResponses"] = inlined.get("inlinedResponses") if isinstance(inlined, dict) else None
        batch["dest"] = dest
    source = meta.get("inputConfig")
    if isinstance(source, dict) and "fileName" in source:
        batch["src"] = {"fileName": source["fileName"]}
    if "error" in data:
        batch["error"] = data["error"]
    return batch


def _from_prediction_job(data: JSONObject) -> JSONObject:
    """Rename a Vertex AI job's input and output configs to `src` and `dest`."""
    job: JSONObject = {k: v for k, v in data.items() if k not in ("inputConfig", "outputConfig")}
    source = data.get("inputConfig")
    if isinstance(source, dict):
        job["src"] = {
            "format": source.get("instancesFormat"),
            "gcsUri": _dig(source, "gcsSource", "uris"),
            "bigqueryUri": _dig(source, "bigquerySource", "inputUri"),
        }
    dest = data.get("outputConfig")
    if isinstance(dest, dict):
        job["dest"] = {
            "format": dest.get("predictionsFormat"),
            "gcsUri": _dig(dest, "gcsDestination", "outputUriPrefix"),
            "bigqueryUri": _dig(dest, "bigqueryDestination", "outputUri"),
        }
    return job


def _dig(data: JSONObject, outer: str, inner: str) -> JSON:
    value = data.get(outer)
    return value.get(inner) if isinstance(value, dict) else None
