"""Async tests run under blockbuster: a blocking call inside their event loop fails the test.

Replaying keeps async code non-blocking, a miss included. blockbuster turns a blocking call (a file
read, an import that reads the disk, a sleep, a wait on a held lock) made inside a running loop into
a `BlockingError`, when `genai_min` or `replay` is on the stack: what a test does itself is its own
business. It patches those calls for the whole process while on, so it is on only around async
tests; code that runs a loop of its own (a fresh process, a sync test calling ``asyncio.run``) turns
it on there, as `tests/replay/test_async_transports.py` and `tests/plugin/test_async_misses.py` do.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
from blockbuster import BlockBuster

ALLOWED = {
    # The genai_min stub checks each request against the API's schemas, inside the loop it answers
    # in; the schemas are read from disk on first use. A test double, not the library.
    "tests/genai_min/conftest.py": {"schema_check"},
    # Loading and saving a cassette are synchronous: the fixture does both outside any loop (at a
    # test's setup and teardown), but a few tests record, save and replay inside their own loop.
    "replay/_cassette_json.py": {"load_cassette"},
    "replay/_recorder.py": {"save"},
    # Known, for genai_min to fix: aio.files.upload opens and reads the file inside the loop, and
    # genai_min's models are built when first used, where pydantic's first build in a process looks
    # its plugins up on disk.
    "genai_min/_upload.py": {"open_upload", "iter_chunks"},
    "pydantic/plugin/_loader.py": {"get_plugins"},
}
"""The blocking calls let through: file name, and the functions whose calls may block."""


@pytest.fixture(scope="session")
def blockbuster() -> BlockBuster:
    """blockbuster's checks of blocking calls, built once (that takes milliseconds), on per test."""
    detector = BlockBuster(["genai_min", "replay"])
    for function in detector.functions.values():
        for filename, names in ALLOWED.items():
            function.can_block_in(filename, names)
    return detector


@pytest.fixture(autouse=True)
def _no_blocking_in_async_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail an async test whose event loop makes a blocking call from genai_min or replay."""
    if not inspect.iscoroutinefunction(getattr(request.node, "function", None)):
        yield
        return
    detector: BlockBuster = request.getfixturevalue("blockbuster")
    detector.activate()
    try:
        yield
    finally:
        detector.deactivate()
