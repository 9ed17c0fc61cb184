"""How much room the opposing jaw leaves: nearest-surface distances between two scans, and
whether the two are in occlusion at all.

The reviewer's question before accepting a crown is "can the lab make this": the clearance
between a preparation and the opposing teeth must be at least what the material needs (the
prescription states it, e.g. 1.0 mm). For every vertex of one jaw this module finds the
nearest point on the *surface* of the other (not the nearest vertex: on a 0.2-0.3 mm scan
grid that alone would be off by up to half the spacing), with a sign: negative where the
vertex lies inside the opposing jaw (the scans interpenetrate).

How, and why it is fast enough (two 500k-triangle jaws in well under a second on 2 cores):

1. a k-d tree of the opposing jaw's *vertices* gives, for every vertex, an upper bound of its
   distance; vertices farther than ``cap`` (2.5 mm: beyond that the colour ramp is saturated and
   no crown cares) stop there — on a real pair that is most of the gum and the buccal sides;
2. for the rest, the ``k`` nearest opposing triangles (by centroid) are candidates and the
   exact point-to-triangle distance (Ericson, *Real-Time Collision Detection* 5.1.5) of each
   is computed in numpy, the smallest kept, its sign from that triangle's outward normal.

Accuracy: exact where the nearest triangle is among the candidates, which holds for scan
meshes (near-uniform triangles); the tests check parallel planes and a sphere over a plane
to 0.01 mm, below the 0.05 mm the review needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from labdesk.mesh.scan import FloatArray, Scan

CAP_MM: Final = 2.5  # distances beyond this are reported as CAP_MM (the ramp is saturated)
CANDIDATES: Final = 8
CONTACT_MM: Final = 0.1  # closer than this counts as touching
PENETRATION_TOLERANCE_MM: Final = 0.3  # scans of teeth in contact overlap a little
OCCLUSION_GAP_MM: Final = 0.5  # jaws whose closest points are farther apart are not in occlusion
# In occlusion = some contact (area within CONTACT_MM > 0) and no overlap beyond the tolerance.
_CHUNK: Final = 65_536

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class ClearanceMap:
    """Signed nearest-surface distances (mm) of each jaw's vertices to the other jaw."""

    upper: FloatArray  # one per vertex of the upper scan
    lower: FloatArray  # one per vertex of the lower scan
    cap: float = CAP_MM


@dataclass(frozen=True)
class BiteCheck:
    in_occlusion: bool
    closest_mm: float  # the smallest distance between the jaws (negative: they overlap)
    overlap_mm: float  # the deepest interpenetration (0 when none)
    contact_mm2: float  # area of the upper jaw within CONTACT_MM of the lower
    message: str  # a sentence for the reviewer


def surface_distances(points: FloatArray, target: Scan, *, cap: float = CAP_MM) -> FloatArray:
    """Signed distance of each point to the surface of ``target`` (capped at ``cap``)."""
    n = len(points)
    out = np.full(n, cap, dtype=np.float32)
    if n == 0 or target.n_faces == 0:
        return out
    corners = target.vertices[target.faces]  # (m, 3, 3) float32: 1e-5 mm at 100 mm
    centroids = corners.mean(axis=1, dtype=np.float64)
    lengths = np.linalg.norm(corners[:, 1] - corners[:, 0], axis=1)
    reach = cap + 2.0 * float(np.percentile(lengths, 99.9))  # centroid bound of a near triangle
    rows = np.flatnonzero(_in_reach(points, centroids, reach))
    if rows.size == 0:
        return out
    normals = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    tree = cKDTree(centroids, balanced_tree=False, compact_nodes=False)
    m = len(centroids)
    k = min(CANDIDATES, m)
    for start in range(0, rows.size, _CHUNK):
        chunk = rows[start : start + _CHUNK]
        p = points[chunk]
        _, candidates = tree.query(p, k=k, distance_upper_bound=reach, workers=-1)
        candidates = np.asarray(candidates).reshape(len(chunk), k)
        missing = candidates >= m
        candidates[missing] = 0
        tri = corners[candidates]  # (r, k, 3, 3)
        q = closest_on_triangles(p[:, None, :], tri[..., 0, :], tri[..., 1, :], tri[..., 2, :])
        delta = p[:, None, :] - q
        d2 = np.einsum("rkj,rkj->rk", delta, delta)
        d2[missing] = np.inf
        best = np.argmin(d2, axis=1)
        pick = np.arange(len(chunk))
        found = np.isfinite(d2[pick, best])
        side = np.einsum("rj,rj->r", delta[pick, best], normals[candidates[pick, best]])
        distance = np.sqrt(np.where(found, d2[pick, best], cap * cap))
        distance = np.where(found & (side < 0), -distance, distance)
        out[chunk] = np.minimum(distance, cap).astype(np.float32)
    return out


def _in_reach(points: FloatArray, targets: F64, reach: float) -> NDArray[np.bool_]:
    """A cheap first cut: points whose voxel (of size ``reach``) touches a voxel with a target.

    A voxel hash and a sorted search, so the k-d tree is asked only about points that can be
    near (on a real pair most of the gum and the buccal sides are not).
    """
    origin = np.minimum(points.min(axis=0), targets.min(axis=0)) - reach
    cells = np.unique(_voxel_key(np.floor((targets - origin) / reach).astype(np.int64)))
    steps = np.array(np.meshgrid([-1, 0, 1], [-1, 0, 1], [-1, 0, 1])).reshape(3, -1).T
    keys = np.unique((cells[:, None] + _voxel_key(steps, offset=0)[None, :]).reshape(-1))
    own = _voxel_key(np.floor((points - origin) / reach).astype(np.int64))
    where = np.clip(np.searchsorted(keys, own), 0, len(keys) - 1)
    hit: NDArray[np.bool_] = keys[where] == own
    return hit


def _voxel_key(cells: NDArray[np.int64], offset: int = 1) -> NDArray[np.int64]:
    """One integer per voxel; linear, so a neighbour's key is the key plus the step's key."""
    cells = cells + offset  # cells start at 1: the dilation may reach 0, never below
    key: NDArray[np.int64] = cells[:, 0] * (1 << 42) + cells[:, 1] * (1 << 21) + cells[:, 2]
    return key


def closest_on_triangles(p: FloatArray, a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """The closest point to ``p`` on each triangle ``abc`` (broadcast over leading axes)."""
    shape = np.broadcast_shapes(p.shape, a.shape)
    p = np.broadcast_to(p, shape)
    ab, ac, ap = b - a, c - a, p - a
    d1, d2 = _dot(ab, ap), _dot(ac, ap)
    bp = p - b
    d3, d4 = _dot(ab, bp), _dot(ac, bp)
    cp = p - c
    d5, d6 = _dot(ab, cp), _dot(ac, cp)
    va = d3 * d6 - d5 * d4
    vb = d5 * d2 - d1 * d6
    vc = d1 * d4 - d3 * d2
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = va + vb + vc
        v = np.where(denom != 0, vb / denom, np.float32(0))
        w = np.where(denom != 0, vc / denom, np.float32(0))
        result = a + ab * v[..., None] + ac * w[..., None]  # inside the face
        # Edges (checked before vertices so a vertex region overrides them).
        t_ab = d1 / (d1 - d3)
        on_ab = (vc <= 0) & (d1 >= 0) & (d3 <= 0)
        result = np.where(on_ab[..., None], a + ab * t_ab[..., None], result)
        t_ac = d2 / (d2 - d6)
        on_ac = (vb <= 0) & (d2 >= 0) & (d6 <= 0)
        result = np.where(on_ac[..., None], a + ac * t_ac[..., None], result)
        t_bc = (d4 - d3) / ((d4 - d3) + (d5 - d6))
        on_bc = (va <= 0) & ((d4 - d3) >= 0) & ((d5 - d6) >= 0)
        result = np.where(on_bc[..., None], b + (c - b) * t_bc[..., None], result)
    result = np.where(((d1 <= 0) & (d2 <= 0))[..., None], a, result)
    result = np.where(((d3 >= 0) & (d4 <= d3))[..., None], b, result)
    result = np.where(((d6 >= 0) & (d5 <= d6))[..., None], c, result)
    out: FloatArray = result
    return out


def _dot(x: FloatArray, y: FloatArray) -> FloatArray:
    out: FloatArray = np.einsum("...j,...j->...", x, y)
    return out


def clearance_map(upper: Scan, lower: Scan, *, cap: float = CAP_MM) -> ClearanceMap:
    """Distances both ways: the upper jaw to the lower surface and the lower to the upper."""
    return ClearanceMap(
        upper=surface_distances(upper.vertices, lower, cap=cap),
        lower=surface_distances(lower.vertices, upper, cap=cap),
        cap=cap,
    )


def bite_check(upper: Scan, lower: Scan, cmap: ClearanceMap | None = None) -> BiteCheck:
    """Are the two jaws in occlusion (touching, not overlapping beyond a tolerance)?"""
    if upper.n_faces == 0 or lower.n_faces == 0:
        return BiteCheck(False, float("inf"), 0.0, 0.0, "Both jaws are needed for a bite check.")
    cmap = cmap or clearance_map(upper, lower)
    closest = float(min(cmap.upper.min(), cmap.lower.min()))
    overlap = max(0.0, -closest)
    contact = _vertex_areas(upper)[np.abs(cmap.upper) <= CONTACT_MM].sum()
    if closest >= cmap.cap:
        gap = _gap_between(upper, lower)
        message = (
            f"The jaws are not in occlusion: {gap:.1f} mm apart at their closest. The scans "
            "may be in different coordinate frames, or the bite scan is missing."
        )
        return BiteCheck(False, gap, 0.0, 0.0, message)
    if overlap > PENETRATION_TOLERANCE_MM:
        message = (
            f"The jaws overlap by up to {overlap:.1f} mm: the bite registration does not fit "
            "these scans (another bite, or scans from different sessions)."
        )
        return BiteCheck(False, closest, overlap, float(contact), message)
    if closest > OCCLUSION_GAP_MM or contact <= 0:
        message = (
            f"The jaws are not in occlusion: {closest:.1f} mm apart at their closest "
            "(an open bite, or the bite registration is missing)."
        )
        return BiteCheck(False, closest, 0.0, float(contact), message)
    message = f"In occlusion: {contact:.1f} mm² in contact"
    if overlap > 0:
        message += f", overlap up to {overlap:.2f} mm (within tolerance)"
    return BiteCheck(True, closest, overlap, float(contact), message + ".")


def _gap_between(upper: Scan, lower: Scan) -> float:
    """Closest vertex-to-vertex distance, for jaws too far apart for the capped map."""
    tree = cKDTree(lower.vertices.astype(np.float64))
    step = max(1, upper.n_vertices // 20_000)
    distance, _ = tree.query(upper.vertices[::step].astype(np.float64), k=1, workers=-1)
    return float(distance.min())


def _vertex_areas(scan: Scan) -> F64:
    """A third of the area of each face around each vertex (mm²)."""
    corners = scan.vertices[scan.faces].astype(np.float64)
    cross = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    area = 0.5 * np.sqrt(np.einsum("ij,ij->i", cross, cross)) / 3.0
    weights = np.repeat(area, 3)
    out = np.bincount(scan.faces.reshape(-1), weights, minlength=scan.n_vertices)
    return np.asarray(out, dtype=np.float64)
