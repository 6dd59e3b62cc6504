"""When and how long to wait before retrying a request that failed in a retryable way."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

RETRYABLE_STATUS_CODES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryOptions:
    """Retry with exponential backoff; pass one to `Transport(retry=...)` to turn retries on.

    `attempts` counts the first try. The n-th wait is ``initial_delay * multiplier**(n-1)`` plus up
    to `jitter` seconds at random, capped at `max_delay`; a ``Retry-After`` header in seconds
    takes precedence, capped the same way. Connection failures and timeouts are retried too.

    >>> Transport(api_key=key, retry=RetryOptions(attempts=3, initial_delay=0.5))
    """

    attempts: int = 5
    initial_delay: float = 1.0
    max_delay: float = 60.0
    multiplier: float = 2.0
    jitter: float = 1.0
    status_codes: frozenset[int] = RETRYABLE_STATUS_CODES

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"RetryOptions.attempts must be at least 1, got {self.attempts!r}")

    def delay(self, failures: int, retry_after: str | None = None) -> float:
        """Return the wait in seconds after `failures` failed attempts (1 for the first)."""
        if retry_after is not None:
            try:
                seconds = float(retry_after)
            except ValueError:
                seconds = math.nan  # an HTTP date: fall back to backoff
            if math.isfinite(seconds):
                return min(max(seconds, 0.0), self.max_delay)
        backoff = self.initial_delay * self.multiplier ** (failures - 1)
        return min(backoff + random.uniform(0, self.jitter), self.max_delay)


NO_RETRY = RetryOptions(attempts=1)
