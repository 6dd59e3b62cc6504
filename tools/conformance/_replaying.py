"""Replay each imported cassette to raw httpx, and compare every answer with the recorded one.

The recorded requests are sent again, in recorded order, through an `httpx.Client` whose transport
is `replay.ReplayTransport`: what a test replaying the cassette would do. Each answer must have
the recorded status and, byte for byte, the recorded body as a cassette rebuilds it (JSON written
compactly, an event stream with the service's framing, arriving one event per chunk).
"""

from __future__ import annotations

import httpx

from replay import BodyKind, Interaction, NoMatchError, Player, ReplayTransport
from tools.conformance._corpus import CorpusFile
from tools.conformance._outcome import PASSED, Outcome, failed, not_applicable


def replay_file(file: CorpusFile) -> list[Outcome]:
    """Replay one imported file's interactions; return one outcome per interaction."""
    if file.cassette is None:
        return []
    player = Player(file.cassette)
    transport = ReplayTransport(player)
    with httpx.Client(transport=transport) as client:
        return [_replay(client, interaction) for interaction in file.cassette.interactions]


def _replay(client: httpx.Client, interaction: Interaction) -> Outcome:
    request = interaction.request
    expected = Player.revealed(interaction.response, request.url)
    content = request.body.to_bytes()
    try:
        with client.stream(
            request.method, request.url, headers=dict(request.headers), content=content or None
        ) as response:
            chunks = list(response.iter_bytes())
    except NoMatchError as exc:
        return failed(f"no match: {str(exc).splitlines()[0]}")
    except httpx.HTTPError as exc:
        return not_applicable(f"httpx refused the recorded request: {exc}")
    if response.status_code != expected.status:
        return failed(f"HTTP {response.status_code} replayed, {expected.status} recorded")
    body, wanted = b"".join(chunks), expected.body.to_bytes()
    if body != wanted:
        same = (i for i, (a, b) in enumerate(zip(body, wanted, strict=False)) if a != b)
        at = next(same, min(len(body), len(wanted)))
        return failed(f"the body differs from byte {at} ({len(body)} bytes replayed, {len(wanted)} recorded)")
    events = len(expected.body.events)
    if expected.body.kind is BodyKind.SSE and len(chunks) != events:
        return failed(f"the stream came in {len(chunks)} chunks for {events} recorded events")
    return PASSED
