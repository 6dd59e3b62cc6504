"""Conformance of genai-replay with real recorded traffic: the corpus in ``../shared/corpus/real``.

Every exchange of the corpus is imported (`replay.read_foreign_cassette`), then put through four
checks, each a module here:

- `_validation`: the request against our request schema for its operation, the response against
  the response schema (unknown fields refused: a field real traffic has is a gap in the schemas),
  an error answer against the error envelope;
- `_parsing`: the response parsed by `genai_min`'s own parser for the operation, every model it
  builds dumped again and compared with what it was built from, so that no field is lost;
- `_replaying`: each imported cassette replayed through `replay.ReplayTransport` to raw httpx,
  answers compared byte for byte;
- `_shapes`: the same requests sent to the emulator, its answers compared with the real ones by
  key path and JSON type, per operation (`_allowances` lists what it may lack, and why).

`_corpus` reads the corpus and names each exchange's operation; `_report` builds the tables that
``python tools/conformance/run.py`` prints and ``tests/conformance/`` asserts on.
"""
