"""Explain how a request differs from the closest recorded one, path by path (`replay._json_diff`).

Only what matching compares is listed: a part `match_on` leaves out, a JSON path
`ignore_json_paths` names, a URL difference that matching folds away.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from genai_min._http import JSON
from replay._cassette import BodyKind, Request
from replay._json_diff import JsonChange, json_changes, render_path
from replay._matchers import STRICT, MatchOptions, normalise_keys, url_key, without_path


def closest(request: Request, recorded: list[Request], options: MatchOptions = STRICT) -> Request | None:
    """Return the recorded request most like `request`: same method and path first, then body."""
    if not recorded:
        return None

    def score(candidate: Request) -> tuple[int, int, int]:
        same_method = candidate.method == request.method
        same_path = urlsplit(candidate.url).path == urlsplit(request.url).path
        return (
            -int(same_method and same_path),
            -int(same_method),
            len(differences(candidate, request, options)),
        )

    return min(recorded, key=score)


def differences(recorded: Request, new: Request, options: MatchOptions = STRICT) -> list[str]:
    """List the differences from `recorded` to `new` as readable, path-level lines.

    A URL difference that matching ignores under `options` (which Vertex AI host, the order of query
    parameters, a key in the query) is not listed: it is not why the two do not match.
    """
    lines: list[str] = []
    if options.compares("method") and recorded.method != new.method:
        lines.append(f"method: {recorded.method!r} -> {new.method!r}")
    if url_key(recorded.url, options) != url_key(new.url, options):
        lines.append(f"url: {recorded.url!r} -> {new.url!r}")
    for change in body_changes(recorded, new, options):
        lines.append(
            f"body{render_path(change.path)}: {change.kind.replace('_', ' ')} {_detail(change)}".rstrip()
        )
    return lines


def body_changes(recorded: Request, new: Request, options: MatchOptions = STRICT) -> list[JsonChange]:
    """Return the body differences matching sees: keys folded, ignored paths left out."""
    if not options.compares("body"):
        return []
    return json_changes(_comparable(recorded, options), _comparable(new, options))


def _comparable(request: Request, options: MatchOptions) -> JSON:
    if request.body.kind is BodyKind.JSON:
        value = normalise_keys(request.body.json)
        for path in options.ignore_json_paths:
            value = without_path(value, path)
        return value
    if request.body.kind is BodyKind.EMPTY:
        return None
    return {"<body bytes>": request.body.size}


def _detail(change: JsonChange) -> str:
    if change.is_added:
        return "" if change.new is None else repr(change.new)[:200]
    if change.is_removed:
        return "" if change.old is None else repr(change.old)[:200]
    return f"{change.old!r} -> {change.new!r}"
