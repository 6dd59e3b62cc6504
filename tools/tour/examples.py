"""The README's example inputs (models, prompts, the weather function, schemas, files) and shape checks.

Both tours use these, so the official SDK and `genai_min` are asked exactly the same things. The
checks assert the shape of an answer (types, non-empty, counts), never its exact text, and turn it
into the one line a step reports.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

MODEL = "gemini-2.0-flash-001"
EMBEDDING_MODEL = "text-embedding-004"
IMAGEN_MODEL = "imagen-3.0-generate-002"
IMAGEN_EDIT_MODEL = "imagen-3.0-capability-001"
VEO_MODEL = "veo-2.0-generate-001"

SCONES_URI = "gs://generativeai-downloads/images/scones.jpg"
SCONES_PUBLIC_URL = "https://storage.googleapis.com/generativeai-downloads/images/scones.jpg"


def scones_uri(is_vertex: bool) -> str:
    """Return the README's scones picture as the backend can read it.

    Vertex AI reads Cloud Storage; the Gemini API reads no ``gs://`` URI (it answers 400 "Invalid or
    unsupported file uri"), so there the tour gives the same object's public URL.
    """
    return SCONES_URI if is_vertex else SCONES_PUBLIC_URL


VERTEX_PDF_URIS = [
    "gs://cloud-samples-data/generative-ai/pdf/2312.11805v3.pdf",
    "gs://cloud-samples-data/generative-ai/pdf/2403.05530.pdf",
]
VERTEX_TUNING_DATA = "gs://cloud-samples-data/ai-platform/generative_ai/gemini-1_5/text/sft_train_data.jsonl"
VERTEX_BATCH_SOURCE = "bq://my-project.my-dataset.my-table"
VERTEX_BATCH_FILE_SOURCE = "gs://my-bucket/batch/requests.jsonl"

# A 1x1 PNG: the README reads "your_image_path"; the tour carries its picture with it.
IMAGE_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
IMAGE_MIME_TYPE = "image/png"

_LOCAL_FILES = {
    "a11.txt": b"Apollo 11 mission transcript. The Eagle has landed. " * 20,
    "2312.11805v3.pdf": b"%PDF-1.4\n% Gemini: a family of highly capable multimodal models\n%%EOF\n",
    "2403.05530.pdf": b"%PDF-1.4\n% Gemini 1.5: unlocking multimodal understanding\n%%EOF\n",
    "batch_requests.jsonl": (
        b'{"key": "sky", "request": {"contents": [{"parts": [{"text": "Why is the sky blue?"}]}]}}\n'
        b'{"key": "sea", "request": {"contents": [{"parts": [{"text": "Why is the sea salty?"}]}]}}\n'
    ),
}


def get_current_weather(location: str) -> str:
    """Returns the current weather.

    Args:
      location: The city and state, e.g. San Francisco, CA
    """
    return "sunny"


class CountryInfo(BaseModel):
    """The README's JSON response schema, as a pydantic model."""

    name: str
    population: int
    capital: str
    continent: str
    gdp: int
    official_language: str
    total_area_sq_mi: int


COUNTRY_SCHEMA: dict[str, object] = {
    "required": [
        "name",
        "population",
        "capital",
        "continent",
        "gdp",
        "official_language",
        "total_area_sq_mi",
    ],
    "properties": {
        "name": {"type": "STRING"},
        "population": {"type": "INTEGER"},
        "capital": {"type": "STRING"},
        "continent": {"type": "STRING"},
        "gdp": {"type": "INTEGER"},
        "official_language": {"type": "STRING"},
        "total_area_sq_mi": {"type": "INTEGER"},
    },
    "type": "OBJECT",
}
"""The same schema as a dict, in the API's own schema dialect."""


class InstrumentEnum(Enum):
    """The README's enum response schema."""

    PERCUSSION = "Percussion"
    STRING = "String"
    WOODWIND = "Woodwind"
    BRASS = "Brass"
    KEYBOARD = "Keyboard"


@contextmanager
def local_files(*names: str) -> Iterator[list[Path]]:
    """Write the README's local files (``a11.txt``, the two PDFs, a batch JSONL) to a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="genai-tour-") as folder:
        paths = [Path(folder) / name for name in names]
        for path in paths:
            path.write_bytes(_LOCAL_FILES[path.name])
        yield paths


# -- shape checks -------------------------------------------------------------------------------


def quote(text: str, width: int = 40) -> str:
    """Return the start of `text` in quotes, cut with an ellipsis: ``'The sky is blue because…'``."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


def checked_text(response: Any) -> str:
    """Assert that a generate response carries non-empty text, and return it."""
    text = response.text
    assert isinstance(text, str), f"expected text, got {text!r}"
    assert text, "expected the text to be non-empty"
    return text


def text_line(label: str, response: Any) -> str:
    """Check a generate response and describe it: ``label: 'text…' (N tokens)``."""
    text = checked_text(response)
    usage = response.usage_metadata
    assert usage is not None, "expected usage metadata"
    assert usage.total_token_count, "expected a token count"
    return f"{label}: {quote(text)} ({usage.total_token_count} tokens)"


def stream_line(label: str, chunks: list[Any]) -> str:
    """Check the chunks of a stream (text in order, the last one finishing) and describe them."""
    assert chunks, "expected at least one chunk"
    pieces = [chunk.text or "" for chunk in chunks]
    assert all(isinstance(piece, str) for piece in pieces)
    whole = "".join(pieces)
    assert whole, "expected the chunks to carry text"
    assert chunks[-1].candidates, "expected the last chunk to carry a candidate"
    assert chunks[-1].candidates[0].finish_reason, "expected the last chunk to say why it finished"
    return f"{label}: {len(chunks)} chunks, {quote(whole)}"


def function_call_line(label: str, calls: Iterable[Any] | None) -> str:
    """Check that the model asked for the weather in a place, and describe the calls."""
    found = list(calls or [])
    assert found, "expected at least one function call"
    for call in found:
        assert call.name == "get_current_weather", f"expected the weather function, got {call.name!r}"
        assert isinstance(call.args, dict), f"expected arguments, got {call.args!r}"
        assert call.args.get("location"), "expected a location"
    return f"{label}: " + ", ".join(f"{c.name}({c.args['location']!r})" for c in found)


def listed_line(label: str, names: Iterable[str | None], made: Iterable[str | None]) -> str:
    """Check that a listing holds every resource the step made, and describe it."""
    listed = list(names)
    missing = [name for name in made if name not in listed]
    assert not missing, f"expected {missing!r} among the {label} listed, got {listed!r}"
    return names_line(label, listed)


def names_line(label: str, names: Iterable[str | None]) -> str:
    """Check that every listed item has a name, and describe how many there were."""
    listed = list(names)
    assert all(isinstance(name, str) and name for name in listed), f"expected names, got {listed!r}"
    return (
        f"{label}: {len(listed)} ({', '.join(str(n) for n in listed[:2])}{', …' if len(listed) > 2 else ''})"
    )
