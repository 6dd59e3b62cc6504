"""Write exchanges down while they happen: the library-agnostic half of recording.

A transport adapter hands the recorder each request as it is sent (`start`) and the response once its
body has been read to the end or closed (`finish`). Both are sanitised at once, so no secret is held
longer than the exchange itself, and interactions keep the order in which requests were sent, even
when streams finish out of order. A request that never gets an answer stays pending and is not
saved. `save` writes the cassette once, after the final credential scan.

Re-recording is quiet: when the interactions come out identical to the cassette already on disk, its
recording time is kept, so the file stays byte-identical.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from replay._cassette import Cassette, Interaction, Meta, Request, Response
from replay._placeholders import map_body
from replay._sanitiser import Sanitiser, SecretLog, save_clean


@dataclass(frozen=True)
class Pending:
    """A request sent and waiting for its response; `position` is its place in the cassette.

    `raw_url` is the URL as sent (before sanitising), from which the response's sanitising learns
    the project and location to hide.
    """

    position: int
    request: Request
    raw_url: str


@dataclass
class Recorder:
    """Collect sanitised interactions for one cassette and save them.

    `previous` is the cassette already on disk, if any: with `extend` the new interactions are added
    after its own (recording what is missing); without, they replace it (re-recording everything).
    With `timing`, streams keep the delay before each event, for replaying at the original pace
    (off by default: timings differ on every recording, which would make re-recording noisy).
    `canonical` rewrites the address that was really called (the emulator's) into the service's
    canonical URL, in request URLs and wherever the address appears in headers and bodies.
    """

    path: Path
    meta: Meta = field(default_factory=Meta)
    sanitiser: Sanitiser = field(default_factory=Sanitiser)
    previous: Cassette | None = None
    extend: bool = False
    canonical: Callable[[str], str] | None = None
    timing: bool = False
    secrets: SecretLog = field(default_factory=SecretLog)
    _slots: list[Interaction | Pending] = field(default_factory=list, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def start(self, request: Request) -> Pending:
        """Sanitise a request about to be sent and reserve its place."""
        if self.canonical is not None:
            request = _rewrite_request(request, self.canonical)
        clean = self.sanitiser.request(request, self.secrets)
        with self._lock:
            pending = Pending(len(self._slots), clean, request.url)
            self._slots.append(pending)
        return pending

    def finish(self, pending: Pending, response: Response) -> None:
        """Sanitise the response to `pending` and put the interaction in its place."""
        if self.canonical is not None:
            response = _rewrite_response(response, self.canonical)
        clean = self.sanitiser.response(response, pending.raw_url, self.secrets)
        with self._lock:
            self._slots[pending.position] = Interaction(pending.request, clean)

    @property
    def interactions(self) -> tuple[Interaction, ...]:
        """Return the interactions finished so far, in the order their requests were sent."""
        with self._lock:
            new = tuple(slot for slot in self._slots if isinstance(slot, Interaction))
        if self.extend and self.previous is not None:
            return self.previous.interactions + new
        return new

    @property
    def changed(self) -> bool:
        """Whether saving would change the interactions of the cassette on disk."""
        previous = self.previous.interactions if self.previous is not None else None
        return self.interactions != previous

    def cassette(self) -> Cassette:
        """Return the cassette as it would be saved now."""
        interactions = self.interactions
        if self.previous is not None and not self.changed:
            recorded_at = self.previous.meta.recorded_at
        else:
            recorded_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return Cassette(interactions, replace(self.meta, recorded_at=recorded_at))

    def save(self) -> Cassette:
        """Scan for credentials and write the cassette atomically; raise and write nothing on a find."""
        cassette = self.cassette()
        save_clean(cassette, self.path, self.secrets)
        return cassette


def _rewrite_request(request: Request, canonical: Callable[[str], str]) -> Request:
    return replace(
        request,
        url=canonical(request.url),
        body=map_body(request.body, canonical),
    )


def _rewrite_response(response: Response, canonical: Callable[[str], str]) -> Response:
    headers = tuple((name, canonical(value)) for name, value in response.headers)
    return replace(response, headers=headers, body=map_body(response.body, canonical))
