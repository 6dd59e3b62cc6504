"""Helpers for running throwaway downstream projects that use the genai_replay fixture."""

from __future__ import annotations

# In-process pytester runs drop the modules a run imported. Extension modules (cryptography's Rust
# bindings, PyYAML's C loader) outlive that and then disagree with the re-imported Python half, so
# everything a run would import first is loaded here, before any run, and kept.
import vcr.patch as vcr_patch
import yaml as yaml
from cryptography.hazmat.primitives import serialization as serialization
from cryptography.hazmat.primitives.asymmetric import rsa as rsa

assert vcr_patch
