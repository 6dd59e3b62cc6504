"""Print how real recorded traffic fares in genai-replay: imported, valid, parsed, replayed, emulated.

Usage::

    python tools/conformance/run.py                 # the tables, as text
    python tools/conformance/run.py --markdown      # the same tables in Markdown, for the README
    python tools/conformance/run.py --no-emulator   # leave out the emulator comparison
    python tools/conformance/run.py --corpus PATH   # another corpus than ../shared/corpus/real

The corpus is described in its own SOURCES.md; the checks are described in `tools/conformance`.
The exit status is 1 when the corpus is missing, and 0 otherwise, whatever the figures say: the
report reports, and ``tests/conformance/`` asserts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: make `tools.conformance` importable

from replay.emulator import Emulator  # noqa: E402
from tools.conformance._corpus import CORPUS, load_corpus  # noqa: E402
from tools.conformance._report import build_report, render  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Build the report and print it; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the folder of real cassettes")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--no-emulator", action="store_true", help="skip the emulator comparison")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: it lives in ../shared/corpus/real beside the repository")
        return 1
    started = time.perf_counter()
    corpus = load_corpus(args.corpus.resolve())
    if args.no_emulator:
        report = build_report(corpus)
    else:
        with Emulator() as emulator:
            report = build_report(corpus, emulator)
    print(f"Corpus: {args.corpus} ({len(corpus.files)} files, {len(corpus.exchanges)} imported exchanges)")
    print()
    print(render(report, is_markdown=args.markdown), end="")
    print(f"\n({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
