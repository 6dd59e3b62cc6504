"""Explain how a request differs from the closest recorded one, path by path (with deepdiff)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from genai_min._http import JSON
from replay._cassette import BodyKind, Request
from replay._matchers import normalise_keys


def closest(request: Request, recorded: list[Request]) -> Request | None:
    """Return the recorded request most like `request`: same method and path first, then body."""
    if not recorded:
        return None

    def score(candidate: Request) -> tuple[int, int, int]:
        same_method = candidate.method == request.method
        same_path = urlsplit(candidate.url).path == urlsplit(request.url).path
        return (-int(same_method and same_path), -int(same_method), len(differences(candidate, request)))

    return min(recorded, key=score)


def differences(recorded: Request, new: Request) -> list[str]:
    """List the differences from `recorded` to `new` as readable, path-level lines."""
    from deepdiff import DeepDiff

    lines: list[str] = []
    if recorded.method != new.method:
        lines.append(f"method: {recorded.method!r} -> {new.method!r}")
    if recorded.url != new.url:
        lines.append(f"url: {recorded.url!r} -> {new.url!r}")
    old_body, new_body = _comparable(recorded), _comparable(new)
    diff = DeepDiff(old_body, new_body, verbose_level=2)
    for change, entries in diff.items():
        items = entries.items() if isinstance(entries, dict) else ((e, None) for e in entries)
        for path, detail in items:
            lines.append(f"body{_path(path)}: {change.replace('_', ' ')} {_detail(detail)}".rstrip())
    return lines


def _comparable(request: Request) -> JSON:
    if request.body.kind is BodyKind.JSON:
        return normalise_keys(request.body.json)
    return {"<body bytes>": request.body.size}


def _path(path: object) -> str:
    """Turn deepdiff's ``root['contents'][0]['text']`` into ``.contents[0].text``."""
    text = str(path)
    text = text[len("root") :] if text.startswith("root") else text
    return re.sub(r"\['([^']*)'\]", r".\1", text)


def _detail(detail: object) -> str:
    if isinstance(detail, dict) and "old_value" in detail:
        return f"{detail['old_value']!r} -> {detail['new_value']!r}"
    if detail is None:
        return ""
    return repr(detail)[:200]
