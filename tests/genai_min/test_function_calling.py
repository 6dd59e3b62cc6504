"""Function calling through `models.generate_content`: automatic, disabled, manual and ANY mode."""

from __future__ import annotations

import pytest

import genai_min
from genai_min import aio, models, types

from .conftest import Stub, call_response, prefix, text_response

MODEL = "gemini-2.0-flash-001"
ASK = {"role": "user", "parts": [{"text": "What is the weather like in Boston?"}]}
DECLARED = {
    "functionDeclarations": [
        {
            "name": "get_current_weather",
            "description": "Returns the current weather.\n\nArgs:\n  location: The city and state, e.g. San Francisco, CA",
            "parametersJsonSchema": {
                "type": "object",
                "properties": {"location": {"type": "string"}},
                "required": ["location"],
            },
            "responseJsonSchema": {"type": "string"},
        }
    ]
}
CALL_TURN = {
    "role": "model",
    "parts": [{"functionCall": {"name": "get_current_weather", "args": {"location": "Boston, MA"}}}],
}
ANSWER_TURN = {
    "role": "user",
    "parts": [{"functionResponse": {"name": "get_current_weather", "response": {"result": "sunny"}}}],
}


def get_current_weather(location: str) -> str:
    """Returns the current weather.

    Args:
      location: The city and state, e.g. San Francisco, CA
    """
    return "sunny"


def test_automatic_function_calling(t: genai_min.Transport, stub: Stub, backend: str) -> None:
    stub.reply(call_response("get_current_weather", {"location": "Boston, MA"}))
    stub.reply(text_response("It is sunny in Boston."))
    response = models.generate_content(
        t,
        model=MODEL,
        contents="What is the weather like in Boston?",
        config={"tools": [get_current_weather]},
    )
    assert response.text == "It is sunny in Boston."
    assert stub.paths() == [f"POST {prefix(backend)}{MODEL}:generateContent"] * 2
    assert stub.requests[0].json == {"contents": [ASK], "tools": [DECLARED], "generationConfig": {}}
    assert stub.requests[1].json == {
        "contents": [ASK, CALL_TURN, ANSWER_TURN],
        "tools": [DECLARED],
        "generationConfig": {},
    }
    history = response.automatic_function_calling_history
    assert history is not None
    assert [c.to_wire() for c in history] == [ASK, CALL_TURN, ANSWER_TURN]


def test_disabled_automatic_calling_returns_the_calls(t: genai_min.Transport, stub: Stub) -> None:
    stub.reply(call_response("get_current_weather", {"location": "Boston, MA"}))
    response = models.generate_content(
        t,
        model=MODEL,
        contents="What is the weather like in Boston?",
        config=types.GenerateContentConfig(
            tools=[get_current_weather],
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        ),
    )
    assert len(stub.requests) == 1
    assert response.function_calls is not None
    assert response.function_calls[0].name == "get_current_weather"
    assert response.function_calls[0].args == {"location": "Boston, MA"}
    assert response.automatic_function_calling_history is None


def test_a_failing_function_is_reported_to_the_model(t: genai_min.Transport, stub: Stub) -> None:
    def get_current_weather(location: str) -> str:
        raise RuntimeError("weather service down")

    stub.reply(call_response("get_current_weather", {"location": "Boston, MA"}))
    stub.reply(text_response("Sorry."))
    models.generate_content(t, model=MODEL, contents="x", config={"tools": [get_current_weather]})
    sent = stub.requests[1].json["contents"][-1]["parts"][0]["functionResponse"]
    assert sent == {"name": "get_current_weather", "response": {"error": "weather service down"}}


def test_manual_declaration_round_trip(t: genai_min.Transport, stub: Stub) -> None:
    function = types.FunctionDeclaration(
        name="get_current_weather",
        description="Get the current weather in a given location",
        parameters=types.Schema(
            type="OBJECT",
            properties={"location": types.Schema(type="STRING", description="The city and state")},
            required=["location"],
        ),
    )
    tool = types.Tool(function_declarations=[function])
    stub.reply(call_response("get_current_weather", {"location": "Boston, MA"}))
    response = models.generate_content(
        t, model=MODEL, contents="What is the weather like in Boston?", config={"tools": [tool]}
    )
    wire_tool = {
        "functionDeclarations": [
            {
                "name": "get_current_weather",
                "description": "Get the current weather in a given location",
                "parameters": {
                    "type": "OBJECT",
                    "properties": {"location": {"type": "STRING", "description": "The city and state"}},
                    "required": ["location"],
                },
            }
        ]
    }
    assert stub.last.json["tools"] == [wire_tool]
    assert response.function_calls is not None
    call = response.function_calls[0]
    assert response.candidates is not None
    call_content = response.candidates[0].content

    result = get_current_weather(**(call.args or {}))  # type: ignore[arg-type]
    part = types.Part.from_function_response(name=call.name or "", response={"result": result})
    stub.reply(text_response("Sunny."))
    user = types.Content(role="user", parts=[types.Part.from_text("What is the weather like in Boston?")])
    final = models.generate_content(
        t,
        model=MODEL,
        contents=[user, call_content, types.Content(role="tool", parts=[part])],
        config=types.GenerateContentConfig(tools=[tool]),
    )
    assert final.text == "Sunny."
    assert stub.last.json["contents"] == [
        ASK,
        CALL_TURN,
        {"role": "tool", "parts": ANSWER_TURN["parts"]},
    ]


def test_any_mode_with_automatic_calling_disabled_sends_one_request(
    t: genai_min.Transport, stub: Stub
) -> None:
    stub.reply(call_response("get_current_weather", {"location": "Boston, MA"}))
    models.generate_content(
        t,
        model=MODEL,
        contents="What is the weather like in Boston?",
        config={
            "tools": [get_current_weather],
            "automatic_function_calling": {"disable": True},
            "tool_config": {"function_calling_config": {"mode": "ANY"}},
        },
    )
    assert len(stub.requests) == 1
    assert stub.last.json["toolConfig"] == {"functionCallingConfig": {"mode": "ANY"}}


@pytest.mark.parametrize("maximum", [1, 2, 3])
def test_maximum_remote_calls_counts_every_request(t: genai_min.Transport, stub: Stub, maximum: int) -> None:
    # In ANY mode the model always calls; the loop stops after `maximum` requests.
    for _ in range(maximum):
        stub.reply(call_response("get_current_weather", {"location": "Boston, MA"}))
    response = models.generate_content(
        t,
        model=MODEL,
        contents="What is the weather like in Boston?",
        config={
            "tools": [get_current_weather],
            "automatic_function_calling": {"maximum_remote_calls": maximum},
            "tool_config": {"function_calling_config": {"mode": "ANY"}},
        },
    )
    assert len(stub.requests) == maximum
    assert response.function_calls is not None  # the last answer is handed back as it is


def test_default_maximum_is_ten(t: genai_min.Transport, stub: Stub) -> None:
    for _ in range(10):
        stub.reply(call_response("get_current_weather", {"location": "Boston, MA"}))
    models.generate_content(t, model=MODEL, contents="x", config={"tools": [get_current_weather]})
    assert len(stub.requests) == 10


def test_sync_client_refuses_async_tools(t: genai_min.Transport, stub: Stub) -> None:
    async def get_current_weather(location: str) -> str:
        return "sunny"

    stub.reply(call_response("get_current_weather", {"location": "Boston, MA"}))
    with pytest.raises(genai_min.ConfigError, match=r"aio\.models"):
        models.generate_content(t, model=MODEL, contents="x", config={"tools": [get_current_weather]})


@pytest.mark.anyio
async def test_async_automatic_calling_awaits_async_tools(t: genai_min.Transport, stub: Stub) -> None:
    calls: list[str] = []

    async def get_current_weather(location: str) -> str:
        calls.append(location)
        return "sunny"

    stub.reply(call_response("get_current_weather", {"location": "Boston, MA"}))
    stub.reply(text_response("Sunny."))
    response = await aio.models.generate_content(
        t,
        model=MODEL,
        contents="What is the weather like in Boston?",
        config={"tools": [get_current_weather]},
    )
    assert response.text == "Sunny."
    assert calls == ["Boston, MA"]
    assert stub.requests[1].json["contents"][-1] == ANSWER_TURN
