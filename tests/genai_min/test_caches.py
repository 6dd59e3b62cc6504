"""`caches` and `aio.caches` against a stub service: the exact wire requests per backend, the parsed
answers, and the README's create / get / generate-with-cache example checked against the official
SDK's captured requests."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from google.oauth2.credentials import Credentials

import genai_min
from genai_min import caches, models, types
from genai_min._caches import CreateCachedContentConfig, ListCachedContentsConfig, UpdateCachedContentConfig
from genai_min.aio import caches as aio_caches

from .conftest import Stub, make_transport, prefix, text_response

MODEL = "gemini-2.0-flash-001"
VERTEX = "/v1beta1/projects/test-project/locations/us-central1/"
GEMINI_NAME = "cachedContents/1e9odc8cm11aab2truxzl4pdxjjxtss4k3gvture"
VERTEX_NAME = "projects/56641835022/locations/us-central1/cachedContents/8527774415088254976"
CAPTURES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "sdk-captures"
PDFS = {
    "gemini": [
        "https://generativelanguage.googleapis.com/v1beta/files/97699a2532d1",
        "https://generativelanguage.googleapis.com/v1beta/files/eee8d911b99c",
    ],
    "vertex": [
        "gs://cloud-samples-data/generative-ai/pdf/2312.11805v3.pdf",
        "gs://cloud-samples-data/generative-ai/pdf/2403.05530.pdf",
    ],
}


def cache_answer(backend: str, **changes: Any) -> dict[str, Any]:
    """A cached content as the live services return it (shapes from recorded exchanges)."""
    if backend == "gemini":
        body = {
            "name": GEMINI_NAME,
            "model": f"models/{MODEL}",
            "createTime": "2026-08-19T14:34:12.817004Z",
            "updateTime": "2026-08-19T14:34:12.817004Z",
            "expireTime": "2026-08-19T15:34:11.796558493Z",
            "displayName": "test cache",
            "usageMetadata": {"totalTokenCount": 9609},
        }
    else:
        body = {
            "name": VERTEX_NAME,
            "model": f"projects/test-project/locations/us-central1/publishers/google/models/{MODEL}",
            "createTime": "2026-08-19T14:34:18.670194Z",
            "updateTime": "2026-08-19T14:34:18.670194Z",
            "expireTime": "2026-08-19T15:34:18.638115Z",
            "displayName": "test cache",
            "usageMetadata": {"totalTokenCount": 9602},
        }
    return {**body, **changes}


def readme_config(backend: str) -> CreateCachedContentConfig:
    """The README's `CreateCachedContentConfig`: two PDFs, a system instruction, a name and a ttl."""
    uris = PDFS[backend]
    return CreateCachedContentConfig(
        contents=[
            types.Content(
                role="user",
                parts=[
                    types.Part.from_uri(file_uri=uris[0], mime_type="application/pdf"),
                    types.Part.from_uri(file_uri=uris[1], mime_type="application/pdf"),
                ],
            )
        ],
        system_instruction="What is the sum of the two pdfs?",
        display_name="test cache",
        ttl="3600s",
    )


def readme_body(backend: str) -> dict[str, Any]:
    model = f"models/{MODEL}"
    if backend == "vertex":
        model = f"projects/test-project/locations/us-central1/publishers/google/models/{MODEL}"
    return {
        "model": model,
        "contents": [
            {
                "role": "user",
                "parts": [
                    {"fileData": {"fileUri": uri, "mimeType": "application/pdf"}} for uri in PDFS[backend]
                ],
            }
        ],
        "systemInstruction": {"role": "user", "parts": [{"text": "What is the sum of the two pdfs?"}]},
        "displayName": "test cache",
        "ttl": "3600s",
    }


def root(backend: str) -> str:
    return "/v1beta/" if backend == "gemini" else VERTEX


# -- the README: create, get, generate with the cache -------------------------------------------


def test_create_sends_the_readme_body(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply(cache_answer(backend))
    cache = caches.create(t, model=MODEL, config=readme_config(backend))
    seen = stub.last
    assert (seen.method, seen.path, seen.query) == ("POST", f"{root(backend)}cachedContents", [])
    assert seen.json == readme_body(backend)
    assert cache.name == (GEMINI_NAME if backend == "gemini" else VERTEX_NAME)
    assert cache.display_name == "test cache"
    assert cache.usage_metadata is not None and cache.usage_metadata.total_token_count in (9609, 9602)
    assert cache.expire_time is not None and cache.expire_time.startswith("2026-08-19T15:34")


def test_get_uses_the_returned_name(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    name = GEMINI_NAME if backend == "gemini" else VERTEX_NAME
    stub.reply(cache_answer(backend))
    cache = caches.get(t, name=name)
    seen = stub.last
    expected = f"/v1beta/{name}" if backend == "gemini" else f"/v1beta1/{name}"
    assert (seen.method, seen.path, seen.query, seen.content) == ("GET", expected, [], b"")
    assert cache.to_wire() == cache_answer(backend)


def test_get_completes_a_short_id(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply(cache_answer(backend))
    caches.get(t, name="c1")
    assert stub.last.path == f"{root(backend)}cachedContents/c1"


def test_generate_with_the_cache_end_to_end(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply(cache_answer(backend))
    stub.reply(text_response("Both papers describe Gemini."))
    cache = caches.create(t, model=MODEL, config=readme_config(backend))
    assert cache.name is not None
    response = models.generate_content(
        t,
        model=MODEL,
        contents="Summarize the pdfs",
        config=types.GenerateContentConfig(cached_content=cache.name),
    )
    assert response.text == "Both papers describe Gemini."
    seen = stub.last
    assert (seen.method, seen.path) == ("POST", f"{prefix(backend)}{MODEL}:generateContent")
    assert seen.json == {
        "contents": [{"role": "user", "parts": [{"text": "Summarize the pdfs"}]}],
        "cachedContent": cache.name,
        "generationConfig": {},
    }


def norm(value: Any) -> Any:
    """Compare keys as proto JSON does: camelCase and snake_case are the same field."""
    if isinstance(value, dict):
        return {k.replace("_", "").lower(): norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [norm(v) for v in value]
    return value


def captured(backend: str, example: str) -> list[dict[str, Any]]:
    path = CAPTURES / f"{backend}.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent: the SDK captures live in ../shared beside the repository")
    records = [json.loads(line) for line in path.read_text().splitlines()]
    return [r for r in records if r["example"] == example]


@pytest.mark.parametrize("backend", ["gemini", "vertex"])
def test_readme_example_matches_the_official_sdk(backend: str) -> None:
    # The Gemini capture starts with the two uploads of the files example; they are not ours.
    records = [r for r in captured(backend, "caches_create_get_use") if "/upload/" not in r["path"]]
    # The canned server answered with these names; the SDK then reused them verbatim.
    name = "cachedContents/49955e06336c"
    if backend == "vertex":
        name = "projects/123456789012/locations/us-central1/cachedContents/957f3eedf3ac"
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if request.url.path.endswith(":generateContent"):
            return httpx.Response(200, json=text_response())
        return httpx.Response(200, json={"name": name, "model": f"models/{MODEL}"})

    mock = httpx.MockTransport(handle)
    if backend == "gemini":
        t = genai_min.Transport(api_key="k", transport=mock)
    else:
        t = genai_min.Transport(
            vertexai=True,
            project="acceptance-project",
            location="us-central1",
            credentials=Credentials(token="t"),
            transport=mock,
        )
    cache = caches.create(t, model=MODEL, config=readme_config(backend))
    cache = caches.get(t, name=cache.name or "")
    models.generate_content(
        t, model=MODEL, contents="Summarize the pdfs", config={"cached_content": cache.name}
    )

    assert len(seen) == len(records) == 3
    for ours, theirs in zip(seen, records, strict=True):
        assert (ours.method, ours.url.path, list(ours.url.params.multi_items())) == (
            theirs["method"],
            theirs["path"],
            parse_qsl(theirs["query"]),
        )
        body = json.loads(ours.content) if ours.content else None
        assert norm(body) == norm(theirs["body"])


# -- create: config forms and backend differences ---------------------------------------------


@pytest.mark.parametrize(
    ("ttl", "wire"),
    [
        ("3600s", "3600s"),
        (3600, "3600s"),
        (90.5, "90.5s"),
        (datetime.timedelta(hours=1), "3600s"),
        (datetime.timedelta(seconds=1, microseconds=250000), "1.25s"),
        ("0.000000001s", "0.000000001s"),
    ],
)
def test_ttl_becomes_a_duration_string(stub: Stub, ttl: object, wire: str) -> None:
    t = make_transport("gemini", stub)
    stub.reply(cache_answer("gemini"))
    caches.create(t, model=MODEL, config={"contents": "a long document", "ttl": ttl})
    assert stub.last.json == {
        "model": f"models/{MODEL}",
        "contents": [{"role": "user", "parts": [{"text": "a long document"}]}],
        "ttl": wire,
    }


@pytest.mark.parametrize(
    ("expire_time", "wire"),
    [
        (datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC), "2030-01-01T00:00:00Z"),
        (
            datetime.datetime(2030, 1, 1, 2, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
            "2030-01-01T00:30:00Z",
        ),
        ("2030-01-01T00:00:00+00:00", "2030-01-01T00:00:00+00:00"),
    ],
)
def test_expire_time_becomes_rfc3339(stub: Stub, expire_time: object, wire: str) -> None:
    t = make_transport("vertex", stub)
    stub.reply(cache_answer("vertex"))
    caches.create(t, model=MODEL, config={"contents": "doc", "expire_time": expire_time})
    assert stub.last.json["expireTime"] == wire
    assert "ttl" not in stub.last.json


def test_tools_and_tool_config_go_in_the_cache(stub: Stub) -> None:
    t = make_transport("gemini", stub)
    stub.reply(cache_answer("gemini"))
    tool = types.Tool(function_declarations=[types.FunctionDeclaration(name="lookup", description="Look up")])
    caches.create(
        t,
        model=MODEL,
        config={
            "contents": "doc",
            "tools": [tool],
            "tool_config": {"function_calling_config": {"mode": "ANY"}},
        },
    )
    assert stub.last.json["tools"] == [
        {"functionDeclarations": [{"name": "lookup", "description": "Look up"}]}
    ]
    assert stub.last.json["toolConfig"] == {"functionCallingConfig": {"mode": "ANY"}}


@pytest.mark.parametrize(
    ("model", "wire"),
    [
        (MODEL, f"projects/test-project/locations/us-central1/publishers/google/models/{MODEL}"),
        (f"models/{MODEL}", f"projects/test-project/locations/us-central1/publishers/google/models/{MODEL}"),
        ("acme/m1", "projects/test-project/locations/us-central1/publishers/acme/models/m1"),
        (
            "projects/p/locations/l/publishers/google/models/x",
            "projects/p/locations/l/publishers/google/models/x",
        ),
    ],
)
def test_vertex_cache_model_is_a_full_name(stub: Stub, model: str, wire: str) -> None:
    t = make_transport("vertex", stub)
    stub.reply(cache_answer("vertex"))
    caches.create(t, model=model, config={"contents": "doc"})
    assert stub.last.json["model"] == wire


def test_vertex_express_mode_has_no_project_to_add(stub: Stub) -> None:
    mock = httpx.MockTransport(stub.handle)
    t = genai_min.Transport(vertexai=True, api_key="express-key", transport=mock)
    stub.reply(cache_answer("vertex"))
    caches.create(t, model=MODEL, config={"contents": "doc"})
    assert stub.last.path == "/v1beta1/cachedContents"
    assert stub.last.json["model"] == f"publishers/google/models/{MODEL}"


def test_kms_key_name_is_vertex_only(stub: Stub) -> None:
    key = "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k"
    with pytest.raises(genai_min.UnsupportedError, match="Vertex AI"):
        caches.create(
            make_transport("gemini", stub), model=MODEL, config={"contents": "d", "kms_key_name": key}
        )
    assert stub.requests == []
    stub.reply(cache_answer("vertex"))
    caches.create(make_transport("vertex", stub), model=MODEL, config={"contents": "d", "kms_key_name": key})
    assert stub.last.json["encryptionSpec"] == {"kmsKeyName": key}


@pytest.mark.parametrize(
    ("config", "match"),
    [
        ({"contents": "d", "ttl_seconds": 5}, r"ttl_seconds.*CreateCachedContentConfig"),
        ({"contents": "d", "ttl": "1h"}, r"ttl.*'3600s'"),
        ({"contents": "d", "ttl": -1}, r"ttl must be zero or more"),
        ({"contents": "d", "expire_time": datetime.datetime(2030, 1, 1)}, r"no time zone"),
        (
            {"contents": "d", "ttl": 60, "expire_time": "2030-01-01T00:00:00Z"},
            r"either ttl .* or expire_time",
        ),
        ({"contents": []}, r"contents must not be empty"),
    ],
)
def test_bad_create_config_fails_before_the_network(stub: Stub, config: dict[str, Any], match: str) -> None:
    t = make_transport("gemini", stub)
    with pytest.raises(genai_min.ConfigError, match=match):
        caches.create(t, model=MODEL, config=config)
    assert stub.requests == []


# -- update, delete, list ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "mask", "body"),
    [
        ({"ttl": "600s"}, "ttl", {"ttl": "600s"}),
        (UpdateCachedContentConfig(ttl=datetime.timedelta(minutes=10)), "ttl", {"ttl": "600s"}),
        (
            {"expire_time": datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)},
            "expireTime",
            {"expireTime": "2030-01-01T00:00:00Z"},
        ),
    ],
)
def test_update_patches_the_expiry(
    t: genai_min.Transport, stub: Stub, backend: str, config: object, mask: str, body: dict[str, Any]
) -> None:
    name = GEMINI_NAME if backend == "gemini" else VERTEX_NAME
    stub.reply(cache_answer(backend, expireTime="2026-08-19T14:44:14.798440062Z"))
    cache = caches.update(t, name=name, config=config)
    seen = stub.last
    expected = f"/v1beta/{name}" if backend == "gemini" else f"/v1beta1/{name}"
    assert (seen.method, seen.path, seen.query, seen.json) == (
        "PATCH",
        expected,
        [("updateMask", mask)],
        body,
    )
    assert cache.expire_time == "2026-08-19T14:44:14.798440062Z"


@pytest.mark.parametrize("config", [{}, None, {"ttl": "60s", "expire_time": "2030-01-01T00:00:00Z"}])
def test_update_needs_exactly_one_expiry(stub: Stub, config: object) -> None:
    with pytest.raises(genai_min.ConfigError, match="ttl"):
        caches.update(make_transport("gemini", stub), name=GEMINI_NAME, config=config)
    assert stub.requests == []


def test_update_has_no_other_fields(stub: Stub) -> None:
    with pytest.raises(genai_min.ConfigError, match=r"display_name.*UpdateCachedContentConfig"):
        caches.update(make_transport("gemini", stub), name=GEMINI_NAME, config={"display_name": "x"})


def test_delete(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    name = GEMINI_NAME if backend == "gemini" else VERTEX_NAME
    stub.reply_raw(200, b"{}\n", {"content-type": "application/json"})
    caches.delete(t, name=name)
    seen = stub.last
    expected = f"/v1beta/{name}" if backend == "gemini" else f"/v1beta1/{name}"
    assert (seen.method, seen.path, seen.query, seen.content) == ("DELETE", expected, [], b"")


def test_delete_of_a_missing_cache_raises(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(
        {"error": {"code": 404, "message": "CachedContent not found", "status": "NOT_FOUND"}}, status=404
    )
    with pytest.raises(genai_min.ClientError, match="404 NOT_FOUND"):
        caches.delete(t, name="gone")


def test_list_pages_through_every_cache(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    first, second, third = (cache_answer(backend, name=f"cachedContents/c{i}") for i in range(3))
    stub.reply({"cachedContents": [first, second], "nextPageToken": "cGFnZS0y"})
    stub.reply({"cachedContents": [third]})
    pager = caches.list(t, config=ListCachedContentsConfig(page_size=2))
    assert (pager.page_size, len(pager), pager[0].name) == (2, 2, "cachedContents/c0")
    assert [c.name for c in pager] == ["cachedContents/c0", "cachedContents/c1", "cachedContents/c2"]
    assert [(r.method, r.path, r.query) for r in stub.requests] == [
        ("GET", f"{root(backend)}cachedContents", [("pageSize", "2")]),
        ("GET", f"{root(backend)}cachedContents", [("pageSize", "2"), ("pageToken", "cGFnZS0y")]),
    ]


def test_list_without_config_sends_no_query(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({})
    pager = caches.list(t)
    assert (list(pager), stub.last.query) == ([], [])


# -- async twins ---------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_twins_send_the_same_requests(stub: Stub) -> None:
    for backend in ("gemini", "vertex"):
        sync_t, async_t = make_transport(backend, stub), make_transport(backend, stub)
        name = GEMINI_NAME if backend == "gemini" else VERTEX_NAME
        for _ in range(8):
            stub.reply(cache_answer(backend))
        stub.reply({"cachedContents": [cache_answer(backend)], "nextPageToken": "t2"})
        stub.reply({"cachedContents": [cache_answer(backend)]})
        stub.reply({"cachedContents": [cache_answer(backend)], "nextPageToken": "t2"})
        stub.reply({"cachedContents": [cache_answer(backend)]})
        start = len(stub.requests)

        sync_results = [
            caches.create(sync_t, model=MODEL, config=readme_config(backend)),
            caches.get(sync_t, name=name),
            caches.update(sync_t, name=name, config={"ttl": 60}),
        ]
        caches.delete(sync_t, name=name)
        async_results = [
            await aio_caches.create(async_t, model=MODEL, config=readme_config(backend)),
            await aio_caches.get(async_t, name=name),
            await aio_caches.update(async_t, name=name, config={"ttl": 60}),
        ]
        await aio_caches.delete(async_t, name=name)
        sync_names = [c.name for c in caches.list(sync_t, config={"page_size": 1})]
        async_names = [c.name async for c in await aio_caches.list(async_t, config={"page_size": 1})]

        assert sync_results == async_results
        assert sync_names == async_names == [cache_answer(backend)["name"]] * 2
        seen = stub.requests[start:]
        halves = [seen[0:4], seen[4:8]]
        describe = [[(r.method, r.path, r.query, r.content) for r in half] for half in halves]
        assert describe[0] == describe[1]
        assert [(r.path, r.query) for r in seen[8:10]] == [(r.path, r.query) for r in seen[10:12]]
        await async_t.aclose()
        sync_t.close()


# -- what needs a change elsewhere ------------------------------------------------------------


def test_vertex_project_from_application_default_credentials_names_the_cache_model(
    stub: Stub, monkeypatch: pytest.MonkeyPatch
) -> None:
    import google.auth

    for var in ("GOOGLE_CLOUD_PROJECT", "GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_CLOUD_LOCATION"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(google.auth, "default", lambda scopes=None: (Credentials(token="adc"), "adc-project"))
    mock = httpx.MockTransport(stub.handle)
    t = genai_min.Transport(vertexai=True, location="us-central1", transport=mock)
    stub.reply(cache_answer("vertex"))
    caches.create(t, model=MODEL, config={"contents": "doc"})
    assert stub.last.path == "/v1beta1/projects/adc-project/locations/us-central1/cachedContents"
    assert (
        stub.last.json["model"]
        == f"projects/adc-project/locations/us-central1/publishers/google/models/{MODEL}"
    )
