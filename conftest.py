"""Root test configuration: only what every test folder shares."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio, the loop users of the SDK run."""
    return "asyncio"
