"""Small but real media files, built from a seed: PNG and JPEG images, an MP4 stub and PCM audio.

The images decode in any viewer: a PNG is a colour gradient (zlib-compressed scanlines with CRCs),
a JPEG a baseline single-grey picture (one quantised DC value, Huffman-coded). Sizes stay tiny
(8 pixels on the short side) so answers and cassettes stay small. The same seed always gives the
same bytes.
"""

from __future__ import annotations

import math
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SHORT_SIDE = 8


def size_for(aspect_ratio: str | None) -> tuple[int, int]:
    """Return (width, height) for an aspect ratio such as ``"16:9"``, 8 pixels on the short side."""
    try:
        across, down = (int(n) for n in (aspect_ratio or "1:1").split(":"))
    except ValueError:
        across, down = 1, 1
    if across <= 0 or down <= 0:
        across, down = 1, 1
    if across >= down:
        return round(_SHORT_SIDE * across / down), _SHORT_SIDE
    return _SHORT_SIDE, round(_SHORT_SIDE * down / across)


def png(seed: bytes, width: int = _SHORT_SIDE, height: int = _SHORT_SIDE) -> bytes:
    """Build an RGB PNG whose colours come from `seed`."""
    red, green, blue = seed[0], seed[1], seed[2]
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type None
        for x in range(width):
            rows += bytes(((red + 16 * x) % 256, (green + 16 * y) % 256, blue))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows)))
        + _chunk(b"IEND", b"")
    )


def png_size(data: bytes) -> tuple[int, int] | None:
    """Read (width, height) from a PNG header; None when `data` is not a PNG."""
    if not data.startswith(PNG_SIGNATURE) or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Read (width, height) from a JPEG's frame header; None when `data` is not a JPEG or has none."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker, length = data[at + 1], int.from_bytes(data[at + 2 : at + 4], "big")
        # SOF0 to SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and at + 9 <= len(data):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return int(width), int(height)
        at += 2 + length
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """Read (width, height) from a PNG or a JPEG; None for anything else."""
    return png_size(data) or jpeg_size(data)


def jpeg(seed: bytes, width: int = _SHORT_SIDE, height: int = _SHORT_SIDE) -> bytes:
    """Build a baseline greyscale JPEG of one grey level chosen by `seed`."""
    level = seed[0] % 200 - 100 or 1  # DC value after level shift and quantisation; never zero
    category = abs(level).bit_length()
    value = level if level > 0 else level + (1 << category) - 1
    bits = "10" + format(value, f"0{category}b") + "0"  # first block: DC category, its bits, EOB
    blocks = math.ceil(width / 8) * math.ceil(height / 8)
    bits += "00" * (blocks - 1)  # every other block: DC difference 0, EOB
    bits += "1" * (-len(bits) % 8)
    scan = bytearray()
    for start in range(0, len(bits), 8):
        byte = int(bits[start : start + 8], 2)
        scan += b"\xff\x00" if byte == 0xFF else bytes((byte,))
    dc_bits = bytes((1, 1) + (0,) * 14)
    ac_bits = bytes((1,) + (0,) * 15)
    return b"".join(
        (
            b"\xff\xd8",
            _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            _segment(0xDB, b"\x00" + bytes((8,)) * 64),
            _segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
            _segment(0xC4, b"\x00" + dc_bits + bytes((0, category))),
            _segment(0xC4, b"\x10" + ac_bits + b"\x00"),
            _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
            bytes(scan),
            b"\xff\xd9",
        )
    )


def image(
    seed: bytes, mime_type: str, width: int = _SHORT_SIDE, height: int = _SHORT_SIDE
) -> tuple[bytes, str]:
    """Build an image of the asked type (JPEG or PNG; PNG for anything else); return it and its type."""
    if mime_type in ("image/jpeg", "image/jpg"):
        return jpeg(seed, width, height), "image/jpeg"
    return png(seed, width, height), "image/png"


def mp4(seed: bytes) -> bytes:
    """Build a minimal ISO media file (``ftyp``, ``free`` and an empty ``mdat``) tagged by `seed`."""
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2mp41")
    return ftyp + _box(b"free", seed[:16]) + _box(b"mdat", b"")


def pcm(seed: bytes, *, rate: int = 24000, seconds: float = 0.1) -> bytes:
    """Build little-endian 16-bit mono PCM: a quiet tone whose pitch comes from `seed`."""
    pitch = 200 + seed[0] * 2
    count = int(rate * seconds)
    return b"".join(
        struct.pack("<h", int(3000 * math.sin(2 * math.pi * pitch * n / rate))) for n in range(count)
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload) + 8) + kind + payload
