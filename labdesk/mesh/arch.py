"""Where each tooth is along a scanned arch, and the clearance over a prepared tooth.

Typical crown sizes are kept here (the demo's generated arches are built from them too). A
scan's teeth are located from the arch itself: its centre line is traced by angle around the
back of the arch, measured by arc length from the midline, and cut into the typical widths,
scaled to the arch. That is reliable when the scan follows the usual intraoral export frame
(occlusal plane about the xy plane, incisors towards +y, the patient's left towards +x) and
the arch is a plausible size; otherwise :func:`locate_teeth` says it cannot (and the scan check
shows one figure for the whole jaw instead of one per tooth).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from labdesk.mesh.scan import FloatArray, Scan

# Per quadrant from the midline: central incisor, lateral incisor, canine, two premolars, two
# molars — (mesio-distal width, bucco-lingual width, crown height) in mm.
TOOTH_SIZES: Final[dict[str, tuple[tuple[float, float, float], ...]]] = {
    "upper": (
        (8.6, 7.0, 8.6),
        (6.6, 6.2, 8.2),
        (7.6, 8.0, 8.6),
        (7.0, 9.0, 8.0),
        (6.6, 9.0, 7.8),
        (10.2, 11.0, 7.6),
        (9.2, 10.5, 7.2),
    ),
    "lower": (
        (5.4, 5.8, 8.0),
        (5.9, 6.2, 8.0),
        (6.9, 7.5, 8.6),
        (7.0, 7.8, 7.8),
        (7.2, 8.2, 7.6),
        (11.0, 10.5, 7.4),
        (10.5, 10.0, 7.0),
    ),
}
ARCH_END_MM: Final = 2.5  # gum beyond the last molar, each side
_BINS: Final = 160


def jaw_of(fdi: int) -> str:
    return "upper" if fdi // 10 in (1, 2, 5, 6) else "lower"


def slot_of(fdi: int) -> int:
    """0..13 along the arch from the patient's right distal end (second molars, no thirds)."""
    quadrant, position = divmod(fdi, 10)
    if quadrant not in (1, 2, 3, 4) or not 1 <= position <= 7:
        raise ValueError(f"no slot for tooth {fdi}")
    return 7 - position if quadrant in (1, 4) else 6 + position


def slot_edges(jaw: str, length: float) -> NDArray[np.float64]:
    """Arc-length boundaries of the 14 slots along an arch of ``length`` mm (15 values)."""
    widths = np.array([w for w, _, _ in TOOTH_SIZES[jaw]])
    half = length / 2.0
    widths = widths * min(1.0, (half - ARCH_END_MM) / widths.sum())
    right = half - np.concatenate([[0.0], np.cumsum(widths)])[::-1]
    left = half + np.cumsum(widths)
    edges: NDArray[np.float64] = np.concatenate([right, left])
    return edges


@dataclass(frozen=True)
class ToothLocator:
    jaw: str
    arc: NDArray[np.float64]  # per vertex: arc length from the right distal end (mm)
    edges: NDArray[np.float64]

    def region(self, fdi: int, core: float = 1.0) -> NDArray[np.bool_]:
        """The tooth's vertices; ``core`` < 1 keeps only that middle part of its width (the
        slot's ends may hold the neighbours' marginal ridges when the arch is estimated)."""
        slot = slot_of(fdi)
        lo, hi = self.edges[slot], self.edges[slot + 1]
        trim = (hi - lo) * (1.0 - core) / 2.0
        lo, hi = lo + trim, hi - trim
        mask: NDArray[np.bool_] = (self.arc >= lo) & (self.arc < hi)
        return mask

    def tooth_at(self, vertex: int) -> int | None:
        """The FDI number of the slot a vertex falls in (None beyond the molars)."""
        slot = int(np.searchsorted(self.edges, self.arc[vertex], side="right")) - 1
        if not 0 <= slot < 14:
            return None
        quadrant_right = 1 if self.jaw == "upper" else 4
        quadrant_left = 2 if self.jaw == "upper" else 3
        return quadrant_right * 10 + (7 - slot) if slot < 7 else quadrant_left * 10 + (slot - 6)


@dataclass(frozen=True)
class ArchTrace:
    """An arch traced on a scan: its centre line and the slots along it."""

    jaw: str
    line: _CentreLine
    arc: NDArray[np.float64]  # per vertex of the traced scan (mm from the right distal end)
    start: float
    edges: NDArray[np.float64]

    def locator(self, shown: Scan | None = None) -> ToothLocator:
        """The slots of the traced scan's vertices, or of ``shown``'s (a display mesh)."""
        if shown is None:
            return ToothLocator(self.jaw, self.arc, self.edges)
        arc = self.line.arc_of(shown.vertices[:, :2].astype(np.float64)) - self.start
        return ToothLocator(self.jaw, arc, self.edges)


def locate_teeth(scan: Scan, jaw: str, shown: Scan | None = None) -> ToothLocator | None:
    """Tooth slots along the arch, or None when the scan does not look like a whole arch in
    the usual frame.

    The arch is traced on ``scan`` — the full-resolution scan, whose vertices sample the surface
    evenly — and the slots are given for the vertices of ``shown`` (the display mesh the
    viewer colours; default ``scan`` itself). Tracing on a decimated mesh moved the centre line
    with the decimation's vertex density, and a neighbour's contact could land in a prepared
    tooth's slot (a quadric 120k → 30k mesh read 0.04 mm over a tooth with 1.67 mm)."""
    trace = trace_arch(scan, jaw)
    return None if trace is None else trace.locator(shown)


def trace_arch(scan: Scan, jaw: str) -> ArchTrace | None:
    """The arch's centre line and slots, or None (see :func:`locate_teeth`)."""
    xy = scan.vertices[:, :2].astype(np.float64)
    if len(xy) < 100:
        return None
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    width, depth = hi - lo
    if not (30.0 <= width <= 90.0 and 25.0 <= depth <= 80.0):
        return None
    centre = np.array([(lo[0] + hi[0]) / 2.0, lo[1]])
    angle = np.arctan2(xy[:, 0] - centre[0], xy[:, 1] - centre[1])  # -pi/2 right .. +pi/2 left
    bins = np.clip(((angle + np.pi / 2) / np.pi * _BINS).astype(int), 0, _BINS - 1)
    counts = np.bincount(bins, minlength=_BINS)
    filled = counts > 0
    if filled.sum() < _BINS // 3:
        return None
    sx = np.bincount(bins, xy[:, 0], minlength=_BINS)[filled] / counts[filled]
    sy = np.bincount(bins, xy[:, 1], minlength=_BINS)[filled] / counts[filled]
    step = np.hypot(np.diff(sx), np.diff(sy))
    along = np.concatenate([[0.0], np.cumsum(step)])
    centres = (np.flatnonzero(filled) + 0.5) / _BINS * np.pi - np.pi / 2
    # the middle of the front must be near the midline for a whole arch
    if not (centres[0] < -0.6 and centres[-1] > 0.6):
        return None
    dense = np.arange(0.0, along[-1], 0.25)
    line = _CentreLine(
        dense, np.column_stack([np.interp(dense, along, sx), np.interp(dense, along, sy)])
    )
    arc = line.arc_of(xy)
    start, end = np.percentile(arc, [0.2, 99.8])
    return ArchTrace(jaw, line, arc - start, float(start), slot_edges(jaw, float(end - start)))


class _CentreLine:
    """The arch's centre line, resampled every 0.25 mm, and arc lengths along it."""

    def __init__(self, dense: NDArray[np.float64], line: NDArray[np.float64]) -> None:
        self.dense = dense
        self.line = line
        self.tree = cKDTree(line)

    def arc_of(self, xy: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each point takes the arc length of the nearest point of the line: a projection
        across the ridge, not along the angle. The line stops short of the arch's distal ends:
        points that project onto an end are measured past it along the end direction, so the
        arc starts at the arch."""
        line, dense = self.line, self.dense
        _, nearest = self.tree.query(xy, k=1, workers=-1)
        arc = dense[nearest]
        last = len(line) - 1
        before = _past_end(xy, nearest == 0, line[0], line[min(8, last)])
        after = _past_end(xy, nearest == last, line[last], line[max(0, last - 8)])
        arc = np.where(nearest == 0, -before, arc)
        out: NDArray[np.float64] = np.where(nearest == last, dense[last] + after, arc)
        return out


def _past_end(
    xy: NDArray[np.float64], mask: NDArray[np.bool_], end: NDArray[np.float64],
    inner: NDArray[np.float64],
) -> NDArray[np.float64]:  # fmt: skip
    """How far past ``end`` (away from ``inner``) each point lies (0 where ``mask`` is False)."""
    direction = _direction(inner, end)
    out: NDArray[np.float64] = np.where(mask, np.maximum((xy - end) @ direction, 0.0), 0.0)
    return out


def _direction(start: NDArray[np.float64], end: NDArray[np.float64]) -> NDArray[np.float64]:
    step = end - start
    norm = float(np.hypot(*step))
    out: NDArray[np.float64] = step / norm if norm > 0 else np.array([0.0, -1.0])
    return out


def tooth_clearance(
    locator: ToothLocator, distances: FloatArray, teeth: list[int], cap: float
) -> dict[int, float]:
    """The smallest clearance over each tooth's slot (``cap`` when nothing is nearer)."""
    out: dict[int, float] = {}
    for fdi in teeth:
        if jaw_of(fdi) != locator.jaw or fdi % 10 > 7 or fdi // 10 > 4:
            continue
        region = locator.region(fdi, core=0.6)
        out[fdi] = float(distances[region].min()) if region.any() else cap
    return out
