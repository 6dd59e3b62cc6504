"""Process-wide guards while a test replays: nothing leaves loopback, no waiting on replayed polls.

Both patch the standard library for the duration of a block and put it back afterwards: the socket
calls that send or look names up (so any client, however it was built, is refused with a clear
error) and ``time.sleep`` / ``asyncio.sleep`` (a sleep returns at once while the last replayed answer
shows an operation or job still under way, since the next recorded poll is ready now).
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from replay._errors import NetworkBlockedError

T = TypeVar("T")


def is_loopback(address: object) -> bool:
    """Tell whether a socket address stays on this machine: a loopback host, or a Unix socket path.

    Any other family's address (netlink, packet, Bluetooth, ...) does not count, so it is refused.
    """
    if isinstance(address, str | bytes | os.PathLike):
        return True  # AF_UNIX: a path, or a name in the abstract namespace
    return isinstance(address, tuple) and bool(address) and is_loopback_host(address[0])


def is_loopback_host(host: object) -> bool:
    """Tell whether a host is this machine: an IP in 127.0.0.0/8 or ::1 (IPv4-mapped too), or ``localhost``.

    The host is parsed, never matched by prefix: ``127.0.0.1.attacker.example`` is a name like any
    other, and every name but localhost needs a lookup that may leave the machine.
    """
    ip = _ip(host)
    if ip is None:
        return isinstance(host, str | bytes) and _text(host).lower() in ("localhost", "localhost.")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


@contextmanager
def blocking_network() -> Iterator[None]:
    """Refuse, with `NetworkBlockedError`, every socket call in the block that could reach beyond loopback.

    Connecting and sending to an address are checked on `socket.socket` (which `ssl` and asyncio's
    sockets go through too), and name lookups on the `socket` module's functions, which
    `loop.getaddrinfo` calls in a thread. A lookup of an IP literal sends nothing, so it passes and
    the connection to it is what is checked.
    """
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_sendto: Callable[..., int] = socket.socket.sendto
    real_sendmsg: Callable[..., int] | None = getattr(socket.socket, "sendmsg", None)  # not on Windows
    real_getaddrinfo, real_getnameinfo = socket.getaddrinfo, socket.getnameinfo
    real_gethostbyname, real_gethostbyname_ex = socket.gethostbyname, socket.gethostbyname_ex
    real_gethostbyaddr = socket.gethostbyaddr

    def refuse(sock: socket.socket, address: Any, operation: str) -> NetworkBlockedError:
        # Callers such as socket.create_connection close the socket only on OSError; ours is no
        # OSError (so no retry loop swallows it), hence the socket is closed here.
        sock.close()
        return NetworkBlockedError(address, operation=operation)

    def connect(self: socket.socket, address: Any) -> None:
        if not is_loopback(address):
            raise refuse(self, address, "connect")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not is_loopback(address):
            raise refuse(self, address, "connect_ex")
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *flags_and_address: Any) -> int:
        # The address comes last with or without flags; with MSG_FASTOPEN a TCP socket connects to it.
        if flags_and_address and not is_loopback(flags_and_address[-1]):
            raise NetworkBlockedError(flags_and_address[-1], operation="sendto")
        return real_sendto(self, data, *flags_and_address)

    def sendmsg(self: socket.socket, *args: Any) -> int:
        # (buffers, ancdata, flags, address): without an address it sends on a connection already checked.
        if len(args) > 3 and args[3] is not None and not is_loopback(args[3]):
            raise NetworkBlockedError(args[3], operation="sendmsg")
        assert real_sendmsg is not None
        return real_sendmsg(self, *args)

    def getaddrinfo(
        host: str | bytes | None,
        port: str | bytes | int | None,
        family: int = 0,
        type: int = 0,
        proto: int = 0,
        flags: int = 0,
    ) -> list[Any]:
        if not _is_local_lookup(host):
            raise NetworkBlockedError(host, operation="getaddrinfo")
        return real_getaddrinfo(host, port, family, type, proto, flags)

    def gethostbyname(hostname: str) -> str:
        if not _is_local_lookup(hostname):
            raise NetworkBlockedError(hostname, operation="gethostbyname")
        return real_gethostbyname(hostname)

    def gethostbyname_ex(hostname: str) -> tuple[str, list[str], list[str]]:
        if not _is_local_lookup(hostname):
            raise NetworkBlockedError(hostname, operation="gethostbyname_ex")
        return real_gethostbyname_ex(hostname)

    def gethostbyaddr(ip_address: str) -> tuple[str, list[str], list[str]]:
        # A reverse lookup asks DNS about the address itself, IP literal or not.
        if not is_loopback_host(ip_address):
            raise NetworkBlockedError(ip_address, operation="gethostbyaddr")
        return real_gethostbyaddr(ip_address)

    def getnameinfo(sockaddr: tuple[str, int] | tuple[str, int, int, int], flags: int) -> tuple[str, str]:
        if not (flags & socket.NI_NUMERICHOST or is_loopback(sockaddr)):
            raise NetworkBlockedError(sockaddr, operation="getnameinfo")
        return real_getnameinfo(sockaddr, flags)

    patches: list[tuple[object, str, Callable[..., Any]]] = [
        (socket.socket, "connect", connect),
        (socket.socket, "connect_ex", connect_ex),
        (socket.socket, "sendto", sendto),
        (socket, "getaddrinfo", getaddrinfo),
        (socket, "gethostbyname", gethostbyname),
        (socket, "gethostbyname_ex", gethostbyname_ex),
        (socket, "gethostbyaddr", gethostbyaddr),
        (socket, "getnameinfo", getnameinfo),
    ]
    if real_sendmsg is not None:
        patches.append((socket.socket, "sendmsg", sendmsg))
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, guarded in patches:
        setattr(owner, name, guarded)
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def _is_local_lookup(host: object) -> bool:
    """Tell whether resolving `host` sends nothing beyond loopback: no host, an IP literal, or localhost."""
    return host is None or _ip(host) is not None or is_loopback_host(host)


def _ip(host: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Parse `host` as an IP literal (``::1%lo`` included); None for a name, or for what is not text."""
    if not isinstance(host, str | bytes):
        return None
    try:
        return ipaddress.ip_address(_text(host))
    except ValueError:
        return None


def _text(host: str | bytes) -> str:
    # A name that is not ASCII is no IP literal and not localhost: replacing its bytes keeps it refused.
    return host if isinstance(host, str) else host.decode("ascii", errors="replace")


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
