"""Import foreign cassettes (vcrpy, Ruby VCR, go-vcr, httprr, req_llm) as sanitised genai-replay cassettes.

The readers in `replay._importers` return raw exchanges; here their bodies are decoded, they are
sanitised like a live recording, and `save_clean` writes them (refusing any credential left), under
a destination (`import_cassettes`) or beside each source (`import_beside`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from genai_min._hosts import api_version_of, backend_of_host
from replay._cassette import BLOB_DIR, Body, BodyKind, Cassette, Interaction, Meta, Request, Response
from replay._cassette_json import load_cassette
from replay._encodings import decode_content
from replay._errors import CassetteError, ReplayError, UnsupportedCassetteError
from replay._http_values import header_problem, is_status
from replay._importers._documents import read_document
from replay._importers._exchange import Exchange, Foreign, ForeignFormatError, Message
from replay._importers._httprr import MAGIC, read_httprr
from replay._sanitiser import Sanitiser, SecretLog, save_clean

SUFFIXES = frozenset({".yaml", ".yml", ".json", ".httprr"})
FRAMING_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})
"""Headers that describe the foreign file's bytes, not the decoded body a cassette stores."""
FORM = "application/x-www-form-urlencoded"

IMPORTED_AGAINST = "imported"
"""`Meta.recorded_against` of an imported cassette: genai-replay did not record it, and
`Meta.client` ("imported from vcrpy") says which tool did."""


@dataclass(frozen=True)
class Skipped:
    """A source file (or folder) that was not imported, and why: what was wrong and what to do."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Imported:
    """A source file imported as a cassette at `destination` (None when nothing was written)."""

    source: Path
    destination: Path | None
    interactions: int
    format: str
    is_replacing: bool = False
    """Whether it replaced an earlier import at `destination` (converting in place again)."""


@dataclass(frozen=True)
class ImportReport:
    """What `import_cassettes` did with every file under its source."""

    imported: tuple[Imported, ...]
    skipped: tuple[Skipped, ...]


def read_foreign_cassette(path: Path, sanitiser: Sanitiser | None = None) -> Cassette:
    """Read a vcrpy, Ruby VCR, go-vcr, httprr or req_llm cassette as a sanitised `Cassette`.

    Raise `UnsupportedCassetteError` naming the file, what was found and what to do (and
    `CassetteError` when the file cannot be read at all)::

        cassette = read_foreign_cassette(Path("tests/cassettes/test_generate.yaml"))
    """
    return _read(Path(path), sanitiser or Sanitiser())[0]


def import_file(
    source: Path, destination: Path | None = None, sanitiser: Sanitiser | None = None
) -> Imported:
    """Import one foreign cassette and save it at `destination`; with None, only read and check it.

    Saving goes through `save_clean`, so a credential the sanitiser left raises `CredentialLeakError`
    and nothing is written.
    """
    source = Path(source)
    cassette, secrets, foreign = _read(source, sanitiser or Sanitiser())
    if destination is not None:
        save_clean(cassette, Path(destination), secrets)
    return Imported(source, destination, len(cassette.interactions), foreign.format)


def import_cassettes(src: Path, dst: Path, sanitiser: Sanitiser | None = None) -> ImportReport:
    """Import `src` (a file, or a folder walked recursively) into genai-replay cassettes under `dst`.

    Each imported file keeps its path relative to `src`, with a ``.json`` suffix (a single file goes
    to `dst` itself when that ends in ``.json``). Every file not imported is in `skipped` with why::

        report = import_cassettes(Path("tests/cassettes"), Path("cassettes/imported"))
    """
    src, dst = Path(src), Path(dst)
    sanitiser = sanitiser or Sanitiser()
    skipped: list[Skipped] = []
    if src.is_file():
        target = dst if dst.suffix == ".json" and not dst.is_dir() else dst / (src.stem + ".json")
        plan = [(src, target)]
    elif src.is_dir():
        files, skipped = _walk(src, dst)
        plan = [(path, dst / path.relative_to(src).with_suffix(".json")) for path in files]
    else:
        raise CassetteError("no such file or folder to import; check the path", cassette_path=src)
    return _run(plan, skipped, sanitiser, is_beside=False)


def import_beside(src: Path, sanitiser: Sanitiser | None = None) -> ImportReport:
    """Convert foreign cassettes in place: each is written beside itself, same name, suffix ``.json``.

    `src` is a file or a folder walked recursively. pytest-recording's
    ``tests/cassettes/test_chat/TestChat.test_reply.yaml`` becomes ``TestChat.test_reply.json`` in
    the same folder, which is where the `genai_replay` fixture looks. The sources stay. In a folder,
    ``.json`` files (genai-replay's cassettes, earlier conversions) and ``blobs`` folders are not read.
    A ``.json`` already there is replaced only when it is an earlier import (converting again, with
    new rules or a changed source); a cassette genai-replay recorded, or a file it cannot read, is
    left as it is and the source skipped, saying why::

        report = import_beside(Path("tests/cassettes"))
    """
    src = Path(src)
    skipped: list[Skipped] = []
    if src.is_file():
        files = [src]
    elif src.is_dir():
        files, skipped = _walk(src, None)
    else:
        raise CassetteError("no such file or folder to import; check the path", cassette_path=src)
    plan = [(path, _beside(path)) for path in files]
    return _run(plan, skipped, sanitiser or Sanitiser(), is_beside=True)


def _beside(path: Path) -> Path:
    """Return the ``.json`` file beside `path` with its name (an httprr trace may have no suffix)."""
    name = path.stem if path.suffix.lower() in SUFFIXES else path.name
    return path.with_name(name + ".json")


def _run(
    plan: list[tuple[Path, Path]], skipped: list[Skipped], sanitiser: Sanitiser, *, is_beside: bool
) -> ImportReport:
    """Import each (source, target) of `plan`; converting in place, never over what is not an import."""
    imported: list[Imported] = []
    written: dict[Path, Path] = {}
    for path, target in plan:
        if target.resolve() == path.resolve():
            hint = "give a DESTINATION" if is_beside else "choose another destination"
            skipped.append(Skipped(path, f"would overwrite itself at {target}; {hint}"))
        elif target in written:
            reason = f"would be written to {target}, as {written[target]} already is; rename one of them"
            skipped.append(Skipped(path, reason))
        elif is_beside and (occupant := _occupant(path, target)) is not None:
            skipped.append(Skipped(path, occupant))
        else:
            is_replacing = is_beside and target.exists()
            try:
                done = import_file(path, target, sanitiser)
                imported.append(replace(done, is_replacing=is_replacing))
                written[target] = path
            except UnsupportedCassetteError as exc:
                skipped.append(Skipped(path, exc.reason))
            except ReplayError as exc:
                skipped.append(Skipped(path, str(exc)))
            except OSError as exc:
                skipped.append(Skipped(path, f"cannot write {target} ({exc}); check the destination"))
    return ImportReport(tuple(imported), tuple(skipped))


def _occupant(source: Path, target: Path) -> str | None:
    """Say why converting `source` in place must not replace `target`; None when it may.

    It may when there is no `target`, or when it is an earlier import (of this file, since in place
    only a file of the same name writes there); never over a recording, which cannot be made again.
    """
    if not target.exists() or target.resolve() == source.resolve():
        return None
    todo = f"move it away to convert {source} in its place, or give a DESTINATION"
    try:
        meta = load_cassette(target).meta
    except ReplayError:
        return f"{target} already exists and is not a cassette genai-replay can read; {todo}"
    if meta.recorded_against == IMPORTED_AGAINST:
        return None
    return f"{target} already exists and was recorded by genai-replay, not imported; {todo}"


class _ForeignSecretLog(SecretLog):
    """A secret log that passes over the placeholders foreign tools left where credentials were.

    Values such as ``scrubbed``, ``<filtered>`` or ``DUMMY_GOOGLE_API_KEY`` would otherwise count as
    secrets, and the files that repeat them (``client_id=scrubbed``) would be refused. Real Google
    keys, tokens and client secrets hold digits; placeholders rarely do.
    """

    def add(self, value: str | None) -> None:
        """Remember `value` unless it is a placeholder (holds no digit)."""
        if value and any(c.isdigit() for c in value):
            super().add(value)


def _walk(root: Path, dst: Path | None) -> tuple[list[Path], list[Skipped]]:
    """List the cassette files under `root`; report the other files, hidden folders and `dst` itself.

    With no `dst` (converting in place), ``.json`` files and ``blobs`` folders are genai-replay's
    own, or what converting wrote: they are passed over without a word.
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    destination = dst.resolve() if dst is not None else None
    for folder, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames):
            path = Path(folder) / name
            if name.startswith("."):
                reason = "a hidden folder, not searched; import it on its own to include it"
            elif path.resolve() == destination:
                reason = "the destination folder, not searched, so imported cassettes are not imported again"
            elif destination is None and name == BLOB_DIR:
                dirnames.remove(name)
                continue
            else:
                continue
            dirnames.remove(name)
            skipped.append(Skipped(path, reason))
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(folder) / name
            if destination is None and path.suffix.lower() == ".json":
                continue
            if path.suffix.lower() in SUFFIXES or _is_httprr(path):
                files.append(path)
            else:
                reason = (
                    "not a cassette file: the importer reads .yaml, .yml and .json files and httprr traces"
                )
                skipped.append(Skipped(path, reason))
    return files, skipped


def _is_httprr(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _read(path: Path, sanitiser: Sanitiser) -> tuple[Cassette, SecretLog, Foreign]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CassetteError(f"cannot read the file ({exc}); check the path", cassette_path=path) from exc
    secrets = _ForeignSecretLog()
    try:
        foreign = _parse(path, data)
        interactions = tuple(
            _interaction(exchange, sanitiser, secrets, f"interaction {index}")
            for index, exchange in enumerate(foreign.exchanges)
        )
    except ForeignFormatError as exc:
        raise UnsupportedCassetteError(f"cannot import it: {exc}", cassette_path=path) from None
    return Cassette(interactions, _meta(foreign)), secrets, foreign


def _parse(path: Path, data: bytes) -> Foreign:
    # Imported here, not at the top: PyYAML is loaded only when a cassette is imported.
    from replay._importers._yaml import load_yaml

    if data.startswith(MAGIC):
        return read_httprr(data)
    if path.suffix.lower() != ".json":
        return read_document(load_yaml(data))
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ForeignFormatError(f"not valid JSON ({exc})") from None
    return read_document(document)


def _interaction(exchange: Exchange, sanitiser: Sanitiser, secrets: SecretLog, where: str) -> Interaction:
    url = _checked_url(exchange.url, where)
    request = Request(
        exchange.method.upper(),
        url,
        _kept(exchange.request.headers),
        _body(exchange.request, url, f"{where}, request"),
    )
    response = Response(
        exchange.status, _kept(exchange.response.headers), _body(exchange.response, url, f"{where}, response")
    )
    if not is_status(exchange.status):
        raise ForeignFormatError(f"{where}: the response status {exchange.status!r} is not from 100 to 599")
    clean_request = sanitiser.request(request, secrets)
    clean_response = sanitiser.response(response, url, secrets)
    # What the cassette reader would refuse is refused here, before anything is written.
    for side, headers in (("request", clean_request.headers), ("response", clean_response.headers)):
        for name, value in headers:
            problem = header_problem(name, value)
            if problem is not None:
                raise ForeignFormatError(f"{where}: {side} header {name!r}: {problem}")
    # Sorted as save_cassette writes them, so that a saved and reloaded cassette equals this one.
    return Interaction(
        replace(clean_request, headers=tuple(sorted(clean_request.headers))),
        replace(clean_response, headers=tuple(sorted(clean_response.headers))),
    )


def _checked_url(url: str, where: str) -> str:
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError when the port is not a number
    except ValueError:
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ForeignFormatError(f"{where}: the request URL {url!r} is not an absolute http(s) URL")
    return url


def _kept(headers: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, value) for name, value in headers if name not in FRAMING_HEADERS)


def _body(message: Message, url: str, where: str) -> Body:
    if message.has_parsed:
        return Body(BodyKind.JSON, json=message.parsed)
    headers = dict(message.headers)
    content = _decode(message.content, headers.get("content-encoding", ""), where)
    media = headers.get("content-type", "")
    if not media and "alt=sse" in urlsplit(url).query and content.lstrip().startswith((b"data:", b"event:")):
        media = "text/event-stream"  # the file lost its headers, but the URL asked for a stream
    if media.split(";", 1)[0].strip().lower() == FORM and _is_utf8(content):
        # Kept as text, not bytes, so that the sanitiser can scrub OAuth token requests.
        return Body(BodyKind.TEXT, text=content.decode("utf-8"))
    return Body.from_bytes(content, media)


def _decode(content: bytes, encoding: str, where: str) -> bytes:
    """Undo the recorded Content-Encoding as the sanitiser does (`replay._encodings.decode_content`).

    Several tools keep the header after decoding the body: the bytes are trusted over the header, and
    a body that cannot be undone here but is already text (not gzip) is taken as decoded.
    """
    decoded = decode_content(content, encoding)
    if decoded is not None:
        return decoded
    if content[:2] != b"\x1f\x8b" and _is_utf8(content):
        return content
    raise ForeignFormatError(
        f"{where}: the body is compressed with {encoding!r}, which the importer cannot decode "
        "(a damaged gzip body, or br without a brotli module)",
        hint="re-record it with decoded bodies (vcrpy: decode_compressed_response=True)",
    )


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _meta(foreign: Foreign) -> Meta:
    """Say what the cassette came from; backend and API version from the first Gemini or Vertex URL."""
    backend, api_version = "", ""
    for exchange in foreign.exchanges:
        found = backend_of_host(urlsplit(exchange.url).hostname or "")
        if found is not None:
            backend, api_version = found, api_version_of(exchange.url) or ""
            break
    return Meta(
        recorded_against=IMPORTED_AGAINST,
        backend=backend,
        api_version=api_version,
        client=f"imported from {foreign.format}",
        client_version=foreign.version,
        recorded_at=_recorded_at(foreign.exchanges),
    )


def _recorded_at(exchanges: tuple[Exchange, ...]) -> str:
    """The time of the first exchange, from the file or its Date header, as UTC ISO 8601; else ''."""
    for exchange in exchanges:
        for text in (exchange.recorded_at, dict(exchange.response.headers).get("date", "")):
            when = _parse_time(text)
            if when is not None:
                return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ""


def _parse_time(text: str) -> datetime | None:
    if not text:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
