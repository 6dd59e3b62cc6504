"""The README tour: every example of the official SDK's README, as steps that run on a ready client.

`sdk_tour` runs them with the official SDK (google-genai 3.3.0) and `genai_min_tour` with
`genai_min`; each offers `STEPS`, `build_client` and `run_tour`, and is split by README section into
modules of its own (`sdk_tour_generate`, `sdk_tour_models`, ...). `steps` holds the `Step` type and
the loop that runs steps, `examples` the README's inputs and the checks of each answer's shape.
`tests/emulator/test_readme_tour.py` runs every step against the local emulator.
"""
