"""Build the error a replay miss raises: what was asked, how it differs from the closest recording,
where it breaks the API's schema, and the command that records it.

The player only looks answers up; when it finds none, the session asks this module for the error.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from replay._cassette import BodyKind, Cassette, Request
from replay._check import shown_path
from replay._diff import body_changes, closest, differences
from replay._errors import NoMatchError
from replay._lessons import lessons
from replay._matchers import STRICT, MatchOptions
from replay._schemas import Violation, check_request

RECORD_HINT = "re-run with --genai-replay-mode=new_episodes to record it"
_SHOWN = 20


def unmatched(
    request: Request,
    cassette: Cassette,
    path: Path | None,
    options: MatchOptions = STRICT,
    *,
    reasons: Sequence[str] = (),
    rerun: str | None = None,
) -> NoMatchError:
    """Explain why no interaction of `cassette` answers `request` (already sanitised) under `options`.

    `reasons` are what custom matchers said against recordings that matched otherwise; `rerun` is
    the command that re-records the test.
    """
    nearest = closest(request, [i.request for i in cassette.interactions], options)
    where = str(path) if path else "the cassette"
    lines = [f"no recorded interaction in {where} matches {request.method} {request.url}"]
    diff: list[str] = []
    if nearest is None:
        lines.append("the cassette is empty")
    else:
        diff = differences(nearest, request, options)
        lines.append(f"closest recorded request: {nearest.method} {nearest.url}, which differs at:")
        lines.extend(f"  {line}" for line in diff[:_SHOWN])
        if reasons:
            lines.append("custom matchers refused the recordings that match otherwise:")
            lines.extend(f"  {reason}" for reason in reasons[:_SHOWN])
        has_url_change = any(line.startswith(("method:", "url:")) for line in diff)
        changes = body_changes(nearest, request, options)
        lines.extend(lessons(nearest, request, changes, rerun=rerun, has_url_change=has_url_change))
    violations = _violations(request)
    if violations:
        lines.append("the new request breaks the API's schema at:")
        lines.extend(f"  {v.path or '(the body)'}: {v.message}" for v in violations[:_SHOWN])
    lines.append(RECORD_HINT)
    return NoMatchError(
        "\n".join(lines),
        cassette_path=path,
        request=request,
        differences=diff,
        violations=[f"{v.path}: {v.message}" for v in violations],
    )


def no_cassette(request: Request, path: Path) -> NoMatchError:
    """Say that a replay-only test has no cassette at all to answer `request` from.

    A vcrpy cassette of the same name beside it (``<name>.yaml`` or ``.yml``, where pytest-recording
    keeps the test's cassette) is named, with the command that converts it.
    """
    todo = "record it with --genai-replay-mode=once"
    beside = (path.with_suffix(".yaml"), path.with_suffix(".yml")) if path.name else ()
    foreign = next((p for p in beside if p.is_file()), None)
    if foreign is not None:
        todo = (
            f"{shown_path(foreign)} beside it looks like a vcrpy or pytest-recording cassette: convert it "
            f"with `genai-replay import {shlex.quote(shown_path(foreign))}` (or give its folder to convert "
            f"them all), or {todo}"
        )
    return NoMatchError(
        f"no cassette at {shown_path(path)} to answer {request.method} {shown_url(request.url)}; {todo}",
        cassette_path=path,
        request=request,
        differences=[],
    )


def shown_url(url: str) -> str:
    """Return a URL without its query, as a message shows it (a query may hold a key)."""
    return url.split("?", 1)[0]


def _violations(request: Request) -> list[Violation]:
    """Return the schema violations of a request's JSON body ([] when it has none or no schema)."""
    if request.body.kind is not BodyKind.JSON:
        return []
    return check_request(request.method, request.url, request.body.json)
