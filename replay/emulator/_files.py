"""Files (Gemini API only): the resumable upload protocol, get, list, delete and download.

Upload, as the service does it: ``POST /upload/{v}/files`` with ``x-goog-upload-command: start``
opens a session and answers with an absolute ``x-goog-upload-url`` on the emulator itself (clients
use it verbatim). Chunks go there with ``x-goog-upload-offset`` equal to the bytes received so
far and a size that is a multiple of the chunk granularity (``x-goog-upload-chunk-granularity``,
8 MiB unless the emulator was built with another) except for the last; ``upload, finalize``
(or ``finalize``) ends the upload, which must then hold exactly the declared size, and answers
``{"file": File}`` with ``x-goog-upload-status: final``. ``query`` and ``cancel`` work too. The
session id authorises the chunks, so they carry no API key. A MIME type outside the IANA top-level
types (``bad/mime_type``) is refused at the start: 400 ``Unsupported MIME type``.

``files:register`` registers Cloud Storage objects (``gs://`` URIs, with the caller's OAuth token):
each becomes a File of source REGISTERED, ACTIVE at once, whose ``uri`` is the Gemini API's and
whose bytes the emulator does not have (it cannot reach Cloud Storage).

States: an uploaded file is PROCESSING in the finalize answer and at its first GET, and ACTIVE
from the second GET on (list answers do not count as polls). Generated files (Veo videos, batch
results) are ACTIVE at once. Files expire 48 hours after creation on the virtual clock.
Downloading (``files/ID:download?alt=media``) answers 302 to ``/download/{v}/files/ID:download``,
as the service does, which serves the bytes; unlike the service, uploaded files can be downloaded
too, so tests can check what arrived. A missing file is 403 PERMISSION_DENIED, as on the service.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from dataclasses import dataclass, field

from genai_min._hosts import GEMINI_URL
from replay.emulator._errors import StatusError, invalid_argument, not_found
from replay.emulator._http import Call, Reply, bytes_reply, json_reply
from replay.emulator._pages import listing, page
from replay.emulator._state import Context
from replay.emulator._wire import JSONObject, as_int, as_list, as_str, timestamp

PUBLIC_HOST = GEMINI_URL
LIFETIME = 48 * 3600.0
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_MIME = re.compile(
    r"(application|audio|font|image|message|model|multipart|text|video)/[a-z0-9][a-z0-9!#$&^_.+-]*"
)
"""A MIME type the service takes: an IANA top-level type and a subtype."""


@dataclass
class StoredFile:
    """A file held by the emulator."""

    file_id: str
    mime_type: str
    data: bytes
    create_time: float
    version: str
    display_name: str = ""
    source: str = "UPLOADED"
    polls: int = 0

    uri: str = ""
    """Where a registered file lives (``gs://...``); empty for uploaded and generated files."""

    @property
    def state(self) -> str:
        """PROCESSING until the second GET of an upload, ACTIVE after (and for other files)."""
        return "ACTIVE" if self.source != "UPLOADED" or self.polls >= 2 else "PROCESSING"

    def to_wire(self) -> JSONObject:
        """Return the File object of the API."""
        digest = hashlib.sha256(self.data).hexdigest().encode("ascii")
        wire: JSONObject = {"name": f"files/{self.file_id}"}
        if self.display_name:
            wire["displayName"] = self.display_name
        wire.update(
            {
                "mimeType": self.mime_type,
                "sizeBytes": str(len(self.data)),
                "createTime": timestamp(self.create_time),
                "updateTime": timestamp(self.create_time),
                "expirationTime": timestamp(self.create_time + LIFETIME),
                # The service sends the hex digest's characters, base64-encoded.
                "sha256Hash": base64.b64encode(digest).decode("ascii"),
                "uri": f"{PUBLIC_HOST}/{self.version}/files/{self.file_id}",
            }
        )
        if self.source == "GENERATED":
            wire["downloadUri"] = f"{PUBLIC_HOST}/{self.version}/files/{self.file_id}:download?alt=media"
        wire.update({"state": self.state, "source": self.source})
        return wire


@dataclass
class _Session:
    file_id: str
    mime_type: str
    declared_size: int | None
    display_name: str
    version: str
    received: bytearray = field(default_factory=bytearray)


class FileStore:
    """The files and open upload sessions of one emulator."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._files: dict[str, StoredFile] = {}
        self._sessions: dict[str, _Session] = {}

    def reset(self) -> None:
        """Forget every file and session."""
        self._files.clear()
        self._sessions.clear()

    # -- upload -------------------------------------------------------------------------------

    def start(self, call: Call) -> Reply:
        """Open a resumable upload session."""
        protocol = call.headers.get("x-goog-upload-protocol", "").lower()
        command = call.headers.get("x-goog-upload-command", "").lower()
        if protocol != "resumable" or command != "start":
            raise invalid_argument(
                "Only the resumable upload protocol is served here: send x-goog-upload-protocol: resumable "
                f"and x-goog-upload-command: start (got {protocol!r}, {command!r})."
            )
        described = call.field("file")
        mime = call.headers.get("x-goog-upload-header-content-type") or as_str(described.get("mimeType"))
        if not mime:
            raise invalid_argument("* CreateFileRequest.file.mime_type: the file's MIME type is required.")
        if not _MIME.fullmatch(mime.split(";", 1)[0].strip().lower()):
            raise invalid_argument(f"Unsupported MIME type: {mime}")
        size_text = call.headers.get("x-goog-upload-header-content-length")
        size = as_int(size_text, -1) if size_text is not None else as_int(described.get("sizeBytes"), -1)
        file_id = self._new_id(as_str(described.get("name")))
        session = _Session(
            file_id, mime, size if size >= 0 else None, as_str(described.get("displayName")), call.version
        )
        upload_id = self._context.ids.token("upload")
        with self._context.lock:
            self._sessions[upload_id] = session
        url = f"{call.base_url}/upload/{call.version}/files?upload_id={upload_id}&upload_protocol=resumable"
        return Reply(
            200,
            b"",
            (
                ("content-type", "text/plain; charset=utf-8"),
                ("x-goog-upload-status", "active"),
                ("x-goog-upload-url", url),
                ("x-goog-upload-control-url", url),
                ("x-goog-upload-chunk-granularity", str(self._context.upload_granularity)),
            ),
        )

    def chunk(self, call: Call, upload_id: str) -> Reply:
        """Take one request of an upload session: upload, finalize, query or cancel."""
        with self._context.lock:
            session = self._sessions.get(upload_id)
        if session is None:
            raise not_found(f"No upload session {upload_id!r}: it was finalised, cancelled or never opened.")
        commands = {c.strip() for c in call.headers.get("x-goog-upload-command", "").lower().split(",")}
        if "cancel" in commands:
            with self._context.lock:
                self._sessions.pop(upload_id, None)
            return Reply(200, b"", (("x-goog-upload-status", "cancelled"),))
        if "query" in commands:
            return self._status(session, "active")
        if "upload" in commands:
            self._append(call, session, is_last="finalize" in commands)
        if "finalize" not in commands:
            return self._status(session, "active")
        if session.declared_size is not None and len(session.received) != session.declared_size:
            raise invalid_argument(
                f"The upload was finalised after {len(session.received)} bytes, but "
                f"{session.declared_size} were declared in x-goog-upload-header-content-length."
            )
        stored = StoredFile(
            session.file_id,
            session.mime_type,
            bytes(session.received),
            self._context.clock.now(),
            session.version,
            session.display_name,
        )
        with self._context.lock:
            self._sessions.pop(upload_id, None)
            self._files[stored.file_id] = stored
        reply = json_reply({"file": stored.to_wire()})
        return Reply(reply.status, reply.body, (*reply.headers, ("x-goog-upload-status", "final")))

    def _append(self, call: Call, session: _Session, *, is_last: bool) -> None:
        offset = as_int(call.headers.get("x-goog-upload-offset"), -1)
        if offset != len(session.received):
            raise invalid_argument(
                f"x-goog-upload-offset is {offset}, but {len(session.received)} bytes have been received; "
                "query the session (x-goog-upload-command: query) and resume from there.",
            )
        granularity = self._context.upload_granularity
        if not is_last and len(call.raw) % granularity:
            raise invalid_argument(
                f"A chunk that does not finalise the upload must be a multiple of {granularity} bytes "
                f"(x-goog-upload-chunk-granularity); this one has {len(call.raw)}."
            )
        if session.declared_size is not None and offset + len(call.raw) > session.declared_size:
            raise invalid_argument(
                f"The chunk at offset {offset} runs past the {session.declared_size} bytes declared."
            )
        with self._context.lock:
            session.received += call.raw

    @staticmethod
    def _status(session: _Session, status: str) -> Reply:
        return Reply(
            200,
            b"",
            (("x-goog-upload-status", status), ("x-goog-upload-size-received", str(len(session.received)))),
        )

    def _new_id(self, name: str) -> str:
        if not name:
            return self._context.ids.next("files")
        file_id = name.removeprefix("files/")
        if not _ID.fullmatch(file_id):
            raise invalid_argument(
                f"Invalid file name {name!r}: use 'files/' and 1 to 40 lower-case letters, digits or dashes."
            )
        with self._context.lock:
            taken = file_id in self._files or any(s.file_id == file_id for s in self._sessions.values())
        if taken:
            raise StatusError(409, f"A file named files/{file_id} already exists.")
        return file_id

    # -- reading --------------------------------------------------------------------------------

    def find(self, file_id: str) -> StoredFile:
        """Return a live file, or raise the service's 403."""
        with self._context.lock:
            stored = self._files.get(file_id)
        if stored is None or stored.create_time + LIFETIME <= self._context.clock.now():
            raise StatusError(
                403, f"You do not have permission to access the File {file_id} or it may not exist."
            )
        return stored

    def get(self, call: Call, file_id: str) -> Reply:
        """Return a file; each GET is one poll of its processing."""
        stored = self.find(file_id)
        with self._context.lock:
            stored.polls += 1
        return json_reply(stored.to_wire())

    def list(self, call: Call) -> Reply:
        """List live files, a page at a time."""
        now = self._context.clock.now()
        with self._context.lock:
            live = [f for f in self._files.values() if f.create_time + LIFETIME > now]
        items, token = page([f.to_wire() for f in live], call, default_size=10, max_size=100)
        return json_reply(listing("files", items, token))

    def delete(self, call: Call, file_id: str) -> Reply:
        """Delete a file."""
        self.find(file_id)
        with self._context.lock:
            self._files.pop(file_id, None)
        return json_reply({})

    def download(self, call: Call, file_id: str) -> Reply:
        """Redirect a download to the download path, as the service does."""
        self.find(file_id)
        if call.param("alt") != "media":
            raise invalid_argument("Downloading a file needs the query parameter alt=media.")
        location = f"{call.base_url}/download/{call.version}/files/{file_id}:download?alt=media"
        error = StatusError(302, "Unknown Error.", status="UNKNOWN")
        reply = json_reply(error.envelope(), status=302)
        return Reply(302, reply.body, (*reply.headers, ("location", location)))

    def serve_bytes(self, call: Call, file_id: str) -> Reply:
        """Answer the redirected download with the file's bytes."""
        stored = self.find(file_id)
        return bytes_reply(stored.data, stored.mime_type)

    def register(self, call: Call) -> Reply:
        """Register Cloud Storage objects as files (``files:register``); answer ``{"files": [...]}``."""
        uris = [as_str(u) for u in as_list(call.body.get("uris"))]
        if not uris:
            raise invalid_argument("* RegisterFilesRequest.uris: at least one uri is required.")
        for uri in uris:
            if not uri.startswith("gs://") or "/" not in uri[5:]:
                raise invalid_argument(f"* RegisterFilesRequest.uris: {uri!r} is not gs://bucket/object.")
        registered = []
        for uri in uris:
            mime = mimetypes.guess_type(uri)[0] or "application/octet-stream"
            stored = StoredFile(
                self._context.ids.next("files"),
                mime,
                b"",
                self._context.clock.now(),
                call.version,
                display_name=uri.rsplit("/", 1)[-1],
                source="REGISTERED",
                uri=uri,
            )
            with self._context.lock:
                self._files[stored.file_id] = stored
            registered.append(stored.to_wire())
        return json_reply({"files": registered})

    def add_generated(self, data: bytes, mime_type: str, version: str) -> StoredFile:
        """Store a file the service made (a video, batch results); it is ACTIVE at once."""
        stored = StoredFile(
            self._context.ids.next("files"),
            mime_type,
            data,
            self._context.clock.now(),
            version,
            source="GENERATED",
        )
        with self._context.lock:
            self._files[stored.file_id] = stored
        return stored

    def data_of(self, name: str) -> bytes | None:
        """Return the bytes of ``files/ID`` (or a file URI) if the file exists."""
        file_id = name.split("files/", 1)[-1].split(":", 1)[0].split("?", 1)[0]
        with self._context.lock:
            stored = self._files.get(file_id)
        return stored.data if stored is not None else None
