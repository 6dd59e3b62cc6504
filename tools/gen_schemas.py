"""Generate replay/schemas/*.json from Google's published API definitions, never from our own models.

Usage::

    python tools/gen_schemas.py           # write replay/schemas/*.json and print their sizes
    python tools/gen_schemas.py --check   # exit 1 and list the files that regeneration would change

Sources (both pinned in pyproject's dev extra):

- Gemini Developer API: `google-ai-generativelanguage`. Its proto-plus message classes carry protobuf
  descriptors (field names, json_names, types, enums). Its file descriptors hold no services, so the
  `google.api.http` bindings are read where the package keeps them: the REST transports that GAPIC
  generated from those annotations (`_get_http_options()`: verb, path template, `body`), with the
  request and response classes taken from the transports' type hints.
- Vertex AI: the aiplatform discovery documents shipped inside `google-api-python-client`.
- Where the pinned Gemini package trails the live service, `GEMINI_OVERLAY` adds the fields,
  messages and methods that real traffic (`../shared/corpus/real`) sends and receives, each entry
  naming where it was seen; the generator refuses an entry the package has come to define itself.
- Error answers: the ``{"error": google.rpc.Status + status}`` envelope of Google's JSON APIs, from
  googleapis-common-protos (`google.rpc.Status`, `google.rpc.Code`), stored as each file's `error`.

Only the methods on the surface of the official SDK's README (models, files, caches, tunings,
batches, operations) are kept, and only the messages they reach. Each output file is one JSON
document per API and version: `operations` (HTTP method, path templates and anchored regexes,
request and response schema) and shared `$defs`, each message at most twice: `request.X` is strict
(`additionalProperties: false`), `response.X` is lenient (unknown fields allowed). Enums and the
proto3-JSON scalar rules are shared by both.

The proto3 JSON rules encoded: every field by its lowerCamel json_name and by its snake_case proto
name; enums as their names or as integers; 64-bit integers as integers or decimal strings (32-bit ones
too, as the mapping allows); floats as numbers or "NaN"/"Infinity"/"-Infinity"; bytes as base64 in the
standard or the URL-safe alphabet, padded or not; Timestamp, Duration and FieldMask as strings;
Struct as any object, Value as anything, ListValue as an array, wrappers as their scalar; null for
any field (read as its default). `oneof` is not enforced, and fields bound to the path may also appear
in the body. Where real traffic answered 200 to something stricter rules would refuse, the rule
follows the traffic: enum names are also accepted in lower case (`"type": "object"` in a Schema).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import re
import sys
import typing
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "genai-replay-schemas/1"
OUT_DIR = Path(__file__).resolve().parent.parent / "replay" / "schemas"
GEMINI_PACKAGE = "google-ai-generativelanguage"
VERTEX_PACKAGE = "google-api-python-client"
GEMINI_VERSIONS = ("v1", "v1alpha", "v1beta")
VERTEX_VERSIONS = ("v1", "v1beta1")

# Gemini services on the SDK's surface. Left out: permission, retriever, discuss and text services
# (tuned-model sharing, semantic retrieval and the PaLM-era methods: no SDK call reaches them).
GEMINI_SERVICES = (
    "cache_service",
    "file_service",
    "generative_service",
    "model_service",
    "prediction_service",
)
# generateAnswer drags in the semantic-retriever messages and no SDK call sends it.
GEMINI_SKIPPED_RPCS = frozenset({"GenerateAnswer"})

_V = r"(projects\.locations\.)?"
VERTEX_METHODS = re.compile(
    "|".join(
        (
            _V + r"(publishers\.models|endpoints)\.(generateContent|streamGenerateContent|countTokens"
            r"|computeTokens|embedContent|batchEmbedContents|predict|predictLongRunning|fetchPredictOperation)",
            _V + r"publishers\.models\.(get|list)",
            _V + r"models\.(get|list|patch|delete)",
            _V + r"cachedContents\.(create|get|list|patch|delete)",
            _V + r"tuningJobs\.(create|get|list|cancel)",
            _V + r"batchPredictionJobs\.(create|get|list|cancel|delete)",
            _V + r"((models|tuningJobs|endpoints|batchPredictionJobs|cachedContents)\.)?operations"
            r"\.(get|list|cancel|delete|wait)",
        )
    )
)

SEGMENT = "[^/:]+"  # one path segment; ':' starts a custom verb, so ids never hold one

# Scalar rules shared by every message. The titles are what violation messages call them.
# Every field also accepts null: proto3 JSON reads it as the field's default, and real traffic sends it
# (a function declaration's `description: null` was answered 200). So "null" is in every type below.
SCALARS: dict[str, dict[str, Any]] = {
    "int32": {
        "title": "int32 (an integer or a decimal string)",
        "type": ["integer", "string", "null"],
        "pattern": "^-?[0-9]+$",
    },
    "uint32": {
        "title": "uint32 (a non-negative integer or a decimal string)",
        "type": ["integer", "string", "null"],
        "pattern": "^[0-9]+$",
        "minimum": 0,
    },
    "int64": {
        "title": "int64 (an integer or a decimal string)",
        "type": ["integer", "string", "null"],
        "pattern": "^-?[0-9]+$",
    },
    "uint64": {
        "title": "uint64 (a non-negative integer or a decimal string)",
        "type": ["integer", "string", "null"],
        "pattern": "^[0-9]+$",
        "minimum": 0,
    },
    "float": {
        "title": "a number (or 'NaN', 'Infinity', '-Infinity')",
        "type": ["number", "string", "null"],
        "pattern": r"^(NaN|-?Infinity|-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?)$",
    },
    "bytes": {
        "title": "base64 bytes (standard or URL-safe alphabet)",
        "type": ["string", "null"],
        "pattern": "^[A-Za-z0-9+/_-]*={0,2}$",
    },
    "duration": {
        "title": "a duration in seconds such as '3.5s'",
        "type": ["string", "null"],
        "pattern": r"^-?[0-9]+(\.[0-9]{1,9})?s$",
    },
    "timestamp": {"title": "an RFC 3339 timestamp string", "type": ["string", "null"]},
    "fieldMask": {"title": "a field mask string", "type": ["string", "null"]},
    "struct": {"title": "an object (Struct)", "type": ["object", "null"]},
    "listValue": {"title": "an array (ListValue)", "type": ["array", "null"]},
    "any": {"title": "an object (Any)", "type": ["object", "null"]},
    "value": {"title": "any JSON value (Value)"},
}
STRING = {"type": ["string", "null"]}
BOOLEAN = {"type": ["boolean", "null"]}
ENUM_ELSE = {"title": "an enum name or number", "type": ["integer", "null"]}


def ref(name: str) -> dict[str, Any]:
    """Return a JSON Schema reference to `$defs/<name>` of the same file."""
    return {"$ref": f"#/$defs/{name}"}


def enum_schema(title: str, names: Iterable[str]) -> dict[str, Any]:
    """Build an enum rule: a name when a string, any integer otherwise (proto3 JSON).

    Names are accepted as defined or in lower case: the services answer 200 to `"type": "object"` in a
    Schema and to `"thinkingLevel": "low"` (corpus/real), so a checker that refused them would be wrong.
    """
    defined = list(names)
    lower = [n.lower() for n in defined if n.lower() not in defined]
    return {"title": title, "if": {"type": "string"}, "then": {"enum": defined + lower}, "else": ENUM_ELSE}


def snake(name: str) -> str:
    """Turn a lowerCamel JSON name back into its snake_case proto name."""
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), name)


def with_aliases(properties: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Key each field schema by its JSON name and, when it differs, its snake_case name."""
    out: dict[str, Any] = {}
    for json_name, (proto_name, schema) in properties.items():
        for key in dict.fromkeys((json_name, proto_name)):
            if key in out:
                raise SystemExit(f"field name {key!r} is used twice in one message")
            out[key] = schema
    return out


def message_schema(title: str, properties: dict[str, Any], *, is_strict: bool) -> dict[str, Any]:
    """Wrap field schemas into an object schema, strict (requests) or lenient (responses)."""
    out: dict[str, Any] = {"title": title, "type": ["object", "null"], "properties": properties}
    if is_strict:
        out["additionalProperties"] = False
    return out


@dataclass
class Method:
    """One REST method: where it lives and which schemas its bodies follow."""

    http_method: str
    templates: list[str]
    request: str | None
    response: str
    is_streaming: bool = False
    rpc: str | None = None
    patterns: list[str] = field(default_factory=list)
    is_overlay: bool = False

    def render(self) -> dict[str, Any]:
        """Return the method as stored in the schema file."""
        out: dict[str, Any] = {
            "httpMethod": self.http_method,
            "pathTemplates": self.templates,
            "pathPatterns": self.patterns,
            "request": ref(self.request) if self.request else None,
            "response": ref(self.response),
            "streaming": self.is_streaming,
        }
        if self.rpc:
            out["rpc"] = self.rpc
        if self.is_overlay:
            out["overlay"] = True
        return out


def document(
    api: str, version: str, source: dict[str, str], methods: dict[str, Method], defs: dict[str, Any]
) -> dict[str, Any]:
    """Assemble one schema file, with the error envelope every method may answer instead."""
    name = f"{api}-{version}"
    add_error_envelope(defs)
    return {
        "$id": f"urn:genai-replay:schemas:{name}",
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": defs,
        "api": api,
        "error": ref(ERROR_ENVELOPE),
        "generator": {"format": FORMAT, "script": "tools/gen_schemas.py"},
        "operations": {key: methods[key].render() for key in sorted(methods)},
        "source": source,
        "version": version,
    }


ERROR_ENVELOPE = "response.ErrorEnvelope"


def add_error_envelope(defs: dict[str, Any]) -> None:
    """Add the body of an error answer (4xx, 5xx) to `defs`, the same for both APIs.

    Google's JSON APIs wrap a google.rpc.Status in ``{"error": ...}`` and add ``status``, the name of
    its google.rpc.Code (AIP-193). Both come from googleapis-common-protos; ``details`` are Any
    messages (``ErrorInfo``, ``Help``, ``LocalizedMessage``, ...), kept open as every Any is.
    """
    from google.rpc import code_pb2, status_pb2  # type: ignore[import-untyped]

    fields = status_pb2.Status.DESCRIPTOR.fields_by_name
    assert set(fields) == {"code", "message", "details"}, "google.rpc.Status changed; review the envelope"
    codes = [value.name for value in code_pb2.DESCRIPTOR.enum_types_by_name["Code"].values]
    for scalar in ("int32", "any"):
        defs.setdefault(scalar, SCALARS[scalar])
    defs["enum.google.rpc.Code"] = enum_schema("google.rpc.Code", codes)
    status = message_schema(
        "google.rpc.Status (as JSON APIs send it)",
        {
            "code": ref("int32"),
            "message": STRING,
            "status": ref("enum.google.rpc.Code"),
            "details": {"type": ["array", "null"], "items": ref("any")},
        },
        is_strict=False,
    )
    defs[ERROR_ENVELOPE + ".Status"] = {**status, "required": ["code", "message"]}
    envelope = message_schema(
        "the error envelope", {"error": ref(ERROR_ENVELOPE + ".Status")}, is_strict=False
    )
    defs[ERROR_ENVELOPE] = {**envelope, "type": "object", "required": ["error"]}


def render(doc: dict[str, Any]) -> str:
    """Serialise a schema file deterministically: sorted keys, one-space indent, trailing newline."""
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


# --- Gemini: protobuf descriptors ---------------------------------------------------------------

WRAPPERS = {
    "DoubleValue": "float",
    "FloatValue": "float",
    "Int64Value": "int64",
    "UInt64Value": "uint64",
    "Int32Value": "int32",
    "UInt32Value": "uint32",
    "BytesValue": "bytes",
}
WELL_KNOWN = {
    "google.protobuf.Timestamp": "timestamp",
    "google.protobuf.Duration": "duration",
    "google.protobuf.FieldMask": "fieldMask",
    "google.protobuf.Struct": "struct",
    "google.protobuf.ListValue": "listValue",
    "google.protobuf.Value": "value",
    "google.protobuf.Any": "any",
    **{f"google.protobuf.{k}": v for k, v in WRAPPERS.items()},
}
INLINE_WRAPPERS = {"google.protobuf.BoolValue": BOOLEAN, "google.protobuf.StringValue": STRING}


# --- Gemini overlay: what the live API has and the pinned definitions lack ------------------------


@dataclass(frozen=True)
class Overlay:
    """Fields, messages, enums and methods the service has that a pinned package does not define.

    A field or message type is written as a small string: `string`, `bool`, a shared scalar rule
    (`int32`, `int64`, `timestamp`, `struct`, ...), `enum:<Name>` of `enums`, a message of `messages`
    or of the package (`ModalityTokenCount`, `google.rpc.Status`), and `[T]` for a repeated `T`.
    Methods are `method id -> (HTTP method, path template after the version, request message,
    response message)`, added to each of `versions`.
    """

    fields: dict[str, dict[str, str]]
    messages: dict[str, dict[str, str]]
    enums: dict[str, tuple[str, ...]]
    methods: dict[str, tuple[str, str, str, str]]
    versions: tuple[str, ...]


# google-ai-generativelanguage 0.12.1 trails the service: real traffic (corpus/real, named beside each
# entry) sends and receives these, and google-genai 3.3.0's types name them. Each entry is dropped
# when a newer package defines it (the generator refuses a field defined twice).
GEMINI_OVERLAY = Overlay(
    fields={
        # Server-side tool invocations shown to the caller (pydantic-ai file_search_grounding_gemini_3).
        "Part": {"toolCall": "ToolCall", "toolResponse": "ToolResponse"},
        "ToolConfig": {"includeServerSideToolInvocations": "bool"},
        # Code execution parts carry an id on Gemini 3 (ruby_llm chat_code_execution).
        "ExecutableCode": {"id": "string"},
        "CodeExecutionResult": {"id": "string"},
        # File search by store names replaced retrieval resources (pydantic-ai file_search_tool).
        "FileSearch": {"fileSearchStoreNames": "[string]", "topK": "int32", "metadataFilter": "string"},
        "GroundingChunk.RetrievedContext": {
            "fileSearchStore": "string",
            "customMetadata": "[CustomMetadata]",
        },
        # Every answer since 2026 says its tier, in lower case ("standard"; llm-gemini, ruby_llm).
        "GenerateContentResponse.UsageMetadata": {"serviceTier": "enum:ServiceTier"},
        # Embedding answers count their input (llm.rb embeddings, llm-gemini test_embedding_batch).
        "EmbedContentResponse": {"usageMetadata": "EmbeddingUsageMetadata"},
        "BatchEmbedContentsResponse": {"usageMetadata": "EmbeddingUsageMetadata"},
    },
    messages={
        "ToolCall": {"id": "string", "toolType": "enum:ToolType", "args": "struct"},
        "ToolResponse": {"id": "string", "toolType": "enum:ToolType", "response": "struct"},
        # Sic: "promptTokenDetails", not the "promptTokensDetails" of generate answers.
        "EmbeddingUsageMetadata": {"promptTokenCount": "int32", "promptTokenDetails": "[ModalityTokenCount]"},
        # The Batch API (ruby_llm batch_with_gemini; the official SDK's batches.create).
        "BatchGenerateContentRequest": {"batch": "GenerateContentBatch"},
        "GenerateContentBatch": {
            "model": "string",
            "name": "string",
            "displayName": "string",
            "inputConfig": "BatchInputConfig",
            "output": "GenerateContentBatchOutput",
            "createTime": "timestamp",
            "endTime": "timestamp",
            "updateTime": "timestamp",
            "batchStats": "BatchStats",
            "state": "enum:BatchState",
            "priority": "int64",
        },
        "BatchInputConfig": {"fileName": "string", "requests": "InlinedRequests"},
        "InlinedRequests": {"requests": "[InlinedRequest]"},
        "InlinedRequest": {"request": "GenerateContentRequest", "metadata": "struct"},
        "GenerateContentBatchOutput": {"responsesFile": "string", "inlinedResponses": "InlinedResponses"},
        "InlinedResponses": {"inlinedResponses": "[InlinedResponse]"},
        "InlinedResponse": {
            "response": "GenerateContentResponse",
            "error": "google.rpc.Status",
            "metadata": "struct",
        },
        "BatchStats": {
            "requestCount": "int64",
            "successfulRequestCount": "int64",
            "failedRequestCount": "int64",
            "pendingRequestCount": "int64",
        },
    },
    enums={
        "ToolType": (
            "TOOL_TYPE_UNSPECIFIED",
            "GOOGLE_SEARCH_WEB",
            "GOOGLE_SEARCH_IMAGE",
            "URL_CONTEXT",
            "GOOGLE_MAPS",
            "FILE_SEARCH",
            "MEDIA_PROCESSING",
        ),
        "ServiceTier": ("unspecified", "standard", "flex", "priority"),
        "BatchState": (
            "BATCH_STATE_UNSPECIFIED",
            "BATCH_STATE_PENDING",
            "BATCH_STATE_RUNNING",
            "BATCH_STATE_SUCCEEDED",
            "BATCH_STATE_FAILED",
            "BATCH_STATE_CANCELLED",
            "BATCH_STATE_EXPIRED",
        ),
    },
    methods={
        "models.batchGenerateContent": (
            "POST",
            "{batch.model=models/*}:batchGenerateContent",
            "BatchGenerateContentRequest",
            "google.longrunning.Operation",
        ),
    },
    versions=("v1beta",),
)


# --- SDK additions: what google-genai sends and the pinned definitions lack --------------------------

SDK_PACKAGE = "google-genai"
SDK_VERSION = "3.3.0"  # the test dependency pinned in pyproject; a different SDK sends different fields


@dataclass(frozen=True)
class SdkField:
    """A field the official SDK sends: its type is read from the SDK's pydantic model, never retyped.

    `sdk` is `Type.field` in `google.genai.types` (its annotation gives the schema: SDK models become
    `sdk.<Type>` messages with every field, enums their members); `source` is the converter in
    google-genai that puts it on the wire under the JSON name this entry is keyed by.
    """

    sdk: str
    source: str


_M, _V_ = "models._{}_to_mldev", "models._{}_to_vertex"
_PART = "models._Part_to_mldev (passes Part's fields through)"
# Keyed by API, then by message (as each converter names it), then by JSON name. Found by
# tests/replay/test_schema_completeness.py, which sets every field of the SDK's request types.
SDK_ADDITIONS: dict[str, dict[str, dict[str, SdkField]]] = {
    "gemini": {
        "GenerateContentRequest": {
            "labels": SdkField("GenerateContentConfig.labels", _M.format("GenerateContentConfig")),
            "serviceTier": SdkField("GenerateContentConfig.service_tier", _M.format("GenerateContentConfig")),
            "store": SdkField("GenerateContentConfig.store", _M.format("GenerateContentConfig")),
            "continuationToken": SdkField(
                "GenerateContentConfig.continuation_token", _M.format("GenerateContentConfig")
            ),
        },
        "GenerationConfig": {
            "audioTranscriptionConfig": SdkField(
                "GenerateContentConfig.audio_transcription_config", _M.format("GenerateContentConfig")
            ),
        },
        "ImageConfig": {"imageSize": SdkField("ImageConfig.image_size", _M.format("ImageConfig"))},
        "ThinkingConfig": {
            "thinkingLevel": SdkField("ThinkingConfig.thinking_level", _M.format("GenerateContentConfig"))
        },
        "VoiceConfig": {
            "replicatedVoiceConfig": SdkField(
                "VoiceConfig.replicated_voice_config",
                _M.format("SpeechConfig") + " (passes VoiceConfig through)",
            ),
            "voice": SdkField(
                "VoiceConfig.voice", _M.format("SpeechConfig") + " (passes VoiceConfig through)"
            ),
        },
        "Part": {
            "audioTranscription": SdkField("Part.audio_transcription", _PART),
            "mediaProcessing": SdkField("Part.media_processing", _PART),
            "mediaResolution": SdkField("Part.media_resolution", _PART),
            "speechMetadata": SdkField("Part.speech_metadata", _PART),
        },
        "Blob": {"displayName": SdkField("Blob.display_name", _PART)},
        "FileData": {"displayName": SdkField("FileData.display_name", _PART)},
        "FunctionCall": {
            "partialArgs": SdkField("FunctionCall.partial_args", "models._EmbedContentParameters_to_mldev"),
            "willContinue": SdkField("FunctionCall.will_continue", "models._EmbedContentParameters_to_mldev"),
        },
        "FunctionResponseBlob": {"displayName": SdkField("FunctionResponseBlob.display_name", _PART)},
        "FunctionResponsePart": {
            "fileData": SdkField("FunctionResponsePart.file_data", _PART),
            "mediaProcessing": SdkField("FunctionResponsePart.media_processing", _PART),
        },
        "Schema": {
            "ref": SdkField(
                "Schema.ref", _M.format("Schema") + " (via FunctionDeclaration, GenerationConfig)"
            ),
            "additionalProperties": SdkField(
                "Schema.additional_properties", _M.format("FunctionDeclaration")
            ),
        },
        "Tool": {"mcpServers": SdkField("Tool.mcp_servers", _M.format("Tool"))},
        "TunedModel": {
            "defaultCheckpointId": SdkField(
                "UpdateModelConfig.default_checkpoint_id", _M.format("UpdateModelParameters")
            )
        },
        "GenerateContentBatch": {
            "webhookConfig": SdkField(
                "CreateBatchJobConfig.webhook_config", "batches._CreateBatchJobParameters_to_mldev"
            )
        },
        "Tool.ComputerUse": {
            "disabledSafetyPolicies": SdkField("ComputerUse.disabled_safety_policies", _M.format("Tool")),
            "enablePromptInjectionDetection": SdkField(
                "ComputerUse.enable_prompt_injection_detection", _M.format("Tool")
            ),
        },
        "Tool.GoogleSearch": {
            "searchTypes": SdkField("GoogleSearch.search_types", _M.format("GoogleSearch"))
        },
        "GoogleMaps": {"authConfig": SdkField("GoogleMaps.auth_config", _M.format("GoogleMaps"))},
    },
    "vertex": {
        "GenerateContentRequest": {
            "serviceTier": SdkField(
                "GenerateContentConfig.service_tier", _V_.format("GenerateContentConfig")
            ),
        },
        "AudioTranscription": {
            name: SdkField(
                f"Transcription.{snake(name)}", "models._Part_to_vertex (passes Part's fields through)"
            )
            for name in ("startOffset", "endOffset", "finished", "languageCode")
        },
        "PartMediaResolution": {
            "numTokens": SdkField("PartMediaResolution.num_tokens", "models._Part_to_vertex")
        },
        "ToolGoogleSearch": {
            "timeRangeFilter": SdkField("GoogleSearch.time_range_filter", _V_.format("Tool"))
        },
        "GoogleMaps": {"authConfig": SdkField("GoogleMaps.auth_config", _V_.format("Tool"))},
        "AuthConfig": {
            "apiKey": SdkField(
                "AuthConfig.api_key", _V_.format("Tool") + " (Retrieval.external_api.auth_config)"
            )
        },
        "TextResponseFormat": {
            "jsonSchema": SdkField("TextResponseFormat.jsonSchema", _V_.format("GenerationConfig"))
        },
        "DistillationHyperParameters": {
            "sftLossWeightMultiplier": SdkField(
                "CreateTuningJobConfig.sft_loss_weight_multiplier",
                "tunings._CreateTuningJobParameters_to_vertex",
            )
        },
    },
}


class SdkTypes:
    """Turn google-genai pydantic types into JSON Schema `$defs` (`sdk.<Type>` messages) in `defs`."""

    def __init__(self, defs: dict[str, Any]) -> None:
        from google.genai import types

        installed = importlib.metadata.version(SDK_PACKAGE)
        if installed != SDK_VERSION:
            raise SystemExit(f"SDK_ADDITIONS were read from {SDK_PACKAGE} {SDK_VERSION}, not {installed}")
        self.types = types
        self.defs = defs

    def field(self, dotted: str, family: str) -> dict[str, Any]:
        """Return the schema of `Type.field` of the SDK's types."""
        owner, name = dotted.split(".")
        return self.annotation(getattr(self.types, owner).model_fields[name].annotation, family)

    def annotation(self, annotation: Any, family: str) -> dict[str, Any]:
        """Return the schema of a value of `annotation` (a union takes any of its arms)."""
        import datetime
        import enum

        import pydantic

        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is typing.Annotated:
            return self.annotation(args[0], family)
        if origin is typing.Union or type(annotation).__name__ == "UnionType":
            arms = [self.annotation(a, family) for a in args if a is not type(None)]
            return arms[0] if len(arms) == 1 else {"anyOf": arms}
        if origin is list:
            return {"type": ["array", "null"], "items": self.annotation(args[0], family)}
        if origin is typing.Literal:
            return {"enum": [*args, None]}
        if origin is dict or annotation in (Any, dict):
            return {"type": ["object", "null"]} if annotation is not Any else {}
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            key = f"enum.sdk.{annotation.__name__}"
            self.defs.setdefault(key, enum_schema(annotation.__name__, (m.value for m in annotation)))
            return ref(key)
        if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
            return ref(self.message(annotation, family))
        rules = {str: STRING, bool: BOOLEAN, int: ref("int64"), float: ref("float"), bytes: ref("bytes")}
        rules[datetime.datetime] = ref("timestamp")
        if annotation in rules:
            schema = rules[annotation]
            if "$ref" in schema:
                self.defs.setdefault(
                    schema["$ref"].rsplit("/", 1)[1], SCALARS[schema["$ref"].rsplit("/", 1)[1]]
                )
            return schema
        raise SystemExit(f"no rule for the SDK type {annotation!r}")

    def message(self, model: Any, family: str) -> str:
        """Add `family.sdk.<Type>` with every field of the SDK model; return its key."""
        key = f"{family}.sdk.{model.__name__}"
        if key not in self.defs:
            self.defs[key] = {}
            properties = {
                (info.alias or camel(name)): (name, self.annotation(info.annotation, family))
                for name, info in model.model_fields.items()
            }
            self.defs[key] = message_schema(
                f"{model.__name__} ({SDK_PACKAGE} {SDK_VERSION})",
                with_aliases(properties),
                is_strict=family == "request",
            )
        return key


def camel(name: str) -> str:
    """Turn a snake_case SDK field name into its lowerCamel JSON name."""
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def add_sdk_fields(
    api: str, title: str, properties: dict[str, tuple[str, dict[str, Any]]], sdk: SdkTypes, family: str
) -> None:
    """Add the SDK_ADDITIONS of message `title` to `properties`, refusing a field already defined."""
    for json_name, addition in SDK_ADDITIONS[api].get(title, {}).items():
        if json_name in properties:
            raise SystemExit(f"{api} {title}.{json_name} is now defined; remove it from SDK_ADDITIONS")
        properties[json_name] = (snake(json_name), sdk.field(addition.sdk, family))


class ProtoConverter:
    """Turn protobuf message descriptors into JSON Schema `$defs`, following the proto3 JSON mapping."""

    def __init__(self, package: str, pool: Any, overlay: Overlay) -> None:
        from google.protobuf.descriptor import FieldDescriptor  # type: ignore[import-untyped]

        self.package = package + "."
        self.defs: dict[str, Any] = {}
        self.fd = FieldDescriptor
        self.pool = pool
        self.overlay = overlay
        self.overlaid: set[str] = set()
        self.sdk = SdkTypes(self.defs)
        self.sdk_added: set[str] = set()
        self.scalars: dict[int, dict[str, Any]] = {
            FieldDescriptor.TYPE_DOUBLE: ref("float"),
            FieldDescriptor.TYPE_FLOAT: ref("float"),
            FieldDescriptor.TYPE_INT64: ref("int64"),
            FieldDescriptor.TYPE_SINT64: ref("int64"),
            FieldDescriptor.TYPE_SFIXED64: ref("int64"),
            FieldDescriptor.TYPE_UINT64: ref("uint64"),
            FieldDescriptor.TYPE_FIXED64: ref("uint64"),
            FieldDescriptor.TYPE_INT32: ref("int32"),
            FieldDescriptor.TYPE_SINT32: ref("int32"),
            FieldDescriptor.TYPE_SFIXED32: ref("int32"),
            FieldDescriptor.TYPE_UINT32: ref("uint32"),
            FieldDescriptor.TYPE_FIXED32: ref("uint32"),
            FieldDescriptor.TYPE_BOOL: BOOLEAN,
            FieldDescriptor.TYPE_STRING: STRING,
            FieldDescriptor.TYPE_BYTES: ref("bytes"),
        }

    def short(self, full_name: str) -> str:
        """Name a message or enum relative to the API package; others keep their full name."""
        return full_name.removeprefix(self.package)

    def message(self, descriptor: Any, family: str) -> str:
        """Add `family.<message>` (and all it reaches) to `defs`; return its `$defs` key."""
        key = f"{family}.{self.short(descriptor.full_name)}"
        if key in self.defs:
            return key
        self.defs[key] = {}  # reserve first: messages refer to themselves (Schema.items)
        properties: dict[str, tuple[str, dict[str, Any]]] = {}
        for fld in descriptor.fields:
            # proto-plus appends '_' to names that clash with Python (`type_`); the wire name has none.
            proto_name = fld.name.removesuffix("_")
            properties[fld.json_name] = (proto_name, self.field(fld, family))
        title = self.short(descriptor.full_name)
        for json_name, spec in self.overlay.fields.get(title, {}).items():
            if json_name in properties:
                raise SystemExit(
                    f"{title}.{json_name} is now defined by {GEMINI_PACKAGE}; remove it from GEMINI_OVERLAY"
                )
            properties[json_name] = (snake(json_name), self.overlay_field(spec, family))
        self.overlaid.add(title)
        if self.overlay.versions:  # the lagging v1 and v1alpha are judged by v1beta (replay/_schemas.py)
            add_sdk_fields("gemini", title, properties, self.sdk, family)
            self.sdk_added.add(title)
        self.defs[key] = message_schema(title, with_aliases(properties), is_strict=family == "request")
        return key

    def overlay_message(self, name: str, family: str) -> str:
        """Add `family.<name>`, a message of the overlay or of the package, to `defs`; return its key."""
        fields = self.overlay.messages.get(name)
        if fields is None:
            full = name if name.startswith("google.") else self.package + name
            return self.message(self.pool.FindMessageTypeByName(full), family)
        key = f"{family}.{name}"
        if key not in self.defs:
            self.defs[key] = {}
            properties = {j: (snake(j), self.overlay_field(spec, family)) for j, spec in fields.items()}
            if self.overlay.versions:
                add_sdk_fields("gemini", name, properties, self.sdk, family)
                self.sdk_added.add(name)
            self.defs[key] = message_schema(name, with_aliases(properties), is_strict=family == "request")
        return key

    def overlay_field(self, spec: str, family: str) -> dict[str, Any]:
        """Return the schema of an overlay field: `[T]` repeated, `enum:E`, a scalar or a message."""
        if spec.startswith("[") and spec.endswith("]"):
            return {"type": ["array", "null"], "items": self.overlay_field(spec[1:-1], family)}
        if spec.startswith("enum:"):
            name = spec.removeprefix("enum:")
            key = "enum." + name
            self.defs.setdefault(key, enum_schema(name, self.overlay.enums[name]))
            return ref(key)
        if spec in ("string", "bool"):
            return STRING if spec == "string" else BOOLEAN
        if spec in SCALARS:
            self.scalar(spec)
            return ref(spec)
        return ref(self.overlay_message(spec, family))

    def field(self, fld: Any, family: str) -> dict[str, Any]:
        """Return the schema of one field: map, repeated or single."""
        message = fld.message_type
        if message is not None and message.GetOptions().map_entry:
            values = self.single(message.fields_by_name["value"], family)
            return {"type": ["object", "null"], "additionalProperties": values}
        single = self.single(fld, family)
        return {"type": ["array", "null"], "items": single} if fld.is_repeated else single

    def single(self, fld: Any, family: str) -> dict[str, Any]:
        """Return the schema of one value of a field."""
        if fld.type == self.fd.TYPE_MESSAGE:
            name = fld.message_type.full_name
            if name in WELL_KNOWN:
                self.scalar(WELL_KNOWN[name])
                return ref(WELL_KNOWN[name])
            if name in INLINE_WRAPPERS:
                return INLINE_WRAPPERS[name]
            return ref(self.message(fld.message_type, family))
        if fld.type == self.fd.TYPE_ENUM:
            return ref(self.enum(fld.enum_type))
        schema = self.scalars[fld.type]
        if "$ref" in schema:
            self.scalar(schema["$ref"].rsplit("/", 1)[1])
        return schema

    def enum(self, descriptor: Any) -> str:
        """Add `enum.<name>` to `defs`; return its key."""
        key = "enum." + self.short(descriptor.full_name)
        if key not in self.defs:
            self.defs[key] = enum_schema(
                self.short(descriptor.full_name), (v.name for v in descriptor.values)
            )
        return key

    def scalar(self, name: str) -> None:
        """Add one of the shared scalar rules to `defs`."""
        self.defs.setdefault(name, SCALARS[name])


def descriptor_of(cls: Any) -> Any:
    """Return the protobuf descriptor of a proto-plus class or of a plain protobuf class."""
    return cls.pb().DESCRIPTOR if hasattr(cls, "pb") else cls.DESCRIPTOR


def to_snake(name: str) -> str:
    """Turn an RPC name (`StreamGenerateContent`) into the transport attribute (`stream_generate_content`)."""
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def parse_template(template: str) -> tuple[list[str], str | None]:
    """Split an HttpRule template into flat segments (literals, '*', '**') and its custom verb."""
    match = re.fullmatch(r"(.*?)(?::([A-Za-z]+))?", template)
    assert match is not None
    path, verb = match.group(1), match.group(2)
    path = re.sub(r"\{[^}=]+=([^}]*)\}", r"\1", path)
    path = re.sub(r"\{[^}]+\}", "*", path)
    return [s for s in path.split("/") if s], verb


def template_regex(segments: list[str], verb: str | None, prefix: str = "") -> str:
    """Turn flat segments into an anchored regex over the URL path."""
    parts = [SEGMENT if s == "*" else "[^:]+" if s == "**" else re.escape(s) for s in segments]
    return "^" + prefix + "/" + "/".join(parts) + (":" + re.escape(verb) if verb else "") + "$"


def gemini_method_id(segments: list[str], verb: str | None, http_method: str) -> str:
    """Name a Gemini method the way Google's discovery documents do (`models.generateContent`)."""
    literals = [s for s in segments[1:] if s not in ("*", "**")]
    if verb:
        action = verb
    elif http_method == "GET":
        action = "get" if segments[-1] in ("*", "**") else "list"
    else:
        action = {"POST": "create", "PATCH": "patch", "DELETE": "delete", "PUT": "update"}[http_method]
    return ".".join([*literals, action])


def build_gemini(version: str) -> dict[str, Any]:
    """Build the schema file of one Gemini API version from the protobuf definitions."""
    package = f"google.ai.generativelanguage_{version}"
    first = importlib.import_module(package)
    file = descriptor_of(first.GenerateContentRequest).file
    proto_package = file.package
    overlay = GEMINI_OVERLAY if version in GEMINI_OVERLAY.versions else Overlay({}, {}, {}, {}, ())
    converter = ProtoConverter(proto_package, file.pool, overlay)
    methods: dict[str, Method] = {}
    for service in GEMINI_SERVICES:
        try:
            rest = importlib.import_module(f"{package}.services.{service}.transports.rest")
            base = importlib.import_module(f"{package}.services.{service}.transports.base")
        except ModuleNotFoundError:
            continue  # this version does not offer the service
        (rest_transport,) = (c for n, c in vars(rest).items() if n.endswith("RestTransport") and n[0] != "_")
        (base_transport,) = (c for n, c in vars(base).items() if n.endswith("Transport") and n[0] != "_")
        service_name = rest_transport.__name__.removesuffix("RestTransport")
        for attr, stub in sorted(vars(rest_transport).items()):
            if not (isinstance(stub, type) and hasattr(stub, "_get_http_options")):
                continue
            rpc = attr.lstrip("_")
            if rpc in GEMINI_SKIPPED_RPCS:
                continue
            request_cls, response_cls = rpc_types(base_transport, rpc)
            is_streaming = "ResponseIterator" in str(typing.get_type_hints(stub.__call__).get("return"))
            # Every service repeats the google.longrunning.Operations mixin; it is one service.
            is_mixin = descriptor_of(request_cls).full_name.startswith("google.longrunning.")
            rpc_name = (
                f"google.longrunning.Operations.{rpc}"
                if is_mixin
                else f"{proto_package}.{service_name}.{rpc}"
            )
            for option in stub._get_http_options():
                add_gemini_binding(
                    methods, converter, option, request_cls, response_cls, is_streaming, rpc_name
                )
    add_overlay_methods(methods, converter, version)
    unused = set(overlay.fields) - converter.overlaid
    if unused:
        raise SystemExit(f"GEMINI_OVERLAY names messages that {package} does not reach: {sorted(unused)}")
    if overlay.versions and set(SDK_ADDITIONS["gemini"]) - converter.sdk_added:
        missing = sorted(set(SDK_ADDITIONS["gemini"]) - converter.sdk_added)
        raise SystemExit(f"SDK_ADDITIONS names messages that {package} does not reach: {missing}")
    source = {
        "package": GEMINI_PACKAGE,
        "version": importlib.metadata.version(GEMINI_PACKAGE),
        "definitions": package,
        "overlay": "GEMINI_OVERLAY in tools/gen_schemas.py" if overlay.versions else "none",
        "sdkAdditions": f"SDK_ADDITIONS in tools/gen_schemas.py, from {SDK_PACKAGE} {SDK_VERSION}"
        if overlay.versions
        else "none",
    }
    return document("gemini", version, source, methods, converter.defs)


def add_overlay_methods(methods: dict[str, Method], converter: ProtoConverter, version: str) -> None:
    """Add the methods of the converter's overlay, refusing one the package now defines."""
    for method_id, (http_method, template, request, response) in converter.overlay.methods.items():
        if method_id in methods:
            raise SystemExit(f"{method_id} is now defined by {GEMINI_PACKAGE}; remove it from GEMINI_OVERLAY")
        template = f"/{version}/{template}"
        segments, verb = parse_template(template)
        methods[method_id] = Method(
            http_method,
            [template],
            converter.overlay_message(request, "request"),
            converter.overlay_message(response, "response"),
            patterns=[template_regex(segments, verb)],
            is_overlay=True,
        )


def rpc_types(base_transport: type, rpc: str) -> tuple[Any, Any]:
    """Read an RPC's request and response classes from the base transport's type hints."""
    prop = getattr(base_transport, to_snake(rpc))
    hint = typing.get_type_hints(prop.fget)["return"]
    (request_cls,), result = typing.get_args(hint)
    response_cls = typing.get_args(result)[0] if typing.get_args(result) else result
    return request_cls, (None if response_cls is type(None) else response_cls)


def add_gemini_binding(
    methods: dict[str, Method],
    converter: ProtoConverter,
    option: dict[str, str],
    request_cls: Any,
    response_cls: Any,
    is_streaming: bool,
    rpc: str,
) -> None:
    """Add one HTTP binding of an RPC as a method."""
    http_method = option["method"].upper()
    segments, verb = parse_template(option["uri"])
    method_id = gemini_method_id(segments, verb, http_method)
    request = None
    body = option.get("body")
    if body:
        descriptor = descriptor_of(request_cls)
        if body != "*":
            fields = descriptor.fields_by_name
            descriptor = (fields.get(body) or fields[body + "_"]).message_type
        request = converter.message(descriptor, "request")
    if response_cls is None:
        from google.protobuf import empty_pb2  # type: ignore[import-untyped]

        response_cls = empty_pb2.Empty
    response = converter.message(descriptor_of(response_cls), "response")
    patterns = [template_regex(segments, verb)]
    templates = [option["uri"]]
    media = {"files.create": "/upload", "files.download": "/download"}.get(method_id)
    if media:
        # Google's front end also serves media methods under /upload/ (the resumable protocol's start
        # request, wire-protocol.md section 6) and /download/ (what files.download redirects to, seen in
        # corpus/real); the HTTP annotations do not say so.
        patterns.append(template_regex(segments, verb, prefix=media))
        templates.append(media + option["uri"])
    method = Method(http_method, templates, request, response, is_streaming, rpc, patterns)
    existing = methods.get(method_id)
    if existing is not None:
        if existing.render() != method.render():
            raise SystemExit(f"{method_id} is bound twice with different definitions")
        return
    methods[method_id] = method


# --- Vertex: discovery documents ------------------------------------------------------------------


# Discovery (type, format) pairs that follow a shared scalar rule.
DISCOVERY_SCALARS: dict[tuple[str | None, str | None], str] = {
    ("string", "int64"): "int64",
    ("string", "uint64"): "uint64",
    ("string", "byte"): "bytes",
    ("string", "google-duration"): "duration",
    ("string", "google-datetime"): "timestamp",
    ("string", "google-fieldmask"): "fieldMask",
    ("integer", "int32"): "int32",
    ("integer", "uint32"): "uint32",
    ("number", "float"): "float",
    ("number", "double"): "float",
    ("any", None): "value",
}


class DiscoveryConverter:
    """Turn discovery-document schemas into JSON Schema `$defs`."""

    def __init__(self, schemas: dict[str, Any], prefix: str) -> None:
        self.schemas = schemas
        self.prefix = prefix
        self.defs: dict[str, Any] = {}
        self.short_names: dict[str, str] = {}
        self.sdk = SdkTypes(self.defs)
        self.sdk_added: set[str] = set()

    def short(self, name: str) -> str:
        """Drop the API-wide prefix (`GoogleCloudAiplatformV1beta1`) from a schema id, refusing clashes."""
        short = name.removeprefix(self.prefix) or name
        if self.short_names.setdefault(short, name) != name:
            raise SystemExit(f"schemas {name!r} and {self.short_names[short]!r} shorten to the same name")
        return short

    def message(self, name: str, family: str) -> str:
        """Add `family.<schema>` (and all it reaches) to `defs`; return its key."""
        key = f"{family}.{self.short(name)}"
        if key in self.defs:
            return key
        self.defs[key] = {}
        schema = self.schemas[name]
        properties = {
            prop: (snake(prop), self.property(value, family, f"{self.short(name)}.{prop}"))
            for prop, value in schema.get("properties", {}).items()
        }
        add_sdk_fields("vertex", self.short(name), properties, self.sdk, family)
        self.sdk_added.add(self.short(name))
        self.defs[key] = message_schema(
            self.short(name), with_aliases(properties), is_strict=family == "request"
        )
        return key

    def property(self, prop: dict[str, Any], family: str, title: str) -> dict[str, Any]:
        """Return the schema of one property (or of an array's items, or a map's values)."""
        if "$ref" in prop:
            return ref(self.message(prop["$ref"], family))
        kind, fmt = prop.get("type"), prop.get("format")
        if "enum" in prop:
            return enum_schema(title, prop["enum"])
        if kind == "array":
            return {"type": ["array", "null"], "items": self.property(prop["items"], family, title)}
        if kind == "object":
            values = prop.get("additionalProperties")
            if values is None or values.get("type") == "any":
                return {"type": ["object", "null"]}
            return {"type": ["object", "null"], "additionalProperties": self.property(values, family, title)}
        scalar = DISCOVERY_SCALARS.get((kind, fmt))
        if scalar is not None:
            self.defs.setdefault(scalar, SCALARS[scalar])
            return ref(scalar)
        if (kind, fmt) == ("string", None):
            return STRING
        if (kind, fmt) == ("boolean", None):
            return BOOLEAN
        raise SystemExit(f"{title}: no rule for type {kind!r} with format {fmt!r}")


def discovery_methods(resources: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """Yield every method of a discovery document, depth first."""
    for resource in resources.values():
        yield from resource.get("methods", {}).values()
        yield from discovery_methods(resource.get("resources", {}))


def build_vertex(version: str) -> dict[str, Any]:
    """Build the schema file of one Vertex AI version from the aiplatform discovery document."""
    import googleapiclient  # type: ignore[import-untyped]

    path = (
        Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / f"aiplatform.{version}.json"
    )
    discovery = json.loads(path.read_text(encoding="utf-8"))
    converter = DiscoveryConverter(discovery["schemas"], "GoogleCloudAiplatform" + version.capitalize())
    methods: dict[str, Method] = {}
    for item in discovery_methods(discovery["resources"]):
        method_id = item["id"].removeprefix("aiplatform.")
        if not VERTEX_METHODS.fullmatch(method_id):
            continue
        template = "/" + item.get("flatPath", item["path"])
        segments, verb = parse_template(re.sub(r"\{[^}]+\}", "*", template))
        request = item.get("request", {}).get("$ref")
        response = item.get("response", {}).get("$ref", "GoogleProtobufEmpty")
        methods[method_id] = Method(
            http_method=item["httpMethod"],
            templates=[template],
            request=converter.message(request, "request") if request else None,
            response=converter.message(response, "response"),
            is_streaming=method_id.endswith(".streamGenerateContent"),
            patterns=[template_regex(segments, verb)],
        )
    source = {
        "package": VERTEX_PACKAGE,
        "version": importlib.metadata.version(VERTEX_PACKAGE),
        "definitions": f"googleapiclient/discovery_cache/documents/aiplatform.{version}.json",
        "revision": discovery["revision"],
        "sdkAdditions": f"SDK_ADDITIONS in tools/gen_schemas.py, from {SDK_PACKAGE} {SDK_VERSION}",
    }
    return document("vertex", version, source, methods, converter.defs)


# --- entry point ----------------------------------------------------------------------------------


def generate() -> dict[str, str]:
    """Build every schema file in memory; return file name to content."""
    builders: list[tuple[str, Callable[[str], dict[str, Any]], str]] = [
        *((f"gemini-{v}.json", build_gemini, v) for v in GEMINI_VERSIONS),
        *((f"vertex-{v}.json", build_vertex, v) for v in VERTEX_VERSIONS),
    ]
    with warnings.catch_warnings():
        # Importing Google's generated clients may warn about their own dependencies; not ours to fix.
        warnings.simplefilter("ignore")
        return {name: render(build(version)) for name, build, version in builders}


def stale_files(generated: dict[str, str], out_dir: Path = OUT_DIR) -> list[str]:
    """List the files in `out_dir` that differ from `generated`, are missing, or are left over."""
    on_disk = {p.name for p in out_dir.glob("*.json")} if out_dir.is_dir() else set()
    stale = [
        name
        for name, text in generated.items()
        if name not in on_disk or (out_dir / name).read_text(encoding="utf-8") != text
    ]
    return sorted(stale + sorted(on_disk - set(generated)))


def main(argv: list[str] | None = None) -> int:
    """Write or check replay/schemas; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed files are stale")
    args = parser.parse_args(argv)
    generated = generate()
    if args.check:
        stale = stale_files(generated)
        for name in stale:
            print(f"stale: replay/schemas/{name}")
        if stale:
            print("regenerate with: python tools/gen_schemas.py")
            return 1
        print(f"replay/schemas is up to date ({len(generated)} files)")
        return 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for leftover in sorted({p.name for p in OUT_DIR.glob("*.json")} - set(generated)):
        (OUT_DIR / leftover).unlink()
    for name, text in sorted(generated.items()):
        (OUT_DIR / name).write_text(text, encoding="utf-8")
        operations = len(json.loads(text)["operations"])
        print(f"replay/schemas/{name}: {len(text.encode()):>9,} bytes, {operations} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
