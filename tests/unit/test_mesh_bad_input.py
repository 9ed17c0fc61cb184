"""Files that cannot be used give a ScanError a technician understands; nothing else."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from labdesk.mesh import Scan, ScanError, check_scan, load_scan
from labdesk.mesh.synthetic import generate_arch, write_ascii_stl, write_binary_stl, write_ply


@pytest.fixture(scope="module")
def small() -> Scan:
    return generate_arch("upper", triangles=2000, seed=2)


def _error(path: Path, **kwargs: int) -> str:
    with pytest.raises(ScanError) as info:
        load_scan(path, **kwargs)
    assert isinstance(info.value, ValueError)
    return str(info.value)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.stl"
    path.write_bytes(b"")
    assert _error(path) == "the file is empty"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "does not exist" in _error(tmp_path / "gone.stl")
    assert "folder" in _error(tmp_path)


def test_truncated_binary_stl_says_how_much_is_there(tmp_path: Path) -> None:
    path = tmp_path / "cut.stl"
    header = b"\0" * 80 + (250_000).to_bytes(4, "little")
    path.write_bytes(header + b"\x01" * (50 * 1203 + 17))
    assert _error(path) == "the file ends after 1,203 of 250,000 triangles (it is truncated)"


def test_truncated_binary_stl_with_a_solid_header(tmp_path: Path, small: Scan) -> None:
    path = tmp_path / "cut_solid.stl"
    write_binary_stl(path, small, header=b"solid binary after all")
    path.write_bytes(path.read_bytes()[:5000])
    assert _error(path).startswith("the file ends after 98 of ")


def test_stl_header_only(tmp_path: Path) -> None:
    path = tmp_path / "header.stl"
    path.write_bytes(b"\0" * 84)
    assert _error(path) == "the file has no triangles"


def test_too_short_for_an_stl(tmp_path: Path) -> None:
    path = tmp_path / "short.stl"
    path.write_bytes(b"\x00\x01\x02")
    assert "too short" in _error(path)


def test_ascii_stl_cut_off_before_endsolid_loads_with_a_warning(
    tmp_path: Path, small: Scan
) -> None:
    """Issue 12: it loaded silently; now the scan check says it is incomplete."""
    path = tmp_path / "ascii.stl"
    write_ascii_stl(path, small)
    text = path.read_text()
    cut = text[: text.index("vertex", len(text) // 2) + 40]
    path.write_text(cut[: cut.rindex("\n")] + "\n")
    scan = load_scan(path)
    assert 0 < scan.n_faces < small.n_faces
    warning = check_scan(scan).warnings[0]
    assert warning.startswith(f"The file is incomplete: it stops after {scan.n_faces:,} triangles")
    assert "'endsolid'" in warning


def test_ascii_stl_with_endsolid_and_a_broken_last_triangle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.stl"
    path.write_text(
        "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\n"
        "endloop\nendfacet\nendsolid x\n"
    )
    assert "truncated" in _error(path)


def test_ascii_stl_with_text_in_a_vertex(tmp_path: Path) -> None:
    path = tmp_path / "bad.stl"
    path.write_text(
        "solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 zero\nvertex 1 0 0\n"
        "vertex 0 1 0\nendloop\nendfacet\nendsolid x\n"
    )
    assert "damaged" in _error(path)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_coordinates(tmp_path: Path, small: Scan, bad: float) -> None:
    vertices = small.vertices.copy()
    vertices[5, 1] = bad
    broken = Scan(vertices, small.faces)
    for name, writer in (("b.stl", write_binary_stl), ("b.ply", write_ply)):
        path = tmp_path / name
        writer(path, broken)
        assert _error(path).startswith("coordinates contain NaN or infinite values")
    obj = tmp_path / "b.obj"
    obj.write_text(f"v 0 0 0\nv 1 0 {bad}\nv 0 1 0\nf 1 2 3\n")
    assert _error(obj) == "coordinates contain NaN or infinite values (1 of 3 vertices)"


def test_ply_that_promises_a_trillion_vertices_is_refused_at_once(tmp_path: Path) -> None:
    header = (
        "ply\nformat binary_little_endian 1.0\nelement vertex 999999999999\n"
        "property float x\nproperty float y\nproperty float z\n"
        "element face 999999999999\nproperty list uchar int vertex_indices\nend_header\n"
    )
    for fmt in ("binary_little_endian", "ascii"):
        path = tmp_path / f"{fmt}.ply"
        path.write_bytes(header.replace("binary_little_endian", fmt).encode() + b"\0" * 64)
        message = _error(path)  # how fast: benchmarks/bench_bad_input.py
        assert "it promises 999,999,999,999 vertices but holds only" in message


def test_truncated_binary_ply(tmp_path: Path, small: Scan) -> None:
    path = tmp_path / "cut.ply"
    write_ply(path, small)
    path.write_bytes(path.read_bytes()[:-100])
    message = _error(path)
    assert "truncated" in message


def test_ply_face_pointing_past_the_vertices(tmp_path: Path) -> None:
    path = tmp_path / "index.ply"
    path.write_text(
        "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n"
        "property float z\nelement face 1\nproperty list uchar int vertex_indices\n"
        "end_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n"
    )
    assert _error(path) == "this PLY file is damaged: a face refers to vertex 7 but there are 3"


def test_ply_point_cloud_has_no_triangles(tmp_path: Path) -> None:
    path = tmp_path / "points.ply"
    path.write_text(
        "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\n"
        "property float z\nend_header\n0 0 0\n1 0 0\n"
    )
    assert _error(path).startswith("the file has no triangles")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ply\nformat ascii 1.0\nelement vertex 1\n", "never ends"),
        ("ply\nformat fancy 2.0\nend_header\n", "not supported"),
        ("ply\nformat ascii 1.0\nproperty float x\nend_header\n", "header line 3"),
        ("ply\nelement vertex 0\nend_header\n", "no 'format'"),
    ],
)
def test_broken_ply_headers(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "head.ply"
    path.write_text(text)
    assert expected in _error(path)


def test_obj_with_no_faces_and_a_bad_index(tmp_path: Path) -> None:
    path = tmp_path / "points.obj"
    path.write_text("v 0 0 0\nv 1 0 0\n")
    assert _error(path) == "the file has no triangles"
    path.write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n")
    assert "refers to vertex 9 but the file has 3 vertices" in _error(path)
    path.write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 x\n")
    assert "line 4" in _error(path)


def test_3shape_dcm_zip_and_dicom_are_named(tmp_path: Path) -> None:
    dcm = tmp_path / "scan.dcm"
    dcm.write_bytes(b'<?xml version="1.0"?>\n<HPS version="1.0"><Packed_geometry>...')
    assert _error(dcm) == (
        "this is a 3Shape DCM file, 3Shape's own format; export STL or PLY from 3Shape"
    )
    xml_named_stl = tmp_path / "scan.stl"
    xml_named_stl.write_bytes(b'<?xml version="1.0"?>\n<HPS>')
    assert "3Shape DCM" in _error(xml_named_stl)
    zipped = tmp_path / "case.3oxz"
    zipped.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert "ZIP archive" in _error(zipped)
    dicom = tmp_path / "ct.dcm"
    dicom.write_bytes(b"\0" * 128 + b"DICM" + b"\0" * 100)
    assert "DICOM" in _error(dicom)


@pytest.mark.parametrize("name", ["noise.stl", "noise.ply", "noise.obj", "noise.bin", "noise"])
def test_random_bytes(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(np.random.default_rng(7).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    message = _error(path)
    assert message
    assert "Traceback" not in message


def test_unknown_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Patient prefers afternoon appointments.\n")
    assert _error(path) == (
        "LabDesk cannot read this file: it is not an STL, PLY or OBJ scan "
        "(.txt files are not supported)"
    )


def test_files_over_the_size_cap_are_refused_before_reading(tmp_path: Path, small: Scan) -> None:
    path = tmp_path / "big.stl"
    write_binary_stl(path, small)
    size = path.stat().st_size
    assert _error(path, max_bytes=10_000) == (
        f"the file is {size / 1e3:,.0f} KB; LabDesk opens scans up to 10 KB"
    )
