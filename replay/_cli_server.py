"""What `genai-replay serve` and `genai-replay emulator` share: the banner that tells users how to point
their clients at a local server, the warning when one listens beyond loopback, and waiting for Ctrl-C.
"""

from __future__ import annotations

import ipaddress
import time

ANY_KEY = "unused"
"""The key the banner suggests when the server checks none (clients still insist on having one)."""


def client_environment(url: str, *, api_key: str | None = None) -> dict[str, str]:
    """Return the environment variables that point `genai_min` and the official SDK at `url`.

    Both read ``GOOGLE_GEMINI_BASE_URL`` and ``GOOGLE_VERTEX_BASE_URL`` (see `genai_min._endpoint`), and
    an API key from ``GOOGLE_API_KEY``; `api_key` is the one the server demands, if any.
    """
    return {
        "GOOGLE_GEMINI_BASE_URL": url,
        "GOOGLE_VERTEX_BASE_URL": url,
        "GOOGLE_API_KEY": api_key or ANY_KEY,
    }


def banner(what: str, url: str, *, api_key: str | None = None) -> list[str]:
    """Return the lines that say what is served where, and how to point clients at it.

    >>> print("\\n".join(banner("Replaying 3 cassettes", "http://127.0.0.1:8080")))
    """
    key_note = "the key the server demands" if api_key else "any key will do"
    return [
        f"{what} on {url}",
        f"Point genai_min and the official Python SDK at it ({key_note}):",
        *(f"  export {name}={value}" for name, value in client_environment(url, api_key=api_key).items()),
        f"Other clients (curl, the JS SDK) take {url} as their base URL. Press Ctrl-C to stop.",
    ]


def is_loopback(host: str) -> bool:
    """Tell whether `host` is reachable only from this machine: ``localhost``, 127.0.0.0/8 or ``::1``."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a name other than localhost: it may resolve to anything
        return False


def exposure_warning(host: str) -> str:
    """Return the warning for a server that listens on `host`, beyond loopback and with no authentication."""
    return (
        f"Warning: listening on {host!r}, which is not a loopback address: anyone who can reach this "
        "machine can read every recorded exchange, and nothing asks them for a key. Use --host "
        "127.0.0.1 unless every machine on this network may see the recordings."
    )


def wait_for_interrupt(url: str) -> None:
    """Block until Ctrl-C while the server at `url` runs in its own thread."""
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return
