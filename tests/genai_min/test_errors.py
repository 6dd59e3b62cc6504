"""`from genai_min import errors` works as the official SDK's `errors` module does."""

from __future__ import annotations

import httpx
import pytest

import genai_min
from genai_min import errors, models

NOT_FOUND = {"error": {"code": 404, "message": "models/nope is not found", "status": "NOT_FOUND"}}


def test_code_written_for_the_sdk_catches_our_errors() -> None:
    mock = httpx.MockTransport(lambda request: httpx.Response(404, json=NOT_FOUND))
    with genai_min.Transport(api_key="k", transport=mock) as t:
        try:
            models.generate_content(t, model="nope", contents="Hi")
        except errors.APIError as error:  # the seed's own code, as written for google.genai
            caught = error
        else:
            pytest.fail("a 404 answer raised nothing")
    assert isinstance(caught, errors.ClientError)
    assert (caught.code, caught.status, caught.message) == (404, "NOT_FOUND", "models/nope is not found")


def test_the_module_and_the_package_name_the_same_classes() -> None:
    assert {name: getattr(errors, name) for name in errors.__all__} == {
        name: getattr(genai_min, name) for name in errors.__all__
    }
