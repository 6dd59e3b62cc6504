"""Every field the official SDK can send for an operation we cover validates against the request schemas.

For each operation and backend, every field of the SDK's request types (its config type, and the
contents, source or dataset it takes) is set to a sample value, nested types included, the request
the SDK builds is captured by a mock transport (no network), and `check_request` must find nothing
wrong with it. A field the SDK refuses on a backend (it raises before sending) is skipped with its
reason. A failure names the field the schemas lack: add it to tools/gen_schemas.py with its source.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import functools
import io
import json
import types as pytypes
import typing
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pydantic
import pytest
from google.oauth2.credentials import Credentials

from replay._schemas import check_request

genai = pytest.importorskip("google.genai")
from google.genai import types  # noqa: E402  (needs google-genai, checked above)

BACKENDS = ("gemini", "vertex")
# Fields that configure the SDK itself and never reach the wire.
CLIENT_SIDE = frozenset(
    {"http_options", "should_return_http_response", "automatic_function_calling", "automatic_continuation"}
)
MODEL = "gemini-2.0-flash-001"


@dataclass(frozen=True)
class Capture:
    method: str
    url: str
    body: object


@dataclass(frozen=True)
class Call:
    """One SDK operation: how to call it, its fixed arguments, and the arguments sampled field by field."""

    call: Callable[..., object]
    fixed: dict[str, object]
    sampled: dict[str, object]  # argument -> type; `config` is sampled one field at a time
    config: type[pydantic.BaseModel] | None
    gemini_fixed: dict[str, object] = dataclasses.field(default_factory=dict)  # where Gemini needs others


def _consume(result: object) -> None:
    if isinstance(result, typing.Iterator):
        for _ in result:
            pass


CALLS: dict[str, Call] = {
    "generate_content": Call(
        lambda c, **k: c.models.generate_content(**k),
        {"model": MODEL, "contents": "hi"},
        {"contents": types.ContentListUnion},
        types.GenerateContentConfig,
    ),
    "generate_content_stream": Call(
        lambda c, **k: _consume(c.models.generate_content_stream(**k)),
        {"model": MODEL, "contents": "hi"},
        {"contents": types.ContentListUnion},
        types.GenerateContentConfig,
    ),
    "count_tokens": Call(
        lambda c, **k: c.models.count_tokens(**k),
        {"model": MODEL, "contents": "hi"},
        {"contents": types.ContentListUnion},
        types.CountTokensConfig,
    ),
    "compute_tokens": Call(
        lambda c, **k: c.models.compute_tokens(**k),
        {"model": MODEL, "contents": "hi"},
        {"contents": types.ContentListUnion},
        types.ComputeTokensConfig,
    ),
    "embed_content": Call(
        lambda c, **k: c.models.embed_content(**k),
        {"model": "gemini-embedding-001", "contents": "hi"},
        {"contents": types.ContentListUnion},
        types.EmbedContentConfig,
    ),
    "generate_images": Call(
        lambda c, **k: c.models.generate_images(**k),
        {"model": "imagen-4.0-generate-001", "prompt": "a cat"},
        {},
        types.GenerateImagesConfig,
    ),
    "edit_image": Call(
        lambda c, **k: c.models.edit_image(**k),
        {
            "model": "imagen-3.0-capability-001",
            "prompt": "a cat",
            "reference_images": [types.RawReferenceImage(reference_id=1)],
        },
        {"reference_images": list[types._ReferenceImageAPI]},
        types.EditImageConfig,
    ),
    "upscale_image": Call(
        lambda c, **k: c.models.upscale_image(**k),
        {
            "model": "imagen-4.0-upscale-preview",
            "image": types.Image(image_bytes=b"x"),
            "upscale_factor": "x2",
        },
        {"image": types.Image},
        types.UpscaleImageConfig,
    ),
    "generate_videos": Call(
        lambda c, **k: c.models.generate_videos(**k),
        {"model": "veo-3.0-generate-001", "prompt": "a cat"},
        {"source": types.GenerateVideosSource},
        types.GenerateVideosConfig,
    ),
    "models.update": Call(
        lambda c, **k: c.models.update(**k),
        {"model": "tunedModels/t1", "config": {"display_name": "x"}},
        {},
        types.UpdateModelConfig,
        {"model": "tunedModels/t1"},
    ),
    "caches.create": Call(
        lambda c, **k: c.caches.create(**k),
        {"model": MODEL, "config": {"ttl": "3.5s"}},
        {},
        types.CreateCachedContentConfig,
    ),
    "caches.update": Call(
        lambda c, **k: c.caches.update(**k),
        {"name": "cachedContents/c1", "config": {"ttl": "3.5s"}},
        {},
        types.UpdateCachedContentConfig,
    ),
    "batches.create": Call(
        lambda c, **k: c.batches.create(**k),
        {"model": MODEL, "src": "gs://bucket/in.jsonl"},
        {"src": types.BatchJobSourceUnion},
        types.CreateBatchJobConfig,
        {"src": "files/batch-input"},  # the Gemini API reads batch input from an uploaded file
    ),
    "tunings.tune": Call(
        lambda c, **k: c.tunings.tune(**k),
        {"base_model": MODEL, "training_dataset": types.TuningDataset(gcs_uri="gs://bucket/train.jsonl")},
        {"training_dataset": types.TuningDataset},
        types.CreateTuningJobConfig,
    ),
    "files.upload": Call(
        lambda c, **k: c.files.upload(file=io.BytesIO(b"x"), **k),
        {"config": {"mime_type": "text/plain"}},
        {},
        types.UploadFileConfig,
    ),
}


# --- sample values ------------------------------------------------------------------------------------


# String fields whose wire value is an enum name or a checked format.
STRINGS = {
    "response_modalities": "TEXT",
    "person_generation": "ALLOW_ADULT",
    "task_type": "RETRIEVAL_QUERY",
    "output_uri_prefix": "gs://bucket/out/",
    "AudioResponseFormat.mime_type": "AUDIO_MP3",
    "ImageResponseFormat.mime_type": "IMAGE_JPEG",
    "TextResponseFormat.mime_type": "APPLICATION_JSON",
}


def sample_string(qualified: str) -> str:
    """Return a plausible value for a string field (`Owner.field`), valid for the format its name implies."""
    name = qualified.rsplit(".", 1)[-1]
    if qualified in STRINGS or name in STRINGS:
        return STRINGS.get(qualified) or STRINGS[name]
    if name.endswith(("uri", "uris")) or name in ("dest", "src", "output_gcs_uri"):
        return "gs://bucket/object"
    if name == "mime_type" or name.endswith("_mime_type"):
        return "image/png"
    if name in ("ttl", "start_offset", "end_offset", "duration") or name.endswith("_duration"):
        return "3.5s"
    if name.endswith(("_time", "timestamp")):
        return "2030-01-01T00:00:00Z"
    if name == "cached_content":
        return "cachedContents/c1"
    if name in ("model", "base_model"):
        return MODEL
    return "x"


# Where the SDK types a field loosely (a validator fills in the element type), what it holds.
LOOSE = {"tools": list[types.Tool]}


def first_arm(annotation: Any) -> Any:
    """Take a union's first arm that is an SDK type (so its fields get set too), else its first arm."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin is typing.Union or isinstance(annotation, pytypes.UnionType):
        arms = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [
            a
            for a in arms
            if isinstance(a, type) and issubclass(a, pydantic.BaseModel) and a is not pydantic.BaseModel
        ]
        return first_arm((models or arms)[0])
    return annotation


class NoSampleError(Exception):
    """The type has no sample value (a callable, a cycle back into a type being built)."""


def sample(annotation: Any, name: str, building: frozenset[type]) -> Any:
    """Return a sample value of `annotation`, every nested field set (cycles are cut)."""
    annotation = first_arm(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return args[0]
    if origin in (list, typing.Sequence, tuple) or annotation is list:
        return [sample(args[0] if args else str, name, building)]
    if origin is dict or annotation is dict:
        value = args[1] if len(args) == 2 else str
        return {"k": "v" if value in (Any, str, object) else sample(value, name, building)}
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation))
        if issubclass(annotation, pydantic.BaseModel) and annotation is not pydantic.BaseModel:
            if annotation in building:
                raise NoSampleError(f"{annotation.__name__} is being built")
            return build(annotation, None, building | {annotation})
        if annotation is bool:
            return True
        if annotation is int:
            return 1
        if annotation is float:
            return 1.0
        if annotation is bytes:
            return b"x"
        if annotation is str:
            return sample_string(name)
        if annotation is datetime.datetime:
            return datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    if annotation in (Any, object):
        return "v"
    raise NoSampleError(f"no sample for {annotation!r}")


def build(model: type[pydantic.BaseModel], only: str | None, building: frozenset[type]) -> Any:
    """Build `model` with every field set, or with only the field `only` set."""
    values: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        if field_name in CLIENT_SIDE or (only is not None and field_name != only):
            continue
        try:
            annotation = LOOSE.get(field_name, info.annotation)
            values[field_name] = sample(annotation, f"{model.__name__}.{field_name}", building)
        except NoSampleError:
            continue
    try:
        return model(**values)
    except pydantic.ValidationError as exc:
        # A model validator refuses a combination of samples (Metric): leave out the fields it names.
        for error in exc.errors():
            values.pop(str(error["loc"][0]) if error["loc"] else "", None)
        return model(**values)


def model_of(annotation: Any) -> type[pydantic.BaseModel] | None:
    """Return the pydantic model a value of `annotation` is, or holds one of (a list of it)."""
    annotation = first_arm(annotation)
    if typing.get_origin(annotation) in (list, typing.Sequence):
        annotation = first_arm(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    return None


# --- capturing the SDK's requests ---------------------------------------------------------------------


CAPTURED: list[Capture] = []


@functools.cache
def client(backend: str) -> Any:
    """Return an SDK client of `backend` whose requests land in CAPTURED (built once: it loads TLS roots)."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        CAPTURED.append(Capture(request.method, str(request.url), body))
        # A 400 ends the call at once: the SDK retries neither it nor a follow-up request.
        return httpx.Response(
            400, json={"error": {"code": 400, "message": "captured", "status": "INVALID_ARGUMENT"}}
        )

    transport = httpx.MockTransport(handler)
    options = types.HttpOptions(client_args={"transport": transport})
    if backend == "gemini":
        return genai.Client(api_key="test-key", http_options=options)
    return genai.Client(
        vertexai=True,
        project="p",
        location="us-central1",
        credentials=Credentials(token="test-token"),
        http_options=options,
    )


def send(backend: str, spec: Call, arguments: dict[str, object]) -> Capture | Exception:
    """Call the SDK; return the first request it sent, or the error it raised before sending."""
    CAPTURED.clear()
    sdk = client(backend)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # experimental-feature notices are not what is tested
            fixed = {**spec.fixed, **(spec.gemini_fixed if backend == "gemini" else {})}
            spec.call(sdk, **{**fixed, **arguments})
    except Exception as exc:
        if not CAPTURED:
            return exc
    assert CAPTURED, "the SDK returned without sending a request"
    return CAPTURED[0]


@dataclass
class Outcome:
    violations: list[str]
    refused: list[str]  # "path: reason" for each field the SDK refuses on this backend


def explore(
    backend: str, spec: Call, wrap: Callable[[Any], dict[str, object]], value: Any, path: str
) -> Outcome:
    """Send `value`; where the SDK refuses it, try each of its fields alone, recursively."""
    try:
        arguments = wrap(value)
    except pydantic.ValidationError as exc:  # the SDK's own validators refuse this field alone
        return Outcome([], [f"{path}: not valid alone: {exc.errors()[0]['msg']}"])
    result = send(backend, spec, arguments)
    if isinstance(result, Capture):
        found = check_request(result.method, result.url, result.body)
        return Outcome([f"{v.path}: {v.message}" for v in found], [])
    is_list = isinstance(value, list)
    item = value[0] if is_list else value
    if not isinstance(item, pydantic.BaseModel) or not item.model_fields_set:
        message = str(result).splitlines()[0] if str(result) else ""
        return Outcome([], [f"{path}: {type(result).__name__}: {message}"])
    outcome = Outcome([], [])
    model = type(item)
    for name in sorted(item.model_fields_set):

        def rewrap(v: Any, name: str = name) -> dict[str, object]:
            single = model(**{name: v})
            return wrap([single] if is_list else single)

        sub = explore(backend, spec, rewrap, getattr(item, name), f"{path}.{name}")
        outcome.violations += sub.violations
        outcome.refused += sub.refused
    return outcome


def cases() -> list[Any]:
    params = []
    for operation, spec in CALLS.items():
        for backend in BACKENDS:
            names = [
                f"config.{n}"
                for n in (spec.config.model_fields if spec.config else ())
                if n not in CLIENT_SIDE
            ]
            for name in [*spec.sampled, *names]:
                params.append(pytest.param(operation, backend, name, id=f"{operation}-{backend}-{name}"))
    return params


@pytest.mark.parametrize(("operation", "backend", "field"), cases())
def test_every_field_the_sdk_sends_validates(operation: str, backend: str, field: str) -> None:
    spec = CALLS[operation]
    if field.startswith("config."):
        assert spec.config is not None
        name = field.removeprefix("config.")
        value = build(spec.config, name, frozenset({spec.config}))
        if name not in value.model_fields_set:
            pytest.skip(f"{field} has no sample value")
        field = "config"

        fixed = spec.fixed.get("config", {})
        assert isinstance(fixed, dict)

        def wrap(v: Any) -> dict[str, object]:
            return {
                "config": v.model_copy(update={k: x for k, x in fixed.items() if k not in v.model_fields_set})
            }

    else:
        annotation = spec.sampled[field]
        value = sample(annotation, field, frozenset())

        def wrap(v: Any) -> dict[str, object]:
            return {field: v}

    outcome = explore(backend, spec, wrap, value, field)
    assert outcome.violations == [], "\n".join(outcome.violations)
    if outcome.refused:
        shown = "; ".join(outcome.refused[:3])
        more = f"; and {len(outcome.refused) - 3} more" if len(outcome.refused) > 3 else ""
        pytest.skip(f"the SDK refuses on this backend: {shown}{more}")
