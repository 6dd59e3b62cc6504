"""Refuse bad requests as the service does: 400 INVALID_ARGUMENT, with the fields at fault.

Three layers, in order:

1. The body must be JSON (``Invalid JSON payload received``).
2. Unknown fields and bad enum values are found by `replay._schemas`, which checks the body
   against the API's own definitions (both key spellings are accepted there). It is imported on
   first use; if it is missing, a small built-in list of the fields of generate requests stands in.
   Google's published Gemini v1 and v1alpha definitions lag behind the service; `replay._schemas`
   judges those versions by v1beta, as the service behaves.
3. Rules no schema states: required fields (``contents``, non-empty ``parts``), known roles,
   ranges of sampling settings, which response MIME types exist (``text/x.enum`` needs a STRING
   enum schema), that a speech config names one voice or several speakers, never both, and which
   file URIs a backend can read: the Gemini API reads its own files (``gs://`` is Vertex AI's),
   Vertex AI reads Cloud Storage and the web but not the Gemini API's files. Vertex AI also
   refuses voice cloning (``replicatedVoiceConfig``), which only the Gemini API serves.

Messages follow the front end's wording (``Unknown name "x" at 'contents[0]': Cannot find field``,
``Invalid value at 'safety_settings[0].category'``), with field paths in snake_case as it writes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from replay.emulator._errors import invalid_argument
from replay.emulator._wire import JSONObject, as_dict, as_float, as_list, as_str, camel_name

MIME_TYPES = ("text/plain", "application/json", "text/x.enum", "application/xml", "application/yaml")
ROLES = ("user", "model", "function", "tool")
_GENERATE_FIELDS = frozenset(
    {
        "contents", "systemInstruction", "tools", "toolConfig", "safetySettings", "generationConfig",
        "cachedContent", "labels", "model", "serviceTier", "store", "modelArmorConfig", "outputConfig",
        "continuationToken",
    }
)  # fmt: skip
_GEMINI_FILE = re.compile(r"https://generativelanguage\.googleapis\.com/[^/]+/files/")
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")

Checker = Callable[[str, str, object], list[tuple[str, str]]]


def parse_json(raw: bytes) -> object:
    """Parse a request body, refusing what is not JSON."""
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        position = getattr(exc, "pos", 0)
        raise invalid_argument(
            f"Invalid JSON payload received. Unexpected token at byte {position}."
        ) from None


def snake_path(path: str) -> str:
    """Write a field path the way the front end does: ``safetySettings[0]`` becomes ``safety_settings[0]``."""
    return _CAMEL.sub(lambda m: "_" + m.group(1).lower(), path)


def check_schema(method: str, url: str, body: object) -> None:
    """Raise 400 listing unknown fields and bad values, as found against the API's schemas."""
    found = _checker()(method, url, body)
    if not found:
        return
    lines, violations = [], []
    for path, message in found:
        if message.startswith("unknown field "):
            name = message.split("'")[1] if "'" in message else message
            parent = snake_path(path.rsplit(".", 1)[0]) if "." in path else ""
            text = f"Invalid JSON payload received. Unknown name \"{name}\" at '{parent}': Cannot find field."
            if not parent:
                text = f'Invalid JSON payload received. Unknown name "{name}": Cannot find field.'
            violations.append((parent, text))
        else:
            text = f"Invalid value at '{snake_path(path)}': {message}"
            violations.append((snake_path(path), text))
        lines.append(text)
    raise invalid_argument("\n".join(lines), violations=violations)


def check_generate(
    body: JSONObject, what: str = "GenerateContentRequest", *, is_vertex: bool = False
) -> None:
    """Check what a generate (or count) request must hold beyond its schema."""
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        raise invalid_argument(f"* {what}.contents: contents is not specified\n")
    for index, content in enumerate(contents):
        content = as_dict(content)
        if not as_list(content.get("parts")):
            raise invalid_argument(f"* {what}.contents[{index}].parts: contents.parts must not be empty.\n")
        role = as_str(content.get("role"), "user")
        if role and role not in ROLES:
            raise invalid_argument(
                f"Please use a valid role: user, model. Got {role!r} in contents[{index}]."
            )
    check_file_uris(body, is_vertex=is_vertex)
    check_config(as_dict(body.get("generationConfig")), what, is_vertex=is_vertex)


def check_file_uris(body: JSONObject, *, is_vertex: bool) -> None:
    """Refuse ``fileData`` URIs the backend cannot read, in ``contents`` and ``systemInstruction``."""
    contents = [*as_list(body.get("contents")), as_dict(body.get("systemInstruction"))]
    for content in contents:
        for part in as_list(as_dict(content).get("parts")):
            uri = as_str(as_dict(as_dict(part).get("fileData")).get("fileUri"))
            if not is_vertex and uri.startswith("gs://"):
                raise invalid_argument(f"Invalid or unsupported file uri: {uri}")
            if is_vertex and _GEMINI_FILE.match(uri):
                raise invalid_argument(f"Unsupported file uri: {uri}")


def check_config(config: JSONObject, what: str, *, is_vertex: bool = False) -> None:
    """Check the ranges and choices of a generation config."""
    ranges = {
        "temperature": (0.0, 2.0),
        "topP": (0.0, 1.0),
        "candidateCount": (1.0, 8.0),
        "maxOutputTokens": (1.0, 1e9),
    }
    for name, (low, high) in ranges.items():
        value = as_float(config.get(name))
        if value is not None and not low <= value <= high:
            raise invalid_argument(
                f"* {what}.generation_config.{snake_path(name)}: {value:g} is out of range "
                f"(must be between {low:g} and {high:g}).\n"
            )
    mime = as_str(config.get("responseMimeType"))
    if mime and mime not in MIME_TYPES:
        raise invalid_argument(
            f"* {what}.generation_config.response_mime_type: allowed mimetypes are "
            f"{', '.join(f'`{m}`' for m in MIME_TYPES)}, but got `{mime}`.\n"
        )
    has_schema = "responseSchema" in config or "responseJsonSchema" in config
    if has_schema and mime not in ("application/json", "text/x.enum"):
        raise invalid_argument(
            f"* {what}.generation_config.response_mime_type: a response schema needs response_mime_type "
            "application/json or text/x.enum.\n"
        )
    if "responseSchema" in config and "responseJsonSchema" in config:
        raise invalid_argument(
            f"* {what}.generation_config: response_schema and response_json_schema cannot both be set.\n"
        )
    schema = as_dict(config.get("responseSchema") or config.get("responseJsonSchema"))
    if mime == "text/x.enum" and has_schema and not _is_string_enum(schema):
        field = "response_schema" if "responseSchema" in config else "response_json_schema"
        raise invalid_argument(
            f"* {what}.generation_config.{field}: for response_mime_type text/x.enum, the schema "
            "must be of type STRING with enum values.\n"
        )
    speech = as_dict(config.get("speechConfig"))
    check_speech(speech, f"{what}.generation_config.speech_config", is_vertex=is_vertex)


def check_speech(speech: JSONObject, where: str, *, is_vertex: bool) -> None:
    """Check that a speech config names one voice or several speakers, in a form the backend serves."""
    if "voiceConfig" in speech and "multiSpeakerVoiceConfig" in speech:
        raise invalid_argument(
            f"* {where}: voice_config and multi_speaker_voice_config are mutually exclusive; set one.\n"
        )
    speakers = as_list(as_dict(speech.get("multiSpeakerVoiceConfig")).get("speakerVoiceConfigs"))
    voices = [as_dict(speech.get("voiceConfig"))] + [as_dict(as_dict(s).get("voiceConfig")) for s in speakers]
    if is_vertex and any("replicatedVoiceConfig" in voice for voice in voices):
        raise invalid_argument(
            f"* {where}.voice_config.replicated_voice_config: voice replication is not supported.\n"
        )


def _is_string_enum(schema: JSONObject) -> bool:
    kind = schema.get("type")
    return isinstance(kind, str) and kind.upper() == "STRING" and bool(as_list(schema.get("enum")))


def _checker() -> Checker:
    try:
        from replay._schemas import check_request
    except ImportError:
        return _fallback

    def check(method: str, url: str, body: object) -> list[tuple[str, str]]:
        return [(v.path, v.message) for v in check_request(method, url, body)]

    return check


def _fallback(method: str, url: str, body: object) -> list[tuple[str, str]]:
    """Check only the top-level fields of generate requests when the schemas are unavailable."""
    if not url.split("?", 1)[0].endswith(("generateContent", "GenerateContent")) or not isinstance(
        body, dict
    ):
        return []
    return [
        (str(key), f"unknown field {key!r}")
        for key in body
        if isinstance(key, str) and camel_name(key) not in _GENERATE_FIELDS
    ]
