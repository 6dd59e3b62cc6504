"""Python functions as tools, `split_tools`, and the automatic function-calling loop's state."""

from __future__ import annotations

import inspect
from typing import Any

import pydantic
import pytest

from genai_min._afc import FunctionCallingLoop
from genai_min._content import Content, FunctionCall, Part
from genai_min._errors import ConfigError
from genai_min._generation import GenerateContentConfig
from genai_min._responses import GenerateContentResponse
from genai_min._tools import (
    AutomaticFunctionCallingConfig,
    CallableTool,
    FunctionDeclaration,
    Tool,
    split_tools,
)

from .conftest import call_response, text_response


def get_current_weather(location: str) -> str:
    """Returns the current weather.

    Args:
      location: The city and state, e.g. San Francisco, CA
    """
    return "sunny"


def get_forecast(location: str, days: int = 3, metric: bool = True) -> list[str]:
    """Returns the forecast for the next few days."""
    return ["sunny"] * days


class Point(pydantic.BaseModel):
    x: int
    y: int = 0


def distance(a: Point, b: Point) -> float:
    """Returns the Manhattan distance between two points."""
    return float(abs(a.x - b.x) + abs(a.y - b.y))


def log_event(message: str):
    """Logs a message; returns nothing the model needs."""


def add(a: int, b: int) -> int:
    return a + b


WEATHER_DECLARATION: dict[str, Any] = {
    "name": "get_current_weather",
    "description": inspect.getdoc(get_current_weather),
    "parametersJsonSchema": {
        "type": "object",
        "properties": {"location": {"type": "string"}},
        "required": ["location"],
    },
    "responseJsonSchema": {"type": "string"},
}


# CallableTool.from_function


def test_readme_function_declaration() -> None:
    tool = CallableTool.from_function(get_current_weather)
    assert tool.declaration.to_wire() == WEATHER_DECLARATION
    assert tool.function is get_current_weather


def test_declaration_description_is_the_cleaned_docstring() -> None:
    declaration = CallableTool.from_function(get_current_weather).declaration
    assert declaration.description == (
        "Returns the current weather.\n\nArgs:\n  location: The city and state, e.g. San Francisco, CA"
    )


def test_readme_function_matches_the_official_sdk_declaration() -> None:
    # As captured for the README's automatic_function_calling example, with camelCase keys.
    assert CallableTool.from_function(get_current_weather).declaration.to_wire() == {
        "description": "Returns the current weather.\n\nArgs:\n  location: The city and state, e.g. San Francisco, CA",
        "name": "get_current_weather",
        "parametersJsonSchema": {
            "type": "object",
            "properties": {"location": {"type": "string"}},
            "required": ["location"],
        },
        "responseJsonSchema": {"type": "string"},
    }


def test_defaults_make_parameters_optional() -> None:
    declaration = CallableTool.from_function(get_forecast).declaration
    assert declaration.parameters_json_schema == {
        "type": "object",
        "properties": {
            "location": {"type": "string"},
            "days": {"type": "integer", "default": 3},
            "metric": {"type": "boolean", "default": True},
        },
        "required": ["location"],
    }
    assert declaration.response_json_schema == {"type": "array", "items": {"type": "string"}}


def test_model_parameters_produce_defs() -> None:
    declaration = CallableTool.from_function(distance).declaration
    assert declaration.parameters_json_schema == {
        "$defs": {
            "Point": {
                "type": "object",
                "properties": {"x": {"type": "integer"}, "y": {"type": "integer", "default": 0}},
                "required": ["x"],
            }
        },
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/Point"}, "b": {"$ref": "#/$defs/Point"}},
        "required": ["a", "b"],
    }


def test_no_return_annotation_means_no_response_schema() -> None:
    wire = CallableTool.from_function(log_event).declaration.to_wire()
    assert "responseJsonSchema" not in wire
    assert wire["parametersJsonSchema"] == {
        "type": "object",
        "properties": {"message": {"type": "string"}},
        "required": ["message"],
    }


def test_none_return_annotation_means_no_response_schema() -> None:
    def notify(message: str) -> None:
        """Sends a notification."""

    assert "responseJsonSchema" not in CallableTool.from_function(notify).declaration.to_wire()


def test_no_docstring_means_no_description() -> None:
    assert "description" not in CallableTool.from_function(add).declaration.to_wire()


def test_parameter_named_title_is_kept() -> None:
    def rename(title: str) -> str:
        """Renames the document."""
        return title

    assert CallableTool.from_function(rename).declaration.parameters_json_schema == {
        "type": "object",
        "properties": {"title": {"type": "string"}},
        "required": ["title"],
    }


def test_title_key_inside_a_default_value_is_kept() -> None:
    def search(query: str, sort: dict[str, str] = {"title": "asc"}) -> str:  # noqa: B006
        """Searches the library."""
        return query

    schema: Any = CallableTool.from_function(search).declaration.parameters_json_schema
    assert schema["properties"]["sort"]["default"] == {"title": "asc"}


def test_lambda_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"needs a name; define .* with def"):
        CallableTool.from_function(lambda location: "sunny")


def test_var_positional_is_rejected() -> None:
    def total(*numbers: int) -> int:
        return sum(numbers)

    with pytest.raises(ConfigError, match=r"'total' cannot take \*args or \*\*kwargs"):
        CallableTool.from_function(total)


def test_var_keyword_is_rejected() -> None:
    def configure(**options: str) -> str:
        return ""

    with pytest.raises(ConfigError, match=r"'configure' cannot take \*args or \*\*kwargs"):
        CallableTool.from_function(configure)


# bind and wrap_result


def test_bind_coerces_arguments_in_lax_mode() -> None:
    tool = CallableTool.from_function(get_forecast)
    bound = tool.bind(FunctionCall(name="get_forecast", args={"location": "Boston", "days": "3"}))
    assert bound == {"location": "Boston", "days": 3, "metric": True}
    assert type(bound["days"]) is int


def test_bind_builds_model_arguments() -> None:
    tool = CallableTool.from_function(distance)
    bound = tool.bind(FunctionCall(name="distance", args={"a": {"x": 1}, "b": {"x": "4", "y": 2}}))
    assert bound == {"a": Point(x=1, y=0), "b": Point(x=4, y=2)}
    assert distance(**bound) == 5.0  # type: ignore[arg-type]


def test_bind_with_no_args_uses_defaults() -> None:
    def now(zone: str = "UTC") -> str:
        return zone

    assert CallableTool.from_function(now).bind(FunctionCall(name="now")) == {"zone": "UTC"}


def test_bind_rejects_bad_arguments() -> None:
    tool = CallableTool.from_function(get_forecast)
    with pytest.raises(pydantic.ValidationError):
        tool.bind(FunctionCall(name="get_forecast", args={"location": "Boston", "days": "three"}))
    with pytest.raises(pydantic.ValidationError):
        tool.bind(FunctionCall(name="get_forecast", args={}))


def test_wrap_result() -> None:
    tool = CallableTool.from_function(distance)
    assert tool.wrap_result("sunny") == {"result": "sunny"}
    assert tool.wrap_result(None) == {"result": None}
    assert tool.wrap_result(Point(x=1, y=2)) == {"result": {"x": 1, "y": 2}}
    assert tool.wrap_result([Point(x=1), {"p": Point(x=3)}]) == {
        "result": [{"x": 1, "y": 0}, {"p": {"x": 3, "y": 0}}]
    }


# split_tools


def test_split_tools_keeps_order_and_finds_functions() -> None:
    search = Tool(google_search={})
    wire, callables = split_tools([search, {"code_execution": {}}, get_current_weather])
    assert wire == [
        {"googleSearch": {}},
        {"codeExecution": {}},
        {"functionDeclarations": [WEATHER_DECLARATION]},
    ]
    assert list(callables) == ["get_current_weather"]
    assert callables["get_current_weather"].function is get_current_weather


def test_split_tools_with_manual_declaration() -> None:
    tool = Tool(
        function_declarations=[
            FunctionDeclaration(name="get_weather", description="Weather.", parameters_json_schema={})
        ]
    )
    wire, callables = split_tools([tool, add])
    assert wire == [
        {
            "functionDeclarations": [
                {"name": "get_weather", "description": "Weather.", "parametersJsonSchema": {}}
            ]
        },
        {
            "functionDeclarations": [
                {
                    "name": "add",
                    "parametersJsonSchema": {
                        "type": "object",
                        "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                        "required": ["a", "b"],
                    },
                    "responseJsonSchema": {"type": "integer"},
                }
            ]
        },
    ]
    assert set(callables) == {"add"}


def test_split_tools_with_nothing() -> None:
    assert split_tools(None) == ([], {})
    assert split_tools([]) == ([], {})


@pytest.mark.parametrize("tool", [42, "google_search", Tool], ids=["int", "str", "class"])
def test_invalid_tool_is_a_config_error(tool: object) -> None:
    with pytest.raises(ConfigError, match="as a tool; pass a Tool, a dict or a function"):
        split_tools([tool])


def test_malformed_dict_tool_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        split_tools([{"function_declarations": 5}])


# FunctionCallingLoop


def response(body: dict[str, Any]) -> GenerateContentResponse:
    return GenerateContentResponse.model_validate(body)


def weather_body() -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": "What is the weather like in Boston?"}]}]}


def weather_tools() -> dict[str, CallableTool]:
    return {"get_current_weather": CallableTool.from_function(get_current_weather)}


def test_loop_needs_python_function_tools() -> None:
    assert FunctionCallingLoop.start(weather_body(), None, {}) is None
    assert FunctionCallingLoop.start(weather_body(), GenerateContentConfig(), {}) is None


def test_loop_is_off_when_disabled() -> None:
    config = GenerateContentConfig(automatic_function_calling=AutomaticFunctionCallingConfig(disable=True))
    assert FunctionCallingLoop.start(weather_body(), config, weather_tools()) is None


def test_loop_starts_from_the_request() -> None:
    loop = FunctionCallingLoop.start(weather_body(), None, weather_tools())
    assert loop is not None
    assert loop.maximum_remote_calls == 10
    assert loop.keeps_history is True
    assert [c.to_wire() for c in loop.history] == weather_body()["contents"]


def test_loop_returns_calls_to_run() -> None:
    loop = FunctionCallingLoop.start(weather_body(), None, weather_tools())
    assert loop is not None
    calls = loop.pending_calls(response(call_response("get_current_weather", {"location": "Boston, MA"})))
    assert [(tool.function, call.args) for tool, call in calls] == [
        (get_current_weather, {"location": "Boston, MA"})
    ]
    assert loop.remote_calls == 1


def test_loop_stops_on_a_plain_answer() -> None:
    loop = FunctionCallingLoop.start(weather_body(), None, weather_tools())
    assert loop is not None
    assert loop.pending_calls(response(text_response("It is sunny."))) == []


def test_loop_stops_at_maximum_remote_calls() -> None:
    # maximum_remote_calls = x + 1 allows x rounds of function calls.
    config = GenerateContentConfig(
        automatic_function_calling=AutomaticFunctionCallingConfig(maximum_remote_calls=2)
    )
    loop = FunctionCallingLoop.start(weather_body(), config, weather_tools())
    assert loop is not None
    answer = response(call_response("get_current_weather", {"location": "Boston, MA"}))
    assert len(loop.pending_calls(answer)) == 1
    assert loop.pending_calls(answer) == []
    assert loop.remote_calls == 2


def test_loop_with_one_remote_call_runs_nothing() -> None:
    config = GenerateContentConfig(
        automatic_function_calling=AutomaticFunctionCallingConfig(maximum_remote_calls=1)
    )
    loop = FunctionCallingLoop.start(weather_body(), config, weather_tools())
    assert loop is not None
    assert loop.pending_calls(response(call_response("get_current_weather", {"location": "Boston"}))) == []


def test_loop_stops_when_the_model_calls_an_undeclared_function() -> None:
    loop = FunctionCallingLoop.start(weather_body(), None, weather_tools())
    assert loop is not None
    both = call_response("get_current_weather", {"location": "Boston"})
    both["candidates"][0]["content"]["parts"].append({"functionCall": {"name": "book_flight", "args": {}}})
    assert loop.pending_calls(response(both)) == []
    assert loop.pending_calls(response(call_response("book_flight", {"to": "Boston"}))) == []


def test_add_round_appends_the_model_turn_and_the_function_responses() -> None:
    loop = FunctionCallingLoop.start(
        {**weather_body(), "tools": [{"functionDeclarations": [WEATHER_DECLARATION]}]}, None, weather_tools()
    )
    assert loop is not None
    answer = response(call_response("get_current_weather", {"location": "Boston, MA"}))
    loop.pending_calls(answer)
    result = Part.from_function_response(name="get_current_weather", response={"result": "sunny"})
    body = loop.add_round(answer, [result])
    expected_contents = [
        {"role": "user", "parts": [{"text": "What is the weather like in Boston?"}]},
        {
            "role": "model",
            "parts": [{"functionCall": {"name": "get_current_weather", "args": {"location": "Boston, MA"}}}],
        },
        {
            "role": "user",
            "parts": [{"functionResponse": {"name": "get_current_weather", "response": {"result": "sunny"}}}],
        },
    ]
    assert body == {
        "contents": expected_contents,
        "tools": [{"functionDeclarations": [WEATHER_DECLARATION]}],
    }
    assert loop.body is body
    assert [c.to_wire() for c in loop.history] == expected_contents


def test_finish_attaches_the_history_after_a_round() -> None:
    loop = FunctionCallingLoop.start(weather_body(), None, weather_tools())
    assert loop is not None
    answer = response(call_response("get_current_weather", {"location": "Boston, MA"}))
    loop.pending_calls(answer)
    loop.add_round(
        answer, [Part.from_function_response(name="get_current_weather", response={"result": "sunny"})]
    )
    final = response(text_response("It is sunny in Boston."))
    assert loop.pending_calls(final) == []
    finished = loop.finish(final)
    assert finished.automatic_function_calling_history is not None
    assert [c.role for c in finished.automatic_function_calling_history] == ["user", "model", "user"]
    assert all(isinstance(c, Content) for c in finished.automatic_function_calling_history)
    assert "automaticFunctionCallingHistory" not in finished.to_wire()
