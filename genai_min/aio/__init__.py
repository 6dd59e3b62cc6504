"""Async twins of `genai_min`'s resource modules: same arguments and results, awaited.

Each module loads when it is first named, as the modules of `genai_min` do.
"""

import typing

from genai_min._lazy import loader as _loader

if typing.TYPE_CHECKING:
    from genai_min.aio import batches as batches
    from genai_min.aio import caches as caches
    from genai_min.aio import chats as chats
    from genai_min.aio import files as files
    from genai_min.aio import models as models
    from genai_min.aio import operations as operations
    from genai_min.aio import tunings as tunings

__all__ = ["batches", "caches", "chats", "files", "models", "operations", "tunings"]


# Hidden from type checkers: they see every name above, and would take a misspelt one for an object.
if not typing.TYPE_CHECKING:
    __getattr__, __dir__ = _loader(globals(), submodules=__all__)
