"""Polygon lists (PLY, OBJ) to triangles."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.scan import IndexArray


def fan_triangulate(flat: NDArray[np.int64], counts: NDArray[np.int64]) -> IndexArray:
    """Triangles of polygons given as concatenated corner indices and corners per polygon.

    A polygon of n corners becomes n - 2 triangles fanned from its first corner; polygons
    with fewer than three corners are dropped.
    """
    counts = np.asarray(counts, dtype=np.int64)
    flat = np.asarray(flat, dtype=np.int64)
    if counts.size == 0:
        return np.zeros((0, 3), dtype=np.int32)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    if np.all(counts == 3):
        return flat[: 3 * len(counts)].reshape(-1, 3).astype(np.int32)
    tris_per = np.maximum(counts - 2, 0)
    total = int(tris_per.sum())
    if total == 0:
        return np.zeros((0, 3), dtype=np.int32)
    owner = np.repeat(np.arange(len(counts)), tris_per)
    first_tri = np.cumsum(tris_per) - tris_per
    k = np.arange(total) - first_tri[owner] + 1
    base = starts[owner]
    tri = np.stack([flat[base], flat[base + k], flat[base + k + 1]], axis=1)
    return tri.astype(np.int32)
