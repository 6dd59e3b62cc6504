"""`import genai_min` loads the transport only; each resource module loads its own types on first use.

Each check runs in a fresh interpreter and lists the modules a statement adds.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# The types a generate-content script never needs.
ELSEWHERE = (
    "genai_min._batch_types",
    "genai_min._batches",
    "genai_min._caches",
    "genai_min._files",
    "genai_min._images",
    "genai_min._tunings",
    "genai_min._upload",
    "genai_min._videos",
)


def loaded_by(statement: str) -> list[str]:
    """Return the modules that `statement` adds to a fresh interpreter."""
    code = (
        "import sys, json\n"
        "before = set(sys.modules)\n"
        f"{statement}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_building_a_transport_loads_no_pydantic_and_no_resource_module() -> None:
    added = loaded_by("import genai_min\ngenai_min.Transport(api_key='k')\ngenai_min.APIError")
    assert [m for m in added if m.startswith("pydantic")] == []
    public = [m for m in added if m.startswith("genai_min.")]
    assert [m for m in public if not m.startswith("genai_min._")] == []


@pytest.mark.parametrize(
    "statement",
    [
        "from genai_min import models",
        "import genai_min\ngenai_min.models.generate_content",
        "from genai_min import chats, errors, models, types\ntypes.GenerateContentConfig(temperature=0)",
        "from genai_min.types import GenerateContentConfigDict, Part",
        "from genai_min import aio\naio.models.generate_content\naio.chats.create",
    ],
)
def test_generating_content_builds_no_batch_tuning_cache_file_or_media_types(statement: str) -> None:
    added = loaded_by(statement)
    assert "genai_min._generation" in added or "genai_min._content" in added
    assert [m for m in added if m in ELSEWHERE] == []


@pytest.mark.parametrize(
    ("statement", "module"),
    [
        ("from genai_min import batches", "genai_min._batch_types"),
        ("from genai_min import types\ntypes.TuningJob", "genai_min._tunings"),
        ("import genai_min\ngenai_min.aio.caches", "genai_min._caches"),
        ("import genai_min.types\ngenai_min.types.File", "genai_min._files"),
    ],
)
def test_a_resource_loads_its_types_when_first_named(statement: str, module: str) -> None:
    assert module in loaded_by(statement)


def test_an_image_call_loads_the_image_types() -> None:
    statement = (
        "import httpx, genai_min\n"
        "from genai_min import models\n"
        "answer = httpx.MockTransport(lambda r: httpx.Response(200, json={'predictions': []}))\n"
        "t = genai_min.Transport(api_key='k', transport=answer)\n"
        "models.generate_images(t, model='imagen-3.0-generate-002', prompt='a cat')\n"
    )
    assert "genai_min._images" in loaded_by(statement)
