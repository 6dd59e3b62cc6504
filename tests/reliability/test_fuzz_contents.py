"""Fuzz the contents normaliser: any ``contents=`` gives a valid wire list or a `ConfigError`.

`ConfigError` is what `genai_min` documents for an argument that is missing, unknown or malformed
(it is also a `ValueError`, as the official SDK raises). Inputs are nested lists, tuples and dicts
of strings, None, numbers (NaN too), bytes, lone surrogates, parts with inline bytes, `genai_min`'s
pydantic models, other pydantic models and file-like objects. Well-formed inputs must also follow
the README's grouping rules and satisfy the API's own schema, and the public
`models.generate_content` must send what the normaliser makes.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import httpx
import pydantic
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import genai_min
from genai_min import ConfigError, models
from genai_min._content import Content, ModelContent, Part, UserContent, to_content, to_contents
from replay import check_request
from tests.reliability.conftest import Tally

FUZZ = settings.get_profile("reliability")
MODEL = "gemini-2.0-flash-001"
GENERATE_URL = f"https://generativelanguage.googleapis.com/v1beta/models/{MODEL}:generateContent"


@dataclass
class UploadedFile:
    """Anything with `uri` and `mime_type`, as an uploaded `File` has; here with any values."""

    uri: Any
    mime_type: Any


class Foreign(pydantic.BaseModel):
    """A pydantic model that is not one of ours."""

    text: str = "hello"


# -- strategies --------------------------------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=()), max_size=10)
FIELDS = [
    "text",
    "parts",
    "role",
    "inlineData",
    "inline_data",
    "data",
    "mimeType",
    "fileData",
    "fileUri",
    "functionCall",
    "function_call",
    "functionResponse",
    "name",
    "args",
    "response",
    "thought",
    "thoughtSignature",
    "videoMetadata",
    "fps",
]
keys = st.sampled_from(FIELDS) | any_text
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    any_text,
    st.binary(max_size=12),
    st.sampled_from(["user", "model", "aGk=", "-_-_", "not base64!"]),
)
models_ = st.one_of(
    st.builds(Part.from_text, text=any_text),
    st.builds(Part.from_bytes, data=st.binary(max_size=40), mime_type=st.sampled_from(["image/png", ""])),
    st.builds(Part.from_uri, file_uri=st.text(max_size=20), mime_type=st.none() | st.text(max_size=10)),
    st.builds(UploadedFile, scalars, scalars),
    st.builds(Foreign),
    st.just(genai_min.types.Blob(data=b"\x00", mime_type="image/png")),
    st.just(object()),
)
anything = st.recursive(
    scalars | models_,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=3),
        st.lists(inner, max_size=3).map(
            lambda parts: Content(role="user", parts=[Part(text="x")] * len(parts))
        ),
    ),
    max_leaves=10,
)

texts = st.text(max_size=20)
json_args = st.dictionaries(
    st.text(max_size=5),
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | texts,
    max_size=3,
)
call_parts = st.one_of(
    st.builds(Part.from_function_call, name=st.text("abcxyz_", min_size=1, max_size=8), args=json_args),
    json_args.map(lambda args: {"functionCall": {"name": "f", "args": args}}),
)
other_parts = st.one_of(
    texts,
    texts.map(lambda t: {"text": t}),
    st.builds(Part.from_text, text=texts),
    st.builds(Part.from_bytes, data=st.binary(max_size=40), mime_type=st.just("image/png")),
    st.binary(max_size=40).map(lambda b: {"inline_data": {"data": b, "mime_type": "image/png"}}),
    st.builds(
        UploadedFile,
        st.just("https://generativelanguage.googleapis.com/v1beta/files/a"),
        st.just("image/png"),
    ),
    st.builds(Part.from_function_response, name=st.just("f"), response=json_args),
)
parts = call_parts | other_parts
part_dicts = st.one_of(
    texts.map(lambda t: {"text": t}),
    json_args.map(lambda args: {"functionCall": {"name": "f", "args": args}}),
    st.binary(max_size=40).map(
        lambda b: {"inlineData": {"data": base64.b64encode(b).decode(), "mimeType": "a/b"}}
    ),
)
contents_ = st.one_of(
    st.builds(
        Content,
        role=st.sampled_from(["user", "model"]),
        parts=st.lists(part_dicts.map(Part.model_validate), min_size=1, max_size=3),
    ),
    st.lists(part_dicts, min_size=1, max_size=3).map(lambda p: {"role": "user", "parts": p}),
)
well_formed = st.one_of(
    parts,
    contents_,
    st.lists(parts | contents_ | st.lists(other_parts, min_size=1, max_size=3), min_size=1, max_size=5),
)
"""What the README allows: parts, contents, and lists of them (with inner lists of parts)."""


# -- helpers -----------------------------------------------------------------------------------------


def wire_of(value: object) -> list[dict[str, Any]]:
    """Normalise as `models.generate_content` does, into the body's ``contents``."""
    return [content.to_wire() for content in to_contents(value)]


def assert_valid_wire(wire: list[dict[str, Any]]) -> None:
    """A non-empty list of turns, each with a string role and a list of part objects, sendable as JSON."""
    assert isinstance(wire, list) and wire
    for content in wire:
        assert isinstance(content, dict)
        assert isinstance(content.get("role", ""), str)
        assert isinstance(content.get("parts", []), list)
        assert all(isinstance(part, dict) for part in content.get("parts", []))
    json.dumps(wire, ensure_ascii=False, allow_nan=False).encode("utf-8")  # what httpx does


def is_call(part: object) -> bool:
    if isinstance(part, Part):
        return part.function_call is not None
    return isinstance(part, dict) and "functionCall" in part


def is_content(item: object) -> bool:
    return isinstance(item, Content) or (isinstance(item, dict) and "parts" in item)


def part_wire(part: object) -> dict[str, Any]:
    if isinstance(part, str):
        return {"text": part}
    if isinstance(part, UploadedFile):
        return {"fileData": {"fileUri": part.uri, "mimeType": part.mime_type}}
    return Part.model_validate(part).to_wire()


def expected_turns(value: object) -> list[tuple[str, list[dict[str, Any]]]]:
    """The README's rules, written out again: the roles and parts `to_contents` must produce."""
    items = value if isinstance(value, list) else [value]
    turns: list[tuple[str, list[dict[str, Any]]]] = []
    open_role: str | None = None
    for item in items:
        if is_content(item):
            content = item if isinstance(item, Content) else Content.model_validate(item)
            turns.append((str(content.role), [p.to_wire() for p in content.parts or []]))
            open_role = None
        elif isinstance(item, list):
            turns.append(("user", [part_wire(p) for p in item]))
            open_role = None
        else:
            role = "model" if is_call(item) else "user"
            if role != open_role:
                turns.append((role, []))
                open_role = role
            turns[-1][1].append(part_wire(item))
    return turns


# -- properties --------------------------------------------------------------------------------------

CYCLE: dict[str, Any] = {"role": "user"}
CYCLE["parts"] = [CYCLE]


@settings(FUZZ, max_examples=500)
@given(value=anything)
@example(value={"text": 5}).via("pydantic.ValidationError escaped")
@example(value={"role": "user", "parts": [{"text": 1}]}).via("pydantic.ValidationError escaped")
@example(value={"inlineData": {"data": "not base64!"}}).via("pydantic.ValidationError escaped")
@example(value=UploadedFile(uri=5, mime_type=None)).via("pydantic.ValidationError escaped")
@example(value={"text": "a", "extra": b"\xff"}).via("UnicodeDecodeError escaped from to_wire")
@example(value={"text": "a", "extra": object()}).via("PydanticSerializationError escaped")
@example(value={"functionResponse": {"name": "f", "response": {"x": float("nan")}}}).via("NaN sent")
@example(value="\ud800").via("a lone surrogate cannot be encoded as UTF-8")
@example(value=CYCLE)
@example(value={1: "x"})
def test_any_contents_give_a_valid_wire_list_or_config_error(reliability_tally: Tally, value: object) -> None:
    with reliability_tally.fuzzing(ConfigError):
        try:
            wire = wire_of(value)
        except ConfigError:
            return
    assert_valid_wire(wire)


@settings(FUZZ, max_examples=200)
@given(value=anything)
def test_any_system_instruction_gives_a_content_or_config_error(
    reliability_tally: Tally, value: object
) -> None:
    with reliability_tally.fuzzing(ConfigError):
        try:
            wire = to_content(value).to_wire()
        except ConfigError:
            return
    assert_valid_wire([wire])


@settings(FUZZ, max_examples=250)
@given(value=well_formed)
def test_well_formed_contents_follow_the_readme_and_the_schema(
    reliability_tally: Tally, value: object
) -> None:
    with reliability_tally.fuzzing():
        result = to_contents(value)
        wire = [content.to_wire() for content in result]
    assert_valid_wire(wire)
    assert [(c.get("role"), c.get("parts", [])) for c in wire] == expected_turns(value)
    for content in result:
        if isinstance(content, UserContent | ModelContent):
            assert content.role == ("model" if isinstance(content, ModelContent) else "user")
    assert check_request("POST", GENERATE_URL, {"contents": wire}) == []


@pytest.fixture(scope="module")
def sent() -> Any:
    """A transport whose stub service keeps each request body and answers with a fixed text."""
    bodies: list[Any] = []

    def handle(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.read()))
        answer = {"candidates": [{"content": {"role": "model", "parts": [{"text": "ok"}]}}]}
        return httpx.Response(200, json=answer)

    with genai_min.Transport(api_key="test-key", transport=httpx.MockTransport(handle)) as t:
        yield t, bodies


@settings(FUZZ, max_examples=150)
@given(value=anything | well_formed)
def test_generate_content_sends_the_normalised_contents_or_raises_config_error(
    sent: Any, reliability_tally: Tally, value: object
) -> None:
    t, bodies = sent
    bodies.clear()
    with reliability_tally.fuzzing(ConfigError):
        try:
            expected = wire_of(value)
        except ConfigError:
            with pytest.raises(ConfigError):
                models.generate_content(t, model=MODEL, contents=value)
            assert bodies == [], "a request was sent for contents that do not normalise"
            return
        models.generate_content(t, model=MODEL, contents=value)
    assert bodies == [{"contents": expected}]


# -- regressions, with the messages users see --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {"text": 5},
            r"invalid part: text: Input should be a valid string\. See the fields of genai_min\.types\.Part",
        ),
        ({"role": "user", "parts": 3}, r"invalid content: parts: Input should be a valid list"),
        ({"inlineData": {"data": "not base64!"}}, r"invalid part: inlineData\.data: .*not valid base64"),
        (
            UploadedFile(uri=5, mime_type=None),
            r"invalid part: file_data\.file_uri: Input should be a valid string",
        ),
        (
            {"functionResponse": {"name": "f", "response": {"x": float("nan")}}},
            r"cannot be sent as JSON: Out of range float .*without NaN or infinity",
        ),
        ("\ud800", r"cannot be sent as JSON: .*surrogates not allowed; pass text as valid Unicode"),
        ({"text": "a", "x": object()}, r"cannot be sent as JSON: Unable to serialize unknown type"),
    ],
)
def test_bad_contents_raise_config_error_saying_what_to_fix(value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        wire_of(value)
