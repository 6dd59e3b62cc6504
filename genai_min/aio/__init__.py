"""Async twins of `genai_min`'s resource modules: same arguments and results, awaited.

Each module loads when it is first named, as the modules of `genai_min` do.
"""

import importlib
import typing

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

    def __getattr__(name: str) -> object:
        # PEP 562: a submodule is imported the first time it is asked for.
        if name not in __all__:
            raise AttributeError(f"module 'genai_min.aio' has no attribute {name!r}")
        module = importlib.import_module(f"genai_min.aio.{name}")
        globals()[name] = module
        return module

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
