"""The schemas are fresh and stamped, accept every request the official SDK sends, and explain faults plainly."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from replay._schemas import Operation, Violation, check_request, check_response, find_operation

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "replay" / "schemas"
CAPTURES = ROOT.parent / "shared" / "reference" / "sdk-captures"
SOURCES = {"gemini": "google-ai-generativelanguage", "vertex": "google-api-python-client"}
GEMINI = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent"
VERTEX = "https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash-001"


def load_generator() -> ModuleType:
    """Import tools/gen_schemas.py (tools/ is no package), or skip when its sources are not installed."""
    for name in ("google.ai.generativelanguage_v1beta", "googleapiclient"):
        try:
            is_installed = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:  # a parent package is missing
            is_installed = False
        if not is_installed:
            pytest.skip(f"{name} is not installed; install the dev extra (pip install -e '.[dev]')")
    spec = importlib.util.spec_from_file_location("gen_schemas", ROOT / "tools" / "gen_schemas.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_committed_schemas_are_not_stale() -> None:
    generator = load_generator()
    stale = generator.stale_files(generator.generate(), SCHEMAS)
    assert stale == [], f"stale schema files {stale}; regenerate with: python tools/gen_schemas.py"


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.json")), ids=lambda p: p.name)
def test_schema_file_is_stamped_with_its_source(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    package = SOURCES[document["api"]]
    try:
        installed = importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{package} is not installed; install the dev extra to compare the stamp")
    assert document["source"]["package"] == package
    assert document["source"]["version"] == installed
    assert document["generator"]["format"] == "genai-replay-schemas/1"
    assert path.name == f"{document['api']}-{document['version']}.json"


# --- the official SDK's captured requests -----------------------------------------------------------


def is_upload_chunk(capture: dict[str, Any]) -> bool:
    """A resumable-upload chunk: raw file bytes sent to the session URL the start request returned."""
    return "upload_id=" in capture["query"]


# Captured requests that call no API method, and why. There is no OAuth token request in the
# captures (the Vertex client was given ready credentials), so upload chunks are the only kind.
NOT_API_CALLS = {"upload chunk (raw bytes to the upload session, no JSON body)": is_upload_chunk}


def captured_requests() -> list[Any]:
    if not CAPTURES.is_dir():
        reason = f"{CAPTURES} is absent: the SDK captures live in the shared folder beside the repository"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-captures")]
    params = []
    for backend in ("gemini", "vertex"):
        for line in (CAPTURES / f"{backend}.jsonl").read_text(encoding="utf-8").splitlines():
            capture = json.loads(line)
            params.append(pytest.param(capture, id=f"{backend}-{capture['example']}-{capture['seq']}"))
    return params


@pytest.mark.parametrize("capture", captured_requests())
def test_sdk_request_finds_its_operation_and_validates(capture: dict[str, Any]) -> None:
    url = capture["path"] + (f"?{capture['query']}" if capture["query"] else "")
    operation = find_operation(capture["method"], url)
    if any(rule(capture) for rule in NOT_API_CALLS.values()):
        assert operation is None
        assert capture["body_kind"] == "bytes"
        return
    assert operation is not None, f"no operation for {capture['method']} {url}"
    assert operation.api == ("vertex" if capture["path"].startswith("/v1beta1/") else "gemini")
    body = capture["body"] if capture["body_kind"] == "json" else None
    assert check_request(capture["method"], url, body) == []


# --- find_operation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "expected"),
    [
        ("POST", GEMINI, ("gemini", "v1beta", "models.generateContent", False)),
        (
            "POST",
            "http://127.0.0.1:8123/v1beta/models/gemini-2.0-flash-001:streamGenerateContent?alt=sse",
            ("gemini", "v1beta", "models.streamGenerateContent", True),
        ),
        ("POST", "/v1/models/gemini-2.5-flash:countTokens", ("gemini", "v1", "models.countTokens", False)),
        (
            "POST",
            "/v1alpha/tunedModels/t1:generateContent",
            ("gemini", "v1alpha", "tunedModels.generateContent", False),
        ),
        ("POST", "/upload/v1beta/files", ("gemini", "v1beta", "files.create", False)),
        ("GET", "/v1beta/files/abc", ("gemini", "v1beta", "files.get", False)),
        ("DELETE", "/v1beta/files/abc", ("gemini", "v1beta", "files.delete", False)),
        ("GET", "/v1beta/files/abc:download?alt=media", ("gemini", "v1beta", "files.download", False)),
        ("GET", "/v1beta/models?pageSize=10", ("gemini", "v1beta", "models.list", False)),
        ("PATCH", "/v1beta/cachedContents/c1", ("gemini", "v1beta", "cachedContents.patch", False)),
        ("GET", "/v1beta/batches/b1", ("gemini", "v1beta", "batches.get", False)),
        (
            "GET",
            "/v1beta/models/veo-3.0-generate-001/operations/op1",
            ("gemini", "v1beta", "models.operations.get", False),
        ),
        (
            "POST",
            VERTEX + ":streamGenerateContent?alt=sse",
            ("vertex", "v1beta1", "projects.locations.publishers.models.streamGenerateContent", True),
        ),
        (
            "POST",
            "https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/m:generateContent",
            ("vertex", "v1", "projects.locations.publishers.models.generateContent", False),
        ),
        (
            "POST",
            "https://aiplatform.googleapis.com/v1beta1/publishers/google/models/m:generateContent",
            ("vertex", "v1beta1", "publishers.models.generateContent", False),
        ),
        (
            "GET",
            "/v1beta1/publishers/google/models?pageSize=10",
            ("vertex", "v1beta1", "publishers.models.list", False),
        ),
        (
            "GET",
            "/v1beta1/projects/123/locations/us-central1/models/456@1",
            ("vertex", "v1beta1", "projects.locations.models.get", False),
        ),
        (
            "POST",
            "/v1beta1/projects/123/locations/us-central1/endpoints/789:generateContent",
            ("vertex", "v1beta1", "projects.locations.endpoints.generateContent", False),
        ),
        (
            "POST",
            "/v1beta1/projects/p/locations/l/publishers/google/models/veo-2.0-generate-001:fetchPredictOperation",
            ("vertex", "v1beta1", "projects.locations.publishers.models.fetchPredictOperation", False),
        ),
        (
            "GET",
            "/v1beta1/projects/p/locations/l/tuningJobs/42",
            ("vertex", "v1beta1", "projects.locations.tuningJobs.get", False),
        ),
        (
            "DELETE",
            "/v1beta1/projects/p/locations/l/batchPredictionJobs/42",
            ("vertex", "v1beta1", "projects.locations.batchPredictionJobs.delete", False),
        ),
        (
            "GET",
            "/v1beta1/projects/p/locations/l/operations/7",
            ("vertex", "v1beta1", "projects.locations.operations.get", False),
        ),
    ],
)
def test_find_operation_names_the_method(method: str, url: str, expected: tuple[str, str, str, bool]) -> None:
    operation = find_operation(method, url)
    assert operation is not None
    assert (operation.api, operation.version, operation.method_id, operation.is_streaming) == expected
    assert operation.http_method == method


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/v1beta/nothingHere"),
        ("POST", "/v2/models/m:generateContent"),
        ("GET", GEMINI),  # wrong HTTP method
        ("POST", "https://oauth2.googleapis.com/token"),
        ("POST", "/upload/v1beta/files?upload_id=ABC&upload_protocol=resumable"),
        ("GET", "/"),
    ],
)
def test_unknown_request_has_no_operation_and_no_violations(method: str, url: str) -> None:
    assert find_operation(method, url) is None
    assert check_request(method, url, {"anything": 1}) == []
    assert check_response(method, url, {"anything": 1}) == []


def test_operation_shows_the_template_it_matched() -> None:
    operation = find_operation("POST", "https://generativelanguage.googleapis.com/upload/v1beta/files")
    assert operation == Operation("gemini", "v1beta", "files.create", "POST", "/upload/v1beta/files", False)


# --- request checks ------------------------------------------------------------------------------------


def request(**fields: Any) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": "hi"}]}], **fields}


def test_unknown_field_is_named_with_its_path() -> None:
    body = {"contents": [{"parts": [{"text": "hi", "fooBar": 1}]}]}
    assert check_request("POST", GEMINI, body) == [
        Violation("contents[0].parts[0].fooBar", "unknown field 'fooBar'"),
    ]


def test_misspelt_field_gets_a_suggestion() -> None:
    body = {"contents": [{"parts": [{"inlineData": {"mimeTyp": "image/png", "data": "AA=="}}]}]}
    assert check_request("POST", GEMINI, body) == [
        Violation(
            "contents[0].parts[0].inlineData.mimeTyp", "unknown field 'mimeTyp' (did you mean 'mimeType'?)"
        ),
    ]


def test_wrong_types_say_expected_and_got() -> None:
    body = {
        "contents": [{"parts": [{"text": 5}]}],
        "generationConfig": {"candidateCount": True, "topP": "high"},
    }
    assert check_request("POST", GEMINI, body) == [
        Violation("contents[0].parts[0].text", "expected a string, got integer 5"),
        Violation(
            "generationConfig.candidateCount",
            "expected int32 (an integer or a decimal string), got boolean true",
        ),
        Violation(
            "generationConfig.topP",
            "expected a number (or 'NaN', 'Infinity', '-Infinity'), got string 'high'",
        ),
    ]


def test_wrong_type_for_a_message_names_the_message() -> None:
    assert check_request("POST", GEMINI, request(systemInstruction="be brief")) == [
        Violation("systemInstruction", "expected an object (Content), got string 'be brief'"),
    ]


def test_bad_enum_lists_the_allowed_names_shortened() -> None:
    body = request(safetySettings=[{"category": "HARM_CATEGORY_NOPE", "threshold": "BLOCK_NONE"}])
    (violation,) = check_request("POST", GEMINI, body)
    assert violation.path == "safetySettings[0].category"
    assert violation.message.startswith(
        "'HARM_CATEGORY_NOPE' is not an allowed value; expected one of 'HARM_CATEGORY_UNSPECIFIED', "
    )
    assert violation.message.endswith("more)")
    assert "harm_category_unspecified" not in violation.message


def test_enums_accept_numbers_and_lower_case_names() -> None:
    # Real traffic answered 200: `"type": "object"` in a Schema, and integer enums from older clients.
    body = request(
        safetySettings=[{"category": 7, "threshold": "block_none"}],
        generationConfig={"responseSchema": {"type": "object", "properties": {"n": {"type": "INTEGER"}}}},
    )
    assert check_request("POST", GEMINI, body) == []


def test_snake_case_keys_are_accepted() -> None:
    body = {
        "contents": [{"parts": [{"inline_data": {"mime_type": "image/png", "data": "AA=="}}]}],
        "generation_config": {"thinking_config": {"thinking_budget": 0}, "response_mime_type": "text/plain"},
    }
    assert check_request("POST", GEMINI, body) == []
    vertex_body = {
        "contents": [{"parts": [{"file_data": {"file_uri": "gs://b/o.pdf", "mime_type": "application/pdf"}}]}]
    }
    assert check_request("POST", VERTEX + ":generateContent", vertex_body) == []


@pytest.mark.parametrize("size", [4400, "4400", "9007199254740993"])
def test_int64_is_accepted_as_integer_or_string(size: int | str) -> None:
    body = {"file": {"mime_type": "text/plain", "size_bytes": size}}
    assert check_request("POST", "/upload/v1beta/files", body) == []


def test_int64_rejects_a_non_numeric_string() -> None:
    assert check_request("POST", "/upload/v1beta/files", {"file": {"sizeBytes": "12kB"}}) == [
        Violation("file.sizeBytes", "expected int64 (an integer or a decimal string), got string '12kB'"),
    ]


@pytest.mark.parametrize("data", ["-_-__gA=", "-_-__gA", "+/+//gA=", "iVBORw0KGgo="])
def test_bytes_accept_both_base64_alphabets_padded_or_not(data: str) -> None:
    body = {"contents": [{"parts": [{"inlineData": {"mimeType": "image/png", "data": data}}]}]}
    assert check_request("POST", GEMINI, body) == []


def test_bytes_reject_what_is_not_base64() -> None:
    body = {"contents": [{"parts": [{"inlineData": {"mimeType": "image/png", "data": "not base64!"}}]}]}
    assert check_request("POST", GEMINI, body) == [
        Violation(
            "contents[0].parts[0].inlineData.data",
            "expected base64 bytes (standard or URL-safe alphabet), got string 'not base64!'",
        ),
    ]


def test_well_known_types_follow_their_json_forms() -> None:
    url = "/v1beta/cachedContents"
    body = {"model": "models/m", "ttl": "300s", "expireTime": "2030-01-01T00:00:00Z"}
    assert check_request("POST", url, body) == []
    assert check_request("POST", url, {"ttl": "300"}) == [
        Violation("ttl", "expected a duration in seconds such as '3.5s', got string '300'"),
    ]
    declaration = {"name": "f", "parametersJsonSchema": {"type": "object", "anything": ["goes"]}}
    assert check_request("POST", GEMINI, request(tools=[{"functionDeclarations": [declaration]}])) == []


def test_null_fields_are_accepted() -> None:
    # proto3 JSON reads null as the default; a real `description: null` was answered 200.
    body = request(tools=[{"functionDeclarations": [{"name": "f", "description": None}]}])
    assert check_request("POST", GEMINI, body) == []


def test_vertex_requests_are_strict_too() -> None:
    body = {"instances": [{"prompt": "a cat"}], "parameters": {"sampleCount": 1}, "sampleCount": 1}
    assert check_request("POST", VERTEX.replace("gemini-2.0-flash-001", "imagen-3.0") + ":predict", body) == [
        Violation("sampleCount", "unknown field 'sampleCount'"),
    ]


def test_body_for_a_bodiless_method_is_a_violation() -> None:
    assert check_request("GET", "/v1beta/files/abc", None) == []
    assert check_request("GET", "/v1beta/files/abc", {}) == []
    assert check_request("GET", "/v1beta/files/abc", {"name": "files/abc"}) == [
        Violation("", "files.get takes no request body, got an object"),
    ]


def test_violations_are_sorted_and_unique() -> None:
    body = {"zeta": 1, "alpha": 2, "contents": [{"parts": [{"text": 1}, {"text": 2}]}]}
    violations = check_request("POST", GEMINI, body)
    assert violations == sorted(set(violations))
    assert [v.path for v in violations] == [
        "alpha",
        "contents[0].parts[0].text",
        "contents[0].parts[1].text",
        "zeta",
    ]


def test_violation_is_frozen() -> None:
    violation = Violation("a", "b")
    with pytest.raises(dataclasses.FrozenInstanceError):
        violation.path = "c"  # type: ignore[misc]


# --- response checks -----------------------------------------------------------------------------------


def test_response_allows_unknown_fields_but_checks_known_ones() -> None:
    body = {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": "hi"}]}, "finishReason": "STOP", "newField": {}}
        ],
        "usageMetadata": {"promptTokenCount": 3, "trafficType": "ON_DEMAND"},
        "modelVersion": "gemini-2.0-flash-001",
        "somethingNew": True,
    }
    assert check_response("POST", GEMINI, body) == []
    assert check_response("POST", GEMINI, {"candidates": [{"index": "first"}]}) == [
        Violation(
            "candidates[0].index", "expected int32 (an integer or a decimal string), got string 'first'"
        ),
    ]


def test_streaming_response_may_be_the_list_of_chunks() -> None:
    chunks = [{"candidates": [{"index": 0}]}, {"candidates": "oops"}]
    assert check_response("POST", VERTEX + ":streamGenerateContent?alt=sse", chunks) == [
        Violation("[1].candidates", "expected an array, got string 'oops'"),
    ]


def test_media_download_and_empty_responses_are_not_checked() -> None:
    assert check_response("GET", "/v1beta/files/abc:download?alt=media", b"\x00\x01") == []
    assert check_response("DELETE", "/v1beta/files/abc", None) == []
    assert check_response("DELETE", "/v1beta/files/abc", {}) == []


# --- cost ----------------------------------------------------------------------------------------------


def test_importing_the_checker_loads_neither_jsonschema_nor_a_schema_file() -> None:
    code = (
        "import sys, replay._schemas as s\n"
        "print(any(m == 'jsonschema' or m.startswith('jsonschema.') for m in sys.modules))\n"
        "print(s._schema_file.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.split() == ["False", "0"]


@pytest.mark.parametrize("version", ["v1", "v1alpha"])
def test_lagging_gemini_versions_take_the_fields_the_service_takes(version: str) -> None:
    # Google's published v1 definitions have no tools or systemInstruction; the service takes both.
    body = {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "systemInstruction": {"parts": [{"text": "Be brief."}]},
        "tools": [{"functionDeclarations": [{"name": "lookup"}]}],
        "generationConfig": {"thinkingConfig": {"thinkingBudget": 0}},
        "bogus": 1,
    }
    url = GEMINI.replace("/v1beta/", f"/{version}/")
    assert check_request("POST", url, body) == [Violation("bogus", "unknown field 'bogus'")]
