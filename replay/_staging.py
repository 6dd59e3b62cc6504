"""Large binary bodies of a recording, kept in temporary files until the cassette is saved.

A recording holds every interaction until `Recorder.save`; a 200 MiB upload sent in 8 MiB chunks, or a
50 MiB video download, would be held whole. `Staging` moves a binary body larger than `LAZY_BLOB`
into a file of its own as soon as it is complete (`spill`), or while it arrives (`BlobWriter`), and
the body then names that file (`Blob`) instead of holding the bytes. Saving copies each staged file
into the cassette's blob folder piece by piece; `moved` then points the bodies there, and `close`
removes the temporary folder.

The files live in a private temporary folder (mode 0700, in the system's temporary directory), never
beside the cassette: the final credential scan runs at save, and until it has passed nothing of the
recording is written where it could be committed. A process killed mid-recording leaves the folder
to the system's temporary-file cleaning.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from replay._cassette import LAZY_BLOB, Blob, Body, BodyKind


class BlobWriter:
    """Write a body to a staged file as it arrives, hashing it on the way; `blob` once it is complete."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._handle = path.open("xb")
        self._hash = hashlib.sha256()
        self._size = 0

    def write(self, piece: bytes) -> None:
        """Append `piece`."""
        self._handle.write(piece)
        self._hash.update(piece)
        self._size += len(piece)

    def discard(self) -> None:
        """Close and remove the file: what it holds is incomplete."""
        self._handle.close()
        self._path.unlink(missing_ok=True)

    def blob(self) -> Blob:
        """Close the file and return the blob it now holds."""
        self._handle.close()
        return Blob(self._path, self._hash.hexdigest(), self._size)


class Staging:
    """A recording's temporary folder of large binary bodies, made when the first one comes."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._count = 0
        self._lock = threading.Lock()

    def writer(self) -> BlobWriter:
        """Return a writer for a new staged file."""
        with self._lock:
            if self._folder is None:
                self._folder = tempfile.TemporaryDirectory(prefix="genai-replay-staging-")
            self._count += 1
            path = Path(self._folder.name) / f"{self._count}.bin"
        return BlobWriter(path)

    def spill(self, body: Body) -> Body:
        """Return `body` naming a staged file instead of holding its bytes, when it is large and binary."""
        if body.kind is not BodyKind.BYTES or body.blob is not None or len(body.data) <= LAZY_BLOB:
            return body
        writer = self.writer()
        writer.write(body.data)
        return replace(body, data=b"", blob=writer.blob())

    def close(self) -> None:
        """Remove every staged file; bodies still naming them can no longer be read."""
        with self._lock:
            folder, self._folder = self._folder, None
        if folder is not None:
            folder.cleanup()


def moved(body: Body, blobs: Path) -> Body:
    """Return `body` naming its blob in the folder `blobs`, where saving copied a staged file."""
    if body.blob is None or body.blob.path.parent == blobs:
        return body
    return replace(body, blob=replace(body.blob, path=blobs / body.blob.sha256))
