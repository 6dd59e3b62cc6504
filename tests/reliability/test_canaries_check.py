"""`genai-replay check` finds each canary planted by hand in a clean cassette, and names where it is.

The clean cassette is a real recording (genai_min against the emulator: a question, a stream, and a
1.2 MiB upload kept as a blob). Each test copies it, plants one canary the way a careless edit or a
broken sanitiser would leave it (a key shape, a bearer token, OAuth tokens, a private key, a key in
a query string, a secret in a blob, and the hostile ones: a key split across two events of a
stream, a key file in inline data, a key in a base64 field, a gzip body, a password in a URL, a
short letters-only token, a key in the method or the metadata), and runs `check` through click's
runner: it must exit 1 with a line that names the cassette and the place.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import genai_min
from genai_min import files, models
from replay._cassette import BLOB_DIR, CHUNK, Meta
from replay._httpx import RecordingTransport
from replay._recorder import Recorder
from replay.cli import main
from replay.emulator import Emulator, canonical_url

from ._canary import Canaries, Place
from .conftest import CANARIES_FOUND, Tally

MODEL = "gemini-2.0-flash-001"
BLOB_SIZE = CHUNK + 200 * 1024
"""Larger than a blob's read piece, so a blob is read in pieces and a canary can straddle two."""

Document = dict[str, Any]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Record the clean cassette once; tests plant canaries in copies of it."""
    folder = tmp_path_factory.mktemp("clean")
    path = folder / "clean.json"
    with Emulator() as emulator:
        recorder = Recorder(
            path, meta=Meta(recorded_against="emulator"), canonical=lambda t: canonical_url(t, emulator.url)
        )
        transport = RecordingTransport(recorder)
        with genai_min.Transport(
            api_key="AIzaSy" + "k" * 33, base_url=emulator.url, transport=transport, async_transport=transport
        ) as t:
            models.generate_content(t, model=MODEL, contents="Why is the sky blue?")
            "".join(c.text or "" for c in models.generate_content_stream(t, model=MODEL, contents="A story"))
            files.upload(t, file=os.urandom(BLOB_SIZE), config={"mime_type": "application/octet-stream"})
        recorder.save()
    return path


@pytest.fixture
def cassette(recorded: Path, tmp_path: Path) -> Path:
    """A copy of the clean cassette, with its blobs, in the test's own folder."""
    shutil.copytree(recorded.parent, tmp_path / "cassettes")
    return tmp_path / "cassettes" / recorded.name


def check(*paths: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", *map(str, paths)], catch_exceptions=False)
    return result.exit_code, result.output.splitlines()


def test_the_clean_recording_passes(cassette: Path) -> None:
    assert check(cassette) == (0, ["no problems in 1 cassette"])


# -- planting ------------------------------------------------------------------------------------------


def _find(document: Document, method: str, verb: str, side: str) -> tuple[int, Document]:
    """Return the index and the `side` of the first interaction whose request is `method` to `verb`."""
    for index, interaction in enumerate(document["interactions"]):
        request = interaction["request"]
        if request["method"] == method and verb in request["url"]:
            return index, interaction[side]
    raise AssertionError(f"no {method} {verb} in the clean cassette")


def _blob(folder: Path, data: bytes) -> Document:
    digest = hashlib.sha256(data).hexdigest()
    (folder / BLOB_DIR).mkdir(exist_ok=True)
    (folder / BLOB_DIR / digest).write_bytes(data)
    return {"blob": {"sha256": digest, "size": len(data)}}


Plant = Callable[[Document, Path, str], str]
"""Put `canary` somewhere in the cassette document (its folder for blobs); return where `check` must say."""


def key_in_query(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["url"] += f"?key={canary}"
    return f"interactions[{index}].request.url"


def opaque_key_in_query(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["url"] += f"?alt=json&key={canary}"
    return f"interactions[{index}].request.url"


def key_in_answer(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", ":generateContent", "response")
    response["body"]["json"]["candidates"][0]["content"]["parts"][0]["text"] += f" (your key: {canary})"
    return f"interactions[{index}].response.body"


def bearer_header(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["headers"]["authorization"] = f"Bearer {canary}"
    return f"interactions[{index}].request.headers"


def api_key_header(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":streamGenerateContent", "request")
    request["headers"]["x-goog-api-key"] = canary
    return f"interactions[{index}].request.headers"


def access_token_in_stream(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", ":streamGenerateContent", "response")
    response["body"]["sse"][-1]["responseId"] = canary
    return f"interactions[{index}].response.body"


def token_answer(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", ":generateContent", "response")
    response["body"] = {"json": {"access_token": canary, "expires_in": 3599, "token_type": "Bearer"}}
    return f"interactions[{index}].response.body"


def refresh_grant(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["body"] = {"text": f"grant_type=refresh_token&client_id=c.apps&refresh_token={canary}"}
    return f"interactions[{index}].request.body"


def encoded_refresh_token(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":streamGenerateContent", "request")
    request["url"] += "&state=" + canary.replace("/", "%2F")
    return f"interactions[{index}].request.url"


def client_secret(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["body"]["json"]["contents"][0]["parts"][0]["text"] = f'{{"client_secret": "{canary}"}}'
    return f"interactions[{index}].request.body"


def private_key(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["body"]["json"]["contents"][0]["parts"][0]["text"] = json.dumps({"private_key": canary})
    return f"interactions[{index}].request.body"


def upload_session_id(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", "/upload/", "response")
    url = response["headers"]["x-goog-upload-url"]
    response["headers"]["x-goog-upload-url"] = url.replace("upload_id=REDACTED", f"upload_id={canary}")
    return f"interactions[{index}].response.headers"


def cookie(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", ":generateContent", "response")
    response["headers"]["set-cookie"] = f"SID={canary}; Path=/; Secure"
    return f"interactions[{index}].response.headers"


def key_in_small_blob(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", ":generateContent", "response")
    response["headers"]["content-type"] = "application/octet-stream"
    data = os.urandom(80_000) + canary.encode() + os.urandom(20_000)
    response["body"] = _blob(folder, data)
    return f"interactions[{index}].response.body ({BLOB_DIR}/{hashlib.sha256(data).hexdigest()})"


def key_across_blob_pieces(document: Document, folder: Path, canary: str) -> str:
    for index, interaction in enumerate(document["interactions"]):
        body = interaction["request"]["body"] or {}
        if "blob" in body:
            data = bytearray((folder / BLOB_DIR / body["blob"]["sha256"]).read_bytes())
            data[CHUNK - 10 : CHUNK - 10 + len(canary)] = canary.encode()  # half in each piece read
            interaction["request"]["body"] = _blob(folder, bytes(data))
            return f"interactions[{index}].request.body ({BLOB_DIR}/{hashlib.sha256(data).hexdigest()})"
    raise AssertionError("no blob in the clean cassette")


def key_in_base64_body(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", ":generateContent", "response")
    response["headers"]["content-type"] = "application/octet-stream"
    response["body"] = {"base64": base64.b64encode(b"\x89PNG\r\n" + canary.encode() + b"\0\1").decode()}
    return f"interactions[{index}].response.body"


def key_split_across_events(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", ":streamGenerateContent", "response")
    events = response["body"]["sse"]
    for event, text in zip(
        events, (f"Your key: {canary[:20]}", f"{canary[20:]}, keep it safe."), strict=False
    ):
        event["candidates"][0]["content"]["parts"] = [{"text": text}]
    return f"interactions[{index}].response.body"


def key_file_as_inline_data(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    key_file = json.dumps({"type": "service_account", "private_key": canary}).encode()
    data = base64.b64encode(key_file).decode()
    part = {"inlineData": {"mimeType": "application/json", "data": data}}
    request["body"]["json"]["contents"][0]["parts"].append(part)
    return f"interactions[{index}].request.body"


def key_in_a_base64_field(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", ":generateContent", "response")
    data = base64.urlsafe_b64encode(f"GOOGLE_API_KEY={canary}\n".encode()).decode()
    part = {"inlineData": {"mimeType": "text/plain", "data": data}}
    response["body"]["json"]["candidates"][0]["content"]["parts"].append(part)
    return f"interactions[{index}].response.body"


def key_in_gzip_body(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    compressed = gzip.compress(json.dumps({"contents": [{"parts": [{"text": f"my key {canary}"}]}]}).encode())
    request["body"] = {"base64": base64.b64encode(compressed).decode()}
    return f"interactions[{index}].request.body"


def password_in_url(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["url"] = request["url"].replace("https://", f"https://canary-user:{canary}@")
    return f"interactions[{index}].request.url"


def short_letters_only_key(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["headers"]["x-goog-api-key"] = canary  # letters only, yet no placeholder: mixed case
    return f"interactions[{index}].request.headers"


def short_bearer_header(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["headers"]["authorization"] = f"Bearer {canary}"
    return f"interactions[{index}].request.headers"


def secret_in_a_brotli_body(document: Document, folder: Path, canary: str) -> str:
    index, response = _find(document, "POST", ":generateContent", "response")
    response["headers"]["content-encoding"] = "br"  # no brotli module here: nothing can look inside
    response["body"] = {"base64": base64.b64encode(b"\x8b\x03\x80" + canary.encode()).decode()}
    return f"interactions[{index}].response.body"


def key_in_method(document: Document, folder: Path, canary: str) -> str:
    index, request = _find(document, "POST", ":generateContent", "request")
    request["method"] = f"POST {canary}"
    return f"interactions[{index}].request.method"


def key_in_meta(document: Document, folder: Path, canary: str) -> str:
    document["meta"]["client"] = f"genai_min key={canary}"
    return "meta"


PLANTS: list[tuple[Plant, Place | None]] = [
    (key_in_query, Place.KEY_QUERY),
    (opaque_key_in_query, None),
    (key_in_answer, Place.RESPONSE_BODY),
    (bearer_header, Place.BEARER_HEADER),
    (api_key_header, None),
    (access_token_in_stream, Place.ACCESS_TOKEN),
    (token_answer, None),
    (refresh_grant, None),
    (encoded_refresh_token, Place.REFRESH_TOKEN),
    (client_secret, Place.CLIENT_SECRET),
    (private_key, Place.SA_PRIVATE_KEY),
    (upload_session_id, Place.UPLOAD_URL),
    (cookie, Place.COOKIE),
    (key_in_small_blob, Place.UPLOAD_BYTES),
    (key_across_blob_pieces, Place.UPLOAD_BYTES),
    (key_in_base64_body, Place.RESPONSE_BODY),
    (key_split_across_events, Place.SPLIT_STREAM),
    (key_file_as_inline_data, Place.SA_PRIVATE_KEY),
    (key_in_a_base64_field, Place.BASE64_ANSWER),
    (key_in_gzip_body, Place.GZIP_BODY),
    (password_in_url, Place.URL_PASSWORD),
    (short_bearer_header, Place.SHORT_TOKEN),
    (short_letters_only_key, Place.SHORT_TOKEN),
    (secret_in_a_brotli_body, None),
    (key_in_method, Place.API_KEY_HEADER),
    (key_in_meta, Place.API_KEY_HEADER),
]
"""Each plant, and the credential shape of its canary; None for an opaque value, found by where it is."""


def mint(shape: Place | None) -> str:
    """Make a hand-planted canary: shaped like the credential at `shape`, a private key, or opaque."""
    if shape is None:
        return f"opaque-{secrets.token_hex(16)}"
    if shape is Place.SA_PRIVATE_KEY:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        encoding, form = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
        return key.private_bytes(encoding, form, serialization.NoEncryption()).decode("ascii")
    return Canaries("planted by hand", 99).mint(shape)


@pytest.mark.parametrize(("plant", "shape"), PLANTS, ids=[plant.__name__ for plant, _ in PLANTS])
def test_check_finds_a_canary_planted_by_hand(
    plant: Plant, shape: Place | None, cassette: Path, reliability_tally: Tally
) -> None:
    document = json.loads(cassette.read_text())
    where = plant(document, cassette.parent, mint(shape))
    cassette.write_text(json.dumps(document, indent=2))

    status, lines = check(cassette)

    assert status == 1, lines
    named = [line for line in lines if line.startswith(f"{cassette}: {where}: holds ")]
    assert named, f"no finding names {where}:\n" + "\n".join(lines)
    assert lines[-1] == f"{len(lines) - 1} problem{'s' if len(lines) > 2 else ''} in 1 of 1 cassette"
    reliability_tally[CANARIES_FOUND] += 1
