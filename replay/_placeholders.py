"""Project ids, project numbers and locations become placeholders on disk, and real values on replay.

A Vertex AI request names its project and location in its URL (``/v1/projects/my-proj/locations/
europe-west4/...`` on the host ``europe-west4-aiplatform.googleapis.com``). The recorder learns the
two values from each request's URL and replaces them in that request and in its response:

- the project id wherever it stands, inside longer names too (``gs://my-proj-bucket`` becomes
  ``gs://PROJECT-bucket``);
- the project number the request names (``projects/123456789012/...``) wherever it stands as a
  number (not inside a longer run of digits);
- the location only where it is structurally a location (``locations/X`` and the host prefix), since
  values such as ``global`` or ``us`` are common words;
- any project *number*, even one no request named, where its shape says it is one: a resource name
  (``projects/123456789012/...``), a service agent (``service-123456789012@gcp-sa-aiplatform.iam.
  gserviceaccount.com``, ``123456789012-compute@developer.gserviceaccount.com``), ``project
  123456789012`` and ``project_number:123456789012`` in error texts, ``?project=123456789012`` in the
  links they give, and the ``containerInfo`` and ``projectNumber`` fields of error details.

A recording also hides, in every answer, the ids and numbers its earlier requests named
(`Identity.knowing`): an answer may name the project of another request of the same test.

On replay the incoming request is hidden the same way before matching, so a cassette recorded in one
project and region replays in any other, and the recorded response gets the caller's project and
location back wherever a placeholder stands. A project number is given back where the request names
one (a tuned model's full name); otherwise it cannot be known on replay and stays the placeholder
``PROJECT_NUMBER``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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
_SHORTEST_PROJECT_ID = 6
"""Google project ids are 6 to 30 characters."""

_IN_PATH = re.compile(r"/projects/([A-Za-z0-9_-]+)/locations/([A-Za-z0-9_-]+)(?=/|$)")
_HOST_SUFFIX = re.escape(VERTEX_HOST_SUFFIX)
_HOST = re.compile(rf"^([a-z0-9-]+){_HOST_SUFFIX}$", re.IGNORECASE)
_PLACEHOLDERS = frozenset({PROJECT, LOCATION, PROJECT_NUMBER, LOCATION.lower()})
_NUMBER_SHAPES = (
    # A resource name: projects/123456789012/locations/...
    (("projects/",), re.compile(r"(?<=projects/)\d{6,}(?!\w)"), PROJECT_NUMBER),
    # A service agent or default service account: service-N@gcp-sa-*.iam..., N-compute@developer...
    (
        ("gserviceaccount",),
        re.compile(r"(?<![\w.-])(service-)?\d{6,}(?=(?:-compute)?@[\w.-]*\.gserviceaccount\.com)", re.I),
        rf"\g<1>{PROJECT_NUMBER}",
    ),
    # Error texts and their links: "project 123...", "project_number:123...", "?project=123..."
    (
        ("roject", "ROJECT"),
        re.compile(r"(\bproject(?:[ _-]?(?:number|id))?[\"']?\s*[:=#]?\s*[\"']?)\d{6,}(?!\d)", re.I),
        rf"\g<1>{PROJECT_NUMBER}",
    ),
)
"""Where a project number stands, whichever project it is: (a word it needs, pattern, replacement).

The word is looked for first: a plain search skips megabytes of inline media much faster."""
_NUMBER_FIELDS = frozenset({"containerinfo", "projectnumber", "project", "projectid"})
"""JSON fields (folded) whose all-digit value is a project number (``containerInfo`` of an ErrorInfo)."""
# The placeholder, not inside a longer upper-case word (the lookbehind follows the literal, so that
# the search skips ahead from one placeholder to the next).
_REVEAL_PROJECT = re.compile(rf"{PROJECT}(?<![A-Z]{PROJECT})(?![A-Z]|_NUMBER)")
_REVEAL_NUMBER = re.compile(rf"{PROJECT_NUMBER}(?<![A-Z]{PROJECT_NUMBER})(?![A-Z])")


@dataclass(frozen=True)
class Identity:
    """The project and locations one request was sent for (any may be unknown).

    `location` is the one in the path (``locations/X``), `host_location` the host's prefix
    (``X-aiplatform.googleapis.com``); they usually agree, but a resource of one region can be
    named through another region's host. `known_projects` and `known_numbers` are the ids and
    numbers other requests of the same recording named: hidden too, never revealed.
    """

    project: str | None = None
    location: str | None = None
    host_location: str | None = None
    project_number: str | None = None
    known_projects: frozenset[str] = frozenset()
    known_numbers: frozenset[str] = frozenset()

    @classmethod
    def of(cls, url: str) -> Identity:
        """Learn the project and locations from a Vertex AI URL; other URLs give an empty identity."""
        return _identity_of(url)

    def knowing(self, projects: Iterable[str], numbers: Iterable[str]) -> Identity:
        """Return this identity, hiding also the project ids and numbers of other requests."""
        return replace(
            self,
            known_projects=frozenset(projects) - {self.project or ""},
            known_numbers=frozenset(numbers) - {self.project_number or ""},
        )

    def hide(self, text: str) -> str:
        """Replace this identity's values in `text` with placeholders, and every project number."""
        # Longest first: one id may hold another (my-proj, my-proj-dev). An id is hidden inside longer
        # names too (gs://my-proj-bucket); one shorter than Google allows (six characters: a test's
        # "p") only as a word of its own, or it would eat letters out of every URL.
        for project in sorted({self.project or "", *self.known_projects} - {""}, key=len, reverse=True):
            if len(project) >= _SHORTEST_PROJECT_ID:
                text = text.replace(project, PROJECT)
            elif project in text:
                text = re.sub(rf"(?<![\w-]){re.escape(project)}(?![\w-])", PROJECT, text)
        # Each search runs only where its value is: a plain search skips megabytes of media faster.
        if self.location and self.location in text:
            text = re.sub(rf"(?<=locations/){re.escape(self.location)}(?![\w-])", LOCATION, text)
        if self.host_location and self.host_location in text:
            text = re.sub(rf"(?<![\w.-]){re.escape(self.host_location)}(?={_HOST_SUFFIX})", LOCATION, text)
        for number in {self.project_number or "", *self.known_numbers} - {""}:
            if number in text:
                text = re.sub(rf"(?<!\d){number}(?!\d)", PROJECT_NUMBER, text)
        for words, shape, replacement in _NUMBER_SHAPES:
            if any(word in text for word in words):
                text = shape.sub(replacement, text)
        return text

    def reveal(self, text: str) -> str:
        """Put this identity's values back where `hide` left placeholders."""
        if self.project and PROJECT in text:
            project = self.project
            text = _REVEAL_PROJECT.sub(lambda _: project, text)
        if self.location and LOCATION in text:
            text = re.sub(rf"(?<=locations/){LOCATION}(?![\w-])", self.location, text)
        if self.host_location and LOCATION in text:
            text = re.sub(rf"(?<![\w.-]){LOCATION}(?={_HOST_SUFFIX})", self.host_location, text)
        if self.project_number and PROJECT_NUMBER in text:
            number = self.project_number
            text = _REVEAL_NUMBER.sub(lambda _: number, text)
        return text

    def __bool__(self) -> bool:
        return bool(
            self.project
            or self.location
            or self.host_location
            or self.project_number
            or self.known_projects
            or self.known_numbers
        )

    def hide_body(self, body: Body) -> Body:
        """Return `body` with this identity's values, and every project number, hidden in its strings."""
        if not self and not _may_name_projects(body):
            return body  # nothing to hide: the common case, kept cheap
        return map_body(body, self.hide, fields=_hide_number_field)

    def reveal_body(self, body: Body) -> Body:
        """Return `body` with the placeholders in its strings replaced by this identity's values."""
        return map_body(body, self.reveal) if self else body


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


def map_body(
    body: Body, fn: Callable[[str], str], *, fields: Callable[[str, JSON], JSON | None] | None = None
) -> Body:
    """Apply `fn` to every string a body holds: JSON string values, events, or text.

    `fields`, given a JSON key and its value, may return a replacement for the whole value (None
    to leave it to `fn`).
    """
    if body.kind is BodyKind.JSON:
        return replace(body, json=map_strings(body.json, fn, fields=fields))
    if body.kind is BodyKind.SSE:
        return replace(body, events=tuple(map_strings(e, fn, fields=fields) for e in body.events))
    if body.kind is BodyKind.TEXT:
        return replace(body, text=fn(body.text))
    return body


def map_strings(
    value: JSON, fn: Callable[[str], str], *, fields: Callable[[str, JSON], JSON | None] | None = None
) -> JSON:
    """Apply `fn` to every string value (not key) in a JSON value (`fields`: as for `map_body`)."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        out: dict[str, JSON] = {}
        for key, item in value.items():
            replaced = fields(key, item) if fields is not None else None
            out[key] = map_strings(item, fn, fields=fields) if replaced is None else replaced
        return out
    if isinstance(value, list):
        return [map_strings(v, fn, fields=fields) for v in value]
    return value


def _hide_number_field(key: str, value: JSON) -> JSON | None:
    is_number = isinstance(value, str) and len(value) >= 6 and value.isdigit()
    return PROJECT_NUMBER if is_number and key.replace("_", "").lower() in _NUMBER_FIELDS else None


def _may_name_projects(body: Body) -> bool:
    """Tell whether `body` may hold a project number in one of its shapes (cheaper than hiding)."""
    if body.kind is BodyKind.JSON:
        return _may_name(body.json)
    if body.kind is BodyKind.SSE:
        return any(_may_name(e) for e in body.events)
    return body.kind is BodyKind.TEXT and _names_project(body.text)


def _may_name(value: JSON) -> bool:
    if isinstance(value, str):
        return _names_project(value)
    if isinstance(value, dict):
        return any(k.replace("_", "").lower() in _NUMBER_FIELDS or _may_name(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_may_name(v) for v in value)
    return False


def _names_project(text: str) -> bool:
    return "roject" in text or "ROJECT" in text or "gserviceaccount" in text
