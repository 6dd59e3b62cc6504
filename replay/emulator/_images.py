"""Imagen ``:predict``: generate, upscale and edit images, answered with small real images.

The request's ``parameters`` decide the kind: ``mode: upscale`` upscales ``instances[0].image``,
``editMode`` or ``referenceImages`` edit, anything else generates from ``instances[0].prompt``.
Answers are ``{"predictions": [{"bytesBase64Encoded", "mimeType"}, ...]}``:

- ``sampleCount`` images (default 4 to generate, as Imagen does, and 1 to upscale or edit);
- ``outputOptions.mimeType`` ``image/jpeg`` gives a JPEG, anything else a PNG;
- generated images follow ``aspectRatio`` (8 pixels on the short side); an upscaled image (PNG or
  JPEG) is the input's size times ``upscaleConfig.upscaleFactor``; an edit keeps the raw
  reference's size;
- ``storageUri`` answers ``gcsUri`` instead of bytes; ``enhancePrompt`` adds the ``prompt`` used;
  ``includeSafetyAttributes`` adds ``safetyAttributes`` to each image.

The trigger word ``emulator:block-prompt`` in the prompt filters every image: the predictions
hold only ``raiFilteredReason`` (when ``includeRaiReason`` is set) or nothing at all. Upscale and
edit are Vertex AI only, as on the service.
"""

from __future__ import annotations

from replay.emulator._errors import invalid_argument
from replay.emulator._generation import BLOCK_PROMPT
from replay.emulator._http import Call
from replay.emulator._media_bytes import image, image_size, size_for
from replay.emulator._wire import (
    JSONObject,
    as_dict,
    as_int,
    as_list,
    as_str,
    decode_bytes,
    digest,
    encode_bytes,
)

_FILTERED = (
    "Your current safety filter threshold filtered out the generated image. Adjust the prompt or "
    "the safety settings and try again."
)


def predict_images(call: Call, model_id: str) -> JSONObject:
    """Answer an Imagen predict request (or Vertex AI's virtual try-on and segmentation)."""
    instances = [as_dict(i) for i in as_list(call.body.get("instances"))]
    if not instances:
        raise invalid_argument("* PredictRequest.instances: at least one instance is required.")
    if model_id.startswith(("virtual-try-on-", "image-segmentation-")):
        if not call.is_vertex:
            raise invalid_argument(f"{model_id} is only served on Vertex AI.")
        if model_id.startswith("image-segmentation-"):
            return _segment(model_id, instances[0], call.field("parameters"))
    parameters = call.field("parameters")
    instance = instances[0]
    mode = as_str(parameters.get("mode")).lower()
    is_edit = "editMode" in parameters or "referenceImages" in instance
    if (mode == "upscale" or is_edit) and not call.is_vertex:
        raise invalid_argument(
            f"{'Upscaling' if mode == 'upscale' else 'Editing'} images is only supported on Vertex AI."
        )
    prompt = as_str(instance.get("prompt"))
    width, height = size_for(as_str(parameters.get("aspectRatio")) or None)
    if mode == "upscale":
        source = _image_bytes(as_dict(instance.get("image")), "instances[0].image")
        factor = as_int(
            as_str(as_dict(parameters.get("upscaleConfig")).get("upscaleFactor"), "x2").lstrip("x"), 2
        )
        width, height = image_size(source) or (width, height)
        width, height = width * factor, height * factor
    elif is_edit:
        raw = next(
            (as_dict(r) for r in as_list(instance.get("referenceImages")) if "referenceImage" in as_dict(r)),
            {},
        )
        if raw:
            source = _image_bytes(as_dict(raw.get("referenceImage")), "referenceImages[].referenceImage")
            width, height = image_size(source) or (width, height)
    is_try_on = model_id.startswith("virtual-try-on-")
    if is_try_on:  # the person's picture, dressed in the product: the person's size
        person = as_dict(as_dict(instance.get("personImage")).get("image"))
        width, height = image_size(_image_bytes(person, "instances[0].personImage.image")) or (width, height)
    default_count = 1 if mode == "upscale" or is_edit or is_try_on else 4
    count = max(1, min(as_int(parameters.get("sampleCount"), default_count), 8))
    output = as_dict(parameters.get("outputOptions"))
    wanted = as_str(output.get("mimeType"), "image/png")
    seed = digest(model_id, instances, parameters)
    if BLOCK_PROMPT in prompt.lower():
        if parameters.get("includeRaiReason") is True:
            return {"predictions": [{"raiFilteredReason": _FILTERED} for _ in range(count)]}
        return {}
    predictions: list[object] = []
    storage = as_str(parameters.get("storageUri"))
    for index in range(count):
        data, mime = image(digest(seed, index), wanted, width, height)
        prediction: JSONObject = {"mimeType": mime}
        if storage:
            extension = "jpg" if mime == "image/jpeg" else "png"
            prediction["gcsUri"] = f"{storage.rstrip('/')}/{seed.hex()[:16]}/sample_{index}.{extension}"
        else:
            prediction["bytesBase64Encoded"] = encode_bytes(data)
        if parameters.get("enhancePrompt") is True and prompt:
            prediction["prompt"] = f"{prompt}, in soft natural light, finely detailed"
        if parameters.get("includeSafetyAttributes") is True:
            prediction["safetyAttributes"] = {"categories": [], "scores": []}
            prediction["contentType"] = "image"
        predictions.append(prediction)
    return {"predictions": predictions}


def _segment(model_id: str, instance: JSONObject, parameters: JSONObject) -> JSONObject:
    """Answer image segmentation: masks the size of the input, each with its labels and scores."""
    source = _image_bytes(as_dict(instance.get("image")), "instances[0].image")
    width, height = image_size(source) or size_for(None)
    seed = digest(model_id, instance, parameters)
    words = as_str(instance.get("prompt")).replace(",", " ").split()
    labels = [w for w in words if w.isalpha()] or ["object"]
    masks: list[object] = []
    for index, label in enumerate(labels[: max(1, as_int(parameters.get("maxPredictions"), 3))]):
        data, mime = image(digest(seed, index), "image/png", width, height)
        score = round(0.5 + (digest(seed, label)[0] % 50) / 100, 2)
        labelled = [{"label": label, "score": score}]
        masks.append({"bytesBase64Encoded": encode_bytes(data), "mimeType": mime, "labels": labelled})
    return {"predictions": masks}


def _image_bytes(value: JSONObject, where: str) -> bytes:
    text = as_str(value.get("bytesBase64Encoded"))
    if not text:
        if as_str(value.get("gcsUri")):
            return b""
        raise invalid_argument(f"* {where}: an image (bytesBase64Encoded or gcsUri) is required.")
    try:
        return decode_bytes(text)
    except ValueError:
        raise invalid_argument(
            f"Invalid value at '{where}.bytes_base64_encoded' (TYPE_BYTES), Base64 decoding failed."
        ) from None
