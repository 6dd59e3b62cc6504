"""docs/coming-from-vcrpy.md: its tables name everything the installed vcrpy and pytest-recording offer.

Each table of the guide's reference section lists vcrpy or pytest-recording names in backticks in
its first column. The names expected there are read from the installed packages, so upgrading
either one fails this test until the guide says what the new names become.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
import pytest_recording.hooks
import pytest_recording.network
import pytest_recording.plugin
import vcr
import vcr.cassette
import vcr.record_mode

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "coming-from-vcrpy.md"

MODES = "Record modes"
KEYS = "`vcr_config` keys and `pytest.mark.vcr` keywords"
OPTIONS = "Command-line options"
MARKERS = "Markers"
FIXTURES = "Fixtures and hooks"
CASSETTE = "What a test reads from the `vcr` fixture"

_NAME = re.compile(r"(?:@?pytest\.mark\.|vcr\.|Cassette\.)?(--[\w-]+|\w+)")


def guide_tables() -> dict[str, set[str]]:
    """Return the names in backticks in the first column of each table, by the heading above it.

    A name is read without its decoration: ``@pytest.mark.vcr("x.yaml")`` is ``vcr``,
    ``vcr.responses_of(request)`` is ``responses_of``, ``--record-mode=rewrite`` is ``--record-mode``.
    """
    tables: dict[str, set[str]] = {}
    heading = ""
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("|") and not re.match(r"\|\s*:?-", line):
            first = re.split(r"(?<!\\)\|", line)[1]
            names = tables.setdefault(heading, set())
            for token in re.findall(r"`([^`]+)`", first):
                match = _NAME.match(token)
                if match:
                    names.add(match.group(1))
    return tables


def assert_listed(heading: str, expected: set[str]) -> None:
    tables = guide_tables()
    assert heading in tables, (
        f"{GUIDE.name} has no table under the heading {heading!r}; found {sorted(tables)}"
    )
    missing = sorted(expected - tables[heading])
    assert not missing, (
        f"{GUIDE.name}'s table {heading!r} lacks {missing}; add a row for each with its genai-replay "
        "equivalent, or the reason there is none"
    )


class _RecordingParser:
    """Stands in for pytest's parser and option group, keeping what pytest-recording declares."""

    def __init__(self) -> None:
        self.options: dict[str, tuple[str, ...]] = {}
        self.ini: list[str] = []

    def getgroup(self, name: str, description: str = "") -> _RecordingParser:
        return self

    def addoption(self, *names: str, choices: Iterable[object] = (), **attrs: object) -> None:
        for name in names:
            self.options[name] = tuple(str(choice) for choice in choices or ())

    def addini(self, name: str, *args: object, **kwargs: object) -> None:
        self.ini.append(name)


class _RecordingConfig:
    """Stands in for pytest's config in `pytest_configure`, keeping the markers it registers."""

    def __init__(self) -> None:
        self.pluginmanager = self
        self.markers: list[str] = []

    def has_plugin(self, name: str) -> bool:
        return False

    def addinivalue_line(self, name: str, line: str) -> None:
        if name == "markers":
            self.markers.append(line)


def declared_options() -> _RecordingParser:
    parser = _RecordingParser()
    pytest_recording.plugin.pytest_addoption(parser)
    return parser


def vcr_config_keys() -> set[str]:
    """Every keyword `vcr.VCR` takes, those `use_cassette` reads too, and those pytest-recording reads."""
    keys = set(inspect.signature(vcr.VCR.__init__).parameters) - {"self"}
    keys |= set(re.findall(r"(?:kwargs|options)\.get\(\s*\"(\w+)\"", inspect.getsource(vcr.VCR)))
    keys |= set(re.findall(r"config\.get\(\s*\"(\w+)\"", inspect.getsource(pytest_recording.plugin)))
    return keys


def cassette_attributes() -> set[str]:
    """The public properties, methods and instance attributes of `vcr.cassette.Cassette`."""
    cassette = vcr.cassette.Cassette
    members = {name for name, _ in inspect.getmembers(cassette) if not name.startswith("_")}
    attributes = {name for name in vars(cassette("unused.yaml")) if not name.startswith("_")}
    return members | attributes


def test_every_record_mode_is_in_the_guide() -> None:
    modes = {mode.value for mode in vcr.record_mode.RecordMode}
    modes |= set(declared_options().options["--record-mode"])
    assert {"once", "new_episodes", "none", "all", "rewrite"} <= modes
    assert_listed(MODES, modes)


def test_every_vcr_config_key_is_in_the_guide() -> None:
    keys = vcr_config_keys()
    assert {"record_mode", "match_on", "filter_headers", "before_record_response", "allowed_hosts"} <= keys
    assert_listed(KEYS, keys)


def test_every_command_line_option_is_in_the_guide() -> None:
    parser = declared_options()
    names = {name for name in parser.options if name.startswith("--")} | set(parser.ini)
    assert {"--record-mode", "--block-network", "--disable-recording"} <= names
    assert_listed(OPTIONS, names)


def test_every_marker_is_in_the_guide(monkeypatch: pytest.MonkeyPatch) -> None:
    # pytest_configure also puts a wrapper around pycurl in sys.modules; this run has no use for it.
    monkeypatch.setattr(pytest_recording.network, "install_pycurl_wrapper", lambda: None)
    config = _RecordingConfig()
    pytest_recording.plugin.pytest_configure(config)
    names = {re.split(r"[:(]", line, maxsplit=1)[0].strip() for line in config.markers}
    assert {"vcr", "block_network", "default_cassette"} <= names
    assert_listed(MARKERS, names)


def test_every_fixture_and_hook_is_in_the_guide(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(
        "-p", "recording", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "--fixtures"
    )
    assert result.ret == pytest.ExitCode.OK
    pattern = re.compile(r"(\w+)(?: \[[\w ]+\])? -- \S*pytest_recording[/\\]")
    fixtures = {m.group(1) for line in result.outlines if (m := pattern.match(line))}
    hooks = {name for name in vars(pytest_recording.hooks) if name.startswith("pytest_")}
    assert {"vcr", "vcr_config", "vcr_cassette_dir", "default_cassette_name"} <= fixtures
    assert "pytest_recording_configure" in hooks
    assert_listed(FIXTURES, fixtures | hooks)


def test_every_cassette_attribute_is_in_the_guide() -> None:
    names = cassette_attributes()
    assert {"play_count", "all_played", "requests", "responses", "data", "play_counts"} <= names
    assert_listed(CASSETTE, names)
