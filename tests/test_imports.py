"""`import genai_min` and `import replay` stay cheap: a fresh interpreter reports what they load."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pytest", "click", "vcr", "jsonschema", "deepdiff", "google.auth", "google.oauth2")


def loaded_by(statement: str, *, after: str = "") -> list[str]:
    """Return the modules that `statement` adds, in a fresh interpreter, beyond `after`."""
    code = (
        "import sys, json\n"
        f"{after}\n"
        "before = set(sys.modules)\n"
        f"{statement}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


@pytest.mark.parametrize("package", ["genai_min", "replay"])
def test_package_loads_no_heavy_dependency(package: str) -> None:
    # httpx 0.28 imports click (for its own CLI) whenever click is installed, so the check is on
    # what our package adds beyond httpx itself.
    assert heavy(loaded_by(f"import {package}", after="import httpx")) == []


def test_genai_min_never_loads_google_auth_for_gemini() -> None:
    added = loaded_by(
        "import genai_min\nt = genai_min.Transport(api_key='k')\ngenai_min.models.generate_content.__doc__"
    )
    assert [m for m in added if m.startswith("google")] == []


def test_serve_loads_no_emulator_module() -> None:
    # `genai-replay serve` only puts local URLs back on Google's hosts, which `genai_min._hosts` knows.
    added = loaded_by("import replay._serve", after="import replay")
    assert [m for m in added if m.startswith("replay.emulator")] == []


# What a pytest run that never uses genai_replay must not pay for: the plugin loads with every run.
HARNESS = (
    "genai_min",
    "httpx",
    "pydantic",
    "vcr",
    "jsonschema",
    "deepdiff",
    "google",
    "replay._session",
    "replay._sanitiser",
)


def harness_modules(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HARNESS)]


def test_plugin_loads_no_harness_module() -> None:
    assert harness_modules(loaded_by("import replay.plugin", after="import pytest")) == []


def test_package_loads_no_harness_module() -> None:
    assert harness_modules(loaded_by("import replay")) == []


def test_package_loads_a_name_when_first_used() -> None:
    added = loaded_by("import replay\nreplay.Player")
    assert "replay._player" in added


def test_the_plugin_names_the_choices_their_owners_use() -> None:
    # replay._modes is their one home, light enough for the plugin to import at start-up.
    from replay import _age, _matchers, _modes

    assert _age.OnStale is _modes.OnStale
    assert (_matchers.MATCH_PARTS, _matchers.DEFAULT_MATCH_ON) == (
        _modes.MATCH_PARTS,
        _modes.DEFAULT_MATCH_ON,
    )
