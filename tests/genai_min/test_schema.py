"""`to_api_schema`: pydantic models, Enums, typing types, `Schema` and dicts into the API's Schema."""

from __future__ import annotations

import copy
import enum
import json
from pathlib import Path
from typing import Any, Literal, Optional

import pydantic
import pytest
from pydantic import Field

from genai_min._errors import ConfigError
from genai_min._schema import Schema, to_api_schema

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
GEMINI_CAPTURES = SHARED / "reference" / "sdk-captures" / "gemini.jsonl"


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


class Priority(enum.Enum):
    LOW = 1
    HIGH = 2.5


class Address(pydantic.BaseModel):
    street: str
    city: str = Field(description="The city, without the postcode")


class Person(pydantic.BaseModel):
    name: str = Field(description="Full name")
    nickname: Optional[str] = None  # noqa: UP045 - the typing spelling is what users write too
    age: int | None = None
    tags: list[str] = []
    colour: Colour
    kind: Literal["friend", "colleague"] = "friend"
    home: Address
    score: float = 1.5


class Node(pydantic.BaseModel):
    value: int
    children: list[Node] = []


class Ping(pydantic.BaseModel):
    pong: Optional[Pong] = None  # noqa: UP045


class Pong(pydantic.BaseModel):
    ping: Ping


Ping.model_rebuild()


class CountryInfo(pydantic.BaseModel):
    name: str
    population: int
    capital: str
    continent: str
    gdp: int
    official_language: str
    total_area_sq_mi: int


ADDRESS = {
    "type": "OBJECT",
    "title": "Address",
    "properties": {
        "street": {"type": "STRING", "title": "Street"},
        "city": {"type": "STRING", "title": "City", "description": "The city, without the postcode"},
    },
    "propertyOrdering": ["street", "city"],
    "required": ["street", "city"],
}


def keys(node: object) -> set[str]:
    """Collect every key of every dict inside `node`."""
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in keys(v)}
    return set()


def test_pydantic_model_in_full() -> None:
    assert to_api_schema(Person) == {
        "type": "OBJECT",
        "title": "Person",
        "properties": {
            "name": {"type": "STRING", "title": "Name", "description": "Full name"},
            "nickname": {"type": "STRING", "title": "Nickname", "nullable": True, "default": None},
            "age": {"type": "INTEGER", "title": "Age", "nullable": True, "default": None},
            "tags": {"type": "ARRAY", "title": "Tags", "items": {"type": "STRING"}, "default": []},
            "colour": {"type": "STRING", "title": "Colour", "enum": ["red", "green"]},
            "kind": {
                "type": "STRING",
                "title": "Kind",
                "enum": ["friend", "colleague"],
                "default": "friend",
            },
            "home": ADDRESS,
            "score": {"type": "NUMBER", "title": "Score", "default": 1.5},
        },
        "propertyOrdering": ["name", "nickname", "age", "tags", "colour", "kind", "home", "score"],
        "required": ["name", "colour", "home"],
    }


def test_optional_fields_are_nullable() -> None:
    properties: Any = to_api_schema(Person)["properties"]
    assert properties["nickname"]["nullable"] is True
    assert properties["age"]["nullable"] is True
    assert "nullable" not in properties["name"]


def test_refs_are_inlined() -> None:
    schema = to_api_schema(Person)
    assert not {"$ref", "$defs", "allOf", "anyOf"} & keys(schema)
    assert "$defs" in Person.model_json_schema()  # the input did use references


def test_property_ordering_follows_declaration_order() -> None:
    class Backwards(pydantic.BaseModel):
        zebra: int
        mango: int
        apple: int

    assert to_api_schema(Backwards)["propertyOrdering"] == ["zebra", "mango", "apple"]


def test_single_literal_is_a_one_value_enum() -> None:
    class Fixed(pydantic.BaseModel):
        kind: Literal["only"]

    assert to_api_schema(Fixed)["properties"] == {
        "kind": {"type": "STRING", "title": "Kind", "enum": ["only"]}
    }


def test_union_of_two_types_is_any_of() -> None:
    assert to_api_schema(int | str) == {"anyOf": [{"type": "INTEGER"}, {"type": "STRING"}]}


def test_enum_class() -> None:
    assert to_api_schema(Colour) == {"type": "STRING", "title": "Colour", "enum": ["red", "green"]}


def test_enum_values_that_are_not_strings_are_stringified() -> None:
    assert to_api_schema(Priority) == {"type": "STRING", "title": "Priority", "enum": ["1", "2.5"]}


def test_list_of_models_is_an_array() -> None:
    assert to_api_schema(list[Address]) == {"type": "ARRAY", "items": ADDRESS}


def test_optional_model_is_a_nullable_object() -> None:
    assert to_api_schema(Optional[Address]) == {**ADDRESS, "nullable": True}  # noqa: UP045


def test_dict_gets_property_ordering_and_is_not_mutated() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "gdp": {"type": "integer"},
            "$ref": {"type": "object", "properties": {"b": {}, "a": {}}},
        },
        "required": ["gdp"],
    }
    before = copy.deepcopy(schema)
    expected = copy.deepcopy(schema)
    expected["propertyOrdering"] = ["gdp", "$ref"]
    expected["properties"]["$ref"]["propertyOrdering"] = ["b", "a"]
    assert to_api_schema(schema) == expected
    assert schema == before


def test_dict_with_an_ordering_keeps_it() -> None:
    schema = {"type": "OBJECT", "properties": {"a": {}, "b": {}}, "property_ordering": ["b", "a"]}
    assert to_api_schema(schema) == schema


def test_schema_instance_gives_its_wire_form_with_upper_case_types() -> None:
    schema = Schema(
        type="object",
        properties={"tags": Schema(type="array", items=Schema(type="string"))},
        property_ordering=["tags"],
        min_items=None,
    )
    assert to_api_schema(schema) == {
        "type": "OBJECT",
        "properties": {"tags": {"type": "ARRAY", "items": {"type": "STRING"}}},
        "propertyOrdering": ["tags"],
    }


def test_schema_from_dict_upper_cases_nested_types() -> None:
    schema = Schema.model_validate(
        {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}, "any_of": None}
    )
    assert to_api_schema(schema) == {"type": "OBJECT", "properties": {"n": {"type": "INTEGER", "minimum": 0}}}


@pytest.mark.parametrize("model", [Node, Ping], ids=["self", "mutual"])
def test_recursive_model_is_a_config_error(model: type[pydantic.BaseModel]) -> None:
    with pytest.raises(ConfigError, match="recursive models are not supported"):
        to_api_schema(model)


class NotAModel:
    pass


@pytest.mark.parametrize("value", [NotAModel, NotAModel(), 42], ids=["class", "instance", "int"])
def test_unsupported_type_is_a_config_error(value: object) -> None:
    with pytest.raises(ConfigError, match="cannot build a response schema from"):
        to_api_schema(value)


def _camel_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            ("propertyOrdering" if k == "property_ordering" else k): _camel_keys(v) for k, v in node.items()
        }
    if isinstance(node, list):
        return [_camel_keys(v) for v in node]
    return node


def test_country_info_matches_the_official_sdk() -> None:
    if not GEMINI_CAPTURES.is_file():
        pytest.skip(f"the SDK captures are not beside the repository ({GEMINI_CAPTURES} is absent)")
    with GEMINI_CAPTURES.open(encoding="utf-8") as lines:
        captured = [json.loads(line) for line in lines if line.strip()]
    (body,) = [c["body"] for c in captured if c["example"] == "json_schema_pydantic"]
    sdk_schema = body["generationConfig"]["responseSchema"]
    assert to_api_schema(CountryInfo) == _camel_keys(sdk_schema)
