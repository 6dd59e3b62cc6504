"""Fault injection: make the emulator slow, refuse requests for a while, or cut streams short.

Faults are deterministic: a burst of `failures` error answers hits the first requests that match,
counted from the moment the faults were set (`Emulator.faults = Faults(...)` restarts the count),
and every later matching request succeeds. The OAuth token endpoint is never faulted: google-auth
has its own retry rules, and the point is to exercise the API client's.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Faults:
    """What goes wrong, and for which requests.

    - `latency`: seconds to wait before every answer (keep it to milliseconds in tests).
    - `failures`: how many matching requests are answered with `status` before the rest succeed.
    - `status`: 429 (RESOURCE_EXHAUSTED) or a 5xx such as 500, 503, 504.
    - `retry_after`: seconds sent in ``Retry-After`` (and a ``RetryInfo`` detail on 429); None sends none.
    - `cut_stream_after`: close streamed answers after this many events, without ending them
      properly, so the client sees a broken connection mid-stream.
    - `cut_streams`: how many matching streamed answers are cut before the rest end properly,
      counted like `failures` (None: every one), so that a caller's retry can get through.
    - `path_pattern`: a regular expression searched in the request path; only matching requests are
      faulted (all of them when empty).

    >>> emulator.faults = Faults(failures=2, status=503, retry_after=0)
    """

    latency: float = 0.0
    failures: int = 0
    status: int = 429
    retry_after: float | None = 0.0
    cut_stream_after: int | None = None
    cut_streams: int | None = None
    path_pattern: str = ""

    def __post_init__(self) -> None:
        if not (self.status == 429 or 500 <= self.status <= 599):
            raise ValueError(f"Faults.status must be 429 or a 5xx status, not {self.status!r}")
        if self.failures < 0 or self.latency < 0:
            raise ValueError("Faults.failures and Faults.latency must not be negative")
        if self.cut_stream_after is not None and self.cut_stream_after < 0:
            raise ValueError("Faults.cut_stream_after must be None or zero or more events")
        if self.cut_streams is not None and self.cut_streams < 0:
            raise ValueError("Faults.cut_streams must be None or zero or more streams")
        re.compile(self.path_pattern)


class FaultPlan:
    """The faults in force and how many of the burst are left; thread-safe."""

    def __init__(self, faults: Faults | None = None) -> None:
        self._lock = threading.Lock()
        self._faults = faults or Faults()
        self._left = self._faults.failures
        self._cuts_left = self._faults.cut_streams

    @property
    def faults(self) -> Faults:
        """Return the faults in force."""
        return self._faults

    def replace(self, faults: Faults | None) -> None:
        """Put new faults in force and restart the burst count."""
        with self._lock:
            self._faults = faults or Faults()
            self._left = self._faults.failures
            self._cuts_left = self._faults.cut_streams

    def applies(self, path: str) -> bool:
        """Tell whether the faults concern a request to `path`."""
        pattern = self._faults.path_pattern
        return path != "/token" and (not pattern or re.search(pattern, path) is not None)

    def take_failure(self, path: str) -> int | None:
        """Return the status to fail this request with, consuming one of the burst, or None."""
        with self._lock:
            if self._left <= 0 or not self.applies(path):
                return None
            self._left -= 1
            return self._faults.status

    def take_cut(self, path: str) -> int | None:
        """Return after how many events to cut this stream, consuming one of `cut_streams`, or None."""
        with self._lock:
            after = self._faults.cut_stream_after
            if after is None or not self.applies(path) or self._cuts_left == 0:
                return None
            if self._cuts_left is not None:
                self._cuts_left -= 1
            return after
