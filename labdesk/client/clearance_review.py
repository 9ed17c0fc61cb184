"""The scan review's clearance: how much room the opposing jaw leaves each prepared tooth, and
whether the two jaws are in occlusion — computed once per pair of files, off the GUI thread.

The viewer draws decimated *display* meshes, so the distances are measured from each display
vertex to the other jaw's full-resolution surface (``surface_distances``): as many values as
there are coloured vertices, each exact against the real opposing surface. The required
clearance changes only the colours and verdicts, never the distances, so it is not part of
the cache key.

No Qt here: the viewer (``labdesk.gui.widgets.clearance_view``) runs :func:`review_clearance`
on its task runner and keeps the results in a :class:`ClearanceCache`.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from labdesk.domain.clearance import verdict
from labdesk.mesh.arch import ArchTrace, ToothLocator, jaw_of, tooth_clearance, trace_arch
from labdesk.mesh.clearance import CAP_MM, BiteCheck, ClearanceMap, bite_check, surface_distances
from labdesk.mesh.scan import FloatArray, Scan

__all__ = [
    "ClearanceCache",
    "ClearanceReview",
    "ToothFigure",
    "clearance_colors",
    "legend_stops",
    "pair_key",
    "rejection_note",
    "review_clearance",
]

#: Above the required clearance by less than this, a tooth is tight (orange/yellow), not free.
TIGHT_MARGIN_MM = 0.5

# The ramp: red under the requirement, orange to yellow within TIGHT_MARGIN_MM above it, green
# to blue beyond, grey where the opposing jaw is out of reach (the capped distance).
_RED = (214, 48, 39)
_ORANGE = (244, 140, 40)
_YELLOW = (240, 220, 60)
_GREEN = (80, 180, 90)
_BLUE = (60, 120, 210)
_GREY = (150, 150, 150)


@dataclass(frozen=True)
class ToothFigure:
    """The clearance of one prepared tooth against what the restoration needs."""

    fdi: int
    measured_mm: float
    required_mm: float

    @property
    def short(self) -> bool:
        return self.measured_mm < self.required_mm

    @property
    def line(self) -> str:
        """What the scan check says, e.g. "36: 0.3 mm (needs 1.0 mm): 0.7 mm short"."""
        return f"{self.fdi}: {verdict(self.measured_mm, self.required_mm)}"


@dataclass(frozen=True)
class ClearanceReview:
    """Signed distances per display vertex of each jaw, where the teeth are, and the bite."""

    upper: FloatArray
    lower: FloatArray
    bite: BiteCheck
    locators: dict[str, ToothLocator | None]
    cap: float = CAP_MM
    measured: dict[int, float] = field(default_factory=dict)  # full resolution, per tooth

    def distances(self, jaw: str) -> FloatArray:
        return self.upper if jaw == "upper" else self.lower

    def tooth_at(self, jaw: str, vertex: int) -> int | None:
        """The FDI number under a display vertex, when the arch was recognised."""
        locator = self.locators.get(jaw)
        return None if locator is None else locator.tooth_at(vertex)

    def teeth(self, teeth: Iterable[int], required_mm: float) -> list[ToothFigure]:
        """A figure for each of ``teeth`` that lies on a recognised arch, in FDI order: the
        full-resolution minimum measured for the teeth the review was asked about, else the
        minimum over the display vertices (cell means a little off the surface: it can read
        a few tenths of a millimetre more room than there is)."""
        wanted = sorted(set(teeth))
        figures: list[ToothFigure] = []
        for jaw in ("upper", "lower"):
            locator = self.locators.get(jaw)
            own = [t for t in wanted if _is_permanent(t) and jaw_of(t) == jaw]
            if locator is None or not own:
                continue
            found = tooth_clearance(locator, self.distances(jaw), own, self.cap)
            found.update({t: self.measured[t] for t in own if t in self.measured})
            figures += [ToothFigure(t, mm, required_mm) for t, mm in found.items()]
        return sorted(figures, key=lambda f: f.fdi)


def _is_permanent(fdi: int) -> bool:
    return fdi // 10 in (1, 2, 3, 4) and 1 <= fdi % 10 <= 8


def review_clearance(
    upper_display: Scan,
    upper_full: Scan,
    lower_display: Scan,
    lower_full: Scan,
    teeth: Iterable[int] = (),
) -> ClearanceReview:
    """Distances of each displayed jaw to the other's full surface, the bite check, the tooth
    slots (traced on the full scans), and for each of ``teeth`` (the case's prepared teeth)
    the clearance over its slot at full resolution — measured in the same query as the display
    vertices, so it costs no second search structure (slow: seconds at most; run it off the
    GUI thread)."""
    wanted = sorted({t for t in teeth if _is_permanent(t)})
    traces = {"upper": trace_arch(upper_full, "upper"), "lower": trace_arch(lower_full, "lower")}
    measured: dict[int, float] = {}
    upper = _distances(upper_display, upper_full, lower_full, traces["upper"], wanted, measured)
    lower = _distances(lower_display, lower_full, upper_full, traces["lower"], wanted, measured)
    bite = bite_check(upper_display, lower_display, ClearanceMap(upper, lower, CAP_MM))
    locators = {
        jaw: None if trace is None else trace.locator(shown)
        for (jaw, trace), shown in zip(traces.items(), (upper_display, lower_display), strict=True)
    }
    return ClearanceReview(upper, lower, bite, locators, measured=measured)


def _distances(
    display: Scan, full: Scan, opposing: Scan, trace: ArchTrace | None, teeth: list[int],
    measured: dict[int, float],
) -> FloatArray:  # fmt: skip
    """The display vertices' distances to ``opposing``; with them, the full-resolution
    vertices over each of ``teeth`` of this jaw, whose minimum goes into ``measured``."""
    own = [t for t in teeth if trace is not None and jaw_of(t) == trace.jaw]
    regions = []
    if trace is not None and own:
        slots = trace.locator()
        regions = [np.flatnonzero(slots.region(t, core=0.6)) for t in own]
    points = np.concatenate([display.vertices, *(full.vertices[r] for r in regions)])
    found = surface_distances(points, opposing)
    at = display.n_vertices
    for fdi, region in zip(own, regions, strict=True):
        part = found[at : at + len(region)]
        measured[fdi] = float(part.min()) if len(part) else CAP_MM
        at += len(region)
    return found[: display.n_vertices]


def rejection_note(figures: Iterable[ToothFigure]) -> str:
    """The note a rejection for insufficient clearance carries: "16: 0.3 mm (needs 1.0 mm)"."""
    short = [f for f in figures if f.short]
    lines = [f"{f.fdi}: {f.measured_mm:.1f} mm (needs {f.required_mm:.1f} mm)" for f in short]
    return "Insufficient occlusal clearance measured on the scans:\n" + "\n".join(lines)


def clearance_colors(
    distances: FloatArray, required_mm: float, cap: float = CAP_MM
) -> NDArray[np.uint8]:
    """RGB per vertex: red under ``required_mm``, orange→yellow up to ``TIGHT_MARGIN_MM`` above,
    green→blue beyond, grey at the cap (nothing opposite within reach)."""
    d = np.asarray(distances, dtype=np.float64)
    out = np.empty((len(d), 3), dtype=np.float64)
    tight_end = required_mm + TIGHT_MARGIN_MM
    t_tight = np.clip((d - required_mm) / TIGHT_MARGIN_MM, 0.0, 1.0)[:, None]
    t_free = np.clip((d - tight_end) / max(cap - tight_end, 1e-6), 0.0, 1.0)[:, None]
    tight = _mix(_ORANGE, _YELLOW, t_tight)
    free = _mix(_GREEN, _BLUE, t_free)
    out[:] = np.where(d[:, None] < required_mm, np.array(_RED, float), 0.0)
    out = np.where((d[:, None] >= required_mm) & (d[:, None] < tight_end), tight, out)
    out = np.where(d[:, None] >= tight_end, free, out)
    out = np.where(d[:, None] >= cap - 1e-6, np.array(_GREY, float), out)
    return np.asarray(np.round(out), dtype=np.uint8)


def _mix(
    a: tuple[int, int, int], b: tuple[int, int, int], t: NDArray[np.float64]
) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.array(a, float) * (1.0 - t) + np.array(b, float) * t
    return out


def legend_stops(required_mm: float, cap: float = CAP_MM) -> list[tuple[str, tuple[int, int, int]]]:
    """The legend's entries, label and colour, from the closest to the farthest."""
    tight_end = required_mm + TIGHT_MARGIN_MM
    return [
        (f"under {required_mm:.1f} mm (not enough)", _RED),
        (f"{required_mm:.1f}–{tight_end:.1f} mm (tight)", _ORANGE),
        (f"{tight_end:.1f}–{cap:.1f} mm", _GREEN),
        (f"{cap:.1f} mm or more", _GREY),
    ]


def pair_key(upper: Scan, lower: Scan) -> tuple[object, ...]:
    """Identifies a pair of displayed scans: each file's path, size and modification time
    when it is a file on disk, else its name and size; plus the display mesh's size."""
    return (_scan_key(upper), _scan_key(lower))


def _scan_key(scan: Scan) -> tuple[object, ...]:
    try:
        stat = os.stat(scan.source)
    except (OSError, ValueError):
        return (scan.source, scan.n_vertices, scan.n_faces, float(scan.vertices[:1].sum()))
    return (os.path.abspath(scan.source), stat.st_size, stat.st_mtime_ns, scan.n_vertices)


class ClearanceCache:
    """The last few reviews by :func:`pair_key`, in memory (thread-safe, least recent out)."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._items: OrderedDict[tuple[object, ...], ClearanceReview] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> ClearanceReview | None:
        with self._lock:
            review = self._items.get(key)
            if review is not None:
                self._items.move_to_end(key)
            return review

    def put(self, key: tuple[object, ...], review: ClearanceReview) -> None:
        with self._lock:
            self._items[key] = review
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
