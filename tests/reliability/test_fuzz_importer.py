"""Fuzz the importer: whatever a foreign cassette holds, only `CassetteError` (and its kinds) escapes.

Inputs are arbitrary bytes under each suffix the importer reads, arbitrary YAML and JSON documents,
and nearly valid cassettes of each format (vcrpy, Ruby VCR, go-vcr, req_llm, httprr) with one to
three mutations: a key dropped, a value of another type, a bad status, a relative URL, a gzip body
that is not gzip, a truncated httprr trace. A cassette that imports must also save and load again.
"""

from __future__ import annotations

import copy
import json
import random
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from replay import CassetteError, load_cassette, read_foreign_cassette, save_cassette
from tests.reliability.conftest import Tally

FUZZ = settings.get_profile("reliability")
URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"
ASK = '{"contents": [{"parts": [{"text": "Hi"}]}]}'
ANSWER = '{"candidates": [{"content": {"parts": [{"text": "Hello"}], "role": "model"}}]}'

# -- one valid cassette per format ------------------------------------------------------------------

VCRPY: dict[str, Any] = {
    "interactions": [
        {
            "request": {
                "body": ASK,
                "headers": {"Content-Type": ["application/json"]},
                "method": "post",
                "uri": URL,
            },
            "response": {
                "body": {"string": ANSWER},
                "headers": {"Content-Type": ["application/json; charset=UTF-8"]},
                "status": {"code": 200, "message": "OK"},
            },
        }
    ],
    "version": 1,
}
RUBY_VCR: dict[str, Any] = {
    "http_interactions": [
        {
            "request": {
                "method": "post",
                "uri": URL,
                "body": {"encoding": "UTF-8", "string": ASK},
                "headers": {"Content-Type": ["application/json"]},
            },
            "response": {
                "status": {"code": 200, "message": "OK"},
                "headers": {"Content-Type": ["application/json; charset=UTF-8"]},
                "body": {"encoding": "UTF-8", "string": ANSWER},
            },
            "recorded_at": "Tue, 07 Oct 2025 13:46:27 GMT",
        }
    ],
    "recorded_with": "VCR 6.4.0",
}
GO_VCR: dict[str, Any] = {
    "version": 2,
    "interactions": [
        {
            "id": 0,
            "request": {
                "body": ASK,
                "headers": {"Content-Type": ["application/json"]},
                "url": URL,
                "method": "POST",
            },
            "response": {
                "body": ANSWER,
                "headers": {"Content-Type": ["application/json; charset=UTF-8"]},
                "status": "200 OK",
                "code": 200,
            },
        }
    ],
}
VALID = {"vcrpy.yaml": VCRPY, "ruby.yml": RUBY_VCR, "go.yaml": GO_VCR}


def httprr(request_body: str = ASK, response_body: str = ANSWER) -> bytes:
    request = (
        f"POST {URL} HTTP/1.1\r\nHost: generativelanguage.googleapis.com\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(request_body)}\r\n\r\n{request_body}"
    ).encode()
    response = (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(response_body)}\r\n\r\n"
        f"{response_body}"
    ).encode()
    return b"httprr trace v1\n" + f"{len(request)} {len(response)}\n".encode() + request + response


# -- strategies --------------------------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
ODD_VALUES = [None, 0, -1, 999, "", "abc", "/relative", "ftp://x", [], {}, "!!binary", "H4sI" + "A" * 20, 1.5]


def mutate(document: Any, rng: random.Random, replacement: Any) -> Any:
    """Drop a key, or put `replacement` (or an odd value) in place of one value, somewhere in `document`."""
    document = copy.deepcopy(document)
    containers = []

    def walk(node: Any) -> None:
        if isinstance(node, dict | list) and node:
            containers.append(node)
            for child in node.values() if isinstance(node, dict) else node:
                walk(child)

    walk(document)
    if not containers:
        return replacement
    node = rng.choice(containers)
    key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
    if isinstance(node, dict) and rng.random() < 0.3:
        del node[key]
    else:
        node[key] = rng.choice([replacement, *ODD_VALUES])
    return document


def documented(path: Path, reliability_tally: Tally) -> None:
    """Import `path`; only documented errors may escape, and what imports must save and load again."""
    with reliability_tally.fuzzing(CassetteError):
        try:
            cassette = read_foreign_cassette(path)
        except CassetteError:
            return
        saved = path.parent / "imported" / "c.json"
        save_cassette(cassette, saved)
        load_cassette(saved)


# -- tests ------------------------------------------------------------------------------------------


@settings(FUZZ, max_examples=150)
@given(suffix=st.sampled_from([".yaml", ".yml", ".json", ".httprr"]), content=st.binary(max_size=300))
@example(suffix=".yaml", content=b"!!python/object:os.system ['true']")  # no code runs from YAML
@example(suffix=".yaml", content=b"a: &a [*a]")  # a self-referencing alias
@example(suffix=".yaml", content=b"[" * 5_000)
@example(suffix=".json", content=b"[" * 100_000 + b"]" * 100_000)
@example(suffix=".httprr", content=b"httprr trace v1\n999999 1\nPOST")
def test_arbitrary_bytes_raise_only_documented_errors(
    reliability_tally: Tally, suffix: str, content: bytes
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"c{suffix}"
        path.write_bytes(content)
        documented(path, reliability_tally)


@settings(FUZZ, max_examples=100)
@given(document=values, as_json=st.booleans())
def test_arbitrary_documents_raise_only_documented_errors(
    reliability_tally: Tally, document: Any, as_json: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("c.json" if as_json else "c.yaml")
        path.write_text(json.dumps(document) if as_json else yaml.safe_dump(document))
        documented(path, reliability_tally)


@settings(FUZZ, max_examples=200)
@given(
    name=st.sampled_from(sorted(VALID)),
    seed=st.integers(0, 2**32 - 1),
    mutations=st.integers(1, 3),
    replacement=values,
)
def test_nearly_valid_cassettes_raise_only_documented_errors(
    reliability_tally: Tally, name: str, seed: int, mutations: int, replacement: Any
) -> None:
    rng = random.Random(seed)
    document = VALID[name]
    for _ in range(mutations):
        document = mutate(document, rng, replacement)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(yaml.safe_dump(document))
        documented(path, reliability_tally)


@settings(FUZZ, max_examples=100)
@given(seed=st.integers(0, 2**32 - 1), request_body=st.text(max_size=40), cut=st.integers(0, 400))
def test_damaged_httprr_traces_raise_only_documented_errors(
    reliability_tally: Tally, seed: int, request_body: str, cut: int
) -> None:
    rng = random.Random(seed)
    trace = bytearray(httprr(request_body))
    action = rng.choice(["truncate", "flip", "lengths", "gzip"])
    if action == "truncate":
        trace = trace[: min(cut, len(trace))]
    elif action == "flip":
        trace[rng.randrange(len(trace))] ^= 1 << rng.randrange(8)
    elif action == "lengths":
        trace = trace.replace(b"\n", f"\n{rng.randrange(10_000)} {rng.randrange(10_000)}\n".encode(), 1)
    else:
        trace = trace.replace(
            b"Content-Type: application/json\r\nContent-Length", b"Content-Encoding: gzip\r\nContent-Length"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.httprr"
        path.write_bytes(bytes(trace))
        documented(path, reliability_tally)


def test_the_valid_seeds_import() -> None:
    """The seeds the mutations start from are themselves valid, so mutations probe what is near valid."""
    with tempfile.TemporaryDirectory() as folder:
        for name, document in VALID.items():
            path = Path(folder) / name
            path.write_text(yaml.safe_dump(document))
            (interaction,) = read_foreign_cassette(path).interactions
            assert interaction.response.body.json == json.loads(ANSWER), name
        trace = Path(folder) / "c.httprr"
        trace.write_bytes(httprr())
        (interaction,) = read_foreign_cassette(trace).interactions
        assert interaction.response.body.json == json.loads(ANSWER)
