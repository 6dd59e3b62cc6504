"""Every real answer parses into genai_min's types, and no field is lost on the way.

`tools/conformance/_parsing.py` runs genai_min's own parser for each answer and dumps every model it
built again, comparing with what it was built from; error answers become `APIError`s that carry the
envelope's code, status and message.
"""

from __future__ import annotations

import pytest

from genai_min import types
from tests.conformance._corpus_params import params
from tools.conformance._corpus import Corpus, Exchange
from tools.conformance._outcome import Verdict
from tools.conformance._parsing import _differences, parse_exchange

# Answers on the README's surface that genai_min does not parse, and why.
NOT_PARSED = {
    "the start of an upload answers with headers only (read by parse_start)",
    "caches.delete returns nothing; the answer is not read",
    "an HTTP 302 redirect, which files.download follows",
    "the answer is the file's bytes, which files.download returns as they are",
}


def exchanges_on_the_surface(corpus: Corpus) -> list[Exchange]:
    return [x for x in corpus.exchanges if x.is_on_surface]


@pytest.mark.parametrize("exchange", params(exchanges_on_the_surface, lambda x: x.name))
def test_answer_parses_into_genai_min_types_losing_nothing(exchange: Exchange) -> None:
    outcome = parse_exchange(exchange)
    assert outcome.verdict is not Verdict.FAILED, f"{exchange.source}#{exchange.index}: {outcome.cause}"
    if outcome.verdict is Verdict.NOT_APPLICABLE:
        assert outcome.cause in NOT_PARSED


# --- the comparison itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "dumped"),
    [
        ({"sizeBytes": "185190"}, {"sizeBytes": 185190}),  # int64 as a decimal string, read as an int
        ({"temperature": 1}, {"temperature": 1.0}),
        ({"token_count": 3}, {"tokenCount": 3}),  # snake_case on the wire, camelCase dumped
        ({"data": "-_8"}, {"data": "+/8="}),  # URL-safe and unpadded base64 of the same bytes
        ({"parts": [{"text": "a"}]}, {"parts": [{"text": "a"}]}),
    ],
)
def test_the_wire_s_two_spellings_of_one_value_are_the_same(original: object, dumped: object) -> None:
    assert list(_differences(original, dumped, "")) == []


@pytest.mark.parametrize(
    ("original", "dumped", "expected"),
    [
        ({"a": {"b": 1}}, {"a": {}}, [("a.b", "lost")]),
        ({"a": 1}, {"a": 1, "b": 2}, [("b", "added")]),
        ({"a": [1, 2]}, {"a": [1, 3]}, [("a[1]", "2 became 3")]),
        ({"a": True}, {"a": 1}, [("a", "True became 1")]),
        ({"a": "12"}, {"a": 13}, [("a", "'12' became 13")]),
    ],
)
def test_a_lost_added_or_changed_field_is_found(
    original: object, dumped: object, expected: list[tuple[str, str]]
) -> None:
    assert list(_differences(original, dumped, "")) == expected


def test_enum_numbers_of_integer_encoded_answers_are_kept() -> None:
    # Older Google clients ask for $alt=json;enum-encoding=int; the numbers differ by backend.
    answer = {"candidates": [{"finishReason": 1, "safetyRatings": [{"category": 8, "probability": 1}]}]}
    parsed = types.GenerateContentResponse.model_validate(answer)
    assert parsed.candidates is not None and parsed.candidates[0].finish_reason == 1
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == answer
