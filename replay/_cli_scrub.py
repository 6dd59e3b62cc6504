"""Re-sanitise cassettes already on disk with the current rules: what `genai-replay scrub` runs.

A cassette is rewritten (atomically, through `save_cassette`) only when sanitising changes it and
the result holds no credential; one that would still hold a credential is left exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from replay._cassette import Cassette, Interaction
from replay._cassette_json import load_cassette, save_cassette
from replay._errors import CassetteError
from replay._sanitiser import Sanitiser, find_credentials


class ScrubStatus(Enum):
    """What scrubbing did to one cassette."""

    SCRUBBED = "scrubbed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"
    FAILED = "failed"


@dataclass(frozen=True)
class ScrubOutcome:
    """The result for one cassette; `detail` says why it was refused or could not be read."""

    path: Path
    status: ScrubStatus
    detail: str = ""

    @property
    def is_failure(self) -> bool:
        """Tell whether the cassette still needs someone's attention."""
        return self.status in (ScrubStatus.REFUSED, ScrubStatus.FAILED)

    def __str__(self) -> str:
        if self.status is ScrubStatus.REFUSED:
            return (
                f"{self.path}: refused, it would still hold credentials ({self.detail}); nothing written. "
                "Add a --rule-regex or --rule-json-path that removes them, and revoke the credentials"
            )
        if self.status is ScrubStatus.FAILED:
            return f"{self.path}: failed, {self.detail}"
        return f"{self.path}: {self.status.value}"


def scrub_cassette(path: Path, sanitiser: Sanitiser | None = None) -> ScrubOutcome:
    """Apply `sanitiser` (the default rules when None) to the cassette at `path`, in place.

    >>> scrub_cassette(Path("cassettes/test_chat.json"), Sanitiser((RegexRule(r"sk-\\w+"),))).status
    <ScrubStatus.SCRUBBED: 'scrubbed'>
    """
    sanitiser = sanitiser or Sanitiser()
    try:
        cassette = load_cassette(path)
    except CassetteError as exc:
        return ScrubOutcome(path, ScrubStatus.FAILED, str(exc).removeprefix(f"{path}: "))
    scrubbed = sanitise_cassette(cassette, sanitiser)
    findings = find_credentials(scrubbed)
    if findings:
        shown = "; ".join(f"{f.kind} in {f.where}" for f in findings[:3])
        more = f"; and {len(findings) - 3} more" if len(findings) > 3 else ""
        return ScrubOutcome(path, ScrubStatus.REFUSED, shown + more)
    if scrubbed == cassette:
        return ScrubOutcome(path, ScrubStatus.UNCHANGED)
    try:
        save_cassette(scrubbed, path)
    except OSError as exc:
        return ScrubOutcome(path, ScrubStatus.FAILED, f"cannot write it: {exc}")
    return ScrubOutcome(path, ScrubStatus.SCRUBBED)


def summarise(outcomes: list[ScrubOutcome]) -> str:
    """Count the outcomes in one line: ``3 cassettes: 1 scrubbed, 2 unchanged``."""
    counts = {status: sum(o.status is status for o in outcomes) for status in ScrubStatus}
    shown = ", ".join(f"{count} {status.value}" for status, count in counts.items() if count)
    total = len(outcomes)
    return f"{total} cassette{'' if total == 1 else 's'}: {shown or 'nothing to do'}"


def sanitise_cassette(cassette: Cassette, sanitiser: Sanitiser) -> Cassette:
    """Return `cassette` with `sanitiser` applied to every request and response."""
    interactions = tuple(
        Interaction(
            sanitiser.request(interaction.request),
            sanitiser.response(interaction.response, interaction.request.url),
        )
        for interaction in cassette.interactions
    )
    return Cassette(interactions, cassette.meta)
