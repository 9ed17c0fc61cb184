"""Issue 12, defect 2: files real tools write load; files that are something else are named.

The fixtures are generated in ``tests/scan_corpus.py`` the way MeshLab, Blender and exocad
write PLY and OBJ (no patient data); the same files run in the subprocess corpus test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from labdesk.mesh import ScanError, check_scan, load_scan
from tests.scan_corpus import INTERNALS, malformed_samples, valid_samples

VALID = {s.name: s for s in valid_samples()}
MALFORMED = {s.name: s for s in malformed_samples() if not s.sparse_size}


@pytest.mark.parametrize("name", sorted(VALID))
def test_tool_exports_load_with_the_right_counts(tmp_path: Path, name: str) -> None:
    sample = VALID[name]
    report = check_scan(load_scan(sample.write(tmp_path)))
    assert report.triangles == sample.faces
    if sample.vertices is not None:
        assert report.vertices == sample.vertices
    if sample.warning is not None:
        assert any(sample.warning in w for w in report.warnings)


def test_meshlab_texcoords_do_not_disturb_the_faces(tmp_path: Path) -> None:
    scan = load_scan(VALID["meshlab_ascii.ply"].write(tmp_path))
    assert scan.colors is not None
    assert tuple(scan.colors[0][:3]) == (200, 180, 170)
    little = load_scan(VALID["meshlab_binary.ply"].write(tmp_path))
    big = load_scan(VALID["meshlab_binary_be.ply"].write(tmp_path))
    np.testing.assert_array_equal(little.faces, big.faces)
    np.testing.assert_array_equal(little.vertices, big.vertices)


def test_exocad_vertex_colours_are_kept(tmp_path: Path) -> None:
    scan = load_scan(VALID["exocad_upper.ply"].write(tmp_path))
    assert scan.colors is not None
    assert scan.colors.shape == (scan.n_vertices, 3)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("png_renamed.stl", "this is a PNG picture, not a scan"),
        ("utf16.stl", "this is an ASCII STL saved as UTF-16 (Unicode) text"),
        ("utf16_nobom.stl", "this is an ASCII STL saved as UTF-16 (Unicode) text"),
        ("obj_face_no_vertex.obj", "it has faces but no vertices"),
        ("obj_huge_index.obj", "line 4 has a face that refers to vertex 111111111111…"),
        ("obj_negative.obj", "counts back 9 vertices, but only 3 come before it"),
        ("case.dcm", "3Shape's own format; export STL or PLY from 3Shape"),
        ("html.stl", "this .stl file is a web page"),
        ("big_endian_nan_count.ply", "face 0 has an invalid number of entries"),
        ("lying_count.stl", "its header promises 4,000,000,000 triangles, more than any scan"),
    ],
)
def test_wrong_messages_are_fixed(tmp_path: Path, name: str, expected: str) -> None:
    with pytest.raises(ScanError) as info:
        load_scan(MALFORMED[name].write(tmp_path))
    assert expected in str(info.value)
    assert "encrypted" not in str(info.value)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_no_message_shows_python_internals(tmp_path: Path, name: str) -> None:
    try:
        texts = check_scan(load_scan(MALFORMED[name].write(tmp_path))).warnings
    except ScanError as exc:
        texts = [str(exc)]
    for text in texts:
        assert not [word for word in INTERNALS if word in text], text


def test_a_big_all_zero_stl_is_refused_from_a_sample_without_reading_it(tmp_path: Path) -> None:
    count = 2_000_000  # 100 MB, sparse on disk
    path = tmp_path / "zeros.stl"
    with path.open("wb") as fh:
        fh.write(b"\0" * 80 + count.to_bytes(4, "little"))
        fh.truncate(84 + 50 * count)
    with pytest.raises(ScanError, match="all 4,096 that LabDesk sampled across it have no area"):
        load_scan(path)


def test_a_big_stl_with_real_triangles_among_zeros_still_loads(tmp_path: Path) -> None:
    count = 100_000
    records = np.zeros(count, dtype=[("n", "<f4", (3,)), ("c", "<f4", (9,)), ("a", "<u2")])
    path = tmp_path / "mostly_zeros.stl"
    records["c"][count - 1] = [0, 0, 0, 10, 0, 0, 0, 10, 0]  # the last record is sampled
    path.write_bytes(b"\0" * 80 + count.to_bytes(4, "little") + records.tobytes())
    assert load_scan(path).n_faces == count
