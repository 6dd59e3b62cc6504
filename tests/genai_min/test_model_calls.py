"""Tokens, embeddings and model management through `models` and `aio.models`, per backend."""

from __future__ import annotations

from typing import Any

import pytest

import genai_min
from genai_min import aio, models

from .conftest import Stub, make_transport, prefix

MODEL = "gemini-2.0-flash-001"
VERTEX = "/v1beta1/projects/test-project/locations/us-central1/"
ASK = {"contents": [{"role": "user", "parts": [{"text": "why is the sky blue?"}]}]}


def test_count_tokens(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply({"totalTokens": 6, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 6}]})
    response = models.count_tokens(t, model=MODEL, contents="why is the sky blue?")
    assert response.total_tokens == 6
    assert (stub.last.path, stub.last.json) == (f"{prefix(backend)}{MODEL}:countTokens", ASK)


@pytest.mark.anyio
async def test_count_tokens_async(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({"totalTokens": 6})
    assert (await aio.models.count_tokens(t, model=MODEL, contents="why is the sky blue?")).total_tokens == 6
    assert stub.last.json == ASK


def test_count_tokens_extras_are_vertex_only(stub: Stub) -> None:
    with pytest.raises(genai_min.UnsupportedError, match="Vertex AI only"):
        models.count_tokens(
            make_transport("gemini", stub), model=MODEL, contents="x", config={"system_instruction": "s"}
        )
    stub.reply({"totalTokens": 9})
    models.count_tokens(
        make_transport("vertex", stub), model=MODEL, contents="x", config={"system_instruction": "s"}
    )
    assert stub.last.json["systemInstruction"] == {"role": "user", "parts": [{"text": "s"}]}


def test_compute_tokens_on_vertex(stub: Stub) -> None:
    t = make_transport("vertex", stub)
    stub.reply({"tokensInfo": [{"tokens": ["d2h5", "IGlz"], "tokenIds": ["18177", "603"], "role": "user"}]})
    response = models.compute_tokens(t, model=MODEL, contents="why is the sky blue?")
    assert response.tokens_info is not None
    assert response.tokens_info[0].tokens == [b"why", b" is"]
    assert response.tokens_info[0].token_ids == [18177, 603]
    assert (stub.last.path, stub.last.json) == (f"{prefix('vertex')}{MODEL}:computeTokens", ASK)


def test_compute_tokens_on_gemini_fails_before_sending(stub: Stub) -> None:
    with pytest.raises(genai_min.UnsupportedError, match="only supported by Vertex AI"):
        models.compute_tokens(make_transport("gemini", stub), model=MODEL, contents="x")
    assert stub.requests == []


def test_embed_on_gemini_uses_batch_embed(stub: Stub) -> None:
    t = make_transport("gemini", stub)
    stub.reply({"embeddings": [{"values": [0.1, 0.2]}, {"values": [0.3, 0.4]}]})
    response = models.embed_content(
        t,
        model="text-embedding-004",
        contents=["why is the sky blue?", "What is your age?"],
        config={"output_dimensionality": 10},
    )
    assert [e.values for e in response.embeddings or []] == [[0.1, 0.2], [0.3, 0.4]]
    assert stub.last.path == "/v1beta/models/text-embedding-004:batchEmbedContents"
    assert stub.last.json == {
        "requests": [
            {
                "model": "models/text-embedding-004",
                "content": {"role": "user", "parts": [{"text": text}]},
                "outputDimensionality": 10,
            }
            for text in ("why is the sky blue?", "What is your age?")
        ]
    }


def test_embed_on_vertex_uses_predict(stub: Stub) -> None:
    t = make_transport("vertex", stub)
    stub.reply(
        {
            "predictions": [
                {"embeddings": {"values": [0.5], "statistics": {"truncated": False, "token_count": 6}}},
                {"embeddings": {"values": [0.6], "statistics": {"truncated": False, "token_count": 4}}},
            ],
            "metadata": {"billableCharacterCount": 33},
        }
    )
    response = models.embed_content(
        t,
        model="text-embedding-004",
        contents=["why is the sky blue?", "What is your age?"],
        config={"output_dimensionality": 10},
    )
    assert stub.last.path == f"{prefix('vertex')}text-embedding-004:predict"
    assert stub.last.json == {
        "instances": [{"content": "why is the sky blue?"}, {"content": "What is your age?"}],
        "parameters": {"outputDimensionality": 10},
    }
    embeddings = response.embeddings or []
    assert [e.values for e in embeddings] == [[0.5], [0.6]]
    assert embeddings[0].statistics is not None and embeddings[0].statistics.token_count == 6
    assert response.metadata is not None and response.metadata.billable_character_count == 33


def test_embed_gemini_family_model_on_vertex_uses_embed_content(stub: Stub) -> None:
    t = make_transport("vertex", stub)
    stub.reply({"embedding": {"values": [0.1]}, "usageMetadata": {"promptTokenCount": 3}})
    response = models.embed_content(
        t, model="gemini-embedding-2", contents="hi", config={"task_type": "RETRIEVAL_QUERY"}
    )
    assert stub.last.path.endswith("gemini-embedding-2:embedContent")
    assert stub.last.json == {
        "content": {"role": "user", "parts": [{"text": "hi"}]},
        "embedContentConfig": {"taskType": "RETRIEVAL_QUERY"},
    }
    assert response.embeddings is not None and response.embeddings[0].values == [0.1]


def models_page(names: list[str], token: str | None, key: str = "models") -> dict[str, Any]:
    page: dict[str, Any] = {key: [{"name": n, "displayName": n.upper()} for n in names]}
    if token:
        page["nextPageToken"] = token
    return page


@pytest.mark.parametrize(
    ("backend", "query_base", "path", "key", "filters"),
    [
        ("gemini", True, "/v1beta/models", "models", []),
        ("gemini", False, "/v1beta/tunedModels", "tunedModels", []),
        ("vertex", True, "/v1beta1/publishers/google/models", "publisherModels", []),
        ("vertex", False, VERTEX + "models", "models", [("filter", "labels.tune-type:*")]),
    ],
)
def test_list_models_pager(
    stub: Stub, backend: str, query_base: bool, path: str, key: str, filters: list[tuple[str, str]]
) -> None:
    t = make_transport(backend, stub)
    stub.reply(models_page(["a", "b"], "cGFnZS0y", key))
    stub.reply(models_page(["c"], None, key))
    pager = models.list(t, config={"page_size": 10, "query_base": query_base})
    assert pager.page_size == 10
    assert pager[0].name == "a"
    assert pager.next_page()[0].name == "c"
    assert pager[0].display_name == "C"
    with pytest.raises(IndexError, match="no more pages"):
        pager.next_page()
    assert [r.path for r in stub.requests] == [path, path]
    assert stub.requests[0].query == [*filters, ("pageSize", "10")]
    assert stub.requests[1].query == [*filters, ("pageSize", "10"), ("pageToken", "cGFnZS0y")]


def test_iterating_a_pager_fetches_every_page(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(models_page(["a", "b"], "t2", "publisherModels" if t.is_vertex else "models"))
    stub.reply(models_page(["c"], None, "publisherModels" if t.is_vertex else "models"))
    assert [m.name for m in models.list(t)] == ["a", "b", "c"]
    assert stub.requests[0].query == []


@pytest.mark.anyio
async def test_list_models_async(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(models_page(["a"], "t2"))
    stub.reply(models_page(["b"], None))
    stub.reply(models_page(["x"], "t2"))
    stub.reply(models_page(["y"], None))
    assert [m.name async for m in await aio.models.list(t)] == ["a", "b"]
    pager = await aio.models.list(t, config={"page_size": 10})
    assert (pager.page_size, pager[0].name) == (10, "x")
    await pager.next_page()
    assert pager[0].name == "y"


def test_get_base_and_tuned_models(stub: Stub, backend: str) -> None:
    t = make_transport(backend, stub)
    stub.reply({"name": "models/gemini-2.0-flash-001", "inputTokenLimit": 1048576})
    stub.reply({"name": "tuned", "displayName": "my tuned model"})
    base = models.get(t, model=MODEL)
    tuned_name = (
        "tunedModels/abc" if backend == "gemini" else "projects/123/locations/us-central1/models/200@1"
    )
    tuned = models.get(t, model=tuned_name)
    assert base.input_token_limit == 1048576 and tuned.display_name == "my tuned model"
    expected = (
        ["/v1beta/models/gemini-2.0-flash-001", "/v1beta/tunedModels/abc"]
        if backend == "gemini"
        else [
            "/v1beta1/publishers/google/models/gemini-2.0-flash-001",
            "/v1beta1/projects/123/locations/us-central1/models/200@1",
        ]
    )
    assert [r.path for r in stub.requests] == expected


def test_update_tuned_model(stub: Stub, backend: str) -> None:
    t = make_transport(backend, stub)
    stub.reply({"name": "m", "displayName": "my tuned model", "description": "my tuned model description"})
    name = "tunedModels/abc" if backend == "gemini" else "projects/123/locations/us-central1/models/200@1"
    model = models.update(
        t, model=name, config={"display_name": "my tuned model", "description": "my tuned model description"}
    )
    assert model.description == "my tuned model description"
    seen = stub.last
    assert seen.method == "PATCH"
    assert seen.path == (
        "/v1beta/tunedModels/abc"
        if backend == "gemini"
        else "/v1beta1/projects/123/locations/us-central1/models/200"
    )
    assert seen.query == [("updateMask", "displayName,description")]
    assert seen.json == {"displayName": "my tuned model", "description": "my tuned model description"}


def test_update_needs_a_field(t: genai_min.Transport, stub: Stub) -> None:
    with pytest.raises(genai_min.ConfigError, match="at least one of"):
        models.update(t, model="tunedModels/abc", config={})
    with pytest.raises(genai_min.ConfigError, match="UpdateModelConfig"):
        models.update(t, model="tunedModels/abc", config={"dispaly_name": "x"})


@pytest.mark.anyio
async def test_delete_tuned_model(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({})
    stub.reply({"name": "projects/123/locations/us-central1/operations/9", "done": True})
    models.delete(t, model="tunedModels/abc")
    operation = await aio.models.delete(t, model="tunedModels/abc")
    assert [r.method for r in stub.requests] == ["DELETE", "DELETE"]
    assert operation.done is True


def test_count_tokens_sends_the_generation_config_on_vertex(stub: Stub) -> None:
    stub.reply({"totalTokens": 9})
    config = {"generation_config": {"temperature": 0.1, "max_output_tokens": 5}}
    models.count_tokens(make_transport("vertex", stub), model=MODEL, contents="x", config=config)
    assert stub.last.json["generationConfig"] == {"temperature": 0.1, "maxOutputTokens": 5}
