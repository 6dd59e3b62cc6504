"""`models` against a stub service: the exact wire request per backend and the parsed answer."""

from __future__ import annotations

import enum
from typing import Any

import pydantic
import pytest

import genai_min
from genai_min import models, types

from .conftest import Stub, prefix, text_response

MODEL = "gemini-2.0-flash-001"


def test_generate_text(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply(text_response())
    response = models.generate_content(t, model=MODEL, contents="Why is the sky blue?")
    assert response.text == "The sky is blue because of Rayleigh scattering."
    assert response.usage_metadata is not None and response.usage_metadata.total_token_count == 15
    seen = stub.last
    assert (seen.method, seen.path, seen.query) == ("POST", f"{prefix(backend)}{MODEL}:generateContent", [])
    assert seen.json == {"contents": [{"role": "user", "parts": [{"text": "Why is the sky blue?"}]}]}
    assert seen.headers["content-type"] == "application/json"
    assert seen.headers["user-agent"].startswith("genai-min/")
    if backend == "gemini":
        assert seen.headers["x-goog-api-key"] == "test-key"
        assert "authorization" not in seen.headers
    else:
        assert seen.headers["authorization"] == "Bearer test-token"
        assert "x-goog-api-key" not in seen.headers


def test_system_instruction_and_generation_fields(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(text_response("low"))
    response = models.generate_content(
        t,
        model=MODEL,
        contents="high",
        config=types.GenerateContentConfig(
            system_instruction="I say high, you say low", max_output_tokens=3, temperature=0.3
        ),
    )
    assert response.text == "low"
    assert stub.last.json == {
        "contents": [{"role": "user", "parts": [{"text": "high"}]}],
        "systemInstruction": {"role": "user", "parts": [{"text": "I say high, you say low"}]},
        "generationConfig": {"temperature": 0.3, "maxOutputTokens": 3},
    }


def test_typed_config_puts_every_field_in_generation_config(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(text_response())
    models.generate_content(
        t,
        model=MODEL,
        contents=types.Part.from_text("Why is the sky blue?"),
        config=types.GenerateContentConfig(
            temperature=0,
            top_p=0.95,
            top_k=20,
            candidate_count=1,
            seed=5,
            max_output_tokens=100,
            stop_sequences=["STOP!"],
            presence_penalty=0.0,
            frequency_penalty=0.0,
        ),
    )
    assert stub.last.json["generationConfig"] == {
        "temperature": 0.0,
        "topP": 0.95,
        "topK": 20.0,
        "candidateCount": 1,
        "seed": 5,
        "maxOutputTokens": 100,
        "stopSequences": ["STOP!"],
        "presencePenalty": 0.0,
        "frequencyPenalty": 0.0,
    }


def test_dict_config_equals_model_config(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(text_response())
    stub.reply(text_response())
    models.generate_content(t, model=MODEL, contents="x", config={"temperature": 0.5, "seed": 1})
    models.generate_content(
        t, model=MODEL, contents="x", config=types.GenerateContentConfig(temperature=0.5, seed=1)
    )
    assert stub.requests[0].json == stub.requests[1].json


def test_unknown_config_field_fails_before_the_network(t: genai_min.Transport, stub: Stub) -> None:
    with pytest.raises(genai_min.ConfigError, match=r"temprature.*GenerateContentConfig"):
        models.generate_content(t, model=MODEL, contents="x", config={"temprature": 0.5})
    assert stub.requests == []


def test_safety_settings(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(text_response())
    models.generate_content(
        t,
        model=MODEL,
        contents="Say something bad.",
        config=types.GenerateContentConfig(
            safety_settings=[
                types.SafetySetting(category="HARM_CATEGORY_HATE_SPEECH", threshold="BLOCK_ONLY_HIGH")
            ]
        ),
    )
    assert stub.last.json == {
        "contents": [{"role": "user", "parts": [{"text": "Say something bad."}]}],
        "safetySettings": [{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_ONLY_HIGH"}],
        "generationConfig": {},
    }


def test_safety_method_is_vertex_only(stub: Stub) -> None:
    from .conftest import make_transport

    t = make_transport("gemini", stub)
    setting = {"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "OFF", "method": "SEVERITY"}
    with pytest.raises(genai_min.UnsupportedError, match="Vertex AI"):
        models.generate_content(t, model=MODEL, contents="x", config={"safety_settings": [setting]})


def test_cached_content_name_is_completed(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply(text_response())
    models.generate_content(t, model=MODEL, contents="Summarize", config={"cached_content": "c1"})
    expected = (
        "cachedContents/c1"
        if backend == "gemini"
        else "projects/test-project/locations/us-central1/cachedContents/c1"
    )
    assert stub.last.json["cachedContent"] == expected


class CountryInfo(pydantic.BaseModel):
    name: str
    population: int
    capital: str


def test_response_schema_from_pydantic_model(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(text_response('{"name": "United States", "population": 331000000, "capital": "DC"}'))
    response = models.generate_content(
        t,
        model=MODEL,
        contents="Give me information for the United States.",
        config=types.GenerateContentConfig(
            response_mime_type="application/json", response_schema=CountryInfo
        ),
    )
    assert response.parsed == CountryInfo(name="United States", population=331000000, capital="DC")
    assert stub.last.json["generationConfig"] == {
        "responseMimeType": "application/json",
        "responseSchema": {
            "type": "OBJECT",
            "title": "CountryInfo",
            "properties": {
                "name": {"type": "STRING", "title": "Name"},
                "population": {"type": "INTEGER", "title": "Population"},
                "capital": {"type": "STRING", "title": "Capital"},
            },
            "propertyOrdering": ["name", "population", "capital"],
            "required": ["name", "population", "capital"],
        },
    }


def test_response_schema_from_dict_gets_an_ordering(t: genai_min.Transport, stub: Stub) -> None:
    schema = {"type": "OBJECT", "properties": {"gdp": {"type": "INTEGER"}}, "required": ["gdp"]}
    stub.reply(text_response('{"gdp": 25}'))
    response = models.generate_content(
        t,
        model=MODEL,
        contents="x",
        config={"response_mime_type": "application/json", "response_schema": schema},
    )
    assert stub.last.json["generationConfig"]["responseSchema"] == {**schema, "propertyOrdering": ["gdp"]}
    assert response.parsed == {"gdp": 25}


class InstrumentEnum(enum.Enum):
    PERCUSSION = "Percussion"
    STRING = "String"
    KEYBOARD = "Keyboard"


@pytest.mark.parametrize(("mime", "text"), [("text/x.enum", "Keyboard"), ("application/json", '"Keyboard"')])
def test_enum_response_schema(t: genai_min.Transport, stub: Stub, mime: str, text: str) -> None:
    stub.reply(text_response(text))
    response = models.generate_content(
        t,
        model=MODEL,
        contents="What instrument plays multiple notes at once?",
        config={"response_mime_type": mime, "response_schema": InstrumentEnum},
    )
    assert response.text == text
    assert response.parsed is InstrumentEnum.KEYBOARD
    assert stub.last.json["generationConfig"] == {
        "responseMimeType": mime,
        "responseSchema": {
            "type": "STRING",
            "title": "InstrumentEnum",
            "enum": ["Percussion", "String", "Keyboard"],
        },
    }


def test_api_error_for_unknown_model(t: genai_min.Transport, stub: Stub) -> None:
    envelope = {
        "error": {
            "code": 404,
            "message": "models/invalid-model-name is not found for API version v1beta, or is not "
            "supported for generateContent.",
            "status": "NOT_FOUND",
        }
    }
    stub.reply(envelope, status=404)
    with pytest.raises(genai_min.ClientError) as caught:
        models.generate_content(t, model="invalid-model-name", contents="What is your name?")
    error = caught.value
    assert isinstance(error, genai_min.APIError)
    assert (error.code, error.status) == (404, "NOT_FOUND")
    assert error.message is not None and error.message.startswith("models/invalid-model-name is not found")
    assert error.details == envelope
    assert str(error).startswith("404 NOT_FOUND. models/invalid-model-name")


def test_server_error_is_a_server_error(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(
        {"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}, status=503
    )
    with pytest.raises(genai_min.ServerError, match="503 UNAVAILABLE"):
        models.generate_content(t, model=MODEL, contents="x")


def test_non_json_error_body_keeps_its_text(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply_raw(502, b"<html>Bad Gateway</html>")
    with pytest.raises(genai_min.ServerError) as caught:
        models.generate_content(t, model=MODEL, contents="x")
    assert caught.value.message == "<html>Bad Gateway</html>"


def test_prompt_blocked_has_no_text(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply({"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": []}})
    response = models.generate_content(t, model=MODEL, contents="x")
    assert response.text is None
    assert response.prompt_feedback is not None and response.prompt_feedback.block_reason == "SAFETY"


def test_unknown_response_fields_are_kept(t: genai_min.Transport, stub: Stub) -> None:
    body: dict[str, Any] = text_response()
    body["candidates"][0]["newThing"] = {"x": 1}
    body["brandNewField"] = [1, 2]
    stub.reply(body)
    response = models.generate_content(t, model=MODEL, contents="x")
    assert response.to_wire() == body
