"""Run `genai-replay record`'s offline replay with no network at all, where Linux allows it.

The socket guard works inside the Python process; a subprocess or a C extension calling the OS
directly is beyond it. A fresh network namespace (``unshare -rn``, no root needed where user
namespaces are enabled) has nothing but a loopback interface, so nothing can leave whatever sends
it. Run as a script, this file is the first thing inside the namespace: it brings loopback up
(a new namespace starts with it down, and tests may serve on 127.0.0.1) and becomes the command.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import sys
from collections.abc import Sequence
from functools import cache

UNSHARE = ("unshare", "-rn")
_IFREQ = "16sH22x"  # struct ifreq: the interface name, then ifr_flags, padded to the union's 24 bytes
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1


@cache
def can_unshare_network() -> bool:
    """Tell whether ``unshare -rn`` works here: try it once (bringing loopback up inside) and remember."""
    if not sys.platform.startswith("linux") or shutil.which(UNSHARE[0]) is None:
        return False
    try:
        probe = subprocess.run(
            [*UNSHARE, *_inside()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def without_network(command: Sequence[str]) -> list[str]:
    """Return `command` to run in a network namespace of its own where that works, else unchanged."""
    if not can_unshare_network():
        return list(command)
    return [*UNSHARE, *_inside(), *command]


def _inside() -> list[str]:
    # Run by path in isolated mode: importing the `replay` package first would cost the probe a second.
    return [sys.executable, "-I", os.path.abspath(__file__)]


def _bring_loopback_up() -> None:
    import fcntl  # Linux only, like network namespaces, hence imported here and not at the top

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack(_IFREQ, b"lo", 0)
        flags = struct.unpack(_IFREQ, fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack(_IFREQ, b"lo", flags | _IFF_UP))


if __name__ == "__main__":
    _bring_loopback_up()
    if len(sys.argv) > 1:
        os.execvp(sys.argv[1], sys.argv[1:])
