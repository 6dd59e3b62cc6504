"""What Imagen and Veo share: reading, saving and showing media files, and the ``:predict`` body.

`_images` (Imagen) and `_videos` (Veo) build on it. Both models take one instance and a
``parameters`` object built from a config's set fields the same way, so that mapping lives here once.
"""

from __future__ import annotations

import base64
import importlib
import mimetypes
import os
from types import ModuleType
from typing import TypeAlias

from genai_min._base import ConfigModel
from genai_min._endpoint import Endpoint
from genai_min._errors import ConfigError, UnsupportedError
from genai_min._http import HttpRequest, JSONObject
from genai_min._names import model_path, path_segment

PathLike: TypeAlias = str | os.PathLike[str]

# -- media files --------------------------------------------------------------------------------


def guess_type(path: PathLike) -> str | None:
    """Return the MIME type a file name suggests, or None."""
    return mimetypes.guess_type(os.fspath(path))[0]


def bytes_of(what: str, data: bytes | None, uri: str | None) -> bytes:
    """Return an image's or a video's bytes, or say why there are none here and how to get them."""
    if data is not None:
        return data
    if uri and uri.startswith("gs://"):
        raise ConfigError(
            f"this {what} has no bytes here, only its Cloud Storage URI {uri!r}: download it first "
            "(e.g. gcloud storage cp), or ask for inline bytes by leaving output_gcs_uri unset"
        )
    if uri:
        raise ConfigError(
            f"this {what} has no bytes here, only its URI {uri!r}: download it first with "
            f"files.download(t, file={what}), which also fills in its bytes, then save or show it"
        )
    raise ConfigError(f"this {what} has neither bytes nor a URI; the service may have filtered it out")


def ipython_display(what: str) -> ModuleType:
    """Import ``IPython.display``, or say that showing a `what` needs IPython."""
    try:
        return importlib.import_module("IPython.display")
    except ImportError:
        raise ConfigError(
            f"showing a {what} needs IPython, which is not installed: pip install ipython, "
            "or call .save('file') and open the file"
        ) from None


def to_base64(data: bytes) -> str:
    """Return `data` as base64 text, as ``bytesBase64Encoded`` and ``encodedVideo`` carry it."""
    return base64.b64encode(data).decode("ascii")


# -- predict bodies -----------------------------------------------------------------------------

# Config field -> where its value goes inside "parameters", for the fields not simply camelCased there.
_PARAMETERS: dict[str, tuple[str, ...]] = {
    "number_of_images": ("sampleCount",),
    "number_of_videos": ("sampleCount",),
    "output_gcs_uri": ("storageUri",),
    "safety_filter_level": ("safetySetting",),
    "output_mime_type": ("outputOptions", "mimeType"),
    "output_compression_quality": ("outputOptions", "compressionQuality"),
    "image_size": ("sampleImageSize",),
    "base_steps": ("editConfig", "baseSteps"),
    "enhance_input_image": ("upscaleConfig", "enhanceInputImage"),
    "image_preservation_factor": ("upscaleConfig", "imagePreservationFactor"),
}


def camel(name: str) -> str:
    """Return a snake_case config field name in camelCase, as the wire names most of them."""
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def predict_body(
    endpoint: Endpoint, call: str, instance: JSONObject, config: ConfigModel, refused: set[str]
) -> JSONObject:
    """Build ``{"instances": [instance], "parameters": {...}, "labels"?}`` from a config's set fields."""
    # Veo's last frame and reference images go in the instance, not among the parameters.
    values = config.model_dump(by_alias=False, exclude_none=True, exclude={"last_frame", "reference_images"})
    if not endpoint.is_vertex and (bad := sorted(refused & set(values))):
        raise UnsupportedError(
            f"{call}: {', '.join(bad)} {'is' if len(bad) == 1 else 'are'} only supported by Vertex AI; "
            f"leave {'it' if len(bad) == 1 else 'them'} out for the Gemini Developer API"
        )
    labels = values.pop("labels", None)
    parameters: JSONObject = {}
    for name, value in values.items():
        *parents, leaf = _PARAMETERS.get(name) or (camel(name),)
        node = parameters
        for key in parents:
            child = node.setdefault(key, {})
            assert isinstance(child, dict)
            node = child
        node[leaf] = value
    body: JSONObject = {"instances": [instance]}
    if parameters:
        body["parameters"] = parameters
    if labels:
        body["labels"] = labels
    return body


def predict_request(endpoint: Endpoint, model: str, method: str, body: JSONObject) -> HttpRequest:
    """Build ``POST models/M:{method}`` (``predict`` or ``predictLongRunning``) with `body`."""
    return HttpRequest("POST", f"{path_segment(model_path(endpoint, model))}:{method}", json=body)
