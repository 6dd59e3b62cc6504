"""replay: record Gemini and Vertex AI exchanges into sanitised cassettes and serve them back.

The core works on plain values (`Request`, `Response`, `Cassette`) and knows no HTTP library; the
transports adapt it to httpx (here) and httpx2 (`replay.httpx2`)::

    from replay import Player, ReplayTransport, load_cassette

    player = Player(load_cassette(path), path=path)
    t = genai_min.Transport(api_key="unused", transport=ReplayTransport(player),
                            async_transport=ReplayTransport(player))

Importing the package loads nothing else: each name, `__version__` too, loads (with `genai_min`,
httpx and pydantic behind it) when it is first used, so the pytest plugin costs nothing in a run
that does not use it.
"""

import importlib
import typing

if typing.TYPE_CHECKING:
    from genai_min._version import __version__ as __version__
    from replay._cassette import Body as Body
    from replay._cassette import BodyKind as BodyKind
    from replay._cassette import Cassette as Cassette
    from replay._cassette import Interaction as Interaction
    from replay._cassette import Meta as Meta
    from replay._cassette import Request as Request
    from replay._cassette import Response as Response
    from replay._cassette_json import load_cassette as load_cassette
    from replay._cassette_json import save_cassette as save_cassette
    from replay._errors import CassetteError as CassetteError
    from replay._errors import ConfigError as ConfigError
    from replay._errors import CredentialLeakError as CredentialLeakError
    from replay._errors import NetworkBlockedError as NetworkBlockedError
    from replay._errors import NoMatchError as NoMatchError
    from replay._errors import ReplayError as ReplayError
    from replay._errors import StaleCassetteError as StaleCassetteError
    from replay._errors import UnsupportedCassetteError as UnsupportedCassetteError
    from replay._fixture import GenaiReplay as GenaiReplay
    from replay._httpx import RecordingTransport as RecordingTransport
    from replay._httpx import ReplayTransport as ReplayTransport
    from replay._importer import ImportReport as ImportReport
    from replay._importer import import_cassettes as import_cassettes
    from replay._importer import read_foreign_cassette as read_foreign_cassette
    from replay._matchers import MatchOptions as MatchOptions
    from replay._modes import Mode as Mode
    from replay._player import Player as Player
    from replay._recorder import Recorder as Recorder
    from replay._sanitiser import HeaderRule as HeaderRule
    from replay._sanitiser import JsonPathRule as JsonPathRule
    from replay._sanitiser import RegexRule as RegexRule
    from replay._sanitiser import Sanitiser as Sanitiser
    from replay._sanitiser import SecretLog as SecretLog
    from replay._sanitiser import find_credentials as find_credentials
    from replay._schemas import Operation as Operation
    from replay._schemas import Violation as Violation
    from replay._schemas import check_error as check_error
    from replay._schemas import check_request as check_request
    from replay._schemas import check_response as check_response
    from replay._schemas import find_operation as find_operation

__all__ = [
    "Body",
    "BodyKind",
    "Cassette",
    "CassetteError",
    "ConfigError",
    "CredentialLeakError",
    "GenaiReplay",
    "HeaderRule",
    "ImportReport",
    "Interaction",
    "JsonPathRule",
    "MatchOptions",
    "Meta",
    "Mode",
    "NetworkBlockedError",
    "NoMatchError",
    "Operation",
    "Player",
    "Recorder",
    "RecordingTransport",
    "RegexRule",
    "ReplayError",
    "ReplayTransport",
    "Request",
    "Response",
    "Sanitiser",
    "SecretLog",
    "StaleCassetteError",
    "UnsupportedCassetteError",
    "Violation",
    "__version__",
    "check_error",
    "check_request",
    "check_response",
    "find_credentials",
    "find_operation",
    "import_cassettes",
    "load_cassette",
    "read_foreign_cassette",
    "save_cassette",
]

# Loaded on first use (PEP 562): the module that defines each name.
_SOURCES = {
    "Body": "replay._cassette",
    "BodyKind": "replay._cassette",
    "Cassette": "replay._cassette",
    "CassetteError": "replay._errors",
    "ConfigError": "replay._errors",
    "CredentialLeakError": "replay._errors",
    "GenaiReplay": "replay._fixture",
    "HeaderRule": "replay._sanitiser",
    "ImportReport": "replay._importer",
    "Interaction": "replay._cassette",
    "JsonPathRule": "replay._sanitiser",
    "MatchOptions": "replay._matchers",
    "Meta": "replay._cassette",
    "Mode": "replay._modes",
    "NetworkBlockedError": "replay._errors",
    "NoMatchError": "replay._errors",
    "Operation": "replay._schemas",
    "Player": "replay._player",
    "Recorder": "replay._recorder",
    "RecordingTransport": "replay._httpx",
    "RegexRule": "replay._sanitiser",
    "ReplayError": "replay._errors",
    "ReplayTransport": "replay._httpx",
    "Request": "replay._cassette",
    "Response": "replay._cassette",
    "Sanitiser": "replay._sanitiser",
    "SecretLog": "replay._sanitiser",
    "StaleCassetteError": "replay._errors",
    "UnsupportedCassetteError": "replay._errors",
    "Violation": "replay._schemas",
    "__version__": "genai_min._version",
    "check_error": "replay._schemas",
    "check_request": "replay._schemas",
    "check_response": "replay._schemas",
    "find_credentials": "replay._sanitiser",
    "find_operation": "replay._schemas",
    "import_cassettes": "replay._importer",
    "load_cassette": "replay._cassette_json",
    "read_foreign_cassette": "replay._importer",
    "save_cassette": "replay._cassette_json",
}


# Hidden from type checkers: they see every name above, and would take a misspelt one for an object.
if not typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        source = _SOURCES.get(name)
        if source is None:
            raise AttributeError(f"module 'replay' has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
