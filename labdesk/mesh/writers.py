"""Write a :class:`Scan` as STL (binary/ASCII), PLY (binary/ASCII) or OBJ.

Used for demo data, tests and benchmarks; the layouts are the ones dental scanners export.
"""

from __future__ import annotations

import os
from typing import IO

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.scan import ColorArray, Scan

STL_RECORD = np.dtype([("normal", "<f4", (3,)), ("vertices", "<f4", (3, 3)), ("attr", "<u2")])
_CHUNK = 50_000

PathLike = str | os.PathLike[str]


def _stl_header(scan: Scan, header: bytes | None) -> bytes:
    if header is None:
        header = f"LabDesk scan {scan.source}".encode("ascii", "replace")
    return header[:80].ljust(80, b" ")


def write_binary_stl(path: PathLike, scan: Scan, *, header: bytes | None = None) -> None:
    """Binary STL: 80-byte header, uint32 count, 50-byte records (normal, 3 vertices, attr)."""
    records = np.zeros(scan.n_faces, dtype=STL_RECORD)
    records["vertices"] = scan.vertices[scan.faces]
    records["normal"] = scan.face_normals()
    with open(path, "wb") as fh:
        fh.write(_stl_header(scan, header))
        fh.write(np.uint32(scan.n_faces).astype("<u4").tobytes())
        fh.write(records.tobytes())


def write_ascii_stl(path: PathLike, scan: Scan, *, name: str = "labdesk") -> None:
    """ASCII STL (``solid … endsolid``), written in chunks to bound memory."""
    facet = (
        "facet normal %.6e %.6e %.6e\n outer loop\n"
        "  vertex %.6e %.6e %.6e\n  vertex %.6e %.6e %.6e\n  vertex %.6e %.6e %.6e\n"
        " endloop\nendfacet\n"
    )
    normals = scan.face_normals()
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write(f"solid {name}\n")
        for start in range(0, scan.n_faces, _CHUNK):
            stop = min(start + _CHUNK, scan.n_faces)
            tri = scan.vertices[scan.faces[start:stop]].reshape(-1, 9)
            rows = np.hstack([normals[start:stop], tri]).astype(np.float64)
            fh.write((facet * (stop - start)) % tuple(rows.ravel().tolist()))
        fh.write(f"endsolid {name}\n")


def write_ply(
    path: PathLike,
    scan: Scan,
    *,
    binary: bool = True,
    big_endian: bool = False,
    double: bool = False,
    face_colors: ColorArray | None = None,
) -> None:
    """PLY with per-vertex colours when the scan has them (and optional per-face colours)."""
    order = ">" if big_endian else "<"
    coord = "f8" if double else "f4"
    vfields: list[tuple[str, str]] = [(c, order + coord) for c in "xyz"]
    colors = scan.colors
    channels = ("red", "green", "blue", "alpha")
    if colors is not None:
        vfields += [(channels[i], "u1") for i in range(colors.shape[1])]
    vdata = np.zeros(scan.n_vertices, dtype=np.dtype(vfields))
    for i, c in enumerate("xyz"):
        vdata[c] = scan.vertices[:, i]
    if colors is not None:
        for i in range(colors.shape[1]):
            vdata[channels[i]] = colors[:, i]
    ffields: list[tuple[str, str] | tuple[str, str, tuple[int]]] = [
        ("n", "u1"),
        ("idx", order + "i4", (3,)),
    ]
    if face_colors is not None:
        ffields += [(channels[i], "u1") for i in range(face_colors.shape[1])]
    fdata = np.zeros(scan.n_faces, dtype=np.dtype(ffields))
    fdata["n"] = 3
    fdata["idx"] = scan.faces
    if face_colors is not None:
        for i in range(face_colors.shape[1]):
            fdata[channels[i]] = face_colors[:, i]

    fmt = "ascii" if not binary else ("binary_big_endian" if big_endian else "binary_little_endian")
    ptype = "double" if double else "float"
    lines = ["ply", f"format {fmt} 1.0", "comment LabDesk", f"element vertex {scan.n_vertices}"]
    lines += [f"property {ptype} {c}" for c in "xyz"]
    if colors is not None:
        lines += [f"property uchar {channels[i]}" for i in range(colors.shape[1])]
    lines += [f"element face {scan.n_faces}", "property list uchar int vertex_indices"]
    if face_colors is not None:
        lines += [f"property uchar {channels[i]}" for i in range(face_colors.shape[1])]
    lines.append("end_header")
    header = ("\n".join(lines) + "\n").encode("ascii")
    with open(path, "wb") as fh:
        fh.write(header)
        if binary:
            fh.write(vdata.tobytes())
            fh.write(fdata.tobytes())
        else:
            _write_ascii_rows(fh, vdata)
            _write_ascii_rows(fh, fdata)


def _write_ascii_rows(fh: IO[bytes], data: NDArray[np.void]) -> None:
    """One line per record; sub-arrays are flattened in field order."""
    columns: list[NDArray[np.float64]] = []
    is_float: list[bool] = []
    assert data.dtype.names is not None
    for name in data.dtype.names:
        col = np.asarray(data[name])
        col2 = col.reshape(len(data), -1)
        for j in range(col2.shape[1]):
            columns.append(col2[:, j].astype(np.float64))
            is_float.append(col.dtype.kind == "f")
    if not columns or len(data) == 0:
        return
    table = np.column_stack(columns)
    row_fmt = " ".join("%.7g" if f else "%d" for f in is_float) + "\n"
    for start in range(0, len(table), _CHUNK):
        chunk = table[start : start + _CHUNK]
        text = (row_fmt * len(chunk)) % tuple(chunk.ravel().tolist())
        fh.write(text.encode("ascii"))


def write_obj(path: PathLike, scan: Scan) -> None:
    """Wavefront OBJ: ``v x y z [r g b]`` (colours as 0..1 floats), ``f a b c`` (1-based)."""
    with open(path, "w", encoding="ascii", newline="\n") as fh:
        fh.write(f"# LabDesk scan {scan.source}\n")
        if scan.colors is not None:
            rgb = scan.colors[:, :3].astype(np.float64) / 255.0
            table = np.hstack([scan.vertices.astype(np.float64), rgb])
            row = "v %.6f %.6f %.6f %.4f %.4f %.4f\n"
        else:
            table = scan.vertices.astype(np.float64)
            row = "v %.6f %.6f %.6f\n"
        for start in range(0, len(table), _CHUNK):
            chunk = table[start : start + _CHUNK]
            fh.write((row * len(chunk)) % tuple(chunk.ravel().tolist()))
        faces = scan.faces.astype(np.int64) + 1
        for start in range(0, len(faces), _CHUNK):
            fchunk = faces[start : start + _CHUNK]
            fh.write(("f %d %d %d\n" * len(fchunk)) % tuple(fchunk.ravel().tolist()))
