"""Vertex AI bearer tokens from google-auth, loaded only when a Vertex request first needs one.

Token refreshes go through the transport's own httpx client, so they use the same proxy and
client settings, and a recording transport sees them (and sanitises them) like any other request.
This module is the only one that imports google-auth.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from genai_min._errors import ConfigError, RequestTimeoutError, TransportError

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)


class VertexAuth:
    """Hold Vertex AI credentials and hand out fresh authorisation headers, thread-safely."""

    def __init__(self, credentials: Credentials | None) -> None:
        self._credentials = credentials
        self._project: str | None = None
        self._lock = threading.Lock()

    @property
    def has_credentials(self) -> bool:
        """Tell whether credentials are already loaded (no I/O)."""
        return self._credentials is not None

    def default_project(self, client: httpx.Client) -> str | None:
        """Return the project that application-default credentials name, loading them if needed."""
        with self._lock:
            self._load()
        return self._project

    def fresh_headers(self) -> dict[str, str] | None:
        """Return the authorisation headers if the token is loaded and valid, without any I/O."""
        credentials = self._credentials
        if credentials is None or not credentials.valid:
            return None
        return self._headers_for(credentials)

    def headers(self, client: httpx.Client) -> dict[str, str]:
        """Return the authorisation headers, refreshing the token through `client` if stale."""
        with self._lock:
            credentials = self._load()
            if not credentials.valid:
                from google.auth import exceptions

                try:
                    credentials.refresh(HttpxAuthRequest(client))  # type: ignore[no-untyped-call]
                except exceptions.TransportError as exc:
                    # The token endpoint was unreachable: a network failure, retried like one.
                    cause = exc.args[0] if exc.args else None
                    if isinstance(cause, TransportError):
                        raise cause from exc
                    raise TransportError(f"could not reach the token endpoint: {exc}") from exc
                except exceptions.GoogleAuthError as exc:
                    raise ConfigError(
                        f"could not refresh the Vertex AI credentials: {exc}; check "
                        "GOOGLE_APPLICATION_CREDENTIALS or run `gcloud auth application-default login`"
                    ) from exc
            return self._headers_for(credentials)

    @staticmethod
    def _headers_for(credentials: Credentials) -> dict[str, str]:
        headers = {"authorization": f"Bearer {credentials.token}"}
        quota_project = getattr(credentials, "quota_project_id", None)
        if quota_project:
            headers["x-goog-user-project"] = quota_project
        return headers

    def _load(self) -> Credentials:
        if self._credentials is None:
            import google.auth
            from google.auth import exceptions

            try:
                self._credentials, self._project = google.auth.default(scopes=list(SCOPES))
            except exceptions.DefaultCredentialsError as exc:
                raise ConfigError(
                    "Vertex AI needs credentials and none were found: pass credentials=..., set "
                    "GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default login`; "
                    "or use an API key (express mode)"
                ) from exc
        return self._credentials


class _AuthResponse:
    """The response shape google-auth's transport interface expects."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.headers = dict(response.headers)
        self.data = response.content


class HttpxAuthRequest:
    """Adapt an httpx client to google-auth's `google.auth.transport.Request` callable."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> _AuthResponse:
        from google.auth import exceptions

        try:
            response = self._client.request(
                method,
                url,
                content=body,
                headers=headers,
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException as exc:
            raise exceptions.TransportError(  # type: ignore[no-untyped-call]
                RequestTimeoutError(str(exc))
            ) from exc
        except httpx.HTTPError as exc:
            raise exceptions.TransportError(TransportError(str(exc))) from exc  # type: ignore[no-untyped-call]
        return _AuthResponse(response)
