"""`genai_min.types`: every name loads on first use, and each ``...Dict`` lists its model's fields."""

from __future__ import annotations

import ast
import importlib
import typing
from pathlib import Path

import pydantic
import pytest

import genai_min
from genai_min import types
from genai_min._base import ConfigModel

LAZY = ["genai_min", "genai_min.aio", "genai_min.types"]
# Values callers build and pass in (beside the configs): each has a dict form too.
INPUT_MODELS = [
    "Blob",
    "Content",
    "FileData",
    "FunctionCall",
    "FunctionDeclaration",
    "FunctionResponse",
    "Image",
    "Part",
    "SafetySetting",
    "Schema",
    "ThinkingConfig",
    "Tool",
    "ToolConfig",
    "Video",
    "VideoMetadata",
]


def dict_forms() -> list[str]:
    return [n for n in types.__all__ if typing.is_typeddict(getattr(types, n))]


@pytest.mark.parametrize("name", dict_forms())
def test_a_dict_form_lists_the_fields_of_its_model(name: str) -> None:
    form = getattr(types, name)
    model = getattr(types, name.removesuffix("Dict"))
    assert form.__required_keys__ | form.__optional_keys__ == set(model.model_fields)


def test_every_config_and_input_model_has_a_dict_form() -> None:
    models = [
        n
        for n in types.__all__
        if isinstance(getattr(types, n), type)
        and issubclass(getattr(types, n), pydantic.BaseModel)
        and (issubclass(getattr(types, n), ConfigModel) or n in INPUT_MODELS)
    ]
    assert len(models) > 40
    assert [n for n in models if f"{n}Dict" not in types.__all__] == []


@pytest.mark.parametrize("module_name", LAZY)
def test_every_exported_name_resolves_and_is_listed(module_name: str) -> None:
    module = importlib.import_module(module_name)
    for name in module.__all__:
        assert getattr(module, name) is not None
    assert set(module.__all__) <= set(dir(module))


@pytest.mark.parametrize("module_name", LAZY)
def test_type_checkers_see_every_exported_name(module_name: str) -> None:
    # The names a type checker sees are the `import X as X` re-exports, lazy ones under TYPE_CHECKING.
    module = importlib.import_module(module_name)
    tree = ast.parse(Path(module.__file__ or "").read_text())
    seen = {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname == alias.name
    }
    assert seen == set(module.__all__)


@pytest.mark.parametrize("module_name", LAZY)
def test_an_unknown_name_is_an_attribute_error(module_name: str) -> None:
    module = importlib.import_module(module_name)
    with pytest.raises(AttributeError, match=f"module {module_name!r} has no attribute 'nope'"):
        module.nope  # noqa: B018


def test_lazy_names_are_the_same_objects_as_their_definitions() -> None:
    from genai_min._generation import GenerateContentConfig
    from genai_min.aio import models as aio_models

    assert types.GenerateContentConfig is GenerateContentConfig
    assert genai_min.aio.models is aio_models
    assert genai_min.errors.FileUploadError is genai_min.FileUploadError
