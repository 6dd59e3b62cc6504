"""Compare two folders of cassettes: `genai-replay diff OLD_DIR NEW_DIR`.

Cassettes are paired by their path relative to each folder (blob folders are not cassettes: a
blob's change shows as the change of the body that names it). A cassette only in the old folder is
removed, only in the new one added, and a pair is compared by `replay._cassette_diff`. The verdict
tells apart what a reviewer of a re-recording needs to know: nothing changed, only metadata
changed (when it was recorded, with which client), or interactions changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from replay._cassette_diff import CassetteDiff, diff_cassettes
from replay._cassette_json import load_cassette
from replay._check import find_cassettes


class Verdict(Enum):
    """How much two cassettes, or two folders of them, differ; the value is `diff`'s exit status."""

    IDENTICAL = 0
    INTERACTIONS_DIFFER = 1
    METADATA_ONLY = 3


@dataclass(frozen=True)
class FolderDiff:
    """Cassettes added, removed and changed between two folders (paths relative to the folders)."""

    added: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    changed: dict[Path, CassetteDiff] = field(default_factory=dict)
    same: int = 0

    @property
    def verdict(self) -> Verdict:
        """Say whether the folders are identical, differ in metadata only, or in interactions."""
        verdicts = {verdict_of(d) for d in self.changed.values()}
        if self.added or self.removed or Verdict.INTERACTIONS_DIFFER in verdicts:
            return Verdict.INTERACTIONS_DIFFER
        return Verdict.METADATA_ONLY if verdicts else Verdict.IDENTICAL

    def summary(self) -> str:
        """Say in one line what differs."""
        metadata_only = sum(verdict_of(d) is Verdict.METADATA_ONLY for d in self.changed.values())
        parts = [
            f"{len(self.added)} added",
            f"{len(self.removed)} removed",
            f"{len(self.changed) - metadata_only} with interactions changed",
            f"{metadata_only} with only metadata changed",
            f"{self.same} the same",
        ]
        return "cassettes: " + ", ".join(parts)


def verdict_of(diff: CassetteDiff) -> Verdict:
    """Say how much two cassettes differ."""
    if diff.is_equal:
        return Verdict.IDENTICAL
    if diff.changed or diff.added or diff.removed:
        return Verdict.INTERACTIONS_DIFFER
    return Verdict.METADATA_ONLY


def diff_folders(old: Path, new: Path) -> FolderDiff:
    """Pair the cassettes of `old` and `new` by relative path and compare each pair."""
    olds = {path.relative_to(old): path for path in find_cassettes([old])}
    news = {path.relative_to(new): path for path in find_cassettes([new])}
    changed: dict[Path, CassetteDiff] = {}
    same = 0
    for relative in sorted(olds.keys() & news.keys()):
        diff = diff_cassettes(load_cassette(olds[relative]), load_cassette(news[relative]))
        if diff.is_equal:
            same += 1
        else:
            changed[relative] = diff
    return FolderDiff(
        added=tuple(sorted(news.keys() - olds.keys())),
        removed=tuple(sorted(olds.keys() - news.keys())),
        changed=changed,
        same=same,
    )
