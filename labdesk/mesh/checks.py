"""What a reviewer needs to know about a scan before trusting it: size, units, holes, pieces."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.scan import (
    IndexArray,
    Scan,
    column_bounds,
    is_degenerate,
    triangle_double_areas,
)

#: A full arch is ~40-80 mm across; a die or a quadrant is smaller but not under ~8 mm.
PLAUSIBLE_MM = (8.0, 200.0)


@dataclass
class ScanReport:
    """The facts about one scan, and the warnings a technician should read."""

    source: str
    triangles: int
    vertices: int
    bbox_min: tuple[float, float, float]
    bbox_max: tuple[float, float, float]
    surface_area_mm2: float
    components: int
    boundary_edges: int
    boundary_loops: int
    non_manifold_edges: int
    degenerate_faces: int
    non_finite_values: int
    has_colors: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def size_mm(self) -> tuple[float, float, float]:
        lo, hi = self.bbox_min, self.bbox_max
        return (hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2])

    @property
    def holes(self) -> int:
        """Open boundaries besides the scan's outer rim (an intraoral scan has one rim)."""
        return max(0, self.boundary_loops - self.components)

    def summary_lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs for an info panel."""
        size = " × ".join(_fmt(v) for v in self.size_mm)
        loops = "loop" if self.boundary_loops == 1 else "loops"
        return [
            ("File", self.source or "—"),
            ("Triangles", f"{self.triangles:,}"),
            ("Vertices", f"{self.vertices:,}"),
            ("Size", f"{size} mm"),
            ("Surface", f"{_fmt(self.surface_area_mm2)} mm²"),
            ("Pieces", f"{self.components:,}"),
            ("Open edges", f"{self.boundary_edges:,} in {self.boundary_loops:,} {loops}"),
            ("Holes", f"{self.holes:,}"),
            ("Degenerate", f"{self.degenerate_faces:,} triangles"),
            ("Colour", "yes" if self.has_colors else "no"),
        ]


def check_scan(scan: Scan) -> ScanReport:
    """Measure and sanity-check a scan (no exceptions for bad geometry: warnings instead).

    Any mesh :func:`labdesk.mesh.load_scan` returns is accepted, however degenerate (every
    triangle collapsed to one point, a single vertex): the report says what is wrong. What the
    loader noticed while reading (``scan.load_warnings``, e.g. an ASCII STL cut off before
    ``endsolid``) comes first among the warnings.
    """
    v, f = scan.vertices, scan.faces
    finite_rows: NDArray[np.bool_] = np.asarray(np.isfinite(v).all(axis=1))
    non_finite = int((~np.isfinite(v)).sum())
    good_faces = f[finite_rows[f].all(axis=1)] if non_finite else f
    if len(good_faces):
        used = np.zeros(len(v), dtype=bool)
        used[good_faces.reshape(-1)] = True
        pts = v[used]
        lo32, hi32 = column_bounds(pts)
        lo, hi = lo32.astype(float), hi32.astype(float)
    else:
        lo = hi = np.zeros(3)
    area2 = _double_areas(v, good_faces)
    degenerate = int(is_degenerate(area2).sum())
    degenerate += int(len(f) - len(good_faces))
    edge_counts, boundary = _edges(f, len(v))
    report = ScanReport(
        source=scan.source,
        triangles=scan.n_faces,
        vertices=scan.n_vertices,
        bbox_min=(float(lo[0]), float(lo[1]), float(lo[2])),
        bbox_max=(float(hi[0]), float(hi[1]), float(hi[2])),
        surface_area_mm2=float(area2.sum() / 2.0),
        components=_components(f, len(v)),
        boundary_edges=len(boundary),
        boundary_loops=_loops(boundary, len(v)),
        non_manifold_edges=int((edge_counts > 2).sum()),
        degenerate_faces=degenerate,
        non_finite_values=non_finite,
        has_colors=scan.colors is not None,
    )
    report.warnings = [*scan.load_warnings, *_warnings(report)]
    return report


#: Faces per slice in :func:`_double_areas`: float64 temporaries of ~180 bytes per face stay
#: at ~30 MB instead of ~180 MB at 1M triangles (issue 18: the check runs beside the viewer's
#: first smooth frame).
_AREA_CHUNK = 1 << 17


def _double_areas(v: NDArray[np.float32], f: IndexArray) -> NDArray[np.float64]:
    out = np.empty(len(f), dtype=np.float64)
    for start in range(0, len(f), _AREA_CHUNK):
        part = f[start : start + _AREA_CHUNK]
        out[start : start + len(part)] = triangle_double_areas(
            v[part[:, 0]], v[part[:, 1]], v[part[:, 2]]
        )
    return out


def _edges(f: IndexArray, n: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """How many faces share each undirected edge, and the edges used by exactly one face.

    Each edge is one int64 key (low vertex × n + high vertex) built column by column: no
    (3m, 2) int64 edge array and its sorted copy (that took ~120 MB at 1M triangles, beside
    the viewer's first smooth frame; this takes about a third).
    """
    if len(f) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2), dtype=np.int64)
    width = np.int64(max(n, 1))
    keys = np.empty(3 * len(f), dtype=np.int64)
    for i, (a, b) in enumerate(((0, 1), (1, 2), (2, 0))):
        fa, fb = f[:, a], f[:, b]
        part = keys[i * len(f) : (i + 1) * len(f)]
        np.minimum(fa, fb, out=part, casting="unsafe")
        part *= width
        part += np.maximum(fa, fb)
        part[fa == fb] = -1  # a collapsed triangle's edges join a vertex to itself
    keys.sort()
    keys = keys[np.searchsorted(keys, 0) :]
    if len(keys) == 0:  # every triangle collapsed to one point: there are no edges at all
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2), dtype=np.int64)
    starts = np.empty(len(keys), dtype=bool)
    starts[0] = True
    np.not_equal(keys[1:], keys[:-1], out=starts[1:])
    first = np.flatnonzero(starts)
    del starts
    counts = np.diff(np.append(first, len(keys)))
    once = keys[first[counts == 1]]
    boundary = np.stack([once // width, once % width], axis=1)
    return counts, boundary


def _components(f: IndexArray, n: int) -> int:
    """How many separate pieces the faces make (vertices no face uses do not count)."""
    if len(f) == 0:
        return 0
    used = np.zeros(n, dtype=bool)
    used[f.reshape(-1)] = True
    return _count_pieces([f[:, 0], f[:, 1], f[:, 2]], used)


def _loops(boundary: NDArray[np.int64], n: int) -> int:
    """How many closed loops the open edges make."""
    if len(boundary) == 0:
        return 0
    present = np.zeros(n, dtype=bool)
    present[boundary.reshape(-1)] = True
    cells = boundary.astype(np.int32)
    return _count_pieces([cells[:, 0], cells[:, 1]], present)


def _count_pieces(corners: list[NDArray[np.integer]], present: NDArray[np.bool_]) -> int:
    """Connected pieces of the cells whose corner ids are ``corners`` (one array per corner),
    counted over the vertices marked ``present``.

    Union-find in whole-array numpy (hook every cell's roots onto its smallest root, then
    follow the links to the roots; repeat until no cell joins two roots): ~0.05 s and ~40 MB
    at 1M triangles, 8 rounds when the vertex numbering is random, 2 in a welded STL's order.
    SciPy's ``connected_components`` took ~0.1 s and ~80 MB (its float64 copy and transpose
    of the graph), plus ~0.4 s and ~30 MB to import SciPy, beside the viewer's first frame.
    A vertex's link always points to a smaller id in its piece, so there are no cycles.
    """
    root = np.arange(len(present), dtype=np.int32)
    while True:
        roots = [root[c] for c in corners]
        smallest = roots[0].copy()
        for r in roots[1:]:
            np.minimum(smallest, r, out=smallest)
        joined = False
        for r in roots:
            if np.any(r != smallest):
                joined = True
                np.minimum.at(root, r, smallest)
        del roots, smallest
        while True:  # follow the links: every vertex points at its root again
            further = root[root]
            if np.array_equal(further, root):
                break
            root = further
        if not joined:
            break
    return int(np.count_nonzero(present & (root == np.arange(len(root)))))


def _warnings(r: ScanReport) -> list[str]:
    out: list[str] = []
    if r.non_finite_values:
        out.append(f"{r.non_finite_values:,} coordinates are NaN or infinite.")
    extent = max(r.size_mm)
    lo, hi = PLAUSIBLE_MM
    if r.triangles and r.degenerate_faces == r.triangles:
        # Units advice would be nonsense here: there is no surface to measure.
        out.append("No triangle has any area: the file holds no usable surface.")
    elif r.triangles and extent < lo:
        if extent < 0.5:
            out.append(
                f"The scan is only {_fmt(extent)} mm across (a full arch is 40–80 mm): it was "
                f"probably saved in metres (× 1000 would make it {_fmt(extent * 1000)} mm)."
            )
        else:
            out.append(
                f"The scan is only {_fmt(extent)} mm across (a full arch is 40–80 mm): it may "
                "have been saved in centimetres or inches."
            )
    elif extent > hi:
        if extent > 1000:
            out.append(
                f"The scan is {_fmt(extent)} mm across (a full arch is 40–80 mm): it was "
                f"probably saved in micrometres (÷ 1000 would make it {_fmt(extent / 1000)} mm)."
            )
        else:
            out.append(
                f"The scan is {_fmt(extent)} mm across, larger than any dental arch "
                "(40–80 mm): check the units."
            )
    if r.components > 1:
        out.append(f"The scan is in {r.components:,} separate pieces (loose fragments?).")
    if r.holes:
        holes = "hole" if r.holes == 1 else "holes"
        out.append(f"The surface has {r.holes:,} {holes} besides its open border.")
    if r.degenerate_faces:
        share = r.degenerate_faces / max(r.triangles, 1)
        what = "triangle has" if r.degenerate_faces == 1 else "triangles have"
        out.append(f"{r.degenerate_faces:,} {what} no area ({share:.1%}).")
    if r.non_manifold_edges:
        out.append(f"{r.non_manifold_edges:,} edges are shared by more than two triangles.")
    return out


def _fmt(value: float) -> str:
    """Enough digits to be useful from micrometre-sized to metre-sized numbers."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1 or value == 0:
        return f"{value:.1f}"
    return f"{value:.3g}"
