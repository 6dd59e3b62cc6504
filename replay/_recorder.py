"""Write exchanges down while they happen: the library-agnostic half of recording.

A transport adapter hands the recorder each request as it is sent (`start`) and the response once its
body has been read to the end or closed (`finish`). Both are sanitised at once, so no secret is held
longer than the exchange itself, and interactions keep the order in which requests were sent, even
when streams finish out of order. A request that never gets an answer stays pending and is not
saved, nor is one given up with `drop`. `save` writes the cassette once, after the final credential scan.

An answer that broke off (a stream cut mid-way) is finished with the error that cut it, and stored
as read with that error in `Response.cut`, which the replaying transports turn back into the same
break.

Re-recording is quiet: when the interactions come out identical to the cassette already on disk, its
recording time is kept, so the file stays byte-identical; except when re-recording a stale cassette
(`is_refreshing`), which is done to date it anew.

A save replaces the file, or with `extend` adds after what it holds: what the file holds when the
save happens, so what another process saved meanwhile is kept. Several processes (pytest-xdist
workers) may record into one cassette at once: saves that extend, or that hold a `Claim` of the
run's `Ledger`, take turns under an exclusive lock on the folder, and first adopt what others saved
since the recording began, so no process's interactions are lost; an interaction another process
has already recorded for the same request is not added twice. With a claim, the first save of the
run replaces the cassette and every later one extends it (tests sharing a cassette in mode ``all``).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from replay._cassette import BLOB_DIR, Cassette, Interaction, Meta, Request, Response
from replay._cassette_json import load_cassette
from replay._errors import CassetteError
from replay._ledger import Claim
from replay._matchers import MatchOptions, request_key
from replay._placeholders import map_body
from replay._sanitiser import Sanitiser, SecretLog, save_clean
from replay._staging import Staging, moved


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
    `path` may be a `str` or any path-like object.
    """

    path: Path
    meta: Meta = field(default_factory=Meta)
    sanitiser: Sanitiser = field(default_factory=Sanitiser)
    previous: Cassette | None = None
    extend: bool = False
    canonical: Callable[[str], str] | None = None
    timing: bool = False
    claim: Claim | None = None
    """This run's hold on the cassette (the fixture's sessions): replaced once per run, then extended."""
    is_refreshing: bool = False
    """Whether this re-records a stale cassette: then it gets a new `recorded_at` even if unchanged."""
    secrets: SecretLog = field(default_factory=SecretLog)
    staging: Staging = field(default_factory=Staging, init=False)
    """Where large binary bodies wait until `save` (see `replay._staging`)."""
    _slots: list[Interaction | Pending | None] = field(default_factory=list, init=False)
    """Each request started, in order: pending, finished, or None once dropped."""
    _dropped: set[int] = field(default_factory=set, init=False)
    """Positions of interactions another process saved first (see `save`)."""
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)

    def start(self, request: Request) -> Pending:
        """Sanitise a request about to be sent and reserve its place."""
        if self.canonical is not None:
            request = _rewrite_request(request, self.canonical)
        clean = self.sanitiser.request(request, self.secrets)
        clean = replace(clean, body=self.staging.spill(clean.body))
        with self._lock:
            pending = Pending(len(self._slots), clean, request.url)
            self._slots.append(pending)
        return pending

    def finish(self, pending: Pending, response: Response, *, cut: str | None = None) -> None:
        """Sanitise the response to `pending` and put the interaction in its place.

        `cut` is the error that broke the answer off after what `response` holds, if it broke off.
        """
        if cut is not None:
            response = replace(response, cut=cut)
        if self.canonical is not None:
            response = _rewrite_response(response, self.canonical)
        clean = self.sanitiser.response(response, pending.raw_url, self.secrets)
        clean = replace(clean, body=self.staging.spill(clean.body))
        with self._lock:
            self._slots[pending.position] = Interaction(_as_stored(pending.request), _as_stored(clean))

    def drop(self, pending: Pending) -> None:
        """Give up `pending`'s place: its exchange is not recorded (a response hook said so)."""
        with self._lock:
            self._slots[pending.position] = None

    @property
    def interactions(self) -> tuple[Interaction, ...]:
        """Return the interactions finished so far, in the order their requests were sent."""
        with self._lock:
            new = tuple(
                slot
                for position, slot in enumerate(self._slots)
                if isinstance(slot, Interaction) and position not in self._dropped
            )
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
        if self.previous is not None and not self.changed and not self.is_refreshing:
            recorded_at = self.previous.meta.recorded_at
        else:
            recorded_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return Cassette(interactions, replace(self.meta, recorded_at=recorded_at))

    def save(self) -> Cassette:
        """Scan for credentials and write the cassette atomically; raise and write nothing on a find.

        Without `extend` (and without a claim some earlier save of the run has used), the file is
        replaced by what this recording holds. With `extend`, the new interactions go after what the
        file holds now, which keeps what other processes saved since `previous` was read.
        """
        is_shared = self.extend or self.claim is not None
        with _folder_lock(self.path.parent) if is_shared else contextlib.nullcontext():
            if self.claim is not None and self.claim.is_replaced:
                self.extend = True  # another test of this run replaced it already: add to what it wrote
            if self.extend:
                self._catch_up()
            cassette = self.cassette()
            if cassette != self.previous:  # what is on disk already, when nothing changed
                save_clean(cassette, self.path, self.secrets)
            if self.claim is not None:
                self.claim.mark_replaced()
        self._unstage()
        return replace(
            cassette,
            interactions=tuple(_moved(i, self.path.parent / BLOB_DIR) for i in cassette.interactions),
        )

    def discard(self) -> None:
        """Drop what was recorded, writing nothing (an interrupted test leaves its cassette as it was)."""
        with self._lock:
            self._slots = []
        self.staging.close()

    def _unstage(self) -> None:
        """Point the staged bodies at the blobs the save wrote, and remove the staged files."""
        blobs = self.path.parent / BLOB_DIR
        with self._lock:
            self._slots = [_moved(s, blobs) if isinstance(s, Interaction) else s for s in self._slots]
            is_idle = not any(isinstance(s, Pending) for s in self._slots)
        if is_idle:  # an exchange under way may still be writing, or waiting on, a staged file
            self.staging.close()

    def _catch_up(self) -> None:
        """Make the cassette on disk, as another process may have saved it since, the one to add to."""
        try:
            on_disk = load_cassette(self.path)
        except CassetteError:
            return  # none yet, or unreadable: what this save writes replaces it
        known = self.previous.interactions if self.previous is not None else ()
        if on_disk.interactions == known:
            return
        if on_disk.interactions[: len(known)] == known:
            added = on_disk.interactions[len(known) :]
        else:  # re-recorded meanwhile: the new version stands, with ours after it
            added = on_disk.interactions
        # The same request as the player sees it: headers and key order do not count.
        theirs = [request_key(i.request, MatchOptions()) for i in added]
        with self._lock:
            for position, slot in enumerate(self._slots):
                if not isinstance(slot, Interaction):
                    continue
                key = request_key(slot.request, MatchOptions())
                if key in theirs:
                    theirs.remove(key)
                    self._dropped.add(position)
        self.previous = on_disk
        self.extend = True  # what others saved stays, with ours after it


_Message = TypeVar("_Message", Request, Response)


def _as_stored(message: _Message) -> _Message:
    """Put headers in the form a cassette stores them (by name, one value each), so that a recording
    compares equal to the same recording read back from disk."""
    return replace(message, headers=tuple(sorted(dict(message.headers).items())))


def _moved(interaction: Interaction, blobs: Path) -> Interaction:
    request, response = interaction.request, interaction.response
    return replace(
        interaction,
        request=replace(request, body=moved(request.body, blobs)),
        response=replace(response, body=moved(response.body, blobs)),
    )


def _rewrite_request(request: Request, canonical: Callable[[str], str]) -> Request:
    return replace(
        request,
        url=canonical(request.url),
        body=map_body(request.body, canonical),
    )


def _rewrite_response(response: Response, canonical: Callable[[str], str]) -> Response:
    headers = tuple((name, canonical(value)) for name, value in response.headers)
    return replace(
        response, headers=headers, body=map_body(response.body, canonical), cut=canonical(response.cut)
    )


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` across processes while the block runs (POSIX; elsewhere none).

    Locking the folder itself, not a lock file, leaves nothing behind.
    """
    try:
        import fcntl
    except ImportError:  # Windows: saves stay atomic, but concurrent extensions may race
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        # A file system without locks (some NFS and FUSE mounts) raises: then as on Windows.
        with contextlib.suppress(OSError):
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
