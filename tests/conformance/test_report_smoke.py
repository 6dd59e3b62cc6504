"""The report runs: `tools/conformance/run.py` exits 0 and prints its three tables.

Only that it runs is checked here, and that its rows have the shape the README shows; what the
figures must be is asserted by the other tests of this folder, exchange by exchange.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools.conformance._corpus import CORPUS

ROOT = Path(__file__).resolve().parents[2]
HEADINGS = (
    "Real exchanges per backend and operation",
    "Exceptions (failures one by one; n/a grouped by cause)",
    "Emulator against real answers, same requests",
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    script = ROOT / "tools" / "conformance" / "run.py"
    return subprocess.run(
        [sys.executable, str(script), *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the corpus of real exchanges is absent ({CORPUS})")
def test_report_prints_every_table_with_a_row_per_operation() -> None:
    done = run()
    assert done.returncode == 0, done.stderr
    for heading in HEADINGS:
        assert heading in done.stdout
    assert re.search(r"^gemini +models\.generateContent +\d+ +\d+/\d+ \(", done.stdout, re.MULTILINE)
    assert re.search(r"^all +all +\d+ +\d+/\d+", done.stdout, re.MULTILINE)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the corpus of real exchanges is absent ({CORPUS})")
def test_markdown_report_has_table_rows_only() -> None:
    done = run("--markdown", "--no-emulator")
    assert done.returncode == 0, done.stderr
    assert "| backend | operation | exchanges | imported | valid | parsed | replayed |" in done.stdout
    assert HEADINGS[2] not in done.stdout


def test_a_missing_corpus_is_said_with_where_it_belongs(tmp_path: Path) -> None:
    done = run("--corpus", str(tmp_path / "nowhere"))
    assert done.returncode == 1
    assert "../shared/corpus/real" in done.stdout
