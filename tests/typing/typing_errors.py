"""`genai_min.errors`: the SDK's error names, carrying their data as typed attributes.

Checked by mypy (``warn_unused_ignores`` is on, so each ``# type: ignore[...]`` proves an error), never run.
"""

from __future__ import annotations

from typing import assert_type

import genai_min
from genai_min import Transport, errors, models


def check_errors(t: Transport) -> None:
    try:
        models.generate_content(t, model="m", contents="hi")
    except errors.ClientError as error:
        assert_type(error, errors.ClientError)
        assert_type(error.code, int)
    except errors.APIError as error:
        assert_type(error.code, int)
        assert_type(error.status, str | None)
        assert_type(error.message, str | None)
        assert_type(error.response, genai_min.HttpResponse | None)
    except errors.FileUploadError as error:
        assert_type(error.upload_status, str | None)
        assert_type(error.offset, int)
    except errors.FileProcessingError as error:
        assert_type(error.file, genai_min.types.File)
    except errors.TransportError as error:
        assert_type(error.request, genai_min.HttpRequest | None)
    assert issubclass(errors.APIError, genai_min.GenAIError)
    assert errors.APIError is genai_min.APIError
    _ = errors.ApiError  # type: ignore[attr-defined]
