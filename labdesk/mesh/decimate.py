"""Fewer triangles for display: grid clustering, then fast-simplification (quadric collapse).

The full-resolution scan stays the reference for measuring; this only feeds the screen (the
mesh drawn while the camera moves).

Memory (issue 18): fast-simplification keeps about 340 bytes per input triangle (+340 MB for a
1M-triangle scan, 3.9 s). A large scan is therefore first clustered on a grid in numpy
(vertices in one cell merge into their mean, triangles that collapse are dropped) down to
:data:`CLUSTER_FACTOR` times the budget, and only that goes into the quadric simplifier:
+112 MB and 1.7 s at 1M → 30k, the same budget reached. The quadric step still decides the
final shape, so the display mesh looks the same.

fast-simplification holds the GIL for seconds: callers on a GUI's worker thread use
:func:`decimate_in_helper`, which runs the job in a fresh process that exits when it is done
(no idle helper keeps its memory). SciPy and fast-simplification are imported on first use,
so importing :mod:`labdesk.mesh` to read a file does not pay for them.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.scan import (
    ColorArray,
    FloatArray,
    IndexArray,
    Scan,
    triangle_double_areas,
    unit_rows,
)
from labdesk.mesh.weld import group_equal_rows

log = logging.getLogger(__name__)

#: Scans above this many times the budget are grid-clustered before the quadric step.
CLUSTER_FACTOR = 8

# fast-simplification keeps the mesh being simplified in module-level C++ state, so two
# threads must never run it at once (an upper and a lower arch load in parallel).
_LOCK = threading.Lock()


def decimate(scan: Scan, face_budget: int) -> Scan:
    """A copy of ``scan`` with at most about ``face_budget`` triangles (the scan itself when
    it is already within budget). Vertex colours are carried over from the nearest original
    vertex. Pure function; safe to call from any thread.
    """
    if face_budget <= 0:
        raise ValueError("face_budget must be positive")
    if scan.n_faces <= face_budget:
        return scan
    import fast_simplification

    vertices, faces = scan.vertices, scan.faces
    if scan.n_faces > CLUSTER_FACTOR * face_budget:
        clustered = cluster_on_grid(vertices, faces, CLUSTER_FACTOR * face_budget)
        vertices, faces = clustered.vertices, clustered.faces
    if len(faces) > face_budget:
        with _LOCK:
            points, simplified = fast_simplification.simplify(
                vertices, faces, target_count=int(face_budget)
            )
        vertices, faces = np.asarray(points, dtype=np.float32), np.asarray(simplified)
    vertices, faces = _coherent_order(vertices, np.asarray(faces, dtype=np.int64).reshape(-1, 3))
    colors = None
    if scan.colors is not None and len(vertices):
        from scipy.spatial import cKDTree

        _, nearest = cKDTree(scan.vertices).query(vertices, k=1)
        colors = scan.colors[np.asarray(nearest, dtype=np.int64)]
    return Scan(vertices=vertices, faces=faces, colors=colors, source=scan.source)


def decimate_for_display(scan: Scan, face_budget: int) -> Scan:
    """A copy of ``scan`` with at most ``face_budget`` triangles, by grid clustering alone, in
    this process; the scan itself when it is already within budget or when no grid keeps any
    of it within budget (a strip narrower than the cells would need to be).

    What the viewer draws while the camera moves (issue 18): numpy only, no helper process,
    no SciPy. At 1M → 30k triangles it takes about 0.15 s and a few tens of MB, where the
    quadric simplifier in a spawned helper took ~2 s and ~200 MB (a second Python with numpy
    and fast-simplification). Vertices of a cell merge into their mean and colours into their
    mean colour; the cell grows until the budget holds. The shape is the scan's to within
    about one cell (0.3-0.5 mm on an arch at 30k), which is what an orbiting view needs.
    """
    if face_budget <= 0:
        raise ValueError("face_budget must be positive")
    if scan.n_faces <= face_budget:
        return scan
    target = float(face_budget)
    best: Clustered | None = None
    normals = scan.normals if scan.has_normals else None
    for _ in range(_BUDGET_TRIES):
        clustered = cluster_on_grid(
            scan.vertices, scan.faces, int(target), colors=scan.colors, normals=normals
        )
        got = len(clustered.faces)
        if got <= face_budget and (best is None or got > len(best.faces)):
            best = clustered
        if face_budget // 2 <= got <= face_budget:
            break
        # The area estimate missed (a thin strip, a noisy surface): a coarser grid when over
        # budget, a finer one when the cells swallowed most of the surface.
        target *= 0.9 * face_budget / got if got > face_budget else 2.0
    if best is None or not len(best.faces):
        # Cells wider than the surface (a strip narrower than a cell) swallow it whole: a grid
        # cannot thin this one, and the viewer then draws the full resolution throughout.
        return scan
    order, new_faces = _coherent_numbering(
        len(best.vertices), np.asarray(best.faces, dtype=np.int64)
    )
    return Scan(
        vertices=best.vertices[order],
        faces=new_faces,
        colors=None if best.colors is None else best.colors[order],
        source=scan.source,
        _normals=None if best.normals is None else best.normals[order],
    )


#: How often :func:`decimate_for_display` adjusts its grid before it settles.
_BUDGET_TRIES = 8


def decimate_in_helper(scan: Scan, face_budget: int) -> Scan:
    """:func:`decimate` in a fresh helper process that exits after the job.

    The helper is spawned (not forked: the caller may hold threads and a GL context), runs at
    a lower priority, and is gone when this returns, so its memory is given back at once. If
    the helper cannot run, the job runs in the calling thread instead.
    """
    if scan.n_faces <= face_budget:
        return scan
    bare = Scan(scan.vertices, scan.faces, scan.colors, scan.source)  # no cached normals
    try:
        with ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_lower_priority,
        ) as helper:
            return helper.submit(decimate, bare, face_budget).result()
    except (BrokenProcessPool, OSError, RuntimeError):
        log.warning("decimation helper failed; decimating in this thread", exc_info=True)
        return decimate(bare, face_budget)


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(5)  # decimation is background work: the GUI and the renderer come first


class Clustered(NamedTuple):
    """What :func:`cluster_on_grid` makes of a mesh: one vertex per occupied cell."""

    vertices: FloatArray
    faces: IndexArray
    colors: ColorArray | None  # the cells' mean colours, when colours were given
    normals: FloatArray | None  # the cells' mean normals (unit), when normals were given


def cluster_on_grid(
    vertices: FloatArray,
    faces: IndexArray,
    face_target: int,
    *,
    colors: ColorArray | None = None,
    normals: FloatArray | None = None,
) -> Clustered:
    """Merge the vertices of each grid cell into their mean; about ``face_target`` faces remain.

    The cell edge comes from the surface area: a closed-ish surface of area A meshed with
    cells of edge c has about 2 A / c² triangles. Faces whose corners fall into fewer than
    three cells are dropped, and so are repeated faces. Per-vertex ``colors`` and ``normals``
    are averaged per cell. The scan's own normals, averaged, shade the clustered mesh as the
    scan is shaded: normals computed from the clustered triangles show every fold that the
    merging made as a dark speck.
    """
    used = np.zeros(len(vertices), dtype=bool)  # unused vertices would widen the grid
    used[faces.reshape(-1)] = True
    new_id = np.cumsum(used, dtype=np.int32)
    new_id -= 1
    v = vertices[used]
    f = new_id[faces]
    del new_id
    stride = max(1, len(f) // 100_000)  # the area from a regular sample is plenty here
    sample = f[::stride]
    double_areas = triangle_double_areas(v[sample[:, 0]], v[sample[:, 1]], v[sample[:, 2]])
    area = 0.5 * float(np.nansum(double_areas)) * len(f) / len(sample)
    cell = np.sqrt(2.0 * area / max(face_target, 1)) if area > 0 else 0.0
    if not np.isfinite(cell) or cell <= 0:
        return Clustered(vertices, faces, colors, normals)
    lo = np.array([v[:, i].min() for i in range(3)], dtype=np.float64)
    q = np.floor((v - lo) / cell).astype(np.uint32)
    first, cluster = group_equal_rows(*np.ascontiguousarray(q.T))
    del q
    count = np.bincount(cluster, minlength=len(first)).astype(np.float64)
    merged = np.empty((len(first), 3), dtype=np.float32)
    for axis in range(3):
        merged[:, axis] = np.bincount(cluster, v[:, axis], len(first)) / count
    merged_colors = None
    if colors is not None:
        used_colors = colors[used]
        merged_colors = np.empty((len(first), used_colors.shape[1]), dtype=np.uint8)
        for channel in range(used_colors.shape[1]):
            mean = np.bincount(cluster, used_colors[:, channel], len(first)) / count
            merged_colors[:, channel] = np.clip(np.rint(mean), 0, 255)
    merged_normals = None
    if normals is not None:
        used_normals = normals[used]
        merged_normals = np.empty((len(first), 3), dtype=np.float32)
        for axis in range(3):
            merged_normals[:, axis] = np.bincount(cluster, used_normals[:, axis], len(first))
        merged_normals = unit_rows(merged_normals)
    cf = cluster[f]
    del f, cluster
    keep = (cf[:, 0] != cf[:, 1]) & (cf[:, 1] != cf[:, 2]) & (cf[:, 0] != cf[:, 2])
    cf = _drop_repeated_faces(cf[keep])
    return Clustered(merged, cf, merged_colors, merged_normals)


def _drop_repeated_faces(faces: IndexArray) -> IndexArray:
    """Faces over the same three clusters (in any order) cancel in pairs: an odd number keeps
    its first, an even number leaves none.

    Two copies are where the surface folded over itself in a cell (a thin wall, a fissure):
    keeping one of them left a hole beside it and a non-manifold edge (a 300k-triangle arch
    clustered to 30k had 509 holes, drawn as dark specks; cancelled in pairs: none).
    """
    if not len(faces):
        return faces
    ordered = np.sort(faces, axis=1).astype(np.uint32)
    first, group = group_equal_rows(*np.ascontiguousarray(ordered.T))
    odd = np.bincount(group, minlength=len(first)) % 2 == 1
    out: IndexArray = faces[np.sort(first[odd])]
    return out


def _coherent_order(
    vertices: NDArray[np.float32], faces: NDArray[np.int64]
) -> tuple[NDArray[np.float32], NDArray[np.int32]]:
    """Faces sorted by their lowest vertex and vertices numbered by first use.

    The simplifier leaves both in a scattered order; neighbours close together in memory
    draw measurably faster (about 15 % with Mesa's software renderer, from vertex reuse).
    """
    order, new_faces = _coherent_numbering(len(vertices), faces)
    return vertices[order], new_faces


def _coherent_numbering(
    n_vertices: int, faces: NDArray[np.int64]
) -> tuple[NDArray[np.intp], NDArray[np.int32]]:
    """:func:`_coherent_order` as (old vertex index of every new vertex, renumbered faces)."""
    faces = faces[np.argsort(faces.min(axis=1), kind="stable")]
    flat = faces.reshape(-1)
    first_use = np.full(n_vertices, len(flat), dtype=np.int64)
    np.minimum.at(first_use, flat, np.arange(len(flat)))
    used = np.flatnonzero(first_use < len(flat))
    order = used[np.argsort(first_use[used], kind="stable")]
    new_id = np.empty(n_vertices, dtype=np.int64)
    new_id[order] = np.arange(len(order))
    return order, new_id[faces].astype(np.int32)
