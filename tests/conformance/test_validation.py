"""Every real request fits our request schema for its operation, every real answer its response schema.

Answers are checked with unknown fields refused: a field real traffic has is a gap in the schemas,
to be closed in tools/gen_schemas.py (its GEMINI_OVERLAY holds what the pinned definitions lack).
Error answers fit the error envelope.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from replay import Body, BodyKind
from tests.conformance._corpus_params import params
from tools.conformance._corpus import Corpus, Exchange
from tools.conformance._outcome import Verdict
from tools.conformance._validation import validate

# Requests in the corpus that call no method of the Gemini or Vertex AI definitions, and why.
NOT_API_METHODS = {
    "oauth2.token": "Google's OAuth token endpoint, which Vertex AI clients call for a bearer token",
    "media fetch": "a client downloading the image it then sends inline (another host)",
    "openai.chat.completions": "the OpenAI-compatible endpoint, which the official SDK does not call",
    "interactions.create": "the Interactions API, newer than both definitions and off the SDK's surface",
    "fileSearchStores.create": "file search stores: newer than the pinned definitions, off the surface",
    "fileSearchStores.delete": "file search stores: newer than the pinned definitions, off the surface",
    "fileSearchStores.uploadToFileSearchStore": "file search stores: as above",
}


def exchanges_with_an_operation(corpus: Corpus) -> list[Exchange]:
    return [x for x in corpus.exchanges if x.operation is not None]


@pytest.mark.parametrize("exchange", params(exchanges_with_an_operation, lambda x: x.name))
def test_request_and_answer_fit_the_schemas_of_their_operation(exchange: Exchange) -> None:
    outcome = validate(exchange)
    assert outcome.verdict is Verdict.PASSED, f"{exchange.source}#{exchange.index}: {outcome.cause}"


def test_every_other_request_is_a_known_kind_of_non_api_call(corpus: Corpus) -> None:
    others = {x.label for x in corpus.exchanges if x.operation is None}
    assert others == set(NOT_API_METHODS)
    for exchange in corpus.exchanges:
        if exchange.operation is None:
            assert validate(exchange).verdict is Verdict.NOT_APPLICABLE


def test_a_field_the_schemas_lack_is_a_violation_of_a_real_answer(corpus: Corpus) -> None:
    exchange = next(x for x in corpus.exchanges if x.label == "models.generateContent")
    answer = exchange.interaction.response
    assert isinstance(answer.body.json, dict)
    body = Body(BodyKind.JSON, json={**answer.body.json, "brandNewField": 1})
    changed = replace(exchange.interaction, response=replace(answer, body=body))
    outcome = validate(replace(exchange, interaction=changed))
    assert outcome.verdict is Verdict.FAILED
    assert "unknown field 'brandNewField'" in outcome.cause
