"""What every stateful part of the emulator shares: a virtual clock, resource ids and settings.

Determinism comes from here. The clock does not follow the wall clock: it starts at
2025-01-01T00:00:00Z and moves only when a test calls `Emulator.advance` (which is how a cache's
TTL runs out without waiting). Resource ids are the n-th id of their kind, hashed, so the same
sequence of requests names the same resources on every run, and a cassette recorded against the
emulator is byte-identical when re-recorded.

A request may name its scope in the ``x-genai-replay-scope`` header (the harness sends the test's id
when it records against the emulator, and the header is never stored): ids are then counted per
scope, so what one test's requests are called does not depend on which tests ran before it, in
this process or in another xdist worker.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal

from replay._relay import SCOPE_HEADER as SCOPE_HEADER
from replay.emulator._wire import timestamp

EPOCH = 1735689600.0
"""2025-01-01T00:00:00Z: where the virtual clock starts."""

_SCOPE: contextvars.ContextVar[str] = contextvars.ContextVar("genai_replay_emulator_scope", default="")

IdStyle = Literal["short", "long", "digits"]
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


class Clock:
    """A clock that stands still until advanced; thread-safe."""

    def __init__(self, start: float = EPOCH) -> None:
        self._lock = threading.Lock()
        self._now = start

    def now(self) -> float:
        """Return the current time in seconds since the epoch."""
        with self._lock:
            return self._now

    def stamp(self) -> str:
        """Return the current time in RFC 3339."""
        return timestamp(self.now())

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        if seconds < 0:
            raise ValueError(f"the clock only moves forward, not by {seconds!r} s")
        with self._lock:
            self._now += seconds


@contextmanager
def scoped(scope: str) -> Iterator[None]:
    """Count the ids handed out inside the block in `scope` ("" is the emulator-wide count)."""
    token = _SCOPE.set(scope)
    try:
        yield
    finally:
        _SCOPE.reset(token)


class Ids:
    """Hand out deterministic ids: the n-th id of a kind (in a scope) is always the same string."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def _count(self, name: str) -> str:
        scope = _SCOPE.get()
        counted = f"{scope}\x00{name}" if scope else name
        with self._lock:
            self._counts[counted] += 1
            n = self._counts[counted]
        return f"{scope}/{name}/{n}" if scope else f"{name}/{n}"

    def next(self, kind: str, style: IdStyle = "short") -> str:
        """Return the next id of `kind`: 12 or 40 lower-case letters and digits, or 18 digits."""
        seed = hashlib.sha256(self._count(kind).encode()).digest()
        number = int.from_bytes(seed, "big")
        if style == "digits":
            return str(10**17 + number % (9 * 10**17))
        length = 40 if style == "long" else 12
        chars = []
        for _ in range(length):
            number, index = divmod(number, len(_ALPHABET))
            chars.append(_ALPHABET[index])
        return "".join(chars)

    def token(self, kind: str) -> str:
        """Return the next opaque URL-safe token of `kind` (upload ids, access tokens)."""
        raw = hashlib.sha256(f"token/{self._count(kind)}".encode()).digest()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


@dataclass
class Context:
    """The clock, ids and settings that the stores share, and the lock that guards every store."""

    afc_depth: int = 1
    upload_granularity: int = 8 * 1024 * 1024
    clock: Clock = field(default_factory=Clock)
    ids: Ids = field(default_factory=Ids)
    lock: threading.RLock = field(default_factory=threading.RLock)


def vertex_deletion(context: Context, parent: str) -> dict[str, object]:
    """The finished operation Vertex AI answers a delete with (batch jobs, tuned models)."""
    return {
        "name": f"{parent}operations/{context.ids.next('operations', 'digits')}",
        "metadata": {
            "@type": "type.googleapis.com/google.cloud.aiplatform.v1beta1.DeleteOperationMetadata",
            "genericMetadata": {"createTime": context.clock.stamp()},
        },
        "done": True,
        "response": {"@type": "type.googleapis.com/google.protobuf.Empty"},
    }
