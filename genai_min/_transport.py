"""The one object every `genai_min` function takes first: endpoint, auth and the httpx clients.

Resource functions hand it an `HttpRequest`; it adds the URL prefix and the headers, sends through
httpx (the seam: pass `transport=` / `async_transport=` to record or replay), retries when asked,
and turns error statuses and httpx failures into `genai_min` errors. Nothing else holds state.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import platform
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx

from genai_min._endpoint import Endpoint, resolve_endpoint
from genai_min._errors import APIError, ConfigError, RequestTimeoutError, TransportError
from genai_min._http import HttpRequest, HttpResponse, JSONObject
from genai_min._retry import NO_RETRY, RetryOptions
from genai_min._sse import SseDecoder, decode_json_stream
from genai_min._version import __version__

if TYPE_CHECKING:
    from google.auth.credentials import Credentials

    from genai_min._auth import VertexAuth

CLIENT_LABEL = f"genai-min/{__version__} gl-python/{platform.python_version()}"


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
            with _mapped_errors(request):
                content = response.read()
        finally:
            response.close()
            _release(response)
        result = _to_response(response, content)
        if not response.is_success:
            raise APIError.from_response(result)
        return result

    def stream(self, request: HttpRequest) -> Iterator[JSONObject]:
        """Send `request` and yield each server-sent event as soon as its last line arrives."""
        response = self._send_with_retries(request)
        try:
            with _mapped_errors(request):
                if not response.is_success:
                    raise APIError.from_response(_to_response(response, response.read()))
                if _is_json(response):
                    yield from _json_events(response.read())
                    return
            decoder = SseDecoder()
            with _mapped_errors(request):
                for line in response.iter_lines():
                    if (event := decoder.feed(line)) is not None:
                        yield event
            if (last := decoder.close()) is not None:
                yield last
        finally:
            response.close()

    def _send_with_retries(self, request: HttpRequest) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            is_last = attempt >= self.retry.attempts
            try:
                with _mapped_errors(request):
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
        headers = self._auth_headers_sync(request)
        url = self._url(request)
        return client.send(self._build(client, request, url, headers), stream=True)

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
            with _mapped_errors(request):
                content = await response.aread()
        finally:
            await response.aclose()
            _release(response)
        result = _to_response(response, content)
        if not response.is_success:
            raise APIError.from_response(result)
        return result

    async def astream(self, request: HttpRequest) -> AsyncIterator[JSONObject]:
        """Async `stream`: awaiting sends the request and checks its status (raising
        `APIError` there); iterating the result yields the events as they arrive."""
        response = await self._asend_with_retries(request)
        if not response.is_success:
            try:
                with _mapped_errors(request):
                    content = await response.aread()
            finally:
                await response.aclose()
            raise APIError.from_response(_to_response(response, content))
        return self._aevents(request, response)

    async def _aevents(self, request: HttpRequest, response: httpx.Response) -> AsyncIterator[JSONObject]:
        try:
            if _is_json(response):
                with _mapped_errors(request):
                    content = await response.aread()
                for whole in _json_events(content):
                    yield whole
                return
            decoder = SseDecoder()
            with _mapped_errors(request):
                async for line in response.aiter_lines():
                    if (event := decoder.feed(line)) is not None:
                        yield event
            if (last := decoder.close()) is not None:
                yield last
        finally:
            await response.aclose()

    async def _asend_with_retries(self, request: HttpRequest) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            is_last = attempt >= self.retry.attempts
            try:
                with _mapped_errors(request):
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
        client = self.async_client
        headers = await self._auth_headers_async(request)
        if self._needs_project():
            url = await asyncio.to_thread(self._url, request)
        else:
            url = self._url(request)
        return await client.send(self._build(client, request, url, headers), stream=True)

    async def _auth_headers_async(self, request: HttpRequest) -> dict[str, str]:
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

    def _build(
        self,
        client: httpx.Client | httpx.AsyncClient,
        request: HttpRequest,
        url: str,
        auth_headers: dict[str, str],
    ) -> httpx.Request:
        headers = {"user-agent": CLIENT_LABEL, "x-goog-api-client": CLIENT_LABEL}
        for name, value in self._headers.items():
            # A caller's label goes in front of ours rather than replacing it.
            headers[name] = f"{value} {headers[name]}" if name in headers else value
        if request.json is not None:
            headers["content-type"] = "application/json"
        if isinstance(self._timeout, int | float):
            headers["x-server-timeout"] = str(math.ceil(self._timeout))
        headers.update(auth_headers)
        headers.update(request.headers)
        if request.query:
            # Merge rather than replace: an upload session URL already carries its own query.
            url = str(httpx.URL(url).copy_merge_params(list(request.query)))
        if request.json is not None:
            return client.build_request(request.method, url, headers=headers, json=request.json)
        return client.build_request(request.method, url, headers=headers, content=request.content)


@contextlib.contextmanager
def _mapped_errors(request: HttpRequest) -> Iterator[None]:
    """Translate httpx's failures into ours; this is the only place that knows them."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise RequestTimeoutError(
            f"{request.method} {request.path} timed out: {exc}; raise timeout= on the Transport "
            "or retry with RetryOptions",
            request=request,
        ) from exc
    except httpx.TransportError as exc:
        raise TransportError(
            f"{request.method} {request.path} failed before an answer arrived: {exc!r}",
            request=request,
        ) from exc
    except httpx.StreamError as exc:
        raise TransportError(f"{request.method} {request.path}: {exc}", request=request) from exc


def _release(response: httpx.Response) -> None:
    """Break the reference cycle httpx makes between a response and its stream, once closed.

    Without this the request, and the body it holds (an upload chunk), lives until the garbage
    collector next runs, so a large upload would hold many chunks at once.
    """
    response.stream = httpx.ByteStream(b"")


def _to_response(response: httpx.Response, content: bytes) -> HttpResponse:
    return HttpResponse(response.status_code, dict(response.headers.items()), content)


def _is_json(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.startswith("application/json")


def _json_events(content: bytes) -> list[JSONObject]:
    """Read a stream answered as one JSON array (no ``alt=sse``) as its list of events."""
    return decode_json_stream(content)
