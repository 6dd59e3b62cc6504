"""Names a package loads on first use (PEP 562), so importing it costs only what a caller touches.

`genai_min`, `genai_min.aio`, `genai_min.types` and `replay` each hand their table to `loader` and
install what it returns as the module's ``__getattr__`` and ``__dir__``, out of sight of type
checkers, which read the ``TYPE_CHECKING`` imports instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping


def loader(
    namespace: MutableMapping[str, object],
    *,
    submodules: Iterable[str] = (),
    attributes: Mapping[str, str] | None = None,
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return the ``__getattr__`` and ``__dir__`` of the module whose globals are `namespace`.

    A name in `submodules` is the package's submodule of that name; a name in `attributes` is the
    attribute of the same name of the module it maps to. Each is imported once, then kept.
    """
    package = str(namespace["__name__"])
    modules = frozenset(submodules)
    sources = dict(attributes or {})

    def get(name: str) -> object:
        if name in modules:
            value: object = importlib.import_module(f"{package}.{name}")
        elif name in sources:
            value = getattr(importlib.import_module(sources[name]), name)
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def listing() -> list[str]:
        return sorted({*namespace, *namespace["__all__"]})  # type: ignore[misc]

    return get, listing
