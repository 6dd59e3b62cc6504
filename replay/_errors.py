"""The exceptions `replay` raises; every one of them derives from `ReplayError`.

ReplayError
 ├── CassetteError         a cassette cannot be read or written: format, JSON, blob, path
 │    └── UnsupportedCassetteError   a foreign cassette cannot be imported (`genai-replay import`)
 ├── ConfigError           a genai_replay setting has a value that cannot work
 ├── CredentialLeakError   a cassette about to be written still holds a credential
 ├── NetworkBlockedError   replaying code tried to reach (or look up) beyond loopback
 ├── NoMatchError          a replayed request matches no recorded interaction
 └── StaleCassetteError    a cassette is older than max_age allows, and on_stale is fail
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path


class ReplayError(Exception):
    """Root of every error raised by `replay`."""


class CassetteError(ReplayError):
    """A cassette file cannot be read or written; `cassette_path` names it."""

    def __init__(self, message: str, *, cassette_path: Path | None = None) -> None:
        where = f"{cassette_path}: " if cassette_path is not None else ""
        super().__init__(where + message)
        self.cassette_path = cassette_path


class UnsupportedCassetteError(CassetteError):
    """A foreign cassette cannot be imported; `cassette_path` names it, `reason` says why and what to do."""

    def __init__(self, reason: str, *, cassette_path: Path) -> None:
        super().__init__(reason, cassette_path=cassette_path)
        self.reason = reason


class CredentialLeakError(ReplayError):
    """A cassette about to be written still holds a credential; it was not written.

    `findings` lists where each credential was found (``interactions[0].request.url``).
    """

    def __init__(self, cassette_path: Path, findings: list[str]) -> None:
        shown = "; ".join(findings[:5]) + (f"; and {len(findings) - 5} more" if len(findings) > 5 else "")
        super().__init__(
            f"{cassette_path}: refused to write a cassette that still holds credentials ({shown}); "
            "nothing was written. Add a sanitising rule (a header, JSON path or regex) that removes them"
        )
        self.cassette_path = cassette_path
        self.findings = findings


class NoMatchError(ReplayError):
    """While replaying, a request matched no recorded interaction; nothing was sent.

    `request` is the (sanitised) request, `cassette_path` the cassette searched, `differences`
    the path-level differences from the closest recorded request, and `violations` where the
    request breaks the API's schema (``path: message``).
    """

    def __init__(
        self,
        message: str,
        *,
        cassette_path: Path | None,
        request: object,
        differences: list[str],
        violations: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.cassette_path = cassette_path
        self.request = request
        self.differences = differences
        self.violations = violations or []


class ConfigError(ReplayError):
    """A genai_replay setting (option, marker, ini key or config fixture) has a value that cannot work."""


class NetworkBlockedError(ReplayError):
    """While replaying, code tried to reach beyond loopback; nothing was sent.

    `address` is where it tried to connect or send (a socket address), or the name it tried to look
    up; `operation` is the `socket` call refused (``connect``, ``sendto``, ``getaddrinfo``, ...).
    """

    def __init__(self, address: object, *, operation: str = "connect") -> None:
        if operation in _LOOKUPS:
            what = "a lookup of"
        elif operation.startswith("connect"):
            what = "a connection to"
        else:
            what = "sending to"
        super().__init__(
            f"genai_replay blocked {what} {address!r} (socket.{operation}): in replay mode nothing "
            "leaves this machine, only loopback (127.0.0.0/8, ::1, localhost) and Unix sockets are "
            "reachable. Record what the test needs with --genai-replay-mode=new_episodes, run it live "
            "with --genai-replay-mode=live, or serve what it calls on 127.0.0.1"
        )
        self.address = address
        self.operation = operation


class StaleCassetteError(ReplayError):
    """A cassette was recorded longer ago than `max_age` allows and `on_stale` is ``fail``: the test
    did not run.

    `cassette_path` names the cassette, `age` is how old it is (None when its ``recorded_at`` is
    missing or not a time), `max_age` the limit, and `rerun` the command that re-records it.
    """

    def __init__(
        self, cassette_path: Path, *, reason: str, age: timedelta | None, max_age: timedelta, rerun: str
    ) -> None:
        super().__init__(
            f"{cassette_path}: stale cassette: {reason} (on_stale=fail); re-record it with `{rerun}`, "
            "or raise max_age"
        )
        self.cassette_path = cassette_path
        self.age = age
        self.max_age = max_age
        self.rerun = rerun


_LOOKUPS = frozenset({"getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo"})
