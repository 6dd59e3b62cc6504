"""Run the emulator standalone: ``python -m replay.emulator --port 8080`` is ``genai-replay emulator``."""

from __future__ import annotations

import sys

from replay.cli import main

if __name__ == "__main__":
    sys.exit(main(["emulator", *sys.argv[1:]]))
