"""Project ids, project numbers and locations become placeholders on disk, and real values on replay.

A Vertex AI request names its project and location in its URL (``/v1/projects/my-proj/locations/
europe-west4/...`` on the host ``europe-west4-aiplatform.googleapis.com``). The recorder learns the
two values from each request's URL and replaces them in that request and in its response:

- the project id wherever it stands as a whole word (in URLs, bodies and resource names);
- the location only where it is structurally a location (``locations/X`` and the host prefix), since
  values such as ``global`` or ``us`` are common words;
- any project *number* in a resource name (``projects/123456789012/...``), which the service puts in
  the names it returns.

On replay the incoming request is hidden the same way before matching, so a cassette recorded in one
project and region replays in any other, and the recorded response gets the caller's project and
location back. A project number is given back where the request names one (a tuned model's full
name); otherwise it cannot be known on replay and stays the placeholder ``PROJECT_NUMBER``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urlsplit

from genai_min._hosts import VERTEX_HOST_SUFFIX
from genai_min._http import JSON
from replay._cassette import Body, BodyKind

PROJECT = "PROJECT"
LOCATION = "LOCATION"
PROJECT_NUMBER = "PROJECT_NUMBER"
"""The placeholders: upper case, so they can never be a real project id or location."""

_IN_PATH = re.compile(r"/projects/([A-Za-z0-9_-]+)/locations/([A-Za-z0-9_-]+)(?=/|$)")
_HOST_SUFFIX = re.escape(VERTEX_HOST_SUFFIX)
_HOST = re.compile(rf"^([a-z0-9-]+){_HOST_SUFFIX}$", re.IGNORECASE)
_PLACEHOLDERS = frozenset({PROJECT, LOCATION, PROJECT_NUMBER, LOCATION.lower()})
_NUMBER = re.compile(r"(?<=projects/)\d{6,}(?!\w)")


@dataclass(frozen=True)
class Identity:
    """The project and locations one request was sent for (any may be unknown).

    `location` is the one in the path (``locations/X``), `host_location` the host's prefix
    (``X-aiplatform.googleapis.com``); they usually agree, but a resource of one region can be
    named through another region's host.
    """

    project: str | None = None
    location: str | None = None
    host_location: str | None = None
    project_number: str | None = None

    @classmethod
    def of(cls, url: str) -> Identity:
        """Learn the project and locations from a Vertex AI URL; other URLs give an empty identity."""
        return _identity_of(url)

    def hide(self, text: str) -> str:
        """Replace this identity's values in `text` with placeholders."""
        if self.project:
            text = re.sub(rf"(?<![\w-]){re.escape(self.project)}(?![\w-])", PROJECT, text)
        if self.location:
            text = re.sub(rf"(?<=locations/){re.escape(self.location)}(?![\w-])", LOCATION, text)
        if self.host_location:
            text = re.sub(rf"(?<![\w.-]){re.escape(self.host_location)}(?={_HOST_SUFFIX})", LOCATION, text)
        return _NUMBER.sub(PROJECT_NUMBER, text)

    def reveal(self, text: str) -> str:
        """Put this identity's values back where `hide` left placeholders."""
        if self.project:
            text = re.sub(rf"(?<![\w-]){PROJECT}(?![\w-])", self.project, text)
        if self.location:
            text = re.sub(rf"(?<=locations/){LOCATION}(?![\w-])", self.location, text)
        if self.host_location:
            text = re.sub(rf"(?<![\w.-]){LOCATION}(?={_HOST_SUFFIX})", self.host_location, text)
        if self.project_number:
            text = re.sub(rf"(?<=projects/){PROJECT_NUMBER}(?!\w)", self.project_number, text)
        return text

    def __bool__(self) -> bool:
        return bool(self.project or self.location or self.host_location or self.project_number)

    def hide_body(self, body: Body) -> Body:
        """Return `body` with this identity's values hidden in every string it holds."""
        if not self and not _mentions_projects(body):
            return body  # nothing to hide: the common case, kept cheap
        return map_body(body, self.hide)

    def reveal_body(self, body: Body) -> Body:
        """Return `body` with the placeholders in its strings replaced by this identity's values."""
        return map_body(body, self.reveal) if self.project or self.location else body


@lru_cache(maxsize=4096)
def _identity_of(url: str) -> Identity:
    parts = urlsplit(url)
    found = _IN_PATH.search(parts.path)
    host = _HOST.match(parts.hostname or "")
    project = found.group(1) if found else None
    location = found.group(2) if found else None
    host_location = host.group(1) if host else None
    return Identity(
        None if project is None or project.isdigit() or project in _PLACEHOLDERS else project,
        None if location in _PLACEHOLDERS else location,
        None if host_location in _PLACEHOLDERS else host_location,
        project if project is not None and project.isdigit() else None,
    )


def map_body(body: Body, fn: Callable[[str], str]) -> Body:
    """Apply `fn` to every string a body holds: JSON string values, events, or text."""
    if body.kind is BodyKind.JSON:
        return replace(body, json=map_strings(body.json, fn))
    if body.kind is BodyKind.SSE:
        return replace(body, events=tuple(map_strings(e, fn) for e in body.events))
    if body.kind is BodyKind.TEXT:
        return replace(body, text=fn(body.text))
    return body


def map_strings(value: JSON, fn: Callable[[str], str]) -> JSON:
    """Apply `fn` to every string value (not key) in a JSON value."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    return value


def _mentions_projects(body: Body) -> bool:
    if body.kind is BodyKind.JSON:
        return _any_string(body.json, "projects/")
    if body.kind is BodyKind.SSE:
        return any(_any_string(e, "projects/") for e in body.events)
    return body.kind is BodyKind.TEXT and "projects/" in body.text


def _any_string(value: JSON, needle: str) -> bool:
    if isinstance(value, str):
        return needle in value
    if isinstance(value, dict):
        return any(_any_string(v, needle) for v in value.values())
    if isinstance(value, list):
        return any(_any_string(v, needle) for v in value)
    return False
