"""A real, tiny PNG for photo uploads in the residents' tests (page and browser)."""

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def tiny_png(width: int = 4, height: int = 4) -> bytes:
    """A green square: 8-bit RGB, one filter byte per row."""
    row = b"\x00" + b"\x2e\x7d\x32" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(row * height)) + _chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks
