"""The errors `genai_min` raises, under the module name the official SDK uses for its own.

Code written for the SDK keeps working unchanged::

    from genai_min import errors

    try:
        models.generate_content(t, model="gemini-2.0-flash-001", contents="Hi")
    except errors.APIError as error:
        print(error.code, error.status, error.message)

The same classes are also at the top of the package (`genai_min.APIError`); the tree is drawn in
`genai_min._errors`.
"""

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

__all__ = [
    "APIError",
    "ClientError",
    "ConfigError",
    "FileProcessingError",
    "FileUploadError",
    "FileWaitTimeoutError",
    "GenAIError",
    "OperationTimeoutError",
    "RequestTimeoutError",
    "ResponseError",
    "ServerError",
    "TransportError",
    "UnsupportedError",
]
