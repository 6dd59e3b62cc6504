"""@pytest.mark.genai_replay: a shared cassette by name, settings per test, and a usage error for typos."""

from __future__ import annotations

import pytest


def test_tests_share_a_cassette_by_name(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        test_shared="""
        import pytest
        from genai_min import models

        pytestmark = pytest.mark.genai_replay("shared/greeting")

        def test_one(genai_replay):
            assert models.generate_content(genai_replay.transport(), model="gemini-2.0-flash-001", contents="Hi").text

        def test_two(genai_replay):
            assert genai_replay.cassette_path.name == "greeting.json"
            assert models.generate_content(genai_replay.transport(), model="gemini-2.0-flash-001", contents="Hi").text
        """
    )
    downstream.runpytest(
        "-p", "no:randomly", "--genai-replay-mode=once", "--genai-replay-upstream=emulator", "-k", "one"
    )
    assert (downstream.path / "cassettes" / "shared" / "greeting.json").is_file()
    downstream.runpytest().assert_outcomes(passed=2)


def test_an_unknown_marker_setting_is_a_usage_error_listing_the_allowed_ones(
    downstream: pytest.Pytester,
) -> None:
    downstream.makepyfile(
        test_typo="""
        import pytest

        @pytest.mark.genai_replay(mdoe="all")
        def test_typo(genai_replay):
            pass
        """
    )
    result = downstream.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: test_typo.py::test_typo: the genai_replay marker got unknown genai_replay setting(s) 'mdoe'; "
            "allowed: mode, cassette, cassette_dir, ignore_host, ignore_api_version, rules, skip_sleeps, upstream, timing, *"
        ]
    )


def test_the_marker_is_registered_with_its_signature(downstream: pytest.Pytester) -> None:
    result = downstream.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.genai_replay(cassette=None, *, mode=None, *): settings of this test's genai_replay cassette"
        ]
    )


def test_the_config_fixture_sets_defaults_for_a_module(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(
        test_cfg="""
        import pytest

        @pytest.fixture
        def genai_replay_config():
            return {"cassette": "from-config", "mode": "live"}

        def test_cfg(genai_replay):
            assert genai_replay.cassette_path.name == "from-config.json"
            assert genai_replay.mode.value == "live"
        """
    )
    downstream.runpytest().assert_outcomes(passed=1)
