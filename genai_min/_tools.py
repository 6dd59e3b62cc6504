"""Tools: function declarations, tool config, and plain Python functions used as tools.

A Python function passed in ``config.tools`` is declared from its signature and docstring; when
the model calls it, `CallableTool.invoke` validates the arguments and wraps the result the way the
official SDK does (``{"result": ...}``, or ``{"error": ...}`` when the function raises).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pydantic
from pydantic import JsonValue

from genai_min._base import ConfigModel, WireModel, coerce
from genai_min._content import FunctionCall
from genai_min._errors import ConfigError
from genai_min._http import JSONObject
from genai_min._schema import Schema, plain_json_schema


class FunctionDeclaration(WireModel):
    """A function the model may call: its name, description and parameter schema."""

    name: str | None = None
    description: str | None = None
    parameters: Schema | None = None
    parameters_json_schema: JsonValue = None
    response: Schema | None = None
    response_json_schema: JsonValue = None
    behavior: str | None = None


class Tool(WireModel):
    """A tool the model may use: function declarations or a built-in tool such as search."""

    function_declarations: list[FunctionDeclaration] | None = None
    google_search: dict[str, JsonValue] | None = None
    google_search_retrieval: dict[str, JsonValue] | None = None
    code_execution: dict[str, JsonValue] | None = None
    url_context: dict[str, JsonValue] | None = None
    retrieval: dict[str, JsonValue] | None = None


class FunctionCallingConfig(WireModel):
    """How the model may call functions: mode ``AUTO``, ``ANY``, ``NONE`` or ``VALIDATED``."""

    mode: str | None = None
    allowed_function_names: list[str] | None = None


class ToolConfig(WireModel):
    """Settings shared by all tools of a request."""

    function_calling_config: FunctionCallingConfig | None = None
    retrieval_config: dict[str, JsonValue] | None = None


class AutomaticFunctionCallingConfig(ConfigModel):
    """Client-side loop that calls Python-function tools for the model; never sent on the wire.

    `maximum_remote_calls` counts requests to the model, the first one included (so ``x + 1``
    allows ``x`` rounds of function calls).
    """

    disable: bool = False
    maximum_remote_calls: int = 10
    ignore_call_history: bool = False


@dataclass(frozen=True)
class CallableTool:
    """A Python function offered to the model as a tool."""

    function: Callable[..., object]
    declaration: FunctionDeclaration
    arguments: type[pydantic.BaseModel]

    @classmethod
    def from_function(cls, function: Callable[..., object]) -> CallableTool:
        """Declare `function` from its signature, type hints and docstring."""
        name = getattr(function, "__name__", None)
        if not name or name == "<lambda>":
            raise ConfigError(f"a function tool needs a name; define {function!r} with def")
        signature = inspect.signature(function)
        hints = typing.get_type_hints(function)
        fields: dict[str, typing.Any] = {}
        for param in signature.parameters.values():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                raise ConfigError(f"function tool {name!r} cannot take *args or **kwargs")
            annotation = hints.get(param.name, typing.Any)
            default = ... if param.default is param.empty else param.default
            fields[param.name] = (annotation, default)
        arguments = pydantic.create_model(f"{name}_arguments", **fields)
        declaration = FunctionDeclaration(
            name=name,
            description=inspect.getdoc(function),
            parameters_json_schema=plain_json_schema(arguments),
        )
        if "return" in hints and hints["return"] is not type(None):
            declaration.response_json_schema = plain_json_schema(hints["return"])
        return cls(function, declaration, arguments)

    def bind(self, call: FunctionCall) -> dict[str, object]:
        """Validate the model's arguments; return them as keyword arguments for the function."""
        validated = self.arguments.model_validate(call.args or {})
        return {name: getattr(validated, name) for name in type(validated).model_fields}

    def wrap_result(self, result: object) -> JSONObject:
        """Turn the function's return value into a JSON function response."""
        return {"result": pydantic.TypeAdapter(object).dump_python(result, mode="json")}


def split_tools(tools: Sequence[object] | None) -> tuple[list[JSONObject], dict[str, CallableTool]]:
    """Return the wire form of `tools` and the Python functions among them, by name."""
    wire: list[JSONObject] = []
    callables: dict[str, CallableTool] = {}
    for tool in tools or ():
        if isinstance(tool, Tool):
            wire.append(tool.to_wire())
        elif isinstance(tool, dict):
            wire.append(coerce(Tool, tool, what="tool").to_wire())
        elif callable(tool) and not isinstance(tool, type):
            declared = CallableTool.from_function(tool)
            callables[declared.declaration.name or ""] = declared
            wire.append({"functionDeclarations": [declared.declaration.to_wire()]})
        else:
            raise ConfigError(f"cannot use {tool!r} as a tool; pass a Tool, a dict or a function")
    return wire, callables
