"""Contents and parts: the README's normalisation rules, the part helpers and their wire forms."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pydantic
import pytest

from genai_min._content import Content, ModelContent, Part, UserContent, to_content, to_contents
from genai_min._errors import ConfigError
from genai_min._http import JSONObject

SCONES = "gs://generativeai-downloads/images/scones.jpg"
SKY = "Why is the sky blue?"
CLOUD = "Why is the cloud white?"
BOSTON = {"functionCall": {"name": "get_weather_by_location", "args": {"location": "Boston"}}}
NEW_YORK = {"functionCall": {"name": "get_weather_by_location", "args": {"location": "New York"}}}
SCONES_PART = {"fileData": {"fileUri": SCONES, "mimeType": "image/jpeg"}}


def weather_call(location: str) -> Part:
    return Part.from_function_call(name="get_weather_by_location", args={"location": location})


def scones() -> Part:
    return Part.from_uri(file_uri=SCONES, mime_type="image/jpeg")


def wire(value: object) -> list[JSONObject]:
    return [c.to_wire() for c in to_contents(value)]


@dataclass
class UploadedFile:
    """Stands in for `files.File`: anything with `uri` and `mime_type` attributes."""

    uri: str | None
    mime_type: str | None
    name: str = "files/abc"


# to_contents: one test per rule of the README's "How to structure contents argument".


def test_content_is_kept_as_is() -> None:
    content = Content(role="user", parts=[Part.from_text(SKY)])
    result = to_contents(content)
    assert result[0] is content
    assert [c.to_wire() for c in result] == [{"role": "user", "parts": [{"text": SKY}]}]


def test_list_of_contents_is_kept() -> None:
    first = Content(role="user", parts=[Part.from_text(SKY)])
    second = Content(role="model", parts=[Part.from_text("Rayleigh scattering.")])
    result = to_contents([first, second])
    assert result[0] is first and result[1] is second
    assert [c.to_wire() for c in result] == [
        {"role": "user", "parts": [{"text": SKY}]},
        {"role": "model", "parts": [{"text": "Rayleigh scattering."}]},
    ]


def test_string_becomes_one_user_turn() -> None:
    result = to_contents(SKY)
    assert isinstance(result[0], UserContent)
    assert [c.to_wire() for c in result] == [{"role": "user", "parts": [{"text": SKY}]}]


def test_list_of_strings_becomes_one_user_turn_with_two_parts() -> None:
    assert wire([SKY, CLOUD]) == [{"role": "user", "parts": [{"text": SKY}, {"text": CLOUD}]}]


def test_function_call_part_becomes_a_model_turn() -> None:
    result = to_contents(weather_call("Boston"))
    assert isinstance(result[0], ModelContent)
    assert [c.to_wire() for c in result] == [{"role": "model", "parts": [BOSTON]}]


def test_list_of_function_call_parts_becomes_one_model_turn() -> None:
    assert wire([weather_call("Boston"), weather_call("New York")]) == [
        {"role": "model", "parts": [BOSTON, NEW_YORK]}
    ]


def test_non_function_call_part_becomes_a_user_turn() -> None:
    assert wire(scones()) == [{"role": "user", "parts": [SCONES_PART]}]


def test_list_of_non_function_call_parts_becomes_one_user_turn() -> None:
    assert wire([Part.from_text("What is this image about?"), scones()]) == [
        {"role": "user", "parts": [{"text": "What is this image about?"}, SCONES_PART]}
    ]


def test_mixed_list_groups_consecutive_parts_of_each_kind() -> None:
    answer = Content(role="model", parts=[Part.from_text("Sunny, then rain.")])
    result = wire(["Weather?", weather_call("Boston"), weather_call("New York"), "Thanks", answer])
    assert result == [
        {"role": "user", "parts": [{"text": "Weather?"}]},
        {"role": "model", "parts": [BOSTON, NEW_YORK]},
        {"role": "user", "parts": [{"text": "Thanks"}]},
        {"role": "model", "parts": [{"text": "Sunny, then rain."}]},
    ]


def test_content_between_parts_splits_the_groups() -> None:
    middle = Content(role="user", parts=[Part.from_text("m")])
    assert wire(["a", middle, "b"]) == [
        {"role": "user", "parts": [{"text": "a"}]},
        {"role": "user", "parts": [{"text": "m"}]},
        {"role": "user", "parts": [{"text": "b"}]},
    ]


def test_each_inner_list_becomes_one_user_turn() -> None:
    assert wire([[SKY, scones()], [CLOUD]]) == [
        {"role": "user", "parts": [{"text": SKY}, SCONES_PART]},
        {"role": "user", "parts": [{"text": CLOUD}]},
    ]


def test_inner_list_is_a_user_turn_even_for_function_calls() -> None:
    assert wire([[weather_call("Boston")]]) == [{"role": "user", "parts": [BOSTON]}]


def test_inner_list_flushes_the_pending_parts() -> None:
    assert wire(["a", ["b"], "c"]) == [
        {"role": "user", "parts": [{"text": "a"}]},
        {"role": "user", "parts": [{"text": "b"}]},
        {"role": "user", "parts": [{"text": "c"}]},
    ]


@pytest.mark.parametrize(
    "inner",
    [
        Content(role="user", parts=[Part.from_text("x")]),
        {"role": "user", "parts": [{"text": "x"}]},
        ["nested"],
    ],
    ids=["content", "content-dict", "list"],
)
def test_inner_list_may_not_hold_a_content_or_a_list(inner: object) -> None:
    with pytest.raises(ConfigError, match="inner list in contents may hold parts only"):
        to_contents([["fine", inner]])


def test_dicts_with_parts_or_role_are_contents_and_others_are_parts() -> None:
    assert wire(
        [
            {"role": "user", "parts": [{"text": "as content"}]},
            {"parts": [{"text": "no role"}]},
            {"text": "as part"},
            {"file_data": {"file_uri": SCONES, "mime_type": "image/jpeg"}},
        ]
    ) == [
        {"role": "user", "parts": [{"text": "as content"}]},
        {"parts": [{"text": "no role"}]},
        {"role": "user", "parts": [{"text": "as part"}, SCONES_PART]},
    ]


def test_function_call_dict_is_a_model_part() -> None:
    assert wire({"function_call": {"name": "get_weather_by_location", "args": {"location": "Boston"}}}) == [
        {"role": "model", "parts": [BOSTON]}
    ]


def test_file_like_object_becomes_a_file_data_part() -> None:
    uploaded = UploadedFile(
        uri="https://generativelanguage.googleapis.com/v1beta/files/abc", mime_type="text/plain"
    )
    assert wire(["Summarise this file.", uploaded]) == [
        {
            "role": "user",
            "parts": [
                {"text": "Summarise this file."},
                {
                    "fileData": {
                        "fileUri": "https://generativelanguage.googleapis.com/v1beta/files/abc",
                        "mimeType": "text/plain",
                    }
                },
            ],
        }
    ]


def test_file_without_uri_is_rejected() -> None:
    with pytest.raises(ConfigError, match="has no uri yet"):
        to_contents(UploadedFile(uri=None, mime_type="text/plain"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "contents must not be None"),
        ([], "contents must not be empty"),
        ((), "contents must not be empty"),
    ],
)
def test_missing_contents_are_rejected_with_a_message(value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        to_contents(value)


@pytest.mark.parametrize(("value", "type_name"), [(42, "int"), ([SKY, 4.5], "float"), (b"raw", "bytes")])
def test_unsupported_types_are_rejected_naming_the_type(value: object, type_name: str) -> None:
    with pytest.raises(ConfigError, match=rf"cannot use {type_name} .* as a part"):
        to_contents(value)


def test_config_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="cannot use int"):
        to_contents(42)


# to_content: the system instruction.


def test_system_instruction_string_is_a_user_turn() -> None:
    assert to_content("I say high, you say low").to_wire() == {
        "role": "user",
        "parts": [{"text": "I say high, you say low"}],
    }


def test_system_instruction_list_is_one_turn() -> None:
    assert to_content(["Be brief.", Part.from_text("Be kind.")]).to_wire() == {
        "role": "user",
        "parts": [{"text": "Be brief."}, {"text": "Be kind."}],
    }


def test_system_instruction_content_is_kept() -> None:
    content = Content(parts=[Part.from_text("Be brief.")])
    assert to_content(content) is content
    assert to_content({"parts": [{"text": "Be brief."}]}).to_wire() == {"parts": [{"text": "Be brief."}]}


# Part helpers and their camelCase wire forms.


def test_part_from_text() -> None:
    assert Part.from_text(SKY).to_wire() == {"text": SKY}


def test_part_from_uri() -> None:
    assert scones().to_wire() == SCONES_PART
    assert Part.from_uri(file_uri=SCONES).to_wire() == {"fileData": {"fileUri": SCONES}}


def test_part_from_bytes() -> None:
    part = Part.from_bytes(data=b"\x89PNG", mime_type="image/png")
    assert part.to_wire() == {"inlineData": {"mimeType": "image/png", "data": "iVBORw=="}}
    assert part.inline_data is not None and part.inline_data.data == b"\x89PNG"


def test_part_from_function_call() -> None:
    assert weather_call("Boston").to_wire() == BOSTON


def test_part_from_function_response() -> None:
    part = Part.from_function_response(name="get_weather_by_location", response={"result": "sunny"})
    assert part.to_wire() == {
        "functionResponse": {"name": "get_weather_by_location", "response": {"result": "sunny"}}
    }


# Base64: standard alphabet out, either alphabet (padded or not) in.

AWKWARD = b"\xfb\xff\xbf\xfe\x00"  # encodes differently in the two alphabets


def test_bytes_serialise_to_standard_base64() -> None:
    part = Part.from_bytes(data=AWKWARD, mime_type="application/octet-stream")
    assert part.to_wire() == {"inlineData": {"mimeType": "application/octet-stream", "data": "+/+//gA="}}


@pytest.mark.parametrize("encoded", ["+/+//gA=", "-_-__gA=", "+/+//gA", "-_-__gA", " +/+//gA=\n"])
def test_base64_parses_from_either_alphabet_padded_or_not(encoded: str) -> None:
    part = Part.model_validate({"inlineData": {"mimeType": "application/octet-stream", "data": encoded}})
    assert part.inline_data is not None and part.inline_data.data == AWKWARD
    assert part.to_wire()["inlineData"] == {"mimeType": "application/octet-stream", "data": "+/+//gA="}


def test_thought_signature_is_base64_too() -> None:
    part = Part.model_validate({"text": "x", "thoughtSignature": "-_-__gA"})
    assert part.thought_signature == AWKWARD
    assert part.to_wire() == {"text": "x", "thoughtSignature": "+/+//gA="}


@pytest.mark.parametrize("encoded", ["not base64!", "a", "+/+//gA=="])
def test_invalid_base64_is_a_validation_error(encoded: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="not valid base64"):
        Part.model_validate({"inlineData": {"data": encoded}})


@pytest.mark.parametrize("encoded", ["-_-_!!gA=", "-_-__gA=!!"])
def test_invalid_url_safe_base64_is_a_validation_error(encoded: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="not valid base64"):
        Part.model_validate({"inlineData": {"data": encoded}})


def test_base64_round_trips_through_the_standard_library() -> None:
    data = bytes(range(256))
    wire_form = Part.from_bytes(data=data, mime_type="application/octet-stream").to_wire()
    assert wire_form == {
        "inlineData": {"mimeType": "application/octet-stream", "data": base64.b64encode(data).decode()}
    }
    parsed = Part.model_validate(wire_form)
    assert parsed.inline_data is not None and parsed.inline_data.data == data


# Response types keep what they do not know, and accept snake_case keys.


def test_unknown_fields_round_trip() -> None:
    body = {"text": "x", "futureField": {"a": 1}}
    assert Part.model_validate(body).to_wire() == body


def test_unknown_nested_fields_round_trip() -> None:
    body = {"role": "model", "parts": [{"text": "x", "newThing": [1, 2]}], "alsoNew": True}
    assert Content.model_validate(body).to_wire() == body


def test_snake_case_keys_parse() -> None:
    part = Part.model_validate({"inline_data": {"mime_type": "image/png", "data": "AAAA"}})
    assert part.inline_data is not None
    assert (part.inline_data.mime_type, part.inline_data.data) == ("image/png", b"\x00\x00\x00")
    assert part.to_wire() == {"inlineData": {"mimeType": "image/png", "data": "AAAA"}}
