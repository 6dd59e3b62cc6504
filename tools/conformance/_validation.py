"""Check each real request and answer against the JSON Schemas in ``replay/schemas``.

Answers are checked strictly (`check_response(..., is_strict=True)`): a field that real traffic
has and the schemas lack is a gap in the schemas, to be closed in ``tools/gen_schemas.py``. An
error answer (or the redirect of a download, which carries the same envelope) is checked against
the error envelope. A chunk of a resumable upload sends raw bytes; the answer to the last one,
``{"file": ...}``, is the answer of files.create, which started the session.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from replay import BodyKind, Violation, check_request, check_response
from replay._schemas import check_error
from tools.conformance._corpus import Exchange
from tools.conformance._outcome import PASSED, Outcome, failed, json_of, not_applicable

SHOWN = 3
"""How many violations a cause names before it counts the rest."""


def validate(exchange: Exchange) -> Outcome:
    """Check the exchange's request and answer against the schemas of its operation."""
    if exchange.operation is None:
        return not_applicable(f"{exchange.label} is not a method of the Gemini or Vertex AI definitions")
    request, response = exchange.interaction.request, exchange.interaction.response
    problems: list[str] = []
    url = request.url
    if exchange.is_upload_chunk:
        url = urlsplit(url)._replace(query="").geturl()
    elif request.body.kind is BodyKind.JSON:
        problems += _named("request", check_request(request.method, url, request.body.json))
    elif request.body.kind is not BodyKind.EMPTY:
        problems.append(f"request: a {request.body.kind.value} body where the method takes JSON")
    is_json, body = json_of(response.body)
    if response.status >= 300:
        if not is_json:
            problems.append(f"answer: the HTTP {response.status} answer is not the JSON error envelope")
        else:
            problems += _named("error", check_error(request.method, url, body, is_strict=True))
    elif is_json:
        problems += _named("answer", check_response(request.method, url, body, is_strict=True))
    elif response.body.kind not in (BodyKind.EMPTY, BodyKind.BYTES):
        problems.append(f"answer: a {response.body.kind.value} body where the method answers JSON")
    if not problems:
        return PASSED
    more = f" (and {len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
    return failed("; ".join(problems[:SHOWN]) + more)


def _named(side: str, violations: list[Violation]) -> list[str]:
    return [f"{side} {v.path or '(the body)'}: {v.message}" for v in violations]
