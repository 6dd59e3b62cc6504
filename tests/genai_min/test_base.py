"""Wire types build their validators on first use, or all at once before a process forks children."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from genai_min._base import WireModel, build_loaded_models


def run(code: str) -> str:
    """Run `code` in a fresh interpreter and return what it printed."""
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout


def test_importing_builds_no_validator_and_first_use_builds_one() -> None:
    printed = run(
        "from genai_min import models\n"
        "from genai_min._content import Part\n"
        "print(Part.__pydantic_complete__)\n"
        "Part(text='hi')\n"
        "print(Part.__pydantic_complete__)\n"
    )
    assert printed.split() == ["False", "True"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="only where processes fork")
def test_a_forked_child_inherits_built_models() -> None:
    printed = run(
        "import os\n"
        "from genai_min import models\n"
        "from genai_min._base import build_loaded_models\n"
        "from genai_min._responses import GenerateContentResponse\n"
        "build_loaded_models()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    print(GenerateContentResponse.__pydantic_complete__, flush=True)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    assert printed.split() == ["True"]


def test_build_loaded_models_leaves_none_deferred() -> None:
    build_loaded_models()
    pending: list[type[WireModel]] = [WireModel]
    deferred = []
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if not model.__pydantic_complete__:
            deferred.append(model.__name__)
    assert deferred == []
