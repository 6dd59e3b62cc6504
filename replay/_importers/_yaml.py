"""Load foreign YAML cassettes safely: the tags vcrpy and Ruby's VCR write become plain values.

PyYAML is imported here only. The loader builds no Python objects from tags: ``!!binary`` and Ruby's
``!binary`` become bytes, ``!ruby/...`` objects their plain mapping, sequence or string, and
``!!python/object/apply:X [value]`` (aiohttp's case-insensitive header names) the value itself.
"""

from __future__ import annotations

import base64
import binascii

import yaml  # type: ignore[import-untyped]  # PyYAML ships no type information

from replay._importers._exchange import ForeignFormatError

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]  # PyYAML is untyped, so its classes are Any
    """A safe loader that understands the tags of foreign cassettes and keeps dates as text."""


# Dates stay the strings the file holds: bodies are JSON, where a timestamp is only ever text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _plain(loader: yaml.BaseLoader, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


def _ruby_binary(loader: yaml.BaseLoader, node: yaml.Node) -> bytes:
    text = loader.construct_scalar(node)
    try:
        return base64.b64decode("".join(str(text).split()), validate=True)
    except (binascii.Error, ValueError):
        raise yaml.constructor.ConstructorError(
            None, None, "a !binary value is not valid base64", node.start_mark
        ) from None


def _ruby_object(loader: yaml.BaseLoader, suffix: str, node: yaml.Node) -> object:
    return _plain(loader, node)


def _python_value(loader: yaml.BaseLoader, suffix: str, node: yaml.Node) -> object:
    """Unwrap the Python tags that only mark a string subclass; refuse every other Python object."""
    value = _plain(loader, node)
    if suffix in ("str", "unicode"):
        return value
    if suffix == "tuple" and isinstance(value, list):
        return value
    if suffix.startswith(("object/apply:", "object/new:")):
        args = value.get("args") if isinstance(value, dict) else value
        if isinstance(args, list) and len(args) == 1 and isinstance(args[0], str):
            return args[0]
    raise yaml.constructor.ConstructorError(
        None, None, f"the Python object tag !!python/{suffix} cannot be read safely", node.start_mark
    )


_Loader.add_constructor("!binary", _ruby_binary)
_Loader.add_multi_constructor("!ruby/", _ruby_object)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _python_value)


def load_yaml(data: bytes) -> object:
    """Parse one YAML document; raise `ForeignFormatError` saying where it is malformed."""
    try:
        return yaml.load(data, Loader=_Loader)  # _Loader builds plain values only
    except yaml.YAMLError as exc:
        raise ForeignFormatError(f"not valid YAML ({' '.join(str(exc).split())})") from None
    except (UnicodeError, RecursionError) as exc:
        raise ForeignFormatError(f"not readable YAML ({exc})") from None
