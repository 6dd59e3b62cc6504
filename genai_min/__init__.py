"""genai_min: a lean, typed client for the Gemini Developer API and Vertex AI.

Plain functions over one shared `Transport`::

    import genai_min
    from genai_min import models

    with genai_min.Transport(api_key="...") as t:
        print(models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi").text)

Importing the package loads the transport only: each resource module (and the pydantic models it
uses) loads when it is first named, so a script that generates content never builds the batch,
tuning, cache or file types.
"""

import typing

from genai_min._endpoint import Endpoint as Endpoint
from genai_min._errors import APIError as APIError
from genai_min._errors import ClientError as ClientError
from genai_min._errors import ConfigError as ConfigError
from genai_min._errors import FileProcessingError as FileProcessingError
from genai_min._errors import FileUploadError as FileUploadError
from genai_min._errors import FileWaitTimeoutError as FileWaitTimeoutError
from genai_min._errors import GenAIError as GenAIError
from genai_min._errors import OperationTimeoutError as OperationTimeoutError
from genai_min._errors import RequestTimeoutError as RequestTimeoutError
from genai_min._errors import ResponseError as ResponseError
from genai_min._errors import ServerError as ServerError
from genai_min._errors import TransportError as TransportError
from genai_min._errors import UnsupportedError as UnsupportedError
from genai_min._http import HttpRequest as HttpRequest
from genai_min._http import HttpResponse as HttpResponse
from genai_min._lazy import loader as _loader
from genai_min._retry import RetryOptions as RetryOptions
from genai_min._transport import Transport as Transport
from genai_min._version import __version__ as __version__

if typing.TYPE_CHECKING:
    from genai_min import aio as aio
    from genai_min import batches as batches
    from genai_min import caches as caches
    from genai_min import chats as chats
    from genai_min import errors as errors
    from genai_min import files as files
    from genai_min import models as models
    from genai_min import operations as operations
    from genai_min import tunings as tunings
    from genai_min import types as types

__all__ = [
    "APIError",
    "ClientError",
    "ConfigError",
    "Endpoint",
    "FileProcessingError",
    "FileUploadError",
    "FileWaitTimeoutError",
    "GenAIError",
    "HttpRequest",
    "HttpResponse",
    "OperationTimeoutError",
    "RequestTimeoutError",
    "ResponseError",
    "RetryOptions",
    "ServerError",
    "Transport",
    "TransportError",
    "UnsupportedError",
    "__version__",
    "aio",
    "batches",
    "caches",
    "chats",
    "errors",
    "files",
    "models",
    "operations",
    "tunings",
    "types",
]

# Loaded on first use (PEP 562): the resource modules, and with them the pydantic models they use.
_SUBMODULES = frozenset(
    {"aio", "batches", "caches", "chats", "errors", "files", "models", "operations", "tunings", "types"}
)


# Hidden from type checkers: they see every name above, and would take a misspelt one for an object.
if not typing.TYPE_CHECKING:
    __getattr__, __dir__ = _loader(globals(), submodules=_SUBMODULES)
