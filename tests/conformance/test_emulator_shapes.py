"""The emulator answers the corpus's requests with the shapes the real service answered them with.

Per operation of the README's surface, every key path a real answer has (with its JSON type) must be
in one of the emulator's answers to the same requests, unless `EMULATOR_ALLOWANCES` says why not;
the emulator must answer every request the service accepted, and its answers must fit the schemas
as strictly as real ones do.
"""

from __future__ import annotations

import pytest

from tests.conformance._corpus_params import params
from tools.conformance._allowances import EMULATOR_ALLOWANCES, allowance_for, is_below
from tools.conformance._corpus import Corpus
from tools.conformance._emulating import ERRORS
from tools.conformance._shapes import OperationShapes

Key = tuple[str, str]


def operations(corpus: Corpus) -> list[Key]:
    found = {(x.backend, x.label) for x in corpus.exchanges if x.is_on_surface}
    errors = {
        (x.backend, ERRORS)
        for x in corpus.exchanges
        if x.is_on_surface and x.interaction.response.status >= 400
    }
    return sorted(found | errors)


@pytest.mark.parametrize("key", params(operations, lambda key: f"{key[0]}-{key[1]}"))
def test_emulator_answers_have_every_field_of_real_answers(
    key: Key, emulated: dict[Key, OperationShapes]
) -> None:
    shape = emulated[key]
    missing = [path for path in shape.missing if allowance_for(*key, path) is None]
    assert missing == [], f"the emulator's answers lack {missing}; add them to its response modules"
    assert shape.mismatched == []
    assert shape.differences == [], "the emulator refused requests the service answered"
    assert shape.invalid == [], "the emulator's answers break the schemas"


def test_every_allowance_is_still_needed(emulated: dict[Key, OperationShapes]) -> None:
    for (backend, label, allowed), reason in EMULATOR_ALLOWANCES.items():
        shape = emulated.get((backend, label))
        assert shape is not None, f"no {backend} {label} in the corpus: drop its allowance ({reason})"
        assert any(is_below(path, allowed) for path in shape.missing), (
            f"the emulator now has {allowed} of {backend} {label}: drop its allowance"
        )


def test_the_comparison_covers_the_readme_surface_the_corpus_holds(
    emulated: dict[Key, OperationShapes],
) -> None:
    compared = {label for (_, label), shape in emulated.items() if shape.compared}
    assert {
        "models.generateContent",
        "models.streamGenerateContent",
        "models.countTokens",
        "models.embedContent",
        "models.batchEmbedContents",
        "files.create",
        "files.get",
        "files.list",
        "cachedContents.create",
        "models.batchGenerateContent",
        "batches.get",
        "models.list",
        "models.predict",
        "models.predictLongRunning",
        "models.operations.get",
    } <= compared
