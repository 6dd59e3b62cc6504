"""--genai-replay-match-on, --genai-replay-ignore-json-path and the ini keys of matching and ignored hosts."""

from __future__ import annotations

import pytest

from replay._config import Config, resolve
from replay.plugin import _STATE

from ._cassettes import save_answers

ASK = """
import genai_min
from genai_min import models

def test_ask(genai_replay):
    answer = models.generate_content(genai_min.Transport(), model="gemini-2.0-flash-001", contents="Hi there")
    assert answer.text == "Hello"
"""


def settings(pytester: pytest.Pytester, *args: str) -> Config:
    """Return the settings a test with no marker and no config fixture gets in this run."""
    config = pytester.parseconfigure(*args)
    state = config.stash[_STATE]
    return resolve(cli=state.cli, marker={}, fixture={}, ini=state.ini)


INI = """
[pytest]
addopts = -p no:cacheprovider -p no:hypothesispytest
genai_replay_match_on = method, path, query
genai_replay_ignore_json_paths =
    contents.*.parts.*.text
    generationConfig.seed
genai_replay_ignore_hosts =
    Telemetry.example.com
    metrics.example.com
genai_replay_ignore_localhost = true
"""


def test_the_ini_keys_give_the_settings(downstream: pytest.Pytester) -> None:
    downstream.makeini(INI)

    config = settings(downstream)

    assert config.match_on == ("method", "path", "query")
    assert config.ignore_json_paths == ("contents.*.parts.*.text", "generationConfig.seed")
    assert config.ignore_hosts == ("telemetry.example.com", "metrics.example.com")
    assert config.ignore_localhost is True


def test_the_options_override_the_ini_keys(downstream: pytest.Pytester) -> None:
    downstream.makeini(INI)

    config = settings(
        downstream,
        "--genai-replay-match-on=uri,body",
        "--genai-replay-ignore-json-path=tools",
        "--genai-replay-ignore-json-path",
        "contents.*.role",
    )

    assert config.match_on == ("scheme", "host", "port", "path", "query", "body")
    assert config.ignore_json_paths == ("tools", "contents.*.role")


def test_without_options_or_ini_keys_everything_is_matched(downstream: pytest.Pytester) -> None:
    config = settings(downstream)

    assert config.match_on == Config().match_on
    assert (config.ignore_json_paths, config.ignore_hosts, config.ignore_localhost) == ((), (), False)


def test_a_request_that_differs_only_where_told_to_ignore_is_replayed(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_ask=ASK)
    save_answers(downstream.path / "cassettes" / "test_ask" / "test_ask.json", ("Hi", "Hello"))

    strict = downstream.runpytest()
    downstream.makeini(INI.replace("genai_replay_match_on", "# genai_replay_match_on"))
    by_ini = downstream.runpytest()
    by_option = downstream.runpytest("--genai-replay-ignore-json-path=contents.0.parts.0.text")
    by_parts = downstream.runpytest("--genai-replay-match-on=method,host,path,query")

    strict.assert_outcomes(failed=1)
    strict.stdout.fnmatch_lines(["*NoMatchError: no recorded interaction in *test_ask.json matches POST*"])
    by_ini.assert_outcomes(passed=1)
    by_option.assert_outcomes(passed=1)
    by_parts.assert_outcomes(passed=1)


def test_an_option_that_does_not_parse_is_a_usage_error(downstream: pytest.Pytester) -> None:
    downstream.makepyfile(test_nothing="def test_nothing():\n    pass\n")

    result = downstream.runpytest("--genai-replay-match-on=method,headers")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: genai-replay command-line options or ini keys: genai_replay match_on cannot compare "
            "'headers': credentials and client versions in them differ between machines and are not "
            "stored; drop it, or pass a callable (request, recorded) -> bool that compares the headers "
            "you mean"
        ]
    )
