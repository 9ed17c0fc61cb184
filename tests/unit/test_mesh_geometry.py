"""Checks, welding, normals, decimation, picking and the generated arches."""

from __future__ import annotations

import numpy as np
import pytest

from labdesk.mesh import RayPicker, Scan, check_scan, decimate, finish_scan, pick
from labdesk.mesh import weld as weld_module
from labdesk.mesh.load import RawMesh
from labdesk.mesh.scan import vertex_normals
from labdesk.mesh.synthetic import OCCLUSAL_PLANE_Z, generate_arch
from labdesk.mesh.weld import weld_soup


@pytest.fixture(scope="module")
def lower() -> Scan:
    return generate_arch("lower", triangles=20_000, seed=4, with_colors=True)


@pytest.fixture(scope="module")
def upper() -> Scan:
    return generate_arch("upper", triangles=20_000, seed=4)


# ---------------------------------------------------------------- generated arches


@pytest.mark.parametrize("target", [1_000, 20_000, 200_000])
def test_generated_arch_has_about_the_asked_triangles(target: int) -> None:
    scan = generate_arch("lower", triangles=target)
    assert abs(scan.n_faces - target) <= 0.1 * target


def test_generated_arches_are_deterministic_and_plausible(lower: Scan, upper: Scan) -> None:
    again = generate_arch("lower", triangles=20_000, seed=4, with_colors=True)
    np.testing.assert_array_equal(again.vertices, lower.vertices)
    assert lower.colors is not None
    np.testing.assert_array_equal(again.colors, lower.colors)
    other = generate_arch("lower", triangles=20_000, seed=5)
    assert not np.array_equal(other.vertices, lower.vertices)
    for scan in (lower, upper):
        report = check_scan(scan)
        width = report.size_mm[0]
        assert 50.0 <= width <= 60.0
        assert report.components == 1
        assert report.boundary_loops == 1  # open at the base like a real scan
        assert report.degenerate_faces == 0
        assert report.warnings == []
    # Closed bite: the lower's occlusal side faces up and stays below the upper's.
    assert lower.bounds()[1][2] <= OCCLUSAL_PLANE_Z <= upper.bounds()[0][2]
    top = lower.vertices[:, 2] > np.percentile(lower.vertices[:, 2], 95)
    assert lower.normals[top, 2].mean() > 0.3
    bottom = upper.vertices[:, 2] < np.percentile(upper.vertices[:, 2], 5)
    assert upper.normals[bottom, 2].mean() < -0.3


def test_generated_colours_are_gum_pink_and_tooth_white(lower: Scan) -> None:
    assert lower.colors is not None
    reddish = (lower.colors[:, 0].astype(int) - lower.colors[:, 2]) > 60
    whitish = lower.colors.min(axis=1) > 200
    assert reddish.mean() > 0.3
    assert whitish.mean() > 0.2


def test_generate_arch_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="jaw"):
        generate_arch("middle")
    with pytest.raises(ValueError, match="triangles"):
        generate_arch("upper", triangles=10)


# ---------------------------------------------------------------- weld and normals


def test_weld_matches_the_exact_method(lower: Scan) -> None:
    soup = lower.vertices[lower.faces].reshape(-1, 3)
    vertices, inverse = weld_soup(soup)
    np.testing.assert_array_equal(vertices[inverse], soup)
    assert len(vertices) == lower.n_vertices
    _, exact_inverse = weld_module._weld_exact(soup)
    np.testing.assert_array_equal(inverse, exact_inverse)


def test_weld_is_exact_when_every_corner_hashes_to_one_slot(
    monkeypatch: pytest.MonkeyPatch, lower: Scan
) -> None:
    """Collisions only cost probing rounds, never a wrong merge."""
    soup = lower.vertices[lower.faces[:20]].reshape(-1, 3)
    expected = weld_soup(soup)
    for name in ("_M1", "_M2", "_M3"):
        monkeypatch.setattr(weld_module, name, np.uint32(0))
    got = weld_soup(soup)
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1], expected[1])
    monkeypatch.setattr(weld_module, "MAX_ROUNDS", 3)  # too few: the exact path takes over
    fallback = weld_soup(soup)
    np.testing.assert_array_equal(fallback[0], expected[0])
    np.testing.assert_array_equal(fallback[1], expected[1])


def test_weld_keeps_distinct_bits_apart() -> None:
    soup = np.array(
        [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0.0, -0.0, 0], [1, 0, 0], [0, 1, 1e-7]],
        dtype=np.float32,
    )
    vertices, inverse = weld_soup(soup)
    assert inverse.tolist() == [0, 1, 2, 3, 1, 4]
    np.testing.assert_array_equal(vertices[inverse].view(np.uint32), soup.view(np.uint32))


def test_weld_of_nothing() -> None:
    vertices, inverse = weld_soup(np.zeros((0, 3), dtype=np.float32))
    assert vertices.shape == (0, 3)
    assert inverse.shape == (0,)


def test_finish_scan_welds_a_soup(lower: Scan) -> None:
    raw = RawMesh(lower.vertices[lower.faces].reshape(-1, 3), None, None, "x.stl", "binary STL")
    scan = finish_scan(raw)
    assert scan.n_vertices == lower.n_vertices
    np.testing.assert_allclose(
        np.abs((scan.normals[scan.faces] * lower.normals[lower.faces]).sum(axis=2)), 1.0, atol=1e-4
    )


def test_normals_of_a_flat_square_point_up() -> None:
    v = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [5, 5, 5]], dtype=np.float32)
    f = np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int32)
    n = vertex_normals(v, f)
    np.testing.assert_allclose(n[:4], [[0, 0, 1]] * 4, atol=1e-6)
    np.testing.assert_array_equal(n[4], [0, 0, 0])  # unused vertex


# ---------------------------------------------------------------- checks


def _square_with_hole() -> Scan:
    """A 3x3 grid of squares with the middle one missing, plus a loose degenerate triangle."""
    xs, ys = np.meshgrid(np.arange(4.0), np.arange(4.0))
    v = np.stack([xs.ravel(), ys.ravel(), np.zeros(16)], axis=1) * 10.0
    faces = []
    for i in range(3):
        for j in range(3):
            if (i, j) == (1, 1):
                continue
            a = i * 4 + j
            faces += [[a, a + 1, a + 5], [a, a + 5, a + 4]]
    v = np.vstack([v, [[100, 100, 0], [101, 100, 0], [102, 100, 0]]])
    faces.append([16, 17, 18])
    return Scan(v.astype(np.float32), np.array(faces, dtype=np.int32), source="holey.stl")


def test_check_finds_holes_pieces_and_degenerate_faces() -> None:
    report = check_scan(_square_with_hole())
    assert report.triangles == 17
    assert report.components == 2
    assert report.boundary_loops == 3  # outer rim, the hole, the sliver
    assert report.holes == 1
    assert report.boundary_edges == 12 + 4 + 3
    assert report.degenerate_faces == 1
    assert report.surface_area_mm2 == pytest.approx(800.0)
    assert report.bbox_min == (0.0, 0.0, 0.0)
    assert report.bbox_max == (102.0, 100.0, 0.0)
    text = " ".join(report.warnings)
    assert "2 separate pieces" in text
    assert "1 hole besides" in text
    assert "1 triangle has no area" in text
    labels = dict(report.summary_lines())
    assert labels["Triangles"] == "17"


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        (0.001, "probably saved in metres"),
        (0.1, "centimetres or inches"),
        (1.0, None),
        (5.0, "check the units"),
        (1000.0, "probably saved in micrometres"),
    ],
)
def test_unit_warning(lower: Scan, scale: float, expected: str | None) -> None:
    report = check_scan(Scan(lower.vertices * scale, lower.faces))
    unit = [w for w in report.warnings if "across" in w]
    if expected is None:
        assert unit == []
    else:
        assert len(unit) == 1
        assert expected in unit[0]


def test_check_counts_non_finite_values(lower: Scan) -> None:
    v = lower.vertices.copy()
    v[3] = np.nan
    report = check_scan(Scan(v, lower.faces))
    assert report.non_finite_values == 3
    assert any("NaN" in w for w in report.warnings)
    assert np.isfinite(report.bbox_min).all()


def test_check_of_an_empty_scan() -> None:
    report = check_scan(Scan(np.zeros((0, 3)), np.zeros((0, 3))))
    assert report.triangles == 0
    assert report.components == 0


# ---------------------------------------------------------------- decimation


def test_decimate_to_a_budget_keeps_shape_and_colours(lower: Scan) -> None:
    small = decimate(lower, 4000)
    assert 3000 <= small.n_faces <= 4000
    assert small.colors is not None
    assert small.colors.shape == (small.n_vertices, 3)
    lo, hi = lower.bounds()
    slo, shi = small.bounds()
    np.testing.assert_allclose(slo, lo, atol=0.5)
    np.testing.assert_allclose(shi, hi, atol=0.5)
    # Coherent order for the GPU: every vertex used, numbered in order of first use.
    flat = small.faces.reshape(-1)
    _, first = np.unique(flat, return_index=True)
    np.testing.assert_array_equal(flat[np.sort(first)], np.arange(small.n_vertices))
    assert decimate(lower, 10**9) is lower
    with pytest.raises(ValueError, match="positive"):
        decimate(lower, 0)


# ---------------------------------------------------------------- picking


def test_pick_hits_the_nearest_surface(lower: Scan) -> None:
    v = lower.vertices.astype(float)
    tip = v[np.argmax(v[:, 2])]
    up = np.array([0.0, 0.0, 50.0])
    hit = pick(lower, tip + up, [0, 0, -1])
    assert hit is not None
    np.testing.assert_allclose(hit, tip, atol=1e-4)
    # From below, through the open base, the first surface met is the inside of the crown.
    below = pick(lower, tip - up, [0, 0, 1])
    assert below is not None
    assert below[2] < tip[2]


def test_pick_misses_and_bad_rays(lower: Scan) -> None:
    picker = RayPicker(lower)
    assert picker.pick([500, 500, 500], [0, 0, -1]) is None
    assert picker.pick([0, 20, 50], [0, 0, 1]) is None  # pointing away
    assert picker.pick([0, 20, 50], [0, 0, 0]) is None
    assert picker.pick([np.nan, 0, 0], [0, 0, -1]) is None


def test_pick_on_a_single_triangle_edge_cases() -> None:
    tri = Scan(
        np.array([[0, 0, 0], [10, 0, 0], [0, 10, 0]], dtype=np.float32),
        np.array([[0, 1, 2]], dtype=np.int32),
    )
    np.testing.assert_allclose(pick(tri, [2, 2, 5], [0, 0, -1]), [2, 2, 0])  # type: ignore[arg-type]
    np.testing.assert_allclose(pick(tri, [2, 2, -5], [0, 0, 3]), [2, 2, 0])  # type: ignore[arg-type]
    assert pick(tri, [8, 8, 5], [0, 0, -1]) is None  # outside the hypotenuse
    assert pick(tri, [2, 2, 5], [1, 0, 0]) is None  # parallel
