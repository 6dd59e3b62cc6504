"""Fuzz `load_cassette`: whatever is on disk, only `CassetteError` escapes, and what loads is usable.

Inputs are arbitrary bytes, arbitrary JSON, and cassettes that are nearly valid: a real saved
cassette (with a blob) with one to three mutations (a key dropped, a value of the wrong type,
another format version, bad base64, a blob reference to a missing, corrupted or strange file, odd
unicode). A cassette that loads must also rebuild its bodies and save again, byte for byte the same
the second time. Valid cassettes survive save and load unchanged.
"""

from __future__ import annotations

import base64
import copy
import functools
import hashlib
import json
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from replay import (
    Body,
    BodyKind,
    Cassette,
    CassetteError,
    Interaction,
    Meta,
    Request,
    Response,
    load_cassette,
    save_cassette,
)
from replay._cassette import BLOB_DIR, BLOB_THRESHOLD, FORMAT
from tests.reliability.conftest import Tally

FUZZ = settings.get_profile("reliability")

# -- strategies --------------------------------------------------------------------------------------


def merge_surrogate_pairs(text: str) -> str:
    """Turn each high and low surrogate side by side into the character they encode, as JSON does."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


any_text = st.text(st.characters(exclude_categories=()), max_size=20).map(merge_surrogate_pairs)
"""Any code points, lone surrogates included (JSON can carry them as escapes), but no surrogate pairs:
a JSON round trip turns those into the character they encode, so they cannot come back equal."""

odd_text = st.one_of(
    any_text,
    st.sampled_from(
        ["", "\x00", "\u202e\u2066", "\ud800", "\udfff\ud800", "\ufeff", "é" * 3, "\U0001d518\U0001d52b"]
    ),
    st.integers(1, 200_000).map(lambda n: "\u2028" * n),
)
"""Text with the awkward cases drawn often: NUL, bidi controls, surrogates, a BOM, huge strings."""

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
"""JSON values that survive a JSON round trip (no NaN, which is not equal to itself)."""

unicode_text = st.text(max_size=20)
"""Valid Unicode text (no surrogates): what a UTF-8 body decodes to."""

header_values = any_text.filter(lambda t: not {"\r", "\n", "\x00"} & set(t))
"""Any code points but the three a header value must not hold (`replay._http_values`)."""

headers = st.dictionaries(
    st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12), header_values, max_size=3
).map(lambda d: tuple(sorted(d.items())))
"""Headers as the sanitiser leaves them: lower-case names, each once, in a stable order."""

urls = any_text.map(lambda path: f"https://generativelanguage.googleapis.com/{path}")
"""Absolute URLs with a host (what the reader accepts), with any text after it."""


@st.composite
def sse_bodies(draw: st.DrawFn) -> Body:
    events = tuple(draw(st.lists(json_values, max_size=4)))
    delays: tuple[float, ...] = ()
    if events and draw(st.booleans()):
        finite = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)
        delays = tuple(draw(st.lists(finite, min_size=len(events), max_size=len(events))))
    return Body(BodyKind.SSE, events=events, delays=delays)


def blob_data(seed: int, extra: int) -> bytes:
    """Bytes just big enough to be stored as a blob file."""
    return random.Random(seed).randbytes(BLOB_THRESHOLD + 1 + extra)


bodies = st.one_of(
    st.just(Body()),
    json_values.map(lambda v: Body(BodyKind.JSON, json=v)),
    sse_bodies(),
    unicode_text.map(lambda t: Body(BodyKind.TEXT, text=t)),
    st.binary(max_size=200).map(lambda b: Body(BodyKind.BYTES, data=b)),
    st.builds(blob_data, st.integers(0, 3), st.integers(0, 2048)).map(lambda b: Body(BodyKind.BYTES, data=b)),
)

interactions = st.builds(
    Interaction,
    st.builds(Request, st.sampled_from(["GET", "POST", "DELETE"]) | any_text, urls, headers, bodies),
    st.builds(Response, st.integers(100, 599), headers, bodies),
)

metas = st.builds(
    Meta,
    recorded_against=st.sampled_from(["live", "emulator"]),
    backend=any_text,
    api_version=any_text,
    client=any_text,
    client_version=any_text,
    recorded_at=any_text,
)

cassettes = st.builds(Cassette, st.lists(interactions, max_size=4).map(tuple), metas)


# -- helpers -----------------------------------------------------------------------------------------

VALID_BLOB = blob_data(7, 0)
VALID_DIGEST = hashlib.sha256(VALID_BLOB).hexdigest()


@contextmanager
def cassette_folder() -> Iterator[Path]:
    """A fresh folder with a `blobs/` holding one valid blob; yields the cassette's path."""
    with tempfile.TemporaryDirectory(prefix="fuzz-cassette-") as folder:
        blobs = Path(folder) / BLOB_DIR
        blobs.mkdir()
        (blobs / VALID_DIGEST).write_bytes(VALID_BLOB)
        yield Path(folder) / "c.json"


def check_load(path: Path, tally: Tally) -> Cassette | None:
    """Load `path`: a `CassetteError`, or a cassette that rebuilds its bodies and saves stably."""
    message = ""
    with tally.fuzzing(CassetteError):
        try:
            cassette = load_cassette(path)
        except CassetteError as exc:
            message, cassette = str(exc), None
        if cassette is not None:
            for interaction in cassette.interactions:
                interaction.request.body.to_bytes()
                interaction.response.body.to_bytes()
            again = path.with_name("again.json")
            save_cassette(cassette, again)
            first = again.read_bytes()
            save_cassette(load_cassette(again), again)
            assert again.read_bytes() == first, "a loaded cassette does not save stably"
    if cassette is None:
        assert str(path) in message, f"the error does not name the file: {message}"
    return cassette


def blob_document(ref: Any) -> bytes:
    """A minimal cassette whose one response body is the blob reference `ref`."""
    document = {
        "format": FORMAT,
        "interactions": [
            {
                "request": {"method": "GET", "url": "https://x/u"},
                "response": {"status": 200, "body": {"blob": ref}},
            }
        ],
    }
    return json.dumps(document).encode()


def paths_in(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path (keys and indexes) to a value inside a JSON document, the root included."""
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths_in(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from paths_in(inner, (*prefix, index))


def replace_at(document: Any, path: tuple[Any, ...], new: Any, *, drop: bool = False) -> Any:
    """Return `document` with the value at `path` replaced by `new` (or removed, with `drop`)."""
    if not path:
        return new
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    if drop:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return document


# -- (a) arbitrary bytes, (b) arbitrary JSON ---------------------------------------------------------


@settings(FUZZ, max_examples=300)
@given(st.binary(max_size=2000) | json_values.map(lambda v: json.dumps(v).encode()))
@example(b"[" * 100_000)  # json.loads raised RecursionError
@example(b'{"format": "genai-replay/1", "interactions": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
@example(blob_document({"sha256": ".", "size": 1}))  # IsADirectoryError
@example(blob_document({"sha256": "", "size": 1}))  # IsADirectoryError
@example(blob_document({"sha256": "a\x00b", "size": 1}))  # ValueError: embedded null byte
@example(blob_document({"sha256": "a" * 5000, "size": 1}))  # OSError: file name too long
@example(blob_document({"sha256": "/etc/hostname", "size": 1}))  # read a file outside the blob folder
@example(blob_document({"sha256": VALID_DIGEST, "size": True}))
@example(b'\xed\xa0\x80{"format": "genai-replay/1"}')
@example(b'{"format": "genai-replay/1", "meta": {"client": "\xed\xa0\xbd\xed\xb8\x80"}}').via(
    "a surrogate pair in CESU-8: saved as two escapes, read back as one character, saved differently"
)
@example(
    b'{"format": "genai-replay/1", "interactions": [{"request": {"method": "GET", "url": "https://x/u"}, '
    b'"response": {"status": 200, "body": {"text": "\\ud800"}}}]}'
)  # a text body that cannot be sent
@example(
    b'{"format": "genai-replay/1", "interactions": [{"request": {"method": "GET", "url": "https://x/u"}, '
    b'"response": {"status": 200, "body": {"sse": [{}], "delays": [Infinity]}}}]}'
)  # a delay that cannot be slept
def test_arbitrary_bytes_load_or_raise_cassette_error(reliability_tally: Tally, content: bytes) -> None:
    with cassette_folder() as path:
        path.write_bytes(content)
        check_load(path, reliability_tally)


@pytest.mark.parametrize("name", ["/etc/hostname", "../secret.txt", "/dev/zero", "/dev/stdin"])
def test_blob_reference_cannot_leave_the_blob_folder(tmp_path: Path, name: str) -> None:
    # Before the fix these were opened: /dev/zero read until memory ran out, /dev/stdin blocked.
    (tmp_path / "secret.txt").write_bytes(b"x")
    path = tmp_path / "sub" / "c.json"
    path.parent.mkdir()
    path.write_bytes(blob_document({"sha256": name, "size": 1}))
    with pytest.raises(CassetteError, match="64 lower-case hex digits") as caught:
        load_cassette(path)
    assert str(path) in str(caught.value) and "record it again" in str(caught.value)


@settings(FUZZ, max_examples=300)
@given(
    st.fixed_dictionaries(
        {"format": st.just(FORMAT) | any_text},
        optional={"meta": json_values, "interactions": json_values | st.lists(json_values, max_size=3)},
    )
)
def test_arbitrary_json_documents_load_or_raise_cassette_error(
    reliability_tally: Tally, document: dict[str, Any]
) -> None:
    with cassette_folder() as path:
        path.write_text(json.dumps(document), encoding="utf-8")
        check_load(path, reliability_tally)


# -- (c) nearly valid cassettes ------------------------------------------------------------------------

SEED_CASSETTE = Cassette(
    (
        Interaction(
            Request(
                "POST",
                "https://generativelanguage.googleapis.com/v1beta/models/m:generateContent",
                (("content-type", "application/json"),),
                Body(BodyKind.JSON, json={"contents": [{"role": "user", "parts": [{"text": "Hi"}]}]}),
            ),
            Response(200, (("content-type", "text/event-stream"),), Body(BodyKind.SSE, events=({"n": 1},))),
        ),
        Interaction(
            Request("POST", "https://upload.example/u", (), Body(BodyKind.BYTES, data=VALID_BLOB)),
            Response(200, (), Body(BodyKind.BYTES, data=b"\x00\x01")),
        ),
        Interaction(Request("GET", "https://x/y"), Response(404, (), Body(BodyKind.TEXT, text="nope"))),
    ),
    Meta(recorded_against="emulator", client="genai_min", recorded_at="2026-01-01T00:00:00Z"),
)

wrong_values = st.one_of(
    json_values,
    odd_text,
    st.sampled_from(
        [
            "genai-replay/2",
            "not base64!",
            "====",
            VALID_DIGEST.upper(),
            "0" * 64,
            -1,
            2**70,
            1e308,
            float("inf"),
            float("nan"),
            {"sha256": VALID_DIGEST},
            {"sha256": "0" * 64, "size": 3},
            {"sha256": "../" + VALID_DIGEST, "size": len(VALID_BLOB)},
        ]
    ),
)
"""Replacement values: wrong types, odd unicode, and the values each field's checks look for."""


@functools.cache
def seed_document() -> str:
    """The seed cassette as saved."""
    with cassette_folder() as path:
        save_cassette(SEED_CASSETTE, path)
        return path.read_text(encoding="utf-8")


@st.composite
def nearly_valid_documents(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """The saved seed cassette with one to three mutations; also how to treat its blob file."""
    document = json.loads(seed_document())
    for _ in range(draw(st.integers(1, 3))):
        paths = list(paths_in(document))
        path_to = draw(st.sampled_from(paths))
        if path_to and draw(st.booleans()):
            document = replace_at(document, path_to, None, drop=True)
        else:
            # A copy: sampled values are shared objects, and a mutation may nest one inside itself.
            document = replace_at(document, path_to, copy.deepcopy(draw(wrong_values)))
    blob = draw(st.sampled_from(["intact", "missing", "truncated", "flipped", "a folder"]))
    return document, blob


@settings(FUZZ, max_examples=300)
@given(nearly_valid_documents(), st.booleans())
@example(({"format": FORMAT, "interactions": [], "meta": {"backend": "\ud800"}}, "intact"), True)
@example(({"format": FORMAT, "interactions": [], "meta": {"backend": "\ud83d\ude00"}}, "intact"), False)
def test_nearly_valid_cassettes_load_or_raise_cassette_error(
    reliability_tally: Tally, mutated: tuple[dict[str, Any], str], is_ascii: bool
) -> None:
    document, blob = mutated
    with cassette_folder() as path:
        blob_file = path.parent / BLOB_DIR / VALID_DIGEST
        if blob == "missing":
            blob_file.unlink()
        elif blob == "truncated":
            blob_file.write_bytes(VALID_BLOB[:-1])
        elif blob == "flipped":
            blob_file.write_bytes(bytes([VALID_BLOB[0] ^ 1]) + VALID_BLOB[1:])
        elif blob == "a folder":
            blob_file.unlink()
            blob_file.mkdir()
        path.write_text(json.dumps(document, ensure_ascii=is_ascii), encoding="utf-8", errors="surrogatepass")
        check_load(path, reliability_tally)


def test_the_seed_cassette_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    save_cassette(SEED_CASSETTE, path)
    assert load_cassette(path) == SEED_CASSETTE
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["interactions"][1]["request"]["body"] == {
        "blob": {"sha256": VALID_DIGEST, "size": len(VALID_BLOB)}
    }
    assert base64.b64decode(document["interactions"][1]["response"]["body"]["base64"]) == b"\x00\x01"


# -- round trip -----------------------------------------------------------------------------------------

SURROGATES = Cassette(
    (
        Interaction(
            Request(
                "POST", "https://x/\ud800", (("x-a", "\udfff"),), Body(BodyKind.JSON, json={"t": "\ud83d"})
            ),
            Response(200, (), Body(BodyKind.SSE, events=({"text": "a\udc00b"},))),
        ),
    ),
    Meta(client="\ud800"),
)
"""Lone surrogates, which JSON carries as escapes (models do emit them): saving raised UnicodeEncodeError."""


@settings(FUZZ, max_examples=150)
@given(cassettes)
@example(SURROGATES)
def test_valid_cassettes_survive_save_and_load(reliability_tally: Tally, cassette: Cassette) -> None:
    with reliability_tally.fuzzing(), cassette_folder() as path:
        save_cassette(cassette, path)
        loaded = load_cassette(path)
        assert loaded == cassette
        first = path.read_bytes()
        save_cassette(loaded, path)
        assert path.read_bytes() == first, "re-saving an unchanged cassette changed the file"
        for interaction in loaded.interactions:
            interaction.request.body.to_bytes()
            interaction.response.body.to_bytes()


def test_surrogates_are_written_as_escapes(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    save_cassette(SURROGATES, path)
    text = path.read_bytes().decode("utf-8")  # valid UTF-8, not CESU-8
    assert "\\ud800" in text and "\\ud83d" in text
    assert SURROGATES.interactions[0].request.body.to_bytes() == b'{"t":"\\ud83d"}'
    assert load_cassette(path) == SURROGATES
