"""Issue 12, defect 1: ``check_scan`` never raises on a mesh ``load_scan`` returns.

Before the fix a mesh whose triangles all collapse to one point (one all-zero STL facet, an
OBJ ``v 0 0 0`` / ``f 1 1 1``) made ``_edges`` fail with ``IndexError`` and the viewer showed
"unexpected error (IndexError ...)".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from labdesk.mesh import Scan, check_scan, load_scan

_NO_SURFACE = "No triangle has any area: the file holds no usable surface."


def _stl(triangles: list[list[float]]) -> bytes:
    records = b"".join(
        np.array([0, 0, 0, *corners], dtype="<f4").tobytes() + b"\0\0" for corners in triangles
    )
    return b"\0" * 80 + len(triangles).to_bytes(4, "little") + records


DEGENERATE_FILES = {
    "all_zero_facet.stl": _stl([[0.0] * 9]),
    "three_zero_facets.stl": _stl([[0.0] * 9] * 3),
    "one_point_facets.stl": _stl([[1.5, 2.5, 3.5] * 3, [1.5, 2.5, 3.5] * 3]),
    "single_vertex.obj": b"v 0 0 0\nf 1 1 1\n",
    "single_vertex_twice.obj": b"v 0 0 0\nf 1 1 1\nf 1 1 1\n",
    "collinear.obj": b"v 0 0 0\nv 1 0 0\nv 2 0 0\nf 1 2 3\n",
    "two_corners.obj": b"v 0 0 0\nv 1 0 0\nf 1 2 2\n",
    "single_vertex.ply": (
        b"ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\n"
        b"property float z\nelement face 1\nproperty list uchar int vertex_indices\n"
        b"end_header\n0 0 0\n3 0 0 0\n"
    ),
    "ascii_zero.stl": (
        b"solid z\nfacet normal 0 0 0\nouter loop\nvertex 0 0 0\nvertex 0 0 0\nvertex 0 0 0\n"
        b"endloop\nendfacet\nendsolid z\n"
    ),
}


@pytest.mark.parametrize("name", sorted(DEGENERATE_FILES))
def test_degenerate_files_load_and_check_without_raising(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(DEGENERATE_FILES[name])
    scan = load_scan(path)
    report = check_scan(scan)
    assert report.triangles == scan.n_faces > 0
    assert report.degenerate_faces == report.triangles
    assert report.warnings[0] == _NO_SURFACE
    assert report.surface_area_mm2 == 0.0
    assert all(value for _, value in report.summary_lines())


def test_all_zero_stl_welds_to_one_vertex(tmp_path: Path) -> None:
    path = tmp_path / "zero.stl"
    path.write_bytes(DEGENERATE_FILES["three_zero_facets.stl"])
    report = check_scan(load_scan(path))
    assert (report.vertices, report.triangles) == (1, 3)
    assert report.boundary_edges == 0
    assert report.components == 1


def test_partly_degenerate_mesh_is_measured_normally() -> None:
    vertices = np.array([[0, 0, 0], [10, 0, 0], [0, 10, 0], [5, 5, 5]], dtype=np.float32)
    faces = np.array([[0, 1, 2], [3, 3, 3]], dtype=np.int32)
    report = check_scan(Scan(vertices, faces))
    assert report.degenerate_faces == 1
    assert report.boundary_edges == 3
    assert _NO_SURFACE not in report.warnings


@pytest.mark.parametrize(
    ("vertices", "faces"),
    [
        (np.zeros((0, 3)), np.zeros((0, 3))),
        (np.zeros((1, 3)), np.zeros((0, 3))),
        (np.zeros((1, 3)), np.zeros((1, 3))),
        (np.array([[0, 0, 0], [np.nan, 0, 0], [0, 1, 0]]), np.array([[0, 1, 2]])),
        (np.array([[np.inf, 0, 0]]), np.array([[0, 0, 0]])),
    ],
)
def test_check_scan_takes_any_shape_of_mesh(vertices: np.ndarray, faces: np.ndarray) -> None:
    report = check_scan(Scan(vertices.astype(np.float32), faces.astype(np.int32)))
    assert report.triangles == len(faces)
