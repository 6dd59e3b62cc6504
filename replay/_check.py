"""Check cassettes at rest: strict format, bodies against the API's schemas, no credentials, and,
when given a `max_age`, none recorded longer ago.

What `genai-replay check` runs, typically as a pre-commit hook, so it stays cheap: schemas are
read (and jsonschema imported) only when a body of their API version is checked, and nothing
here imports click or deepdiff.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path

from replay._age import age_of, find_staleness
from replay._cassette import BLOB_DIR, BodyKind, Cassette, Interaction
from replay._cassette_json import load_cassette
from replay._errors import CassetteError
from replay._sanitiser import find_credentials
from replay._schemas import Violation, check_request, check_response

CASSETTE_SUFFIX = ".json"


class FindingKind(Enum):
    """What a finding is about: the file itself, a body the API would refuse, a credential, or age."""

    FORMAT = "format"
    SCHEMA = "schema"
    CREDENTIAL = "credential"
    STALE = "stale"


@dataclass(frozen=True)
class Finding:
    """One problem in a cassette: the file, where inside it (``""`` for the whole file), and what.

    `age_days` is how old the cassette is, in whole days (None when it cannot be read or its
    ``recorded_at`` is missing or not a time).
    """

    path: Path
    where: str
    message: str
    kind: FindingKind
    age_days: int | None = None

    def __str__(self) -> str:
        path = shown_path(self.path)
        return f"{path}: {self.where}: {self.message}" if self.where else f"{path}: {self.message}"

    def to_json(self) -> dict[str, str | int | None]:
        """Return the finding as the plain object `check --json` prints."""
        return {
            "path": str(self.path),
            "where": self.where,
            "kind": self.kind.value,
            "message": self.message,
            "age_days": self.age_days,
        }


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


def check_cassettes(
    paths: Iterable[Path], *, max_age: timedelta | None = None, now: datetime | None = None
) -> list[Finding]:
    """Check every cassette file in `paths` and return what was found, in file order.

    Expand folders with `find_cassettes` first::

        for finding in check_cassettes(find_cassettes([Path("cassettes")]), max_age=timedelta(days=90)):
            print(finding)
    """
    return [finding for path in paths for finding in check_cassette(path, max_age=max_age, now=now)]


def check_cassette(
    path: Path, *, max_age: timedelta | None = None, now: datetime | None = None
) -> list[Finding]:
    """Check one cassette file: it loads strictly, its bodies fit their schemas, it holds no credential,
    and, with `max_age`, it was recorded no longer before `now` (by default the current time)."""
    try:
        cassette = load_cassette(path)
    except CassetteError as exc:
        message = str(exc).removeprefix(f"{path}: ")
        return [Finding(path, "", message, FindingKind.FORMAT)]
    findings = [*_schema_findings(path, cassette), *_credential_findings(path, cassette)]
    stale = find_staleness(cassette.meta, max_age, now) if max_age is not None else None
    if stale is not None:
        message = (
            f"stale: {stale}; re-record it: run its tests with --genai-replay-mode=all, or "
            "`genai-replay record --mode all TESTS`"
        )
        findings.append(Finding(path, "meta.recorded_at", message, FindingKind.STALE))
    age = age_of(cassette.meta, now)
    return [replace(finding, age_days=None if age is None else age.days) for finding in findings]


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
