"""Route a request to the store or generator that answers it, on either backend.

A URL is read as ``[/upload|/download]/{version}/{resource}[:{verb}]``. The backend is the one
the ``Host`` header names when it is a Google host (the replay session relays requests keeping
it), so a Vertex-shaped path sent to the Gemini API's host gets the Gemini API's answer. Otherwise
it follows from the resource, as the SDK builds paths: ``projects/P/locations/L/...`` and
``publishers/...`` (express mode) are Vertex AI, and so is anything under ``v1beta1`` (express mode
creates caches at a bare ``cachedContents``); everything else is the Gemini API. A URL that no
method serves gets the front end's plain HTML 404 page, as the real hosts answer. Versions ``v1``,
``v1beta`` and ``v1alpha`` serve the Gemini API and ``v1`` and ``v1beta1`` Vertex AI, all with the
same routes.
Names a request carries are looked up by their last id: the project and location in a Vertex AI
name (a project number instead of its id, say) do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from genai_min._hosts import backend_of_host
from replay.emulator._batches import BatchStore
from replay.emulator._caches import CacheStore
from replay.emulator._catalogue import (
    Family,
    ModelRef,
    base_models,
    family_of,
    get_base_model,
    model_not_found,
    resolve_model,
)
from replay.emulator._checks import check_generate, check_schema, parse_json
from replay.emulator._errors import StatusError, invalid_argument, url_not_found
from replay.emulator._files import FileStore
from replay.emulator._generation import generate, stream_chunks
from replay.emulator._http import Backend, Call, Reply, json_reply, sse_reply
from replay.emulator._images import predict_images
from replay.emulator._pages import listing, page
from replay.emulator._state import Context
from replay.emulator._tokens import (
    batch_embed_contents,
    compute_tokens,
    count_tokens,
    embed_content,
    embed_one,
    predict_embeddings,
)
from replay.emulator._tuning import TuningStore, validate_reward
from replay.emulator._videos import VideoStore
from replay.emulator._wire import JSONObject, as_dict, as_str, camel_keys

VERSIONS: dict[Backend, tuple[str, ...]] = {
    "gemini": ("v1", "v1beta", "v1alpha"),
    "vertex": ("v1", "v1beta1"),
}
_VERTEX_PREFIX = re.compile(r"^projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/(?P<rest>.*)$")
Handler = Callable[[Call, ModelRef], Reply]
_VALIDATE = "validateReinforcementTuningReward"
_MODEL_KINDS = frozenset({"models", "tunedModels", "publishers", "endpoints"})
"""What a model verb (``:generateContent``) may follow: a model, a tuned model or an endpoint."""


def backend_of(version: str, path: str, headers: Mapping[str, str] | None = None) -> Backend:
    """Tell which backend a path (after the version) belongs to: by its Google host, else by its path."""
    headers = headers or {}
    by_host = backend_of_host(headers.get("host", "").rsplit(":", 1)[0])
    if by_host is not None:
        return by_host
    # Express mode sends some paths bare (``/v1beta1/cachedContents``): v1beta1 is Vertex AI's alone.
    return "vertex" if path.startswith(("projects/", "publishers/")) or version == "v1beta1" else "gemini"


def build_call(method: str, target: str, headers: dict[str, str], raw: bytes, base_url: str) -> Call:
    """Read a request line, headers and body into a `Call`, or raise the service's error."""
    parts = urlsplit(target)
    query = parse_qs(parts.query, keep_blank_values=True)
    segments = unquote(parts.path).strip("/").split("/")
    is_upload = segments[0] == "upload"
    is_download = segments[0] == "download"
    if is_upload or is_download:
        segments = segments[1:]
    if len(segments) < 2:
        raise url_not_found(parts.path)
    version, path = segments[0], "/".join(segments[1:])
    resource, _, verb = path.partition(":") if ":" in segments[-1] else (path, "", "")
    backend = backend_of(version, path, headers)
    if version not in VERSIONS[backend]:
        raise url_not_found(parts.path)
    project = location = None
    if backend == "vertex" and (match := _VERTEX_PREFIX.match(resource)):
        project, location, resource = match["project"], match["location"], match["rest"]
    is_chunk = is_upload and "upload_id" in query
    body: object = {}
    if raw and not is_chunk and not is_download:
        body = parse_json(raw)
        # `replay._schemas` judges Gemini v1 and v1alpha by v1beta where their definitions lag.
        check_schema(method, parts.path + (f"?{parts.query}" if parts.query else ""), body)
        if not isinstance(body, dict):
            raise invalid_argument("Invalid JSON payload received. The request body must be a JSON object.")
    return Call(
        method=method,
        backend=backend,
        version=version,
        resource=resource,
        verb=verb,
        query=query,
        headers=headers,
        raw=raw,
        body=as_dict(camel_keys(body)),
        base_url=base_url,
        project=project,
        location=location,
        is_transfer=is_upload or is_download,
    )


class Service:
    """Every store and generator of one emulator, behind `handle`."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.files = FileStore(context)
        self.tuning = TuningStore(context)
        self.caches = CacheStore(context, self.tuning.base_model_of)
        self.videos = VideoStore(context, self.files)
        self.batches = BatchStore(context, self.files, self._batch_generate, self._batch_embed)
        self._model_verbs: dict[str, Handler] = {
            "generateContent": lambda c, m: json_reply(self._generate(c, m, c.body)),
            "streamGenerateContent": self._stream,
            "countTokens": self._count,
            "computeTokens": lambda c, m: json_reply(compute_tokens(c)),
            "embedContent": lambda c, m: json_reply(embed_content(c, m.base_id)),
            "batchEmbedContents": lambda c, m: json_reply(batch_embed_contents(c, m.base_id)),
            "predict": self._predict,
            "predictLongRunning": lambda c, m: self.videos.create(c, m.path, m.base_id),
            "fetchPredictOperation": lambda c, m: self.videos.poll(c, as_str(c.body.get("operationName"))),
            "batchGenerateContent": lambda c, m: self.batches.create_gemini(c, m.path, is_embedding=False),
            "asyncBatchEmbedContent": lambda c, m: self.batches.create_gemini(c, m.path, is_embedding=True),
        }

    def reset(self) -> None:
        """Forget every resource."""
        for store in (self.files, self.tuning, self.caches, self.videos, self.batches):
            store.reset()

    def handle(self, call: Call) -> Reply:
        """Answer a call, or raise `StatusError`."""
        if call.is_transfer:
            return self._transfer(call)
        if call.verb:
            return self._custom(call)
        return self._resource(call)

    # -- routing ------------------------------------------------------------------------------

    def _transfer(self, call: Call) -> Reply:
        segments = call.resource.split("/")
        if call.method == "POST" and call.resource == "files":
            upload_id = call.param("upload_id")
            return self.files.chunk(call, upload_id) if upload_id else self.files.start(call)
        if call.method == "GET" and len(segments) == 2 and segments[0] == "files" and call.verb == "download":
            return self.files.serve_bytes(call, segments[1])
        raise url_not_found(_path_of(call))

    def _custom(self, call: Call) -> Reply:
        segments = call.resource.split("/")
        kind = segments[0]
        if call.verb == "cancel" and len(segments) == 2 and call.method == "POST":
            if kind == "tuningJobs" and call.is_vertex:
                return self.tuning.cancel_job(call, segments[1])
            if kind in ("batches", "batchPredictionJobs"):
                return self.batches.cancel(call, segments[1])
        if call.verb == "download" and kind == "files" and len(segments) == 2 and call.method == "GET":
            return self.files.download(call, segments[1])
        if (call.method, call.resource, call.verb) == ("POST", "files", "register") and not call.is_vertex:
            return self.files.register(call)
        if (call.method, call.resource, call.verb) == ("POST", "tuningJobs", _VALIDATE) and call.is_vertex:
            return json_reply(validate_reward(call))
        handler = self._model_verbs.get(call.verb)
        if handler is None or call.method != "POST" or kind not in _MODEL_KINDS:
            raise url_not_found(_path_of(call))
        if call.verb == "computeTokens" and not call.is_vertex:
            raise model_not_found(call, call.resource, call.verb)
        return handler(call, resolve_model(call, call.resource, call.verb, self.tuning.base_model_of))

    def _resource(self, call: Call) -> Reply:
        segments = call.resource.split("/")
        method, count = call.method, len(segments)
        kind, item = segments[0], segments[1] if count > 1 else ""
        if segments[:3] == ["publishers", "google", "models"] and call.is_vertex:
            segments, count = ["models", *segments[3:]], count - 2
            kind, item = "models", segments[1] if count > 1 else ""
            if count <= 2 and method == "GET":
                return self._base_models(call, item)
        if count >= 4 and segments[2] == "operations" and method == "GET":
            if kind == "tunedModels":
                return self.tuning.get_operation(call, item, segments[3])
            return self.videos.poll(call, call.resource)
        routes: dict[tuple[str, str, int], Callable[[], Reply]] = {
            ("GET", "models", 1): lambda: self._models_list(call),
            ("GET", "models", 2): lambda: self._models_get(call, item),
            ("PATCH", "models", 2): lambda: self.tuning.update_model(call, item),
            ("DELETE", "models", 2): lambda: self.tuning.delete_model(call, item),
            ("POST", "tunedModels", 1): lambda: self.tuning.create(call),
            ("GET", "tunedModels", 1): lambda: self.tuning.list_models(call),
            ("GET", "tunedModels", 2): lambda: self.tuning.get_model(call, item),
            ("PATCH", "tunedModels", 2): lambda: self.tuning.update_model(call, item),
            ("DELETE", "tunedModels", 2): lambda: self.tuning.delete_model(call, item),
            ("POST", "tuningJobs", 1): lambda: self.tuning.create(call),
            ("GET", "tuningJobs", 1): lambda: self.tuning.list_jobs(call),
            ("GET", "tuningJobs", 2): lambda: self.tuning.get_job(call, item),
            ("GET", "files", 1): lambda: self.files.list(call),
            ("GET", "files", 2): lambda: self.files.get(call, item),
            ("DELETE", "files", 2): lambda: self.files.delete(call, item),
            ("POST", "cachedContents", 1): lambda: self.caches.create(call),
            ("GET", "cachedContents", 1): lambda: self.caches.list(call),
            ("GET", "cachedContents", 2): lambda: self.caches.get(call, item),
            ("PATCH", "cachedContents", 2): lambda: self.caches.update(call, item),
            ("DELETE", "cachedContents", 2): lambda: self.caches.delete(call, item),
            ("GET", "batches", 1): lambda: self.batches.list(call),
            ("GET", "batches", 2): lambda: self.batches.get(call, item),
            ("DELETE", "batches", 2): lambda: self.batches.delete(call, item),
            ("POST", "batchPredictionJobs", 1): lambda: self.batches.create_vertex(call),
            ("GET", "batchPredictionJobs", 1): lambda: self.batches.list(call),
            ("GET", "batchPredictionJobs", 2): lambda: self.batches.get(call, item),
            ("DELETE", "batchPredictionJobs", 2): lambda: self.batches.delete(call, item),
        }
        only = {"files": "gemini", "tunedModels": "gemini", "batches": "gemini"}
        only |= {"tuningJobs": "vertex", "batchPredictionJobs": "vertex"}
        route = routes.get((method, kind, count))
        if route is None or only.get(kind, call.backend) != call.backend:
            raise url_not_found(_path_of(call))
        return route()

    # -- models ---------------------------------------------------------------------------------

    def _base_models(self, call: Call, model_id: str) -> Reply:
        if model_id:
            return json_reply(get_base_model(call, model_id))
        items, token = page(base_models(call), call, default_size=100, max_size=1000)
        return json_reply(listing("publisherModels", items, token))

    def _models_list(self, call: Call) -> Reply:
        if call.is_vertex:
            return self.tuning.list_models(call)
        items, token = page(base_models(call), call, default_size=50, max_size=1000)
        return json_reply(listing("models", items, token))

    def _models_get(self, call: Call, model_id: str) -> Reply:
        if call.is_vertex and family_of(model_id.split("@", 1)[0]) is not None:
            # A publisher model's name where a Model resource id (a number) belongs.
            raise invalid_argument(
                f"Invalid Model resource name {call.parent()}models/{model_id}: a model id is a number; "
                f"Google's models are named publishers/google/models/{model_id}."
            )
        if call.is_vertex:
            return self.tuning.get_model(call, model_id)
        return json_reply(get_base_model(call, model_id))

    # -- model verbs ----------------------------------------------------------------------------

    def _generate(self, call: Call, model: ModelRef, body: JSONObject) -> JSONObject:
        check_generate(body, is_vertex=call.is_vertex)
        cache_name = as_str(body.get("cachedContent"))
        cached = self.caches.prefix(call, cache_name) if cache_name else None
        context = self.context
        return generate(
            call, model, body, afc_depth=context.afc_depth, cached=cached, now=context.clock.stamp()
        )

    def _stream(self, call: Call, model: ModelRef) -> Reply:
        chunks = stream_chunks(call, self._generate(call, model, call.body))
        if call.param("alt") == "sse":
            return sse_reply(chunks)
        return json_reply(chunks)  # without alt=sse the service answers one JSON array

    def _count(self, call: Call, model: ModelRef) -> Reply:
        if "generateContentRequest" not in call.body:
            check_generate(call.body, "CountTokensRequest", is_vertex=call.is_vertex)
        return json_reply(count_tokens(call))

    def _predict(self, call: Call, model: ModelRef) -> Reply:
        if model.family is Family.IMAGE:
            return json_reply(predict_images(call, model.base_id))
        if not call.is_vertex:
            raise model_not_found(call, call.resource, "predict")
        return json_reply(predict_embeddings(call, model.base_id))

    def _batch_generate(self, call: Call, model_path: str, request: JSONObject) -> JSONObject:
        model = resolve_model(call, model_path, "generateContent", self.tuning.base_model_of)
        return self._generate(call, model, as_dict(camel_keys(request)))

    def _batch_embed(self, call: Call, model_path: str, request: JSONObject) -> JSONObject:
        model = resolve_model(call, model_path, "embedContent", self.tuning.base_model_of)
        return {"embedding": embed_one(call, model.base_id, as_dict(camel_keys(request)))}


def _path_of(call: Call) -> str:
    """Return the URL path a call was sent to, as the front end's 404 page quotes it."""
    transfer = ("/upload" if call.method == "POST" else "/download") if call.is_transfer else ""
    verb = f":{call.verb}" if call.verb else ""
    return f"{transfer}/{call.version}/{call.parent()}{call.resource}{verb}"


def error_reply(error: StatusError) -> Reply:
    """Turn an error into its HTTP answer."""
    if error.page is not None:
        return Reply(error.code, error.page.encode("utf-8"), (("content-type", "text/html; charset=UTF-8"),))
    reply = json_reply(error.envelope(), status=error.code)
    return Reply(reply.status, reply.body, (*reply.headers, *error.headers.items()))
