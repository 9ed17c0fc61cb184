"""The scan review's clearance figures, colours, note and cache (Qt-free)."""

from __future__ import annotations

import numpy as np
import pytest

from labdesk.client.clearance_review import (
    ClearanceCache,
    ToothFigure,
    clearance_colors,
    legend_stops,
    pair_key,
    rejection_note,
    review_clearance,
)
from labdesk.mesh import decimate
from labdesk.mesh.decimate import decimate_for_display
from labdesk.mesh.synthetic import generate_pair, write_binary_stl


def test_the_ramp_is_red_under_the_requirement_then_tight_then_free_then_grey() -> None:
    colours = clearance_colors(np.array([-0.1, 0.5, 0.99, 1.0, 1.4, 2.0, 2.5]), 1.0)
    red, grey = legend_stops(1.0)[0][1], legend_stops(1.0)[-1][1]
    assert [tuple(c) for c in colours[:3]] == [red] * 3
    assert tuple(colours[3]) == (244, 140, 40)  # orange at the requirement
    assert colours[4][1] > colours[3][1]  # towards yellow
    assert colours[5][1] > colours[5][0]  # green/blue beyond the margin
    assert tuple(colours[6]) == grey  # the cap: nothing opposite within reach


def test_figures_verdicts_and_the_rejection_note() -> None:
    short, enough = ToothFigure(36, 0.34, 1.0), ToothFigure(16, 1.8, 1.0)
    assert short.short
    assert not enough.short
    assert short.line == "36: 0.3 mm (needs 1.0 mm): 0.7 mm short"
    assert enough.line == "16: 1.8 mm (needs 1.0 mm): enough room"
    note = rejection_note([enough, short])
    assert note.endswith("\n36: 0.3 mm (needs 1.0 mm)")
    assert "16:" not in note


@pytest.mark.parametrize(("thin", "budget"), [(decimate, 8_000), (decimate_for_display, 30_000)])
def test_review_of_a_demo_pair_finds_the_prepared_teeth(tmp_path, thin, budget) -> None:
    """With a quadric display mesh, and with the clustered one the viewer draws."""
    upper, lower = generate_pair(triangles=60_000, prepared={16: 1.8, 36: 0.6})
    shown_upper, shown_lower = thin(upper, budget), thin(lower, budget)
    review = review_clearance(shown_upper, upper, shown_lower, lower, teeth=[16, 36])
    assert len(review.upper) == shown_upper.n_vertices
    assert len(review.lower) == shown_lower.n_vertices
    figures = {f.fdi: f for f in review.teeth([16, 36, 55, 99], 1.0)}
    assert set(figures) == {16, 36}  # primary and impossible numbers are left out
    assert figures[36].short
    assert not figures[16].short
    assert review.bite.in_occlusion
    locator = review.locators["lower"]
    assert locator is not None
    inside_36 = int(np.flatnonzero(locator.region(36, core=0.5))[0])
    assert review.tooth_at("lower", inside_36) == 36


@pytest.mark.parametrize(
    ("thin", "triangles", "budget"),
    [(decimate, 120_000, 30_000), (decimate_for_display, 60_000, 8_000),
     (decimate_for_display, 120_000, 30_000)],
)  # fmt: skip
def test_tooth_figures_are_the_full_resolution_ones_whatever_the_display_mesh(
    thin, triangles, budget
) -> None:
    """Slots traced on the display mesh moved with its vertex density (quadric 120k → 30k
    read 0.04 mm over 16, which has 1.65 mm), and cell means off the surface read more room
    than there is (clustered 120k → 30k: 0.44 mm over 36, which has 0.33 mm)."""
    upper, lower = generate_pair(triangles=triangles, prepared={16: 1.8, 36: 0.6})
    full = review_clearance(upper, upper, lower, lower, teeth=[16, 36])
    expected = {f.fdi: f.measured_mm for f in full.teeth([16, 36], 1.0)}
    assert 1.5 < expected[16] < 1.8
    assert 0.2 < expected[36] < 0.5
    shown = review_clearance(thin(upper, budget), upper, thin(lower, budget), lower, [16, 36])
    measured = {f.fdi: f.measured_mm for f in shown.teeth([16, 36], 1.0)}
    assert measured == pytest.approx(expected, abs=1e-6)


def test_the_cache_is_keyed_by_file_and_keeps_the_latest(tmp_path) -> None:
    upper, lower = generate_pair(triangles=8_000)
    for name, scan in (("u.stl", upper), ("l.stl", lower)):
        write_binary_stl(tmp_path / name, scan)
    from labdesk.mesh import load_scan

    a = load_scan(tmp_path / "u.stl")
    b = load_scan(tmp_path / "l.stl")
    key = pair_key(a, b)
    assert key == pair_key(load_scan(tmp_path / "u.stl"), load_scan(tmp_path / "l.stl"))
    assert key != pair_key(b, a)
    cache = ClearanceCache(size=1)
    review = review_clearance(a, a, b, b)
    cache.put(key, review)
    assert cache.get(key) is review
    cache.put(("other",), review)
    assert cache.get(key) is None
