"""The pytest plugin: the `genai_replay` fixture, its marker, options and ini keys, and the run's report.

This module only wires pytest to `replay`: settings are resolved by `replay._config.resolve`
(command line > marker > `genai_replay_config` fixture > ini > default), and each test's cassette is
run by `replay._fixture.running`. Registered through the ``pytest11`` entry point, so installing
genai-replay is enough::

    def test_answer(genai_replay):
        client = genai.Client()          # recorded with --genai-replay-mode=once, replayed after
        assert client.models.generate_content(model="gemini-2.0-flash-001", contents="Hi").text

As with pytest-recording's ``vcr`` marker, ``pytestmark = pytest.mark.genai_replay`` (or the marker
on a class or a test) is enough: marked tests run under genai_replay without the fixture argument.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from replay._errors import ConfigError, StaleCassetteError
from replay._modes import DEFAULT_MATCH_ON, MATCH_PARTS, MODE_ALIASES, ON_STALE_NAMES, Mode, Upstream

if TYPE_CHECKING:
    from replay._config import Config
    from replay._fixture import GenaiReplay
    from replay._harness import Harness
    from replay._report import Report

# Only pytest and the option names load with this module: pytest loads every installed plugin in
# every run, so the harness (genai_min, httpx, pydantic, vcrpy, ...) loads when a test first needs it.

_INI = {
    "mode": ("genai_replay_mode", "string", "none (replay only), once, new_episodes, all or live"),
    "cassette_dir": ("genai_replay_dir", "string", "cassette folder (default: cassettes/ by each module)"),
    "upstream": ("genai_replay_upstream", "string", "where recording sends requests: auto, live, emulator"),
    "skip_sleeps": ("genai_replay_skip_sleeps", "bool", "skip sleeps that wait for a replayed operation"),
    "ignore_host": ("genai_replay_ignore_host", "bool", "match requests whatever their host"),
    "ignore_api_version": ("genai_replay_ignore_api_version", "bool", "match whatever the API version"),
    "rules": ("genai_replay_rules", "linelist", "more sanitising: header:NAME, json:PATH, regex:PATTERN"),
    "timing": ("genai_replay_timing", "bool", "record the delays between streamed events"),
    "match_on": ("genai_replay_match_on", "string", "parts that must match, e.g. method,path,query"),
    "ignore_json_paths": ("genai_replay_ignore_json_paths", "linelist", "JSON paths matching ignores"),
    "ignore_hosts": ("genai_replay_ignore_hosts", "linelist", "hosts neither answered nor recorded"),
    "ignore_localhost": ("genai_replay_ignore_localhost", "bool", "leave loopback traffic alone"),
    "max_age": ("genai_replay_max_age", "string", "cassettes recorded longer ago are stale, e.g. 90d"),
    "on_stale": ("genai_replay_on_stale", "string", "what a stale cassette does: warn, fail or record"),
}  # fmt: skip


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the command-line options and ini keys, all in the genai-replay group."""
    group = parser.getgroup("genai-replay", "record and replay Gemini and Vertex AI exchanges")
    group.addoption(
        "--genai-replay-mode",
        dest="genai_replay_mode",
        choices=[m.value for m in Mode] + sorted(MODE_ALIASES),
        help="none (default: replay only, never send), once (record missing cassettes), new_episodes "
        "(record missing requests), all (re-record everything), live (send, write nothing)",
    )
    group.addoption("--genai-replay-dir", dest="genai_replay_dir", help="folder of cassettes")
    group.addoption(
        "--genai-replay-upstream",
        dest="genai_replay_upstream",
        choices=[u.value for u in Upstream],
        help="where recording sends: auto (live given credentials, else the emulator), live, emulator",
    )
    group.addoption(
        "--genai-replay-real-sleeps",
        dest="genai_replay_real_sleeps",
        action="store_true",
        default=None,
        help="let sleeps that wait for a replayed operation take their time",
    )
    group.addoption(
        "--genai-replay-match-on",
        dest="genai_replay_match_on",
        metavar="PARTS",
        help=f"comma-separated request parts that must match, from {', '.join(MATCH_PARTS)} and uri "
        f"(default: {','.join(DEFAULT_MATCH_ON)})",
    )
    group.addoption(
        "--genai-replay-ignore-json-path",
        dest="genai_replay_ignore_json_paths",
        action="append",
        metavar="PATH",
        help="leave this dotted JSON path (* for any key or index) out of body matching; repeat for "
        "more (replaces the marker's, the config fixture's and the ini's)",
    )
    group.addoption(
        "--genai-replay-max-age",
        dest="genai_replay_max_age",
        metavar="DURATION",
        help="a cassette recorded longer ago than this (30m, 12h, 90d, 2w, 1y; none: no limit) is "
        "stale when a mode that replays opens it",
    )
    group.addoption(
        "--genai-replay-on-stale",
        dest="genai_replay_on_stale",
        choices=list(ON_STALE_NAMES),
        help="what a stale cassette does: warn (default: replay it, list it in the report), fail "
        "(fail its test), record (re-record it as mode all would)",
    )
    group.addoption(
        "--genai-replay-report",
        dest="genai_replay_report",
        metavar="PATH",
        help="also write the end-of-run report as JSON to PATH (what `genai-replay record` reads)",
    )
    for _, (name, kind, help_text) in _INI.items():
        parser.addini(name, help_text, type=kind, default=None)  # type: ignore[arg-type]


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, set up the run's state, and refuse options and ini values that do not parse."""
    config.addinivalue_line(
        "markers",
        "genai_replay(cassette=None, *, mode=None, cassette_dir=None, rules=None, ignore_host=None, "
        "ignore_api_version=None, skip_sleeps=None, upstream=None, timing=None, match_on=None, "
        "ignore_json_paths=None, before_record_request=None, before_record_response=None, "
        "ignore_hosts=None, ignore_localhost=None, max_age=None, on_stale=None): settings of this "
        "test's genai_replay cassette",
    )
    state = _State(config)
    config.stash[_STATE] = state
    if state.is_set():
        # Checked now, not when a test first asks: a bad option fails the run before any test does.
        try:
            state.check()
        except ConfigError as error:
            raise pytest.UsageError(f"genai-replay command-line options or ini keys: {error}") from None


def pytest_unconfigure(config: pytest.Config) -> None:
    """Write the JSON report if asked, stop the emulator if recording started one, remove scratch files."""
    state = config.stash.get(_STATE, None)
    if state is None:
        return
    report_path = getattr(config.option, "genai_replay_report", None)
    if report_path and getattr(config, "workerinput", None) is None:
        Path(report_path).write_text(state.report.to_json(), encoding="utf-8")
    if state.has_harness:
        state.harness.close(is_run_over=getattr(config, "workerinput", None) is None)


@pytest.fixture
def genai_replay_config() -> Mapping[str, object]:
    """Override to give genai_replay settings for a module or folder (below the marker and options)."""
    return {}


@pytest.fixture
def genai_replay(
    request: pytest.FixtureRequest, genai_replay_config: Mapping[str, object]
) -> Iterator[GenaiReplay]:
    """Record or replay this test's Gemini and Vertex AI traffic, whichever client sends it.

    A ``genai_replay`` marker on the test, its class or its module turns it on without this argument.
    """
    state = request.config.stash[_STATE]
    try:
        config = state.config_for(request.node, genai_replay_config)
    except ConfigError as error:
        pytest.fail(str(error), pytrace=False)
    path = state.cassette_for(request.node, config)
    state.used.add(path)
    rerun = f"pytest {_quoted(request.node.nodeid)} --genai-replay-mode=all"
    try:
        session = state.harness.session(path, config, test=request.node.nodeid, rerun=rerun)
    except StaleCassetteError as error:
        # Not chained: the error's message is all a reader needs, without a traceback.
        raise pytest.fail.Exception(str(error), pytrace=False) from None
    with state.harness.running(session) as replay:
        yield replay


def pytest_deselected(items: Sequence[pytest.Item]) -> None:
    """Note a run that deselects tests (``-k``, ``-m``, ``--lf``, a shard): it is only part of the suite."""
    if items:
        items[0].config.stash[_STATE].is_partial = True


def pytest_itemcollected(item: pytest.Item) -> None:
    """Note which cassette each collected test would use (to tell unused ones apart); check its markers."""
    if "genai_replay" in getattr(item, "fixturenames", ()):
        state = item.config.stash[_STATE]
        try:
            config = state.config_for(item, {})
        except ConfigError as error:
            raise pytest.UsageError(f"{item.nodeid}: {error}") from None
        state.expected.add(state.cassette_for(item, config))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Turn genai_replay on for marked tests that do not ask for the fixture, as vcrpy's marker does.

    A ``genai_replay`` marker on a test, its class or its module (``pytestmark``), or one added by a
    conftest's own ``pytest_collection_modifyitems`` (this runs after it), is enough. Their cassettes,
    named by the markers as they are now, count as expected by the unused-cassettes report.
    """
    state = config.stash[_STATE]
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        if "genai_replay" not in item.fixturenames:
            if item.get_closest_marker("genai_replay") is None:
                continue
            item.fixturenames = _with_genai_replay(item)
        try:
            settings = state.config_for(item, {})
        except ConfigError as error:
            raise pytest.UsageError(f"{item.nodeid}: {error}") from None
        state.expected.add(state.cassette_for(item, settings))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Work out the unused cassettes; an xdist worker sends its report to the controller.

    Runs before pytest tears down what an interrupt left standing: a test stopped by Ctrl-C is
    torn down only then, and must save nothing.
    """
    state = session.config.stash[_STATE]
    if not state.has_harness and not (state.expected or state.used):
        return
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        state.harness.is_interrupted = True
    if (state.expected or state.used) and not state.is_partial:
        from replay._report import unused_cassettes

        folders = {p.parent for p in state.expected | state.used}
        state.report.unused = unused_cassettes(folders, state.expected, state.used)
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["genai_replay"] = state.report.to_json()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Give an xdist worker the run's id, so all workers share one ledger of cassettes written."""
    node.workerinput[_RUN_ID] = node.config.stash[_STATE].harness.ledger.run_id


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """Merge an xdist worker's report into the controller's."""
    text = getattr(node, "workeroutput", {}).get("genai_replay")
    if text:
        node.config.stash[_STATE].report.merge_json(text)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the counts of replayed, recorded, unplayed and missing interactions, and what to run."""
    state = config.stash[_STATE]
    if getattr(config, "workerinput", None) is not None or not state.has_harness:
        return
    from replay._report import summary_lines

    lines = summary_lines(state.report, config.rootpath)
    if lines:
        terminalreporter.section("genai-replay")
        for line in lines:
            terminalreporter.write_line(line)


class _State:
    """What the plugin keeps for a run: settings from options and ini, the harness, the cassettes seen."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        workerinput = getattr(config, "workerinput", None)
        self._run_id: str | None = workerinput.get(_RUN_ID) if workerinput is not None else None
        self._harness: Harness | None = None
        self.expected: set[Path] = set()
        self.used: set[Path] = set()
        option = config.option
        self.is_partial = _selects_part(config)
        """Whether the run collects only part of the suite: then no cassette is called unused."""
        real_sleeps = getattr(option, "genai_replay_real_sleeps", None)
        self.cli: dict[str, object] = {
            "mode": getattr(option, "genai_replay_mode", None),
            "cassette_dir": getattr(option, "genai_replay_dir", None),
            "upstream": getattr(option, "genai_replay_upstream", None),
            "skip_sleeps": False if real_sleeps else None,
            "match_on": getattr(option, "genai_replay_match_on", None),
            "ignore_json_paths": getattr(option, "genai_replay_ignore_json_paths", None),
            "max_age": getattr(option, "genai_replay_max_age", None),
            "on_stale": getattr(option, "genai_replay_on_stale", None),
        }
        self.ini = {setting: self._ini(name) for setting, (name, _, _) in _INI.items()}

    @property
    def has_harness(self) -> bool:
        """Whether something in this run has needed the harness (a test, a report, an xdist worker)."""
        return self._harness is not None

    @property
    def harness(self) -> Harness:
        """Return the run's harness, made (and the harness's modules loaded) on first use."""
        if self._harness is None:
            from replay._harness import Harness

            self._harness = Harness(run_id=self._run_id)
        return self._harness

    @property
    def report(self) -> Report:
        return self.harness.report

    def is_set(self) -> bool:
        """Tell whether any of our options or ini keys is given in this run."""
        return any(v is not None for v in self.cli.values()) or any(v is not None for v in self.ini.values())

    def check(self) -> None:
        """Resolve the options and ini keys alone; raise `ConfigError` if one does not parse."""
        from replay._config import resolve

        resolve(cli=self.cli, marker={}, fixture={}, ini=self.ini)

    def _ini(self, name: str) -> object:
        value = self.config.getini(name)
        return None if value in (None, "", []) else value

    def config_for(self, node: pytest.Item, fixture: Mapping[str, object]) -> Config:
        from replay._config import resolve

        return resolve(cli=self.cli, marker=_marker_settings(node), fixture=fixture, ini=self.ini)

    def cassette_for(self, node: pytest.Item, config: Config) -> Path:
        from replay._names import cassette_path

        root = config.cassette_dir
        if root is not None and not root.is_absolute():
            root = self.config.rootpath / root
        return cassette_path(Path(node.path), node.nodeid, name=config.cassette, root=root)


def _selects_part(config: pytest.Config) -> bool:
    """Tell from the command line whether the run asks for part of the suite only."""
    option = config.option
    return (
        any("::" in str(arg) for arg in config.args)
        or bool(getattr(option, "keyword", ""))
        or bool(getattr(option, "markexpr", ""))
        or bool(getattr(option, "lf", False))
        or bool(getattr(option, "deselect", None))
    )


def _with_genai_replay(item: pytest.Function) -> list[str]:
    """Return the test's fixture names with genai_replay set up as if the test named it first.

    pytest sets fixtures up in the order of this list, widest scope first, so genai_replay goes
    before the first function-scoped fixture: a fixture that builds a client then finds the fake
    credentials and the interception in place, as it does under pytest-recording's autouse ``vcr``.
    Which fixture has which scope is only in pytest's private `_fixtureinfo`; without it, genai_replay
    comes last. A new list, since parametrised tests share theirs.
    """
    names = list(item.fixturenames)
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    at = next(
        (
            index
            for index, name in enumerate(names)
            if name in definitions and definitions[name] and definitions[name][-1].scope == "function"
        ),
        len(names),
    )
    names.insert(at, "genai_replay")
    return names


def _quoted(nodeid: str) -> str:
    """Quote a node id for a shell when it needs it (parametrised ids hold brackets and spaces)."""
    import shlex

    return shlex.quote(nodeid)


_STATE = pytest.StashKey[_State]()
_RUN_ID = "genai_replay_run_id"


def _marker_settings(node: pytest.Item) -> dict[str, object]:
    """Merge the genai_replay markers on a test, the closest (the function's) winning."""
    from replay._config import check_names

    settings: dict[str, object] = {}
    for marker in reversed(list(node.iter_markers("genai_replay"))):
        if len(marker.args) > 1:
            raise ConfigError(
                f"the genai_replay marker takes at most one positional argument (the cassette name), "
                f"got {marker.args!r}"
            )
        given = dict(marker.kwargs)
        if marker.args:
            given["cassette"] = marker.args[0]
        check_names(given, "the genai_replay marker")
        settings.update({k: v for k, v in given.items() if v is not None})
    return settings
