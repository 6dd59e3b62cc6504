"""Staging: large binary bodies of a recording wait in temporary files, never in memory."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import httpx
import pytest

from replay._cassette import BLOB_DIR, CHUNK, LAZY_BLOB, Body, BodyKind, Meta, Request, Response
from replay._cassette_json import load_cassette
from replay._httpx import RecordingTransport, ReplayTransport
from replay._player import Player
from replay._recorder import Recorder
from replay._staging import Staging, moved


def test_a_large_binary_body_moves_to_a_private_file_and_reads_back() -> None:
    data = os.urandom(LAZY_BLOB + 1)
    staging = Staging()
    spilled = staging.spill(Body(BodyKind.BYTES, data=data))
    assert spilled.blob is not None and spilled.data == b""
    assert spilled == Body(BodyKind.BYTES, data=data)
    assert spilled.content == data
    folder = spilled.blob.path.parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    staging.close()
    assert not folder.exists()


def test_small_and_textual_bodies_stay_in_memory() -> None:
    staging = Staging()
    small = Body(BodyKind.BYTES, data=b"\x00" * LAZY_BLOB)
    text = Body(BodyKind.TEXT, text="x" * (2 * LAZY_BLOB))
    assert staging.spill(small) is small
    assert staging.spill(text) is text


def test_a_writer_hashes_as_it_goes() -> None:
    staging = Staging()
    writer = staging.writer()
    for piece in (b"ab", b"", b"cd"):
        writer.write(piece)
    blob = writer.blob()
    assert (blob.size, blob.read()) == (4, b"abcd")
    assert blob.sha256 == Body(BodyKind.BYTES, data=b"abcd").sha256
    assert [p.name for p in blob.path.parent.iterdir()] == [blob.path.name]
    staging.close()


def test_moved_points_a_staged_body_at_the_cassette_blob_folder(tmp_path: Path) -> None:
    staging = Staging()
    spilled = staging.spill(Body(BodyKind.BYTES, data=b"\x01" * (LAZY_BLOB + 1)))
    assert spilled.blob is not None
    blobs = tmp_path / BLOB_DIR
    relocated = moved(spilled, blobs)
    assert relocated.blob is not None and relocated.blob.path == blobs / spilled.blob.sha256
    assert moved(relocated, blobs) is relocated
    staging.close()


VIDEO_URL = "https://generativelanguage.googleapis.com/v1beta/files/video:download?alt=media"


def video_service(data: bytes) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":  # an upload chunk: its bytes are the request body
            return httpx.Response(200, json={"size": len(request.read())})
        pieces = [data[i : i + 65_536] for i in range(0, len(data), 65_536)]
        return httpx.Response(
            200, headers={"content-type": "video/mp4"}, stream=httpx.ByteStream(b"".join(pieces))
        )

    return httpx.MockTransport(answer)


def test_recording_stages_large_binary_bodies_and_saving_moves_them_into_blobs(tmp_path: Path) -> None:
    video, chunk = os.urandom(3 * LAZY_BLOB), os.urandom(2 * LAZY_BLOB)
    path = tmp_path / "c.json"
    recorder = Recorder(path, meta=Meta(recorded_against="emulator"))
    with httpx.Client(transport=RecordingTransport(recorder, inner=video_service(video))) as client:
        assert client.post(VIDEO_URL.replace(":download?alt=media", ""), content=chunk).json() == {
            "size": len(chunk)
        }
        assert client.get(VIDEO_URL).content == video

    upload, download = recorder.interactions
    staged = [upload.request.body.blob, download.response.body.blob]
    assert all(blob is not None and blob.path.is_file() for blob in staged)  # not held in memory
    saved = recorder.save()

    assert not any(blob is not None and blob.path.exists() for blob in staged)  # the staging is gone
    blobs = tmp_path / BLOB_DIR
    assert sorted(p.name for p in blobs.iterdir()) == sorted(
        [Body(BodyKind.BYTES, data=chunk).sha256, Body(BodyKind.BYTES, data=video).sha256]
    )
    for interaction in (*saved.interactions, *recorder.interactions):  # both now name the saved blobs
        for body in (interaction.request.body, interaction.response.body):
            assert body.blob is None or body.blob.path.parent == blobs
    assert recorder.interactions[1].response.body.content == video


def test_replaying_sends_a_large_blob_in_pieces_read_from_its_file(tmp_path: Path) -> None:
    video = os.urandom(3 * LAZY_BLOB)
    path = tmp_path / "c.json"
    recorder = Recorder(path)
    with httpx.Client(transport=RecordingTransport(recorder, inner=video_service(video))) as client:
        client.get(VIDEO_URL).read()
    recorder.save()

    cassette = load_cassette(path)
    assert cassette.interactions[0].response.body.blob is not None
    with (
        httpx.Client(transport=ReplayTransport(Player(cassette, path=path))) as client,
        client.stream("GET", VIDEO_URL) as response,
    ):
        pieces = list(response.iter_raw())
    assert b"".join(pieces) == video
    assert max(map(len, pieces)) <= CHUNK < len(video)


def test_saving_while_an_exchange_is_under_way_keeps_its_staged_body(tmp_path: Path) -> None:
    chunk = os.urandom(2 * LAZY_BLOB)
    recorder = Recorder(tmp_path / "c.json")
    first = recorder.start(
        Request("POST", VIDEO_URL, (), Body(BodyKind.BYTES, data=b"\x02" * (LAZY_BLOB + 1)))
    )
    recorder.finish(first, Response(200))
    under_way = recorder.start(Request("POST", VIDEO_URL, (), Body(BodyKind.BYTES, data=chunk)))
    recorder.save()  # the upload under way is not saved yet, and its staged body must stay

    recorder.finish(under_way, Response(200))
    recorder.save()

    saved = load_cassette(tmp_path / "c.json").interactions
    assert [i.request.body.content for i in saved] == [b"\x02" * (LAZY_BLOB + 1), chunk]


def test_a_failure_to_stage_is_raised_as_ours_and_the_incomplete_copy_is_never_recorded(
    tmp_path: Path,
) -> None:
    from replay._bodies import Tee
    from replay._staging import BlobWriter

    class FullDisk(BlobWriter):
        def write(self, piece: bytes) -> None:
            raise OSError(28, "No space left on device")

    finished: list[object] = []
    inner = httpx.ByteStream(b"\x00" * (LAZY_BLOB + 1))
    tee = Tee(inner, lambda *args: finished.append(args), stage=lambda: FullDisk(tmp_path / "staged"))

    with pytest.raises(OSError, match="No space left"):
        list(tee)
    tee.close()
    assert finished == []  # not handed over as a whole answer, nor as one that broke off
    assert not (tmp_path / "staged").exists()
