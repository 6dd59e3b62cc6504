"""What one run has written: which cassettes a writing mode opened, across pytest-xdist workers.

Tests may share a cassette (the marker's name). Within one run, mode ``all`` replaces a shared
cassette once and then every test that uses it adds its interactions; mode ``once`` treats a
cassette created earlier in the same run as still open for recording. Workers are processes, so
the ledger is a folder under the system's temporary folder, named by the run's id (the controller
makes one and hands it to its workers), with one small file per cassette:

- the file exists once a test of this run has opened the cassette for writing (`Claim.is_first`);
- it holds ``replaced`` once a save of this run has replaced what the cassette held before the run
  (`Claim.is_replaced`); saves that follow extend the file instead.

Marks are read and written under the cassette folder's lock (`replay._recorder`). The controller
removes the folder at the end of the run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

_REPLACED = b"replaced"


@dataclass(frozen=True)
class Claim:
    """One run's hold on one cassette: whether it was the first claim, and whether a save replaced it."""

    path: Path
    marker: Path
    is_first: bool

    @property
    def is_replaced(self) -> bool:
        """Tell whether a save of this run has already replaced the cassette's old content."""
        try:
            return self.marker.read_bytes() == _REPLACED
        except OSError:
            return False

    def mark_replaced(self) -> None:
        """Note that the cassette on disk is this run's now: later saves extend it."""
        self.marker.write_bytes(_REPLACED)


class Ledger:
    """The cassettes one run has opened for writing, shared by its worker processes."""

    def __init__(self, run_id: str | None = None) -> None:
        self.run_id = run_id or uuid.uuid4().hex
        self.folder = Path(tempfile.gettempdir()) / f"genai-replay-run-{self.run_id}"

    def claim(self, path: Path) -> Claim:
        """Note that this run writes `path`, and whether this is the run's first claim on it."""
        self.folder.mkdir(mode=0o700, exist_ok=True)
        name = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()
        marker = self.folder / name
        try:
            descriptor = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return Claim(path, marker, is_first=False)
        os.close(descriptor)
        return Claim(path, marker, is_first=True)

    def is_claimed(self, path: Path) -> bool:
        """Tell whether a test of this run has opened `path` for writing."""
        name = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()
        return (self.folder / name).exists()

    def close(self) -> None:
        """Remove the ledger (the controller does, once the whole run is over)."""
        shutil.rmtree(self.folder, ignore_errors=True)
