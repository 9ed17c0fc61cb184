"""Wavefront OBJ: ``v`` (optionally with ``r g b``) and ``f`` lines; polygons are fanned into
triangles, negative (relative) indices and the ``v/vt/vn`` forms are understood, everything
else (``vt``, ``vn``, groups, materials) is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from labdesk.mesh.polygons import fan_triangulate
from labdesk.mesh.scan import ColorArray, FloatArray, IndexArray, ScanError


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
    coords: list[list[str]] = []
    flat: list[int] = []
    counts: list[int] = []
    nv = 0
    for number, line in enumerate(text.splitlines(), start=1):
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
            try:
                for corner in corners:
                    index = int(corner.split("/", 1)[0])
                    if index > 0:
                        flat.append(index - 1)
                    elif index < 0:
                        flat.append(nv + index)
                    else:
                        raise ValueError
            except ValueError:
                raise ScanError(
                    f"this OBJ file is damaged: line {number:,} has a face with a bad vertex "
                    f"number ({line.strip()[:60]!r})"
                ) from None
            counts.append(len(corners))
    if not counts:
        raise ScanError("the file has no triangles")
    vertices, colors = _vertex_table(coords)
    flat_arr = np.array(flat, dtype=np.int64)
    if flat_arr.size and (flat_arr.min() < 0 or flat_arr.max() >= nv):
        bad = flat_arr[(flat_arr < 0) | (flat_arr >= nv)][0]
        raise ScanError(
            f"this OBJ file is damaged: a face refers to vertex {int(bad) + 1:,} but the file "
            f"has {nv:,} vertices"
        )
    faces = fan_triangulate(flat_arr, np.array(counts, dtype=np.int64))
    if len(faces) == 0:
        raise ScanError("the file has no triangles")
    return ObjMesh(vertices=vertices, faces=faces, colors=colors)


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
