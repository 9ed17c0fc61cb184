"""Every scan format variant labs receive loads to the same geometry."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from labdesk.mesh import Scan, load_scan
from labdesk.mesh.synthetic import (
    generate_arch,
    write_ascii_stl,
    write_binary_stl,
    write_obj,
    write_ply,
)


@pytest.fixture(scope="module")
def arch() -> Scan:
    return generate_arch("lower", triangles=3000, seed=1, with_colors=True)


def _same_triangles(loaded: Scan, original: Scan, atol: float = 1e-4) -> None:
    assert loaded.n_faces == original.n_faces
    assert loaded.vertices.dtype == np.float32
    assert loaded.faces.dtype == np.int32
    np.testing.assert_allclose(
        loaded.vertices[loaded.faces], original.vertices[original.faces], atol=atol
    )


def test_binary_stl_is_welded_into_shared_vertices(tmp_path: Path, arch: Scan) -> None:
    path = tmp_path / "a.stl"
    write_binary_stl(path, arch)
    scan = load_scan(path)
    _same_triangles(scan, arch)
    assert scan.n_vertices == arch.n_vertices  # corners merged, not 3 per triangle
    assert scan.colors is None
    assert scan.source == "a.stl"
    assert scan.normals.shape == (scan.n_vertices, 3)
    np.testing.assert_allclose(np.linalg.norm(scan.normals, axis=1), 1.0, atol=1e-5)


def test_binary_stl_whose_header_starts_with_solid(tmp_path: Path, arch: Scan) -> None:
    path = tmp_path / "solid.stl"
    write_binary_stl(path, arch, header=b"solid exported by a scanner that should know better")
    _same_triangles(load_scan(path), arch)


def test_binary_stl_with_a_zero_count_is_read_from_its_size(tmp_path: Path, arch: Scan) -> None:
    path = tmp_path / "zero.stl"
    write_binary_stl(path, arch)
    data = bytearray(path.read_bytes())
    data[80:84] = b"\0\0\0\0"
    path.write_bytes(bytes(data))
    _same_triangles(load_scan(path), arch)


def test_binary_stl_with_padding_after_the_triangles(tmp_path: Path, arch: Scan) -> None:
    path = tmp_path / "padded.stl"
    write_binary_stl(path, arch)
    path.write_bytes(path.read_bytes() + b"\0" * 37)
    _same_triangles(load_scan(path), arch)


def test_ascii_stl(tmp_path: Path, arch: Scan) -> None:
    path = tmp_path / "ascii.stl"
    write_ascii_stl(path, arch, name="lower jaw")
    _same_triangles(load_scan(path), arch)


def test_ascii_stl_with_windows_line_endings_and_capitals(tmp_path: Path) -> None:
    text = (
        "solid part\r\n"
        "  FACET NORMAL 0 0 1\r\n    OUTER LOOP\r\n"
        "      VERTEX 0 0 0\r\n      VERTEX 1 0 0\r\n      VERTEX 0 1 0\r\n"
        "    ENDLOOP\r\n  ENDFACET\r\n"
        "endsolid part\r\n"
    )
    path = tmp_path / "caps.stl"
    path.write_text(text, newline="")
    scan = load_scan(path)
    assert scan.n_faces == 1
    np.testing.assert_allclose(scan.vertices, [[0, 0, 0], [1, 0, 0], [0, 1, 0]])


@pytest.mark.parametrize(
    ("binary", "big_endian", "double"),
    [
        (True, False, False),
        (True, True, False),
        (True, False, True),
        (True, True, True),
        (False, False, False),
        (False, False, True),
    ],
)
def test_ply_variants_with_vertex_colours(
    tmp_path: Path, arch: Scan, binary: bool, big_endian: bool, double: bool
) -> None:
    path = tmp_path / "c.ply"
    write_ply(path, arch, binary=binary, big_endian=big_endian, double=double)
    scan = load_scan(path)
    _same_triangles(scan, arch)
    assert scan.colors is not None
    np.testing.assert_array_equal(scan.colors, arch.colors)


def test_ply_with_rgba_vertex_colours(tmp_path: Path, arch: Scan) -> None:
    assert arch.colors is not None
    alpha = np.full((arch.n_vertices, 1), 200, dtype=np.uint8)
    rgba = Scan(arch.vertices, arch.faces, np.hstack([arch.colors, alpha]))
    path = tmp_path / "rgba.ply"
    write_ply(path, rgba)
    scan = load_scan(path)
    assert scan.colors is not None
    assert scan.colors.shape == (arch.n_vertices, 4)
    assert (scan.colors[:, 3] == 200).all()


@pytest.mark.parametrize("binary", [True, False])
def test_ply_face_colours_become_vertex_colours(tmp_path: Path, arch: Scan, binary: bool) -> None:
    plain = Scan(arch.vertices, arch.faces)
    face_colors = np.tile(np.array([[30, 160, 90]], dtype=np.uint8), (arch.n_faces, 1))
    path = tmp_path / "faces.ply"
    write_ply(path, plain, binary=binary, face_colors=face_colors)
    scan = load_scan(path)
    assert scan.colors is not None
    assert (scan.colors == [30, 160, 90]).all()


QUAD_PLY_HEADER = """ply
format {fmt} 1.0
comment a unit cube as quads plus one triangle, 'vertex_index' spelling, uint indices
element vertex 8
property {coord} x
property {coord} y
property {coord} z
element face 7
property list uchar uint vertex_index
element edge 1
property int vertex1
property int vertex2
end_header
"""
CUBE = np.array(
    [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]],
    dtype=np.float64,
)
CUBE_FACES = [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4]]
CUBE_FACES.append([3, 4, 7])


def _ngon_ply(fmt: str, coord: str) -> bytes:
    header = QUAD_PLY_HEADER.format(fmt=fmt, coord=coord).encode()
    if fmt == "ascii":
        body = "".join(" ".join(str(c) for c in v) + "\n" for v in CUBE)
        body += "".join(f"{len(f)} " + " ".join(map(str, f)) + "\n" for f in CUBE_FACES)
        body += "0 1\n"
        return header + body.encode()
    order = ">" if fmt.endswith("big_endian") else "<"
    code = "d" if coord == "double" else "f"
    out = b"".join(struct.pack(order + code * 3, *v) for v in CUBE)
    for f in CUBE_FACES:
        out += struct.pack(order + "B" + "I" * len(f), len(f), *f)
    out += struct.pack(order + "ii", 0, 1)
    return header + out


@pytest.mark.parametrize(
    ("fmt", "coord"),
    [
        ("binary_little_endian", "float"),
        ("binary_big_endian", "double"),
        ("ascii", "float"),
    ],
)
def test_ply_polygons_are_triangulated(tmp_path: Path, fmt: str, coord: str) -> None:
    path = tmp_path / "cube.ply"
    path.write_bytes(_ngon_ply(fmt, coord))
    scan = load_scan(path)
    assert scan.n_faces == 5 * 2 + 1 + 1
    np.testing.assert_allclose(scan.vertices, CUBE)
    # Fanned from the first corner: quad (0, 3, 2, 1) -> (0, 3, 2), (0, 2, 1).
    assert scan.faces[:2].tolist() == [[0, 3, 2], [0, 2, 1]]
    assert scan.faces[-1].tolist() == [3, 4, 7]


def test_ply_float_colours_in_zero_to_one(tmp_path: Path) -> None:
    header = (
        "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
        "property float z\nproperty float red\nproperty float green\nproperty float blue\n"
        "element face 1\nproperty list uchar int vertex_indices\nend_header\n"
    )
    body = "0 0 0 1 0 0\n1 0 0 0 1 0\n0 1 0 0 0 0.5\n3 0 1 2\n"
    path = tmp_path / "float_colours.ply"
    path.write_text(header + body)
    scan = load_scan(path)
    assert scan.colors is not None
    assert scan.colors.tolist() == [[255, 0, 0], [0, 255, 0], [0, 0, 128]]


def test_obj_written_by_us_with_colours(tmp_path: Path, arch: Scan) -> None:
    path = tmp_path / "arch.obj"
    write_obj(path, arch)
    scan = load_scan(path)
    _same_triangles(scan, arch)
    assert scan.colors is not None
    assert np.abs(scan.colors.astype(int) - arch.colors).max() <= 1  # type: ignore[operator]


def test_obj_polygons_negative_indices_and_slash_forms(tmp_path: Path) -> None:
    text = """# exported by a CAD
mtllib part.mtl
o part
v 0 0 0
v 1 0 0
v 1 1 0
v 0 1 0
vt 0 0
vt 1 0
vt 1 1
vn 0 0 1
g top
usemtl gum
f 1/1/1 2/2/1 3/3/1 4/1/1
v 0 0 1
v 1 0 1
v 0 1 1
f -3//1 -2//1 -1//1
f -3/1 -2/2 -1/3
s off
f 1 2 3 4 5 6
"""
    path = tmp_path / "poly.obj"
    path.write_text(text)
    scan = load_scan(path)
    assert scan.faces.tolist() == [
        [0, 1, 2],
        [0, 2, 3],
        [4, 5, 6],
        [4, 5, 6],
        [0, 1, 2],
        [0, 2, 3],
        [0, 3, 4],
        [0, 4, 5],
    ]
    assert scan.colors is None


def test_the_extension_does_not_decide_the_format(tmp_path: Path, arch: Scan) -> None:
    path = tmp_path / "really_a_ply.stl"
    write_ply(path, arch)
    _same_triangles(load_scan(path), arch)
    other = tmp_path / "no_extension"
    write_binary_stl(other, arch)
    _same_triangles(load_scan(other), arch)
