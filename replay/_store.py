"""The cassette's files on disk: atomic writes, sweeping up after killed writers, checked blob files.

Every file is written through a temporary file and a rename, so a reader never sees half of one;
a blob is named by the SHA-256 of its content, and checked against it when it is read back.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from genai_min._http import JSONObject
from replay._cassette import LAZY_BLOB, Blob, Body

STALE_AFTER = 600.0
"""Seconds after which a temporary file left by a killed writer is removed on the next save beside it."""
_DIGEST = re.compile(r"[0-9a-f]{64}")
_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{16}\.tmp")


class BlobError(Exception):
    """A blob reference or file that is not usable; the cassette reader adds the path and the fix."""


def read_blob(ref: JSONObject, blobs: Path) -> Blob | bytes:
    """Return the blob `ref` names (its bytes, when small), once its file has that hash and size."""
    digest, size = ref.get("sha256"), ref.get("size")
    # The digest names a file: anything but 64 hex digits could point outside the blob folder.
    if not isinstance(digest, str) or not _DIGEST.fullmatch(digest) or type(size) is not int or size < 0:
        raise BlobError(
            f"a blob reference needs sha256 (64 lower-case hex digits) and size (bytes), found {ref!r}"
        )
    blob = Blob(blobs / digest, digest, size)
    hashed = hashlib.sha256()
    length = 0
    held = []
    try:
        for piece in blob.chunks():
            hashed.update(piece)
            length += len(piece)
            if size <= LAZY_BLOB:
                held.append(piece)
    except FileNotFoundError:
        raise BlobError(f"blob {digest} ({size} bytes) is missing from {blobs}") from None
    except OSError as exc:
        raise BlobError(f"blob {digest} cannot be read: {exc}") from None
    if length != size or hashed.hexdigest() != digest:
        raise BlobError(f"blob {digest} does not match its hash and size (corrupted)")
    return b"".join(held) if size <= LAZY_BLOB else blob


def write_blob(body: Body, blobs: Path) -> None:
    """Write the binary content of `body` to its blob file in `blobs`, unless the file is there already."""
    target = blobs / body.sha256
    if not target.exists():
        blobs.mkdir(parents=True, exist_ok=True)
        write_atomic(target, body.chunks())


def sweep_leftovers(folder: Path, prefix: str) -> None:
    """Remove the temporary files of writers killed long ago (see `write_atomic`).

    A temporary file younger than `STALE_AFTER` may belong to a writer still at work (another xdist
    worker saving the same cassette), so it is left alone; no write takes that long.
    """
    cutoff = time.time() - STALE_AFTER
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and _TEMPORARY.fullmatch(n)]
    except OSError:
        return
    for name in names:
        with contextlib.suppress(OSError):
            if os.stat(folder / name).st_mtime < cutoff:
                os.unlink(folder / name)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write through a temporary file in the same folder, then rename over `path`.

    The temporary file's name is chosen before it is created, so an interrupt at any moment (Ctrl-C,
    a signal handler's SystemExit) leaves nothing behind; only a kill Python never sees (SIGKILL,
    a power cut) can, and that ``.<name>.<random>.tmp`` file is never taken for a cassette or blob.
    The file gets the permissions of any new file (umask), as the cassette it replaces had.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        with open(tmp, "xb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except FileExistsError:
        raise  # another writer's temporary file, not ours to remove
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
