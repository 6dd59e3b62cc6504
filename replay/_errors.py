"""The exceptions `replay` raises; every one of them derives from `ReplayError`.

ReplayError
 └── CassetteError      a cassette cannot be read or written: format, JSON, blob, path
"""

from __future__ import annotations

from pathlib import Path


class ReplayError(Exception):
    """Root of every error raised by `replay`."""


class CassetteError(ReplayError):
    """A cassette file cannot be read or written; `cassette_path` names it."""

    def __init__(self, message: str, *, cassette_path: Path | None = None) -> None:
        where = f"{cassette_path}: " if cassette_path is not None else ""
        super().__init__(where + message)
        self.cassette_path = cassette_path


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
