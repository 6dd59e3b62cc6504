"""Each package's `__all__` is sorted and lists every public name it re-exports."""

from __future__ import annotations

import importlib
import types

import pytest

PUBLIC = ["genai_min", "genai_min.aio", "genai_min.errors", "genai_min.types", "replay"]


@pytest.mark.parametrize("name", PUBLIC)
def test_all_is_sorted(name: str) -> None:
    module = importlib.import_module(name)
    assert list(module.__all__) == sorted(module.__all__)


@pytest.mark.parametrize("name", PUBLIC)
def test_all_lists_every_public_name(name: str) -> None:
    module = importlib.import_module(name)
    # dir() and getattr(), not vars(): lazily loaded names are not in the module's dict until used.
    values = {n: getattr(module, n) for n in dir(module)}
    public = {
        n
        for n, value in values.items()
        if not n.startswith("_")
        and n != "annotations"
        and not (isinstance(value, types.ModuleType) and n not in module.__all__)  # optional submodules
    }
    public |= {n for n in module.__all__ if n.startswith("__")}
    assert public == set(module.__all__)
