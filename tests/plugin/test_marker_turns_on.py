"""pytest.mark.genai_replay on a module, a class or from a conftest hook turns genai_replay on, as vcrpy's does."""

from __future__ import annotations

import pytest

from ._cassettes import save_answers

MODULE = """
import genai_min
import pytest
from genai_min import models

pytestmark = pytest.mark.genai_replay

def ask(question):
    return models.generate_content(genai_min.Transport(), model="gemini-2.0-flash-001", contents=question).text

def test_recorded():
    assert ask("Hi") == "Hello"

def test_not_recorded():
    ask("Anyone?")
"""

CLASSES = """
import os

import pytest
from google import genai

@pytest.fixture
def client():
    return genai.Client()  # needs a key: it comes from genai_replay, set up before this fixture

@pytest.mark.genai_replay(ignore_api_version=True)  # the SDK may ask v1 for what genai_min asks v1beta
class TestChat:
    def test_reply(self, client):
        assert client.models.generate_content(model="gemini-2.0-flash-001", contents="Hi").text == "Hello"

class TestPlain:
    def test_untouched(self):
        assert "GOOGLE_API_KEY" not in os.environ

@pytest.mark.parametrize("is_marked", [pytest.param(True, marks=pytest.mark.genai_replay), False])
def test_only_the_marked_parameter(is_marked):
    assert ("GOOGLE_API_KEY" in os.environ) is is_marked
"""

CONFTEST = """
import pytest

def pytest_collection_modifyitems(items):
    for item in items:
        if "gemini" in item.name:
            item.add_marker(pytest.mark.genai_replay("shared/gemini"))
"""

HOOKED = """
import genai_min
from genai_min import models

def test_gemini_reply():
    assert models.generate_content(genai_min.Transport(), model="gemini-2.0-flash-001", contents="Hi").text == "Hello"

def test_gemini_uses_the_fixture_too(genai_replay):
    assert genai_replay.cassette_path.name == "gemini.json"
"""


def test_a_module_pytestmark_replays_each_test_and_misses_without_a_cassette(
    downstream: pytest.Pytester,
) -> None:
    downstream.makepyfile(test_module=MODULE)
    save_answers(downstream.path / "cassettes" / "test_module" / "test_recorded.json", ("Hi", "Hello"))

    result = downstream.runpytest()

    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "E   *NoMatchError: no cassette at cassettes/test_module/test_not_recorded.json to answer POST "
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash-001:generateContent; "
            "record it with --genai-replay-mode=once",
            "genai-replay: 2 cassettes; 1 interactions replayed, 0 recorded (0 new cassettes, 0 changed), "
            "0 unplayed, 1 missing",
        ]
    )


def test_a_class_mark_turns_it_on_for_its_tests_only_and_before_their_fixtures(
    downstream: pytest.Pytester,
) -> None:
    downstream.makepyfile(test_classes=CLASSES)
    save_answers(downstream.path / "cassettes" / "test_classes" / "TestChat.test_reply.json", ("Hi", "Hello"))

    result = downstream.runpytest("-p", "no:randomly")

    result.assert_outcomes(passed=4)


def test_a_mark_a_conftest_hook_adds_turns_it_on_with_its_settings(downstream: pytest.Pytester) -> None:
    downstream.makeconftest(CONFTEST)
    downstream.makepyfile(test_hooked=HOOKED)
    save_answers(downstream.path / "cassettes" / "shared" / "gemini.json", ("Hi", "Hello"))

    downstream.runpytest().assert_outcomes(passed=2)


def test_cassettes_of_marked_tests_are_not_called_unused(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_module=MODULE.replace("def test_not_recorded", "def _not_recorded"))
    folder = downstream.path / "cassettes" / "test_module"
    save_answers(folder / "test_recorded.json", ("Hi", "Hello"))
    save_answers(folder / "test_gone.json", ("Hi", "Hello"))

    result = downstream.runpytest()

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "genai-replay: 1 unused cassette (no test in this run uses them); delete them if their tests "
            "are gone:",
            "  cassettes/test_module/test_gone.json",
        ]
    )
    assert "test_recorded.json" not in result.stdout.str()


def test_a_typo_in_a_module_mark_is_a_usage_error(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        test_typo="""
        import pytest

        pytestmark = pytest.mark.genai_replay(mdoe="all")

        def test_typo():
            pass
        """
    )

    result = downstream.runpytest()

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: test_typo.py::test_typo: the genai_replay marker got unknown genai_replay setting(s) 'mdoe'; *"
        ]
    )
