"""Every imported cassette replays: raw httpx through ReplayTransport gets the recorded answers.

Status and body are compared byte for byte with what the cassette rebuilds; streams arrive one
event per chunk. The recorded requests are sent again in recorded order, as the recording client
sent them.
"""

from __future__ import annotations

import pytest

from tests.conformance._corpus_params import params
from tools.conformance._corpus import Corpus, CorpusFile
from tools.conformance._outcome import Verdict
from tools.conformance._replaying import replay_file


def imported_files(corpus: Corpus) -> tuple[CorpusFile, ...]:
    return corpus.imported


@pytest.mark.parametrize("file", params(imported_files, lambda f: f.name))
def test_cassette_replays_every_answer_byte_for_byte(file: CorpusFile) -> None:
    failures = [
        f"#{index}: {outcome.cause}"
        for index, outcome in enumerate(replay_file(file))
        if outcome.verdict is not Verdict.PASSED
    ]
    assert failures == [], file.source


def test_only_the_websocket_cassette_does_not_import(corpus: Corpus) -> None:
    (websocket,) = (f for f in corpus.files if f.cassette is None)
    assert websocket.source.endswith("test_google_ws/test_tool_call_round.yaml")
    assert "websocket" in websocket.reason
