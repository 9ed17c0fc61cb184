"""Wavefront OBJ: ``v`` (optionally with ``r g b``) and ``f`` lines; polygons are fanned into
triangles, negative (relative) indices and the ``v/vt/vn`` forms are understood, lines
continued with a trailing ``\\`` are joined, everything else (``vt``, ``vn``, ``o``, groups,
smoothing, materials, lines) is ignored.

A face may name a vertex that is defined further down (positive numbers count from the top of
the file, as Blender and most readers take it); a negative number counts back from the face's
own line and must land on a vertex above it. Numbers beyond :data:`MAX_INDEX` are refused on
their line, before they reach numpy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from labdesk.mesh.polygons import fan_triangulate
from labdesk.mesh.scan import ColorArray, FloatArray, IndexArray, ScanError

#: No scan has more vertices than this (LabDesk's 1 GiB cap allows fewer than 100 million).
MAX_INDEX = 2**31 - 1
_CONTINUATION = re.compile(r"\\[ \t]*\r?\n")


@dataclass
class ObjMesh:
    vertices: FloatArray
    faces: IndexArray
    colors: ColorArray | None


def looks_like_obj(data: bytes | memoryview) -> bool:
    """Text whose first meaningful lines are OBJ statements."""
    head = bytes(data[:4096])
    if b"\0" in head:
        return False
    for line in head.splitlines()[:50]:
        words = line.split()
        if not words or words[0].startswith(b"#"):
            continue
        return words[0] in (b"v", b"vn", b"vt", b"f", b"o", b"g", b"mtllib", b"usemtl", b"s")
    return False


def parse_obj(data: bytes | memoryview) -> ObjMesh:
    text = bytes(data).decode("utf-8", errors="replace")
    if "\\" in text:
        text = _CONTINUATION.sub(" ", text)
    coords: list[list[str]] = []
    flat: list[int] = []
    counts: list[int] = []
    nv = 0
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.lstrip()
        if not line or line[0] not in "vf":
            continue
        words = line.split()
        tag = words[0]
        if tag == "v":
            if len(words) < 4:
                raise ScanError(
                    f"this OBJ file is damaged: line {number:,} has a vertex without x y z"
                )
            coords.append(words[1:])
            nv += 1
        elif tag == "f":
            corners = words[1:]
            for corner in corners:
                word = corner.split("/", 1)[0]
                if (
                    word.isascii()
                    and word.isdigit()
                    and len(word) <= 10
                    and 0 < int(word) <= MAX_INDEX
                ):
                    flat.append(int(word) - 1)  # the usual case, kept short
                else:
                    flat.append(_corner_index(word, nv, number, line))
            counts.append(len(corners))
    if not counts:
        raise ScanError("the file has no triangles")
    if nv == 0:
        raise ScanError("this OBJ file is damaged: it has faces but no vertices ('v' lines)")
    vertices, colors = _vertex_table(coords)
    flat_arr = np.array(flat, dtype=np.int64)
    if flat_arr.size and flat_arr.max() >= nv:
        bad = int(flat_arr[flat_arr >= nv][0])
        raise ScanError(
            f"this OBJ file is damaged: a face refers to vertex {bad + 1:,} but the file "
            f"has {nv:,} vertices"
        )
    faces = fan_triangulate(flat_arr, np.array(counts, dtype=np.int64))
    if len(faces) == 0:
        raise ScanError("the file has no triangles")
    return ObjMesh(vertices=vertices, faces=faces, colors=colors)


def _corner_index(word: str, seen: int, number: int, line: str) -> int:
    """The 0-based vertex of a face corner's vertex number (``7``, ``-1``), or a ScanError.

    ``seen`` is the number of vertices above the face's line (for negative numbers).
    """
    digits = word.lstrip("+-")
    if not digits.isascii() or not digits.isdigit():
        raise ScanError(
            f"this OBJ file is damaged: line {number:,} has a face with a bad vertex "
            f"number ({line.strip()[:60]!r})"
        )
    if len(digits) > 10 or int(digits) > MAX_INDEX:
        shown = digits if len(digits) <= 12 else digits[:12] + "…"
        raise ScanError(
            f"this OBJ file is damaged: line {number:,} has a face that refers to vertex "
            f"{'-' if word.startswith('-') else ''}{shown}, far beyond any scan"
        )
    index = int(word)
    if index > 0:
        return index - 1
    if index == 0:
        raise ScanError(
            f"this OBJ file is damaged: line {number:,} has a face with vertex 0 (OBJ counts "
            "vertices from 1)"
        )
    if seen + index < 0:
        raise ScanError(
            f"this OBJ file is damaged: line {number:,} has a face that counts back {-index:,} "
            f"vertices, but only {seen:,} come before it"
        )
    return seen + index


def _vertex_table(coords: list[list[str]]) -> tuple[FloatArray, ColorArray | None]:
    widths = {len(c) for c in coords}
    try:
        if len(widths) == 1:
            table = np.array(coords, dtype=np.float64)
        else:
            table = np.array([c[:3] for c in coords], dtype=np.float64)
    except ValueError:
        raise ScanError(
            "this OBJ file is damaged: a vertex has text where numbers belong"
        ) from None
    with np.errstate(over="ignore", invalid="ignore"):  # out of float32 range -> inf -> refused
        vertices = table[:, :3].astype(np.float32)
    colors = None
    if len(widths) == 1 and min(widths) >= 6:
        rgb = table[:, 3:6]
        finite = rgb[np.isfinite(rgb)]
        if finite.size and finite.max() <= 1.0:
            rgb = rgb * 255.0
        colors = np.clip(np.rint(np.nan_to_num(rgb)), 0, 255).astype(np.uint8)
    return vertices, colors
