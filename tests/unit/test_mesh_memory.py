"""Issue 18: memory of the Qt-free scan pipeline and of the decimation.

Eight scans opened one after another must not grow the process (the resident memory after the
eighth open stays within 10 % of the figure after the first), measured with psutil in a
process of its own (``tests/scan_reopen.py``). Decimation clusters big scans on a grid before
the quadric step (lower memory) and its helper process exits after the job.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from labdesk.mesh import Scan, check_scan
from labdesk.mesh.decimate import cluster_on_grid, decimate, decimate_in_helper
from labdesk.mesh.synthetic import generate_arch, write_binary_stl

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def arch() -> Scan:
    return generate_arch("lower", triangles=60_000, seed=7, with_colors=True)


def test_eight_sequential_opens_do_not_grow_the_process(tmp_path: Path) -> None:
    path = tmp_path / "arch.stl"
    write_binary_stl(path, generate_arch("lower", triangles=300_000, seed=3))
    proc = subprocess.run(
        [sys.executable, "-m", "tests.scan_reopen", str(path), "8", "30000"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    rss = result["rss"]
    assert len(rss) == 8
    assert result["display"] <= 30_000
    assert max(rss[1:]) <= 1.10 * rss[0], [f"{value / 2**20:.0f} MB" for value in rss]


def test_grid_clustering_reaches_about_the_target_and_keeps_the_shape(arch: Scan) -> None:
    vertices, faces, colors, normals = cluster_on_grid(arch.vertices, arch.faces, 8_000)
    assert colors is None
    assert normals is None
    assert 5_000 <= len(faces) <= 11_000
    assert faces.min() >= 0
    assert faces.max() < len(vertices)
    assert np.all(faces[:, 0] != faces[:, 1])
    assert np.all(faces[:, 1] != faces[:, 2])
    assert len(np.unique(np.sort(faces, axis=1), axis=0)) == len(faces)  # no repeated face
    lo, hi = arch.bounds()
    clustered = Scan(vertices, faces)
    clo, chi = clustered.bounds()
    np.testing.assert_allclose(clo, lo, atol=1.0)
    np.testing.assert_allclose(chi, hi, atol=1.0)


def test_decimating_far_below_the_scan_clusters_first_and_stays_one_piece(arch: Scan) -> None:
    small = decimate(arch, 2_000)  # 60,000 > 8 x 2,000: grid clustering, then quadric
    assert 1_500 <= small.n_faces <= 2_000
    assert small.colors is not None
    assert small.colors.shape == (small.n_vertices, 3)
    assert check_scan(small).components <= 3
    np.testing.assert_allclose(small.bounds()[1], arch.bounds()[1], atol=1.0)


def test_decimation_helper_exits_after_the_job(arch: Scan) -> None:
    small = decimate_in_helper(arch, 5_000)
    assert 4_000 <= small.n_faces <= 5_000
    assert multiprocessing.active_children() == []
    assert decimate_in_helper(arch, 10**9) is arch


def test_giving_back_free_memory_is_safe_to_call() -> None:
    from labdesk.mesh.memory import give_back_free_memory

    assert give_back_free_memory() in (True, False)
    assert give_back_free_memory() is sys.platform.startswith("linux")


def test_prefetch_delivers_the_scan_with_normals_or_its_error(tmp_path: Path) -> None:
    from labdesk.mesh import ScanError
    from labdesk.mesh.prefetch import ScanPrefetch

    path = tmp_path / "arch.stl"
    write_binary_stl(path, generate_arch("upper", triangles=5_000, seed=1))
    scan = ScanPrefetch(path).result(timeout=60)
    assert scan.has_normals
    assert scan.n_faces > 4_000
    missing = ScanPrefetch(tmp_path / "gone.stl")
    with pytest.raises(ScanError, match="does not exist"):
        missing.result(timeout=60)
    assert missing.done()


def test_picking_data_is_built_on_the_first_pick(arch: Scan) -> None:
    from labdesk.mesh import RayPicker

    picker = RayPicker(arch)
    assert not picker.is_prepared
    top = arch.vertices[np.argmax(arch.vertices[:, 2])].astype(float)
    hit = picker.pick(top + np.array([0.0, 0.0, 20.0]), [0.0, 0.0, -1.0])
    assert picker.is_prepared
    assert hit is not None
    assert abs(hit[2] - top[2]) < 0.5


def test_display_mesh_by_clustering_keeps_the_budget_the_shape_and_the_colours(
    arch: Scan,
) -> None:
    from labdesk.mesh.decimate import decimate_for_display

    _ = arch.normals  # the loader has them before it makes the display mesh
    for budget in (30_000, 5_000, 800):
        small = decimate_for_display(arch, budget)
        assert budget // 2 <= small.n_faces <= budget
        assert small.colors is not None
        assert small.colors.shape == (small.n_vertices, 3)
        assert check_scan(small).components <= 2
        cell = 1.0 if budget >= 5_000 else 2.5  # mm: coarser grids round the ends off more
        np.testing.assert_allclose(small.bounds()[0], arch.bounds()[0], atol=cell)
        np.testing.assert_allclose(small.bounds()[1], arch.bounds()[1], atol=cell)
        # Every display vertex lies near the scan's surface (within about one grid cell).
        from scipy.spatial import cKDTree

        gap, _ = cKDTree(arch.vertices).query(small.vertices)
        assert float(np.median(gap)) < 0.5 * cell
        # Shaded with the scan's own normals, averaged per cell (unit length, facing the
        # same way as the scan's nearest vertex's normal).
        assert small.has_normals
        np.testing.assert_allclose(np.linalg.norm(small.normals, axis=1), 1.0, atol=1e-4)
        _, nearest = cKDTree(arch.vertices).query(small.vertices)
        agree = np.einsum("ij,ij->i", small.normals, arch.normals[nearest])
        assert float(np.median(agree)) > 0.9
        flat = small.faces.reshape(-1)  # coherent order: numbered by first use, all used
        _, first = np.unique(flat, return_index=True)
        np.testing.assert_array_equal(flat[np.sort(first)], np.arange(small.n_vertices))
    assert decimate_for_display(arch, 10**9) is arch
    with pytest.raises(ValueError, match="positive"):
        decimate_for_display(arch, 0)


def test_display_mesh_of_a_flat_sheet_stays_within_a_tiny_budget() -> None:
    """A surface whose area estimate is off (a long thin strip) ends within budget, or, where
    no grid can thin it without swallowing it whole, is drawn as it is."""
    from labdesk.mesh.decimate import decimate_for_display

    xs, ys = np.meshgrid(np.linspace(0, 200, 401), np.linspace(0, 1, 3))
    points = np.stack([xs.ravel(), ys.ravel(), np.zeros(xs.size)], axis=1)
    idx = np.arange(xs.size).reshape(xs.shape)
    a, b, c, d = idx[:-1, :-1].ravel(), idx[1:, :-1].ravel(), idx[1:, 1:].ravel(), idx[:-1, 1:]
    faces = np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d.ravel()], 1)])
    strip = Scan(points, faces)
    assert 400 <= decimate_for_display(strip, 1_000).n_faces <= 1_000
    assert decimate_for_display(strip, 100) is strip


def test_pieces_and_loops_are_counted_whatever_the_vertex_numbering() -> None:
    """The scan check's union-find (no SciPy) against pieces built on purpose, with the
    vertex ids shuffled (the numbering a welded STL gives is the easy case)."""
    from labdesk.mesh.checks import check_scan as check

    rng = np.random.default_rng(4)
    piece = generate_arch("lower", triangles=20_000, seed=3)
    n = piece.n_vertices
    strip = np.stack([np.arange(300), np.arange(1, 301), np.arange(2, 302)], axis=1)  # a chain
    faces = np.concatenate([piece.faces, piece.faces + n, strip + 2 * n])
    vertices = np.concatenate([piece.vertices, piece.vertices + 100.0, np.zeros((n, 3))])
    vertices[2 * n : 2 * n + 302, 0] = np.arange(302, dtype=np.float32)
    vertices[2 * n : 2 * n + 302, 1] = np.arange(302) % 2
    shuffle = rng.permutation(len(vertices))
    renumber = np.empty_like(shuffle)
    renumber[shuffle] = np.arange(len(shuffle))
    scan = Scan(vertices[shuffle], renumber[faces])  # unused vertices stay (and do not count)
    report = check(scan)
    assert report.components == 3
    one = check(piece)
    assert one.components == 1
    assert report.boundary_loops == 2 * one.boundary_loops + 1  # the chain's rim is one loop
