"""Parameters over the corpus of real exchanges, each readable (``file.yaml#0``), or one skip without it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from tools.conformance._corpus import CORPUS, Corpus, load_corpus

ABSENT = f"the corpus of real exchanges is absent ({CORPUS}); it lives in ../shared beside the repository"


def corpus_or_none() -> Corpus | None:
    """Return the corpus (imported once per process), or None when ../shared is absent."""
    return load_corpus() if CORPUS.is_dir() else None


def params(
    items: Callable[[Corpus], Iterable[Any]],
    name: Callable[[Any], str],
    marks: Callable[[Any], tuple[pytest.MarkDecorator, ...]] = lambda item: (),
) -> list[Any]:
    """Return one parameter per item of the corpus, named by `name`, or one that skips with the reason."""
    corpus = corpus_or_none()
    if corpus is None:
        return [pytest.param(None, marks=pytest.mark.skip(reason=ABSENT), id="no-corpus")]
    return [pytest.param(item, id=name(item), marks=marks(item)) for item in items(corpus)]
