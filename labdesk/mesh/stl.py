"""STL: binary (numpy ``frombuffer`` fast path) and ASCII.

Both give a triangle soup (three corners per triangle); :mod:`labdesk.mesh.weld` merges the
corners into shared vertices.
"""

from __future__ import annotations

import io
import re

import numpy as np

from labdesk.mesh.scan import FloatArray, ScanError

HEADER_SIZE = 84
RECORD_SIZE = 50
_RECORD = np.dtype([("normal", "<f4", (3,)), ("corners", "<f4", (9,)), ("attr", "<u2")])


def binary_triangle_count(data: bytes | memoryview) -> int:
    """The triangle count the 80-byte header promises."""
    return int.from_bytes(bytes(data[80:84]), "little")


def is_exact_binary_stl(data: bytes | memoryview) -> bool:
    """True when the size matches the header's triangle count exactly (the reliable test)."""
    n = len(data)
    return n >= HEADER_SIZE and n == HEADER_SIZE + RECORD_SIZE * binary_triangle_count(data)


def parse_binary_stl(data: bytes | memoryview) -> FloatArray:
    """Corners (3 x triangles, 3) float32 of a binary STL.

    A file with extra bytes after the promised triangles is accepted (some exporters pad); a
    count of zero with records present is read from the size; a file shorter than its count
    promises is refused, saying how much is there.
    """
    size = len(data)
    if size < HEADER_SIZE:
        raise ScanError(
            f"the file is too short to be an STL ({size} bytes; a binary STL has an 84-byte header)"
        )
    count = binary_triangle_count(data)
    room = (size - HEADER_SIZE) // RECORD_SIZE
    if count == 0 and room > 0 and (size - HEADER_SIZE) % RECORD_SIZE == 0:
        count = room  # a writer that forgot to fill in the count
    if count == 0:
        raise ScanError("the file has no triangles")
    if count > room:
        raise ScanError(f"the file ends after {room:,} of {count:,} triangles (it is truncated)")
    records = np.frombuffer(data, dtype=_RECORD, count=count, offset=HEADER_SIZE)
    corners: FloatArray = records["corners"].reshape(-1, 3)
    return np.ascontiguousarray(corners)


def looks_like_ascii_stl(data: bytes | memoryview) -> bool:
    """True for text starting with ``solid`` that also has facets (not a binary STL header)."""
    head = bytes(data[:1024])
    if not head.lstrip().lower().startswith(b"solid"):
        return False
    if b"\0" in head:
        return False
    return b"facet" in head.lower() or b"endsolid" in bytes(data[-1024:]).lower()


def parse_ascii_stl(data: bytes | memoryview) -> FloatArray:
    """Corners (3 x triangles, 3) float32 of an ASCII STL.

    The ``vertex`` lines are collected with one regular expression and converted by
    ``np.loadtxt`` (C speed); anything that is not three numbers per vertex is refused.
    """
    raw = bytes(data)
    lines = _VERTEX.findall(raw)
    if not lines and _VERTEX.search(raw.lower()):
        raw = raw.lower()
        lines = _VERTEX.findall(raw)
    if not lines:
        raise ScanError("the file has no triangles")
    try:
        values = np.loadtxt(io.BytesIO(b"\n".join(lines)), dtype=np.float32, ndmin=2, comments=None)
    except ValueError as exc:
        raise ScanError(
            "this ASCII STL is damaged: a vertex line does not hold three numbers"
        ) from exc
    if values.shape[1] != 3:
        raise ScanError("this ASCII STL is damaged: a vertex line does not hold three numbers")
    facets = raw.count(b"endfacet")
    complete = len(values) // 3
    if len(values) % 3:
        raise ScanError(f"the file ends in the middle of triangle {complete + 1:,} (truncated)")
    if facets and facets != complete:
        raise ScanError(
            f"this ASCII STL is damaged: {facets:,} facets but {complete:,} complete triangles"
        )
    return np.ascontiguousarray(values)


_VERTEX = re.compile(rb"vertex[ \t]+([^\n]*)")
