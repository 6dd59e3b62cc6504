"""`genai_min`: every lazily loaded name is visible to type checkers, and a misspelt one is not.

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

from typing import assert_type

import genai_min
from genai_min import types


def check_package() -> None:
    with genai_min.Transport(api_key="k") as t:
        assert_type(t, genai_min.Transport)
        response = genai_min.models.generate_content(t, model="m", contents="hi")
        assert_type(response, genai_min.types.GenerateContentResponse)
    assert_type(genai_min.__version__, str)
    config: types.GenerateContentConfigDict = {"temperature": 0.2, "tools": [{"google_search": {}}]}
    assert_type(config, types.GenerateContentConfigDict)
    assert_type(genai_min.Transport(api_key="k", retry=genai_min.RetryOptions()), genai_min.Transport)
    _ = genai_min.model  # type: ignore[attr-defined]
    _ = genai_min.types.GenerateContentConfigDictt  # type: ignore[attr-defined]
    _misspelt: types.GenerateContentConfigDict = {"temprature": 0.2}  # type: ignore[typeddict-unknown-key]
    _mistyped: types.ThinkingConfigDict = {"thinking_budget": "lots"}  # type: ignore[typeddict-item]
