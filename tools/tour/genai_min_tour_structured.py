"""The genai_min tour, part 2: function calling, JSON response schemas and enum answers."""

from __future__ import annotations

import json
from typing import Any

import genai_min
from genai_min import models, types
from tools.tour.examples import (
    COUNTRY_SCHEMA,
    MODEL,
    CountryInfo,
    InstrumentEnum,
    checked_text,
    function_call_line,
    get_current_weather,
    quote,
    text_line,
)
from tools.tour.steps import Step, step

WEATHER_QUESTION = "What is the weather like in Boston?"

AUTOMATIC = types.GenerateContentConfig(tools=[get_current_weather])
AUTOMATIC_DISABLED = types.GenerateContentConfig(
    tools=[get_current_weather],
    automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
)
ANY_MODE = types.ToolConfig(function_calling_config=types.FunctionCallingConfig(mode="ANY"))
ANY_MODE_DISABLED = types.GenerateContentConfig(
    tools=[get_current_weather],
    automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
    tool_config=ANY_MODE,
)
ANY_MODE_ONE_TURN = types.GenerateContentConfig(
    tools=[get_current_weather],
    automatic_function_calling=types.AutomaticFunctionCallingConfig(maximum_remote_calls=2),
    tool_config=ANY_MODE,
)

FUNCTION = types.FunctionDeclaration(
    name="get_current_weather",
    description="Get the current weather in a given location",
    parameters=types.Schema(
        type="OBJECT",
        properties={
            "location": types.Schema(type="STRING", description="The city and state, e.g. San Francisco, CA"),
        },
        required=["location"],
    ),
)
TOOL = types.Tool(function_declarations=[FUNCTION])


def automatic_function_calling(t: genai_min.Transport) -> str:
    """Automatic Python function support, then the same with automatic calling disabled."""
    response = models.generate_content(t, model=MODEL, contents=WEATHER_QUESTION, config=AUTOMATIC)
    assert len(response.automatic_function_calling_history or []) >= 3, "expected question, call and answer"
    disabled = models.generate_content(t, model=MODEL, contents=WEATHER_QUESTION, config=AUTOMATIC_DISABLED)
    return text_line("automatic", response) + "; " + function_call_line("disabled", disabled.function_calls)


async def automatic_function_calling_async(t: genai_min.Transport) -> str:
    """Automatic Python function support, async."""
    response = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=WEATHER_QUESTION, config=AUTOMATIC
    )
    assert len(response.automatic_function_calling_history or []) >= 3, "expected question, call and answer"
    disabled = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=WEATHER_QUESTION, config=AUTOMATIC_DISABLED
    )
    return text_line("automatic", response) + "; " + function_call_line("disabled", disabled.function_calls)


def _function_response_contents(response: types.GenerateContentResponse) -> list[types.Content]:
    """Invoke the function the model asked for, and build the turns that give it the result."""
    user_prompt_content = types.Content(role="user", parts=[types.Part.from_text(text=WEATHER_QUESTION)])
    function_call_part = (response.function_calls or [])[0]
    function_call_content = (response.candidates or [])[0].content
    assert function_call_content is not None, "expected the model's turn with its function call"
    function_response: dict[str, Any]
    try:
        function_result = get_current_weather(**(function_call_part.args or {}))
        function_response = {"result": function_result}
    except Exception as e:  # instead of raising the exception, you can let the model handle it
        function_response = {"error": str(e)}
    function_response_part = types.Part.from_function_response(
        name=function_call_part.name or "", response=function_response
    )
    function_response_content = types.Content(role="tool", parts=[function_response_part])
    return [user_prompt_content, function_call_content, function_response_content]


def manual_function_calling(t: genai_min.Transport) -> str:
    """Manually declare and invoke a function, then send its response back."""
    config = types.GenerateContentConfig(tools=[TOOL])
    response = models.generate_content(t, model=MODEL, contents=WEATHER_QUESTION, config=config)
    calls = function_call_line("declared", response.function_calls)
    answer = models.generate_content(
        t, model=MODEL, contents=_function_response_contents(response), config=config
    )
    return calls + "; " + text_line("answered", answer)


async def manual_function_calling_async(t: genai_min.Transport) -> str:
    """Manually declare and invoke a function, async."""
    config = types.GenerateContentConfig(tools=[TOOL])
    response = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=WEATHER_QUESTION, config=config
    )
    calls = function_call_line("declared", response.function_calls)
    answer = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=_function_response_contents(response), config=config
    )
    return calls + "; " + text_line("answered", answer)


def any_mode(t: genai_min.Transport) -> str:
    """Function calling with ANY tools config mode: calling disabled, then limited to one turn."""
    disabled = models.generate_content(t, model=MODEL, contents=WEATHER_QUESTION, config=ANY_MODE_DISABLED)
    one_turn = models.generate_content(t, model=MODEL, contents=WEATHER_QUESTION, config=ANY_MODE_ONE_TURN)
    return function_call_line("ANY", disabled.function_calls) + "; " + text_line("one turn", one_turn)


async def any_mode_async(t: genai_min.Transport) -> str:
    """Function calling with ANY tools config mode, async."""
    disabled = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=WEATHER_QUESTION, config=ANY_MODE_DISABLED
    )
    one_turn = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=WEATHER_QUESTION, config=ANY_MODE_ONE_TURN
    )
    return function_call_line("ANY", disabled.function_calls) + "; " + text_line("one turn", one_turn)


COUNTRY_QUESTION = "Give me information for the United States."
PYDANTIC_SCHEMA = types.GenerateContentConfig(
    response_mime_type="application/json", response_schema=CountryInfo
)
DICT_SCHEMA = types.GenerateContentConfig(
    response_mime_type="application/json", response_schema=COUNTRY_SCHEMA
)


def _country_line(pydantic: types.GenerateContentResponse, plain: types.GenerateContentResponse) -> str:
    assert isinstance(pydantic.parsed, CountryInfo), f"expected a CountryInfo, got {pydantic.parsed!r}"
    value = json.loads(checked_text(plain))
    assert set(value) >= set(CountryInfo.model_fields), f"missing fields in {value!r}"
    return f"JSON schema: {pydantic.parsed.name!r} (pydantic), {value['name']!r} (dict)"


def json_schema(t: genai_min.Transport) -> str:
    """JSON Response Schema, as a pydantic model and as a dict."""
    pydantic = models.generate_content(t, model=MODEL, contents=COUNTRY_QUESTION, config=PYDANTIC_SCHEMA)
    plain = models.generate_content(t, model=MODEL, contents=COUNTRY_QUESTION, config=DICT_SCHEMA)
    return _country_line(pydantic, plain)


async def json_schema_async(t: genai_min.Transport) -> str:
    """JSON Response Schema, async."""
    pydantic = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=COUNTRY_QUESTION, config=PYDANTIC_SCHEMA
    )
    plain = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=COUNTRY_QUESTION, config=DICT_SCHEMA
    )
    return _country_line(pydantic, plain)


INSTRUMENT_QUESTION = "What instrument plays multiple notes at once?"
ENUM_TEXT: dict[str, object] = {
    "response_mime_type": "text/x.enum",
    "response_schema": InstrumentEnum,
}
ENUM_JSON: dict[str, object] = {
    "response_mime_type": "application/json",
    "response_schema": InstrumentEnum,
}


def _enum_line(text: types.GenerateContentResponse, quoted: types.GenerateContentResponse) -> str:
    values = {instrument.value for instrument in InstrumentEnum}
    assert checked_text(text) in values, f"expected one of {sorted(values)}, got {text.text!r}"
    assert json.loads(checked_text(quoted)) in values, f"expected a quoted enum value, got {quoted.text!r}"
    return f"enum: {quote(checked_text(text))} (text), {checked_text(quoted)} (JSON)"


def enum_schema(t: genai_min.Transport) -> str:
    """Enum Response Schema: as text, then as JSON."""
    text = models.generate_content(t, model=MODEL, contents=INSTRUMENT_QUESTION, config=ENUM_TEXT)
    quoted = models.generate_content(t, model=MODEL, contents=INSTRUMENT_QUESTION, config=ENUM_JSON)
    return _enum_line(text, quoted)


async def enum_schema_async(t: genai_min.Transport) -> str:
    """Enum Response Schema, async."""
    text = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=INSTRUMENT_QUESTION, config=ENUM_TEXT
    )
    quoted = await genai_min.aio.models.generate_content(
        t, model=MODEL, contents=INSTRUMENT_QUESTION, config=ENUM_JSON
    )
    return _enum_line(text, quoted)


STEPS: list[Step] = [
    step(
        "Function Calling: automatic Python function",
        automatic_function_calling,
        automatic_function_calling_async,
    ),
    step(
        "Function Calling: manual declaration and function response",
        manual_function_calling,
        manual_function_calling_async,
    ),
    step("Function calling with ANY tools config mode", any_mode, any_mode_async),
    step("JSON Response Schema", json_schema, json_schema_async),
    step("Enum Response Schema", enum_schema, enum_schema_async),
]
