"""The service's error answers: a `google.rpc.Status` in the ``{"error": {...}}`` envelope.

Handlers raise `StatusError`; the server turns it into the HTTP answer. The HTTP status and the
canonical status name always agree as in `google.rpc.Code`, and the messages follow the wording of
the real front ends (for instance invalid keys are 400 INVALID_ARGUMENT, not 401), because client
code and tests match on them.

StatusError               an error answer: code, status, message, details, extra headers

A URL that names no method at all never reaches the API: Google's front end answers it with its
plain HTML 404 page, not JSON (`url_not_found`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from genai_min._hosts import GEMINI_HOST, VERTEX_GLOBAL_HOST
from replay.emulator._wire import JSONObject

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

DEFAULT_MESSAGES = {
    429: "Resource has been exhausted (e.g. check quota).",
    500: "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
    503: "The model is overloaded. Please try again later.",
    504: "Deadline expired before operation could complete.",
}

GEMINI_SERVICE = GEMINI_HOST
VERTEX_SERVICE = VERTEX_GLOBAL_HOST


class StatusError(Exception):
    """An error answer of the emulated service.

    `code` is the HTTP status, `status` the canonical name (derived from the code unless given),
    `details` the ``google.rpc`` detail objects and `headers` extra answer headers (``retry-after``).
    """

    def __init__(
        self,
        code: int,
        message: str,
        *,
        status: str | None = None,
        details: Sequence[JSONObject] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message
        self.status = status or STATUS_NAMES.get(code, "UNKNOWN")
        self.details = list(details)
        self.headers = dict(headers or {})
        self.page: str | None = None
        """An HTML page to answer with instead of the JSON envelope (the front end's own errors)."""

    def envelope(self) -> JSONObject:
        """Return the JSON body: ``{"error": {"code", "message", "status", "details"?}}``."""
        error: JSONObject = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = list(self.details)
        return {"error": error}


def invalid_argument(message: str, *, violations: Sequence[tuple[str, str]] = ()) -> StatusError:
    """Build a 400 INVALID_ARGUMENT, with a ``BadRequest`` detail when fields are named."""
    details: list[JSONObject] = []
    if violations:
        details.append(
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": f, "description": d} for f, d in violations],
            }
        )
    return StatusError(400, message, details=details)


def failed_precondition(message: str) -> StatusError:
    """Build a 400 FAILED_PRECONDITION: the request is well formed but the resource is not ready."""
    return StatusError(400, message, status="FAILED_PRECONDITION")


def not_found(message: str) -> StatusError:
    """Build a 404 NOT_FOUND."""
    return StatusError(404, message)


def url_not_found(path: str) -> StatusError:
    """Build the front end's 404 for a URL no API method serves: an HTML page, as Google's hosts answer."""
    error = StatusError(404, f"The requested URL {path} was not found on this server.")
    error.page = (
        "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
        "  <title>Error 404 (Not Found)!!1</title>\n"
        "  <p><b>404.</b> <ins>That\u2019s an error.</ins>\n"
        f"  <p>The requested URL <code>{html.escape(path)}</code> was not found on this server.  "
        "<ins>That\u2019s all we know.</ins>\n"
    )
    return error


def error_info(reason: str, service: str, **metadata: str) -> JSONObject:
    """Build a ``google.rpc.ErrorInfo`` detail."""
    return {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": {"service": service, **metadata},
    }


def localized(message: str) -> JSONObject:
    """Build a ``google.rpc.LocalizedMessage`` detail in English."""
    return {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": message}


def injected(code: int, *, retry_after: float | None, is_vertex: bool) -> StatusError:
    """Build the error a fault injection answers with: a quota or server error of the service."""
    message = DEFAULT_MESSAGES.get(code, "The service is currently unavailable.")
    if code == 429 and is_vertex:
        message = (
            "Resource exhausted. Please try again later. Please refer to "
            "https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details."
        )
    headers: dict[str, str] = {}
    details: list[JSONObject] = []
    if retry_after is not None:
        headers["retry-after"] = f"{retry_after:g}"
        if code == 429:
            details.append(
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f"{retry_after:g}s"}
            )
    return StatusError(code, message, details=details, headers=headers)
