"""STL: binary (numpy ``frombuffer`` fast path) and ASCII.

Both give a triangle soup (three corners per triangle); :mod:`labdesk.mesh.weld` merges the
corners into shared vertices.

Limits (bounded work on hostile files): a binary STL whose header promises more than
:data:`MAX_PROMISED_BYTES` is not taken for a truncated STL but for something else. A binary
STL of :data:`SAMPLE_FROM_TRIANGLES` triangles or more is sampled first (:func:`sample_indices`,
:func:`refuse_if_all_degenerate`, a few thousand records, milliseconds): when every sampled
triangle has no area (a file of zeros with a consistent count) it is refused before the copy,
the weld and the checks that would cost seconds and gigabytes on a surface that does not exist.
An ASCII STL that stops before ``endsolid`` loads what it holds with a warning.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.scan import FloatArray, ScanError, is_degenerate, triangle_double_areas

HEADER_SIZE = 84
RECORD_SIZE = 50
#: A header that promises more bytes than this (1 GiB, LabDesk's largest scan) is no STL count.
MAX_PROMISED_BYTES = 1 << 30
#: Binary STLs with at least this many triangles are sampled for content before parsing.
SAMPLE_FROM_TRIANGLES = 100_000
#: Records read by the sample (spread evenly over the file, first and last included).
SAMPLE_SIZE = 4096
_RECORD = np.dtype([("normal", "<f4", (3,)), ("corners", "<f4", (9,)), ("attr", "<u2")])


@dataclass
class AsciiStl:
    corners: FloatArray
    warnings: tuple[str, ...]


def binary_count_from_size(data_size: int, count: int) -> int:
    """The triangle count to use: the header's, or the size's when a writer left it at zero."""
    room = (data_size - HEADER_SIZE) // RECORD_SIZE
    if count == 0 and room > 0 and (data_size - HEADER_SIZE) % RECORD_SIZE == 0:
        return room
    return count


def sample_indices(count: int) -> NDArray[np.int64]:
    """Which records the degenerate-content sample reads (empty for small files)."""
    if count < SAMPLE_FROM_TRIANGLES:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.linspace(0, count - 1, SAMPLE_SIZE).astype(np.int64))


def refuse_if_all_degenerate(records: bytes, count: int) -> None:
    """Refuse a big binary STL whose sampled records (``sample_indices``) all have no area."""
    table = np.frombuffer(records, dtype=_RECORD)
    if len(table) == 0:
        return
    corners = table["corners"].reshape(-1, 3, 3)
    areas = triangle_double_areas(corners[:, 0], corners[:, 1], corners[:, 2])
    if is_degenerate(areas).all():
        raise ScanError(
            f"the file holds {count:,} triangles, but all {len(table):,} that LabDesk sampled "
            "across it have no area (the file is mostly zeros or damaged): there is no "
            "surface to show"
        )


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
    count = binary_count_from_size(size, binary_triangle_count(data))
    room = (size - HEADER_SIZE) // RECORD_SIZE
    if count == 0:
        raise ScanError("the file has no triangles")
    if HEADER_SIZE + count * RECORD_SIZE > MAX_PROMISED_BYTES and count > room:
        raise ScanError(
            f"this is not a binary STL LabDesk can read: its header promises {count:,} "
            f"triangles, more than any scan, and the file holds {size:,} bytes; "
            "export the scan again as STL, PLY or OBJ"
        )
    if count > room:
        raise ScanError(f"the file ends after {room:,} of {count:,} triangles (it is truncated)")
    picks = sample_indices(count)
    if len(picks):
        view = memoryview(data)
        starts = HEADER_SIZE + picks * RECORD_SIZE
        refuse_if_all_degenerate(b"".join(view[s : s + RECORD_SIZE] for s in starts), count)
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


def parse_ascii_stl(data: bytes | memoryview) -> AsciiStl:
    """Corners (3 x triangles, 3) float32 of an ASCII STL, and what a technician should know.

    The ``vertex`` lines are collected with one regular expression and converted by
    ``np.loadtxt`` (C speed); anything that is not three numbers per vertex is refused.

    A file that stops before ``endsolid`` (a copy or a download cut off) is loaded with what
    it holds, the incomplete last triangle dropped, and a warning: the triangles before the
    cut are real and a reviewer can still judge them (and ask for the file again), whereas
    refusing would show nothing. A file that does end properly but has a broken triangle is
    damaged and refused.
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
    complete = len(values) // 3
    if b"endsolid" not in raw[-4096:].lower():
        if complete == 0:
            raise ScanError("the file ends before its first triangle is complete (truncated)")
        warning = (
            f"The file is incomplete: it stops after {complete:,} triangles without the "
            "'endsolid' line that ends an ASCII STL (cut off while copying or downloading?). "
            "Ask for the file again."
        )
        return AsciiStl(np.ascontiguousarray(values[: 3 * complete]), (warning,))
    facets = raw.count(b"endfacet")
    if len(values) % 3:
        raise ScanError(f"the file ends in the middle of triangle {complete + 1:,} (truncated)")
    if facets and facets != complete:
        raise ScanError(
            f"this ASCII STL is damaged: {facets:,} facets but {complete:,} complete triangles"
        )
    return AsciiStl(np.ascontiguousarray(values), ())


_VERTEX = re.compile(rb"vertex[ \t]+([^\n]*)")
