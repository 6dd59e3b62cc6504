"""The one object every `genai_min` function takes first: endpoint, auth and the httpx clients.

Resource functions hand it an `HttpRequest`; it adds the URL prefix and the headers, sends through
httpx (the seam: pass `transport=` / `async_transport=` to record or replay), retries when asked,
and turns error statuses and httpx failures into `genai_min` errors. Nothing else holds state; the
stateless conversions to and from httpx are in `_httpx_bridge`. The async methods import `asyncio`
where they run (its event loop has loaded it already), so a sync script never pays for it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx

from genai_min._endpoint import Endpoint, resolve_endpoint
from genai_min._errors import APIError, ConfigError, TransportError
from genai_min._http import HttpRequest, HttpResponse, JSONObject
from genai_min._httpx_bridge import (
    asse_events,
    body_arrival,
    build_request,
    is_json,
    json_events,
    mapped_errors,
    release,
    sse_events,
    to_response,
)
from genai_min._retry import NO_RETRY, RetryOptions

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

    from genai_min._auth import VertexAuth


class Transport:
    """Hold the endpoint, credentials and (lazily created) httpx clients for both backends.

    Gemini Developer API::

        t = genai_min.Transport(api_key="...")            # or GOOGLE_API_KEY / GEMINI_API_KEY

    Vertex AI (application-default credentials unless `credentials` is given; express mode when
    only an API key is given)::

        t = genai_min.Transport(vertexai=True, project="my-project", location="us-central1")

    `timeout` is in seconds. `client_args` / `async_client_args` go to `httpx.Client` /
    `httpx.AsyncClient` (proxies, certificates, limits). `transport` / `async_transport` replace
    httpx's network transport: that is how the replay layer records and replays. Use it as a
    context manager, or call `close()` / `aclose()`, to release connections.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        vertexai: bool | None = None,
        project: str | None = None,
        location: str | None = None,
        credentials: Credentials | None = None,
        api_version: str | None = None,
        base_url: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        retry: RetryOptions | None = None,
        client_args: Mapping[str, object] | None = None,
        async_client_args: Mapping[str, object] | None = None,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._endpoint: Endpoint = resolve_endpoint(
            api_key=api_key,
            vertexai=vertexai,
            project=project,
            location=location,
            api_version=api_version,
            base_url=base_url,
        )
        if credentials is not None and not (self._endpoint.is_vertex and not self._endpoint.is_express):
            raise ConfigError("credentials= applies to Vertex AI with a project; pass vertexai=True")
        self._credentials = credentials
        self._auth: VertexAuth | None = None
        self._headers = {k.lower(): v for k, v in (headers or {}).items()}
        self._timeout = timeout
        self.retry: RetryOptions = retry or NO_RETRY
        self._client_args = {"timeout": timeout, **(client_args or {})}
        self._async_client_args = {"timeout": timeout, **(async_client_args or {})}
        self._transport = transport
        self._async_transport = async_transport
        self._client: httpx.Client | None = None
        self._async_client: httpx.AsyncClient | None = None

    def __repr__(self) -> str:
        e = self._endpoint
        where = f"project={e.project!r}, location={e.location!r}" if e.project or e.location else ""
        backend = "vertex" if e.is_vertex else "gemini"
        return f"<Transport {backend} {e.base_url}{e.api_version} {where}>".replace(" >", ">")

    @property
    def is_vertex(self) -> bool:
        """Tell whether requests go to Vertex AI (True) or the Gemini Developer API (False)."""
        return self._endpoint.is_vertex

    # -- clients -------------------------------------------------------------------------------

    @property
    def client(self) -> httpx.Client:
        """Return the sync httpx client, creating it on first use."""
        if self._client is None:
            self._client = httpx.Client(
                transport=self._transport,
                **self._client_args,  # type: ignore[arg-type]
            )
        return self._client

    @property
    def async_client(self) -> httpx.AsyncClient:
        """Return the async httpx client, creating it on first use."""
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(
                transport=self._async_transport,
                **self._async_client_args,  # type: ignore[arg-type]
            )
        return self._async_client

    def close(self) -> None:
        """Close the sync client; the transport can still be used and will reopen it."""
        if self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        """Close both clients."""
        self.close()
        if self._async_client is not None:
            await self._async_client.aclose()
            self._async_client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # -- sync ----------------------------------------------------------------------------------

    def send(self, request: HttpRequest) -> HttpResponse:
        """Send `request` and return the whole response; raise `APIError` on an error status."""
        response = self._send_with_retries(request)
        try:
            with mapped_errors(request, body_arrival(response)):
                content = response.read()
        finally:
            response.close()
            release(response)
        result = to_response(response, content)
        if not response.is_success:
            raise APIError.from_response(result)
        return result

    def stream(self, request: HttpRequest) -> Iterator[JSONObject]:
        """Send `request` and yield each server-sent event as soon as its last line arrives."""
        response = self._send_with_retries(request)
        try:
            with mapped_errors(request, body_arrival(response)):
                if not response.is_success:
                    raise APIError.from_response(to_response(response, response.read()))
                if is_json(response):
                    yield from json_events(response.read())
                    return
            yield from sse_events(request, response)
        finally:
            response.close()

    def _send_with_retries(self, request: HttpRequest) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            is_last = attempt >= self.retry.attempts
            try:
                with mapped_errors(request):
                    response = self._send_once(request)
            except TransportError:
                if is_last:
                    raise
                time.sleep(self.retry.delay(attempt))
                continue
            if is_last or response.status_code not in self.retry.status_codes:
                return response
            response.close()
            time.sleep(self.retry.delay(attempt, response.headers.get("retry-after")))

    def _send_once(self, request: HttpRequest) -> httpx.Response:
        client = self.client
        auth_headers = self._auth_headers_sync(request)
        url = self._url(request)
        built = build_request(
            client, request, url, headers=self._headers, timeout=self._timeout, auth_headers=auth_headers
        )
        return client.send(built, stream=True)

    def _auth_headers_sync(self, request: HttpRequest) -> dict[str, str]:
        if not request.is_authenticated:
            return {}
        if self.endpoint.api_key is not None:
            return {"x-goog-api-key": self.endpoint.api_key}
        return self._vertex_auth().headers(self.client)

    # -- async ---------------------------------------------------------------------------------

    async def asend(self, request: HttpRequest) -> HttpResponse:
        """Async `send`."""
        response = await self._asend_with_retries(request)
        try:
            with mapped_errors(request, body_arrival(response)):
                content = await response.aread()
        finally:
            await response.aclose()
            release(response)
        result = to_response(response, content)
        if not response.is_success:
            raise APIError.from_response(result)
        return result

    async def astream(self, request: HttpRequest) -> AsyncIterator[JSONObject]:
        """Async `stream`: awaiting sends the request and checks its status (raising
        `APIError` there); iterating the result yields the events as they arrive."""
        response = await self._asend_with_retries(request)
        if not response.is_success:
            try:
                with mapped_errors(request, body_arrival(response)):
                    content = await response.aread()
            finally:
                await response.aclose()
            raise APIError.from_response(to_response(response, content))
        return self._aevents(request, response)

    async def _aevents(self, request: HttpRequest, response: httpx.Response) -> AsyncIterator[JSONObject]:
        try:
            if is_json(response):
                with mapped_errors(request, body_arrival(response)):
                    content = await response.aread()
                for whole in json_events(content):
                    yield whole
                return
            async for event in asse_events(request, response):
                yield event
        finally:
            await response.aclose()

    async def _asend_with_retries(self, request: HttpRequest) -> httpx.Response:
        import asyncio

        attempt = 0
        while True:
            attempt += 1
            is_last = attempt >= self.retry.attempts
            try:
                with mapped_errors(request):
                    response = await self._asend_once(request)
            except TransportError:
                if is_last:
                    raise
                await asyncio.sleep(self.retry.delay(attempt))
                continue
            if is_last or response.status_code not in self.retry.status_codes:
                return response
            await response.aclose()
            await asyncio.sleep(self.retry.delay(attempt, response.headers.get("retry-after")))

    async def _asend_once(self, request: HttpRequest) -> httpx.Response:
        import asyncio

        client = self.async_client
        auth_headers = await self._auth_headers_async(request)
        if self._needs_project():
            url = await asyncio.to_thread(self._url, request)
        else:
            url = self._url(request)
        built = build_request(
            client, request, url, headers=self._headers, timeout=self._timeout, auth_headers=auth_headers
        )
        return await client.send(built, stream=True)

    async def _auth_headers_async(self, request: HttpRequest) -> dict[str, str]:
        import asyncio

        if not request.is_authenticated:
            return {}
        if self.endpoint.api_key is not None:
            return {"x-goog-api-key": self.endpoint.api_key}
        auth = self._vertex_auth()
        # google-auth refreshes synchronously; keep the event loop free while it does.
        fresh = auth.fresh_headers()
        return fresh if fresh is not None else await asyncio.to_thread(auth.headers, self.client)

    # -- shared --------------------------------------------------------------------------------

    def _vertex_auth(self) -> VertexAuth:
        if self._auth is None:
            from genai_min._auth import VertexAuth

            self._auth = VertexAuth(self._credentials)
        return self._auth

    def _needs_project(self) -> bool:
        e = self._endpoint
        return e.is_vertex and not e.is_express and e.project is None

    @property
    def endpoint(self) -> Endpoint:
        """The resolved service address; on Vertex AI with no project given, ADC's project.

        Reading it the first time on such a transport loads application-default credentials
        (once), so that request bodies naming resources (cache models, batch names) hold the
        project too, not only URLs.
        """
        if self._needs_project():
            project = self._vertex_auth().default_project(self.client)
            if project is None:
                raise ConfigError("Vertex AI needs a project: pass project=... or set GOOGLE_CLOUD_PROJECT")
            self._endpoint = replace(self._endpoint, project=project)
        return self._endpoint

    def _url(self, request: HttpRequest) -> str:
        if request.is_absolute:
            return request.path
        endpoint = self.endpoint
        return endpoint.versioned_url(
            request.method, request.path, is_upload=request.is_upload, project=endpoint.project
        )
