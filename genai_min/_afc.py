"""Automatic function calling: the state of the loop that runs Python-function tools for the model.

The loop is shared by sync and async callers: they send, ask `pending_calls` what to run, run it
(awaiting coroutines in the async case) and hand the results to `add_round`.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from genai_min._content import Content, FunctionCall, FunctionResponse, Part
from genai_min._errors import ConfigError
from genai_min._generation import GenerateContentConfig
from genai_min._http import JSONObject
from genai_min._responses import GenerateContentResponse
from genai_min._tools import CallableTool


@dataclass
class FunctionCallingLoop:
    """Count the requests, hold the growing history, and decide when to stop."""

    body: JSONObject
    tools: dict[str, CallableTool]
    maximum_remote_calls: int
    keeps_history: bool
    history: list[Content] = field(default_factory=list)
    remote_calls: int = 0

    @classmethod
    def start(
        cls, body: JSONObject, config: GenerateContentConfig | None, tools: dict[str, CallableTool]
    ) -> FunctionCallingLoop | None:
        """Return a loop when `config` has Python-function tools and calling is not disabled."""
        afc = config.automatic_function_calling if config else None
        if not tools or (afc is not None and afc.disable):
            return None
        contents = body["contents"]
        history = [Content.model_validate(c) for c in contents] if isinstance(contents, list) else []
        return cls(
            body=body,
            tools=tools,
            maximum_remote_calls=afc.maximum_remote_calls if afc else 10,
            keeps_history=not (afc and afc.ignore_call_history),
            history=history,
        )

    def pending_calls(self, response: GenerateContentResponse) -> list[tuple[CallableTool, FunctionCall]]:
        """After an answer, return the calls to run; empty when the loop should stop."""
        self.remote_calls += 1
        calls = response.function_calls
        if not calls or self.remote_calls >= self.maximum_remote_calls:
            return []
        if any(call.name not in self.tools for call in calls):
            return []  # the model asked for a function we cannot run: hand it to the caller
        return [(self.tools[call.name or ""], call) for call in calls]

    def add_round(self, response: GenerateContentResponse, results: list[Part]) -> JSONObject:
        """Append the model's turn and the function responses; return the next request body."""
        content = response.candidates[0].content if response.candidates else None
        if content is not None:
            self.history.append(content)
        self.history.append(Content(role="user", parts=results))
        self.body = {**self.body, "contents": [c.to_wire() for c in self.history]}
        return self.body

    def finish(self, response: GenerateContentResponse) -> GenerateContentResponse:
        """Attach the call history to the final answer, when there was at least one round."""
        if self.keeps_history and self.remote_calls > 1:
            response.automatic_function_calling_history = list(self.history)
        return response


def run_call(tool: CallableTool, call: FunctionCall) -> Part:
    """Run a sync function tool and return the function-response part for the model."""
    if inspect.iscoroutinefunction(tool.function):
        raise ConfigError(f"tool {call.name!r} is an async function; call it through genai_min.aio.models")
    try:
        result = tool.wrap_result(tool.function(**tool.bind(call)))
    except Exception as exc:  # the model is told about the failure, as the official SDK does
        result = {"error": str(exc)}
    return _response_part(call, result)


async def arun_call(tool: CallableTool, call: FunctionCall) -> Part:
    """Run a sync or async function tool and return the function-response part for the model."""
    try:
        value = tool.function(**tool.bind(call))
        if inspect.isawaitable(value):
            value = await value
        result = tool.wrap_result(value)
    except Exception as exc:  # the model is told about the failure, as the official SDK does
        result = {"error": str(exc)}
    return _response_part(call, result)


def _response_part(call: FunctionCall, result: JSONObject) -> Part:
    return Part(function_response=FunctionResponse(id=call.id, name=call.name, response=result))
