"""The exceptions `genai_min` raises; every one of them derives from `GenAIError`.

GenAIError
 ├── ConfigError             a setting or argument is missing, unknown or malformed (also a ValueError)
 │    └── UnsupportedError   the operation or field does not exist on this backend
 ├── TransportError          no HTTP answer (connection, protocol), or one that broke off mid-way
 │    └── RequestTimeoutError
 ├── ResponseError           a success answer that cannot be understood (bad JSON, bad stream framing)
 │    └── FileUploadError    the resumable upload protocol went wrong (no upload URL, not final)
 ├── FileProcessingError     an uploaded file became FAILED instead of ACTIVE
 │    └── FileWaitTimeoutError  it was still PROCESSING when the wait gave up
 ├── OperationTimeoutError   a long-running operation was still running when the wait gave up
 └── APIError                the service answered with an error status or a stream error event
      ├── ClientError        4xx
      └── ServerError        5xx
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genai_min._files import File
    from genai_min._http import JSON, HttpRequest, HttpResponse


class GenAIError(Exception):
    """Root of every error raised by `genai_min`."""


class ConfigError(GenAIError, ValueError):
    """A setting or argument is missing, unknown or malformed; nothing was sent."""


class UnsupportedError(ConfigError):
    """The operation or field is not offered by the selected backend; nothing was sent."""


class TransportError(GenAIError):
    """The request got no HTTP answer, or its answer broke off mid-way.

    A connection refused or reset, a broken protocol, or a stream cut after some events: the message
    says which, and how far the answer got.
    """

    def __init__(self, message: str, *, request: HttpRequest | None = None) -> None:
        super().__init__(message)
        self.request = request


class RequestTimeoutError(TransportError):
    """The request did not complete within the transport's timeout."""


class ResponseError(GenAIError):
    """The service answered with success, but the body cannot be understood."""

    def __init__(self, message: str, *, body: bytes = b"") -> None:
        super().__init__(message)
        self.body = body


class FileUploadError(ResponseError):
    """The resumable upload protocol went wrong: no session URL, or an unexpected upload status.

    `upload_status` is the ``x-goog-upload-status`` the service sent (None when absent) and
    `offset` the byte offset of the request it answered.
    """

    def __init__(self, message: str, *, upload_status: str | None, offset: int, body: bytes = b"") -> None:
        super().__init__(message, body=body)
        self.upload_status = upload_status
        self.offset = offset


class FileProcessingError(GenAIError):
    """A file did not become ACTIVE: the service's processing FAILED. `file` is its last state."""

    def __init__(self, message: str, *, file: File) -> None:
        super().__init__(message)
        self.file = file


class FileWaitTimeoutError(FileProcessingError):
    """A file was still processing when `wait_active` gave up; waiting again resumes the poll."""


class APIError(GenAIError):
    """The service answered with an error.

    `code` is the HTTP status (or the envelope's code for a stream error event), `status` the
    canonical name such as ``"NOT_FOUND"``, `message` the service's message, `details` the whole
    parsed error body, and `response` the HTTP response when there was one.
    """

    def __init__(
        self,
        code: int,
        *,
        status: str | None = None,
        message: str | None = None,
        details: JSON = None,
        response: HttpResponse | None = None,
    ) -> None:
        self.code = code
        self.status = status
        self.message = message
        self.details = details
        self.response = response
        super().__init__(f"{code} {status}. {message}" if message else f"{code} {status}.")

    @classmethod
    def from_response(cls, response: HttpResponse) -> APIError:
        """Build the most specific error for a non-success response."""
        body: JSON
        if 300 <= response.status < 400:
            # httpx does not follow redirects, and the API never redirects: a sign-in page or a
            # proxy answered, and its body (an HTML "moved" page, if any) says nothing useful.
            location = response.headers.get("location")
            message = f"the service redirected to {location!r}: check the base URL and the credentials"
            body = {"message": message, "status": None}
        else:
            try:
                body = json.loads(response.content) if response.content else {}
            except (ValueError, RecursionError):
                body = {"message": response.content.decode("utf-8", "replace"), "status": None}
        return cls.from_body(response.status, body, response=response)

    @classmethod
    def from_body(cls, code: int, body: JSON, *, response: HttpResponse | None = None) -> APIError:
        """Build the most specific error from an HTTP status and a parsed error body."""
        # Some front ends wrap the envelope in a one-element list.
        if isinstance(body, list) and len(body) == 1:
            body = body[0]
        error = body.get("error", body) if isinstance(body, dict) else {}
        if not isinstance(error, dict):
            error = {"message": str(error)}
        status = error.get("status")
        message = error.get("message")
        kind: type[APIError] = APIError
        if 400 <= code < 500:
            kind = ClientError
        elif 500 <= code < 600:
            kind = ServerError
        return kind(
            code,
            status=status if isinstance(status, str) else None,
            message=message if isinstance(message, str) else None,
            details=body,
            response=response,
        )


class ClientError(APIError):
    """The service rejected the request (HTTP 4xx): fix the request, the key or the quota."""


class ServerError(APIError):
    """The service failed (HTTP 5xx); retrying may help."""


class OperationTimeoutError(GenAIError):
    """A long-running operation had not finished when `operations.wait` gave up.

    `operation` is its last polled state; waiting again (with a longer timeout) resumes the poll.
    """

    def __init__(self, message: str, *, operation: object) -> None:
        super().__init__(message)
        self.operation = operation
