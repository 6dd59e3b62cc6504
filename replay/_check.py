"""Check cassettes at rest: strict format, bodies against the API's schemas, no credentials.

What `genai-replay check` runs, typically as a pre-commit hook, so it stays cheap: schemas are
read (and jsonschema imported) only when a body of their API version is checked, and nothing
here imports click or deepdiff.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from replay._cassette import BLOB_DIR, BodyKind, Cassette, Interaction
from replay._cassette_json import load_cassette
from replay._errors import CassetteError
from replay._sanitiser import find_credentials
from replay._schemas import Violation, check_request, check_response

CASSETTE_SUFFIX = ".json"


class FindingKind(Enum):
    """What a finding is about: the file itself, a body the API would refuse, or a credential."""

    FORMAT = "format"
    SCHEMA = "schema"
    CREDENTIAL = "credential"


@dataclass(frozen=True)
class Finding:
    """One problem in a cassette: the file, where inside it (``""`` for the whole file), and what."""

    path: Path
    where: str
    message: str
    kind: FindingKind

    def __str__(self) -> str:
        path = shown_path(self.path)
        return f"{path}: {self.where}: {self.message}" if self.where else f"{path}: {self.message}"

    def to_json(self) -> dict[str, str]:
        """Return the finding as the plain object `check --json` prints."""
        return {"path": str(self.path), "where": self.where, "kind": self.kind.value, "message": self.message}


def shown_path(path: Path) -> str:
    """Return `path` as a user reads it: relative to the current folder when it lies below it."""
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def find_cassettes(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders into the cassette files they name, sorted, without duplicates.

    Folders are searched recursively for ``*.json``; files inside a ``blobs/`` folder are blob
    contents, checked through the cassettes that reference them, and are left out.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(
                p for p in path.rglob(f"*{CASSETTE_SUFFIX}") if p.is_file() and p.parent.name != BLOB_DIR
            )
        elif path.parent.name != BLOB_DIR:
            found.add(path)
    return sorted(found)


def check_cassettes(paths: Iterable[Path]) -> list[Finding]:
    """Check every cassette file in `paths` and return what was found, in file order.

    Expand folders with `find_cassettes` first::

        for finding in check_cassettes(find_cassettes([Path("cassettes")])):
            print(finding)
    """
    return [finding for path in paths for finding in check_cassette(path)]


def check_cassette(path: Path) -> list[Finding]:
    """Check one cassette file: it loads strictly, its bodies fit their schemas, it holds no credential."""
    try:
        cassette = load_cassette(path)
    except CassetteError as exc:
        message = str(exc).removeprefix(f"{path}: ")
        return [Finding(path, "", message, FindingKind.FORMAT)]
    return [*_schema_findings(path, cassette), *_credential_findings(path, cassette)]


def _schema_findings(path: Path, cassette: Cassette) -> Iterator[Finding]:
    for index, interaction in enumerate(cassette.interactions):
        for side, violation in _violations(interaction):
            where = _join(f"interactions[{index}].{side}.body", violation.path)
            yield Finding(path, where, violation.message, FindingKind.SCHEMA)


def _violations(interaction: Interaction) -> Iterator[tuple[str, Violation]]:
    request, response = interaction.request, interaction.response
    if request.body.kind is BodyKind.JSON:
        for violation in check_request(request.method, request.url, request.body.json):
            yield "request", violation
    # An error answer holds the error envelope, not the operation's response: nothing to check.
    if response.status >= 400:
        return
    if response.body.kind is BodyKind.JSON:
        body: object = response.body.json
    elif response.body.kind is BodyKind.SSE:
        body = list(response.body.events)
    else:
        return
    for violation in check_response(request.method, request.url, body):
        yield "response", violation


def _credential_findings(path: Path, cassette: Cassette) -> Iterator[Finding]:
    # The same scan as before every write: stored text, what a reader could recover from it (joined
    # events, decoded base64, expanded bytes), URLs, headers, the method and the metadata.
    for found in find_credentials(cassette):
        if found.is_unreadable:
            message = f"holds {found.kind}; record it again"
        else:
            message = (
                f"holds {found.kind}; remove it with "
                f"`genai-replay scrub --rule-regex PATTERN {shown_path(path)}` "
                "(or record again), and revoke the credential"
            )
        yield Finding(path, found.where, message, FindingKind.CREDENTIAL)


def _join(where: str, path: str) -> str:
    if not path:
        return where
    return where + path if path.startswith("[") else f"{where}.{path}"
