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
