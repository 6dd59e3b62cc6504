"""What the conformance checks let pass, each with the reason: the only place exceptions are made.

Keep every entry justified. The tests fail on an entry no longer needed, so that the tables shrink
as `genai_min` and the emulator catch up.
"""

from __future__ import annotations

PARSE_ALLOWANCES: dict[tuple[str, str], str] = {
    # (model, field path with [] for indices): why genai_min changes the value on purpose.
    ("BatchJob", "state"): (
        "Gemini names batch states BATCH_STATE_*; genai_min reads them as the JOB_STATE_* that "
        "Vertex AI and the official SDK use, so that one JobState serves both backends"
    ),
}

_CUSTOM_METADATA = "candidates[].groundingMetadata.groundingChunks[].retrievedContext.customMetadata"
_CUSTOM_METADATA_REASON = (
    "file search passes on metadata the caller attached to documents in a file search store; "
    "the emulator has no file search stores (fileSearchStores is not on the README's surface), "
    "so its passages have none"
)

EMULATOR_ALLOWANCES: dict[tuple[str, str, str], str] = {
    # (backend, operation, path): why the emulator's answers may lack the path and all below it.
    ("gemini", "models.generateContent", _CUSTOM_METADATA): _CUSTOM_METADATA_REASON,
    ("gemini", "models.streamGenerateContent", _CUSTOM_METADATA): _CUSTOM_METADATA_REASON,
    ("gemini", "models.generateContent", "candidates[].safetyRatings[].blocked"): (
        "the service blocked an answer its live safety classifier judged harmful; the emulator "
        "cannot judge, and blocks (with blocked: true) only on its trigger word emulator:block-response"
    ),
    ("vertex", "models.generateContent", "promptFeedback"): (
        "Model Armor blocked the prompt by the caller's live Model Armor template; the emulator has "
        "no templates, and blocks prompts (with promptFeedback) only on its trigger word "
        "emulator:block-prompt"
    ),
    ("gemini", "models.list", "nextPageToken"): (
        "the service lists more models than fit its default page; the emulator's catalogue of 16 "
        "fits one, and it gives page tokens when pages are smaller (the README's page_size=10)"
    ),
    ("vertex", "error envelope", "error.details"): (
        "some Vertex AI front ends send an empty details list with 400 and 404 answers; absent and "
        "empty read the same, and the emulator's envelope is built in replay/emulator/_errors.py, "
        "outside the response modules checked here"
    ),
}


def is_below(path: str, allowed: str) -> bool:
    """Tell whether `path` is `allowed` or lies below it."""
    return path == allowed or path.startswith((allowed + ".", allowed + "["))


def allowance_for(backend: str, label: str, path: str) -> str | None:
    """Return why the emulator may lack `path` of `label`'s answers, or None if it may not."""
    for (allowed_backend, allowed_label, allowed), reason in EMULATOR_ALLOWANCES.items():
        if (allowed_backend, allowed_label) == (backend, label) and is_below(path, allowed):
            return reason
    return None
