"""httpx's own transports for requests the session has already decided to send.

vcrpy patches the ``handle_request`` of httpx's (and httpx2's) transport classes while the fixture
intercepts. A request the session told an adapter to send must go out as it is: through a patched
transport it would come back to the session as a second request. These subclasses call the
function vcrpy wraps.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import httpx


class DirectTransport(httpx.HTTPTransport):
    """httpx's own transport, sending even while vcrpy patches its class: the session has decided already."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return unpatched(httpx.HTTPTransport.handle_request)(self, request)  # type: ignore[no-any-return]


class AsyncDirectTransport(httpx.AsyncHTTPTransport):
    """httpx's own async transport, sending even while vcrpy patches its class."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        send = unpatched(httpx.AsyncHTTPTransport.handle_async_request)
        return await send(self, request)  # type: ignore[no-any-return]


def unpatched(function: Callable[..., Any]) -> Callable[..., Any]:
    """Return the function vcrpy's patch wraps (it keeps it as ``__wrapped__``), or `function` itself.

    A request the session told an adapter to send must go out as it is: sent through a patched
    transport, it would come back to the session as a second request.
    """
    unwrapped: Callable[..., Any] = inspect.unwrap(function)
    return unwrapped
