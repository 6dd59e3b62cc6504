"""Process-wide guards while a test replays: no connection beyond 127.0.0.1, no waiting on replayed polls.

Both patch the standard library for the duration of a block and put it back afterwards: the
socket module's ``connect`` (so any client, however it was built, is refused with a clear error)
and ``time.sleep`` / ``asyncio.sleep`` (a sleep returns at once while the last replayed answer shows
an operation or job still under way, since the next recorded poll is ready now).
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from replay._errors import NetworkBlockedError

_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"})
T = TypeVar("T")


def is_loopback(address: object) -> bool:
    """Tell whether a socket address is this machine (127.0.0.1, ::1) or a Unix socket path."""
    if isinstance(address, str | bytes):
        return True  # AF_UNIX
    if isinstance(address, tuple) and address:
        host = str(address[0]).lower()
        return host in _LOOPBACK or host.startswith("127.")
    return False


@contextmanager
def blocking_network() -> Iterator[None]:
    """Refuse, with `NetworkBlockedError`, every socket connection beyond 127.0.0.1 in the block."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def refuse(sock: socket.socket, address: Any) -> NetworkBlockedError:
        # Callers such as socket.create_connection close the socket only on OSError; ours is no
        # OSError (so no retry loop swallows it), hence the socket is closed here.
        sock.close()
        return NetworkBlockedError(address)

    def connect(self: Any, address: Any) -> None:
        if not is_loopback(address):
            raise refuse(self, address)
        real_connect(self, address)

    def connect_ex(self: Any, address: Any) -> int:
        if not is_loopback(address):
            raise refuse(self, address)
        return real_connect_ex(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]


@dataclass
class SkippedSleeps:
    """How many sleeps returned at once, and the seconds they would have taken."""

    count: int = 0
    seconds: float = 0.0


@contextmanager
def skipping_sleeps(is_waiting: Callable[[], bool]) -> Iterator[SkippedSleeps]:
    """Make `time.sleep` and `asyncio.sleep` return at once whenever `is_waiting()` is true."""
    skipped = SkippedSleeps()
    real_sleep, real_async_sleep = time.sleep, asyncio.sleep

    def sleep(seconds: Any) -> None:
        if seconds > 0 and is_waiting():
            skipped.count += 1
            skipped.seconds += seconds
            return
        real_sleep(seconds)

    def async_sleep(delay: float, result: T | None = None) -> Coroutine[Any, Any, T | None]:
        if delay > 0 and is_waiting():
            skipped.count += 1
            skipped.seconds += delay
            return real_async_sleep(0, result)
        return real_async_sleep(delay, result)

    time.sleep = sleep
    asyncio.sleep = async_sleep  # type: ignore[assignment]
    try:
        yield skipped
    finally:
        time.sleep = real_sleep
        asyncio.sleep = real_async_sleep
