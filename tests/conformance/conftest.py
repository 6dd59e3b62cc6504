"""Fixtures of the conformance tests: the corpus of real exchanges, and what the emulator answers to it.

The corpus lives in ``../shared/corpus/real`` beside the repository; without it every test here skips
and says so.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from replay.emulator import Emulator
from tests.conformance._corpus_params import ABSENT, corpus_or_none
from tools.conformance._corpus import Corpus
from tools.conformance._emulating import compare_with_emulator
from tools.conformance._shapes import OperationShapes


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """Return the imported corpus of real exchanges, or skip when ../shared is absent."""
    found = corpus_or_none()
    if found is None:
        pytest.skip(ABSENT)
    return found


@pytest.fixture(scope="session")
def emulated(corpus: Corpus) -> Iterator[dict[tuple[str, str], OperationShapes]]:
    """Play the corpus's requests against a fresh emulator; return both sides' shapes by operation."""
    with Emulator() as emulator:
        yield compare_with_emulator(corpus, emulator)
