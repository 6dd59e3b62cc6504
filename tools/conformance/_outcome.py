"""The result of one check on one exchange: passed, failed with a cause, or not applicable and why."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum

from genai_min._http import JSON
from replay import Body, BodyKind


class Verdict(Enum):
    """How a check ended for one exchange."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class Outcome:
    """A verdict and, unless it passed, its cause in one line."""

    verdict: Verdict
    cause: str = ""

    @property
    def is_failure(self) -> bool:
        """Tell whether the check failed."""
        return self.verdict is Verdict.FAILED


PASSED = Outcome(Verdict.PASSED)


def failed(cause: str) -> Outcome:
    """Return a failure with its cause."""
    return Outcome(Verdict.FAILED, cause)


def not_applicable(cause: str) -> Outcome:
    """Return a not-applicable outcome with the reason."""
    return Outcome(Verdict.NOT_APPLICABLE, cause)


def json_of(body: Body) -> tuple[bool, JSON]:
    """Return whether `body` holds JSON, and the value: a stream as its list of events.

    A text body is read as JSON when it parses (an error answer to a streaming request keeps the
    stream's content type, so the importer stores its JSON as text).
    """
    if body.kind is BodyKind.JSON:
        return True, body.json
    if body.kind is BodyKind.SSE:
        return True, list(body.events)
    if body.kind is BodyKind.TEXT:
        try:
            return True, json.loads(body.text)
        except ValueError:
            return False, None
    return False, None
