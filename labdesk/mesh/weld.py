"""Merge the repeated corners of a triangle soup (STL) into shared vertices.

STL stores every triangle with its own three corners; smooth normals, connectivity checks and
decimation need shared vertices. ``np.unique(axis=0)`` is exact but slow (seconds at a million
triangles on a lab PC). Here the three float32 bit patterns of each corner are hashed, the
hash and the corner's position are packed into one uint64 and sorted with a plain
``np.sort`` (several times faster than ``argsort``), and the grouping is verified bit for bit.
A hash collision (a few percent of million-triangle files) retries with other multipliers;
after three misses the exact ``np.unique`` path runs.

Corners are equal when their float32 coordinates are bitwise equal (so -0.0 and 0.0 stay
apart: harmless, it only happens at exactly zero).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.scan import FloatArray, IndexArray

_SEEDS = (
    (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9),
    (0xD6E8FEB86659FD93, 0xA0761D6478BD642F, 0xE7037ED1A0B428DB),
    (0x8EBC6AF09C88C6E3, 0x589965CC75374CC3, 0x1D8E4E27C47D124F),
)


def weld_soup(corners: FloatArray) -> tuple[FloatArray, IndexArray]:
    """Unique corners and, for every input corner, the index of its unique vertex.

    ``corners`` is float32 (k, 3). Vertices are numbered in order of first appearance, which
    keeps neighbouring triangles close together in memory (and in the GPU's vertex cache).
    """
    k = len(corners)
    if k == 0:
        return np.zeros((0, 3), dtype=np.float32), np.zeros(0, dtype=np.int32)
    corners = np.ascontiguousarray(corners, dtype=np.float32).reshape(k, 3)
    bits = corners.view(np.uint32)
    columns = np.ascontiguousarray(bits.T)
    for seed in _SEEDS:
        result = _weld_hashed(bits, columns, seed)
        if result is not None:
            first, inverse = result
            return corners[first], inverse
    first, inverse = _weld_exact(corners)
    return corners[first], inverse


def _weld_hashed(
    bits: NDArray[np.uint32], columns: NDArray[np.uint32], seed: tuple[int, int, int]
) -> tuple[NDArray[np.intp], IndexArray] | None:
    k = len(bits)
    h = columns[0].astype(np.uint64) * np.uint64(seed[0])
    h ^= columns[1].astype(np.uint64) * np.uint64(seed[1])
    h ^= columns[2].astype(np.uint64) * np.uint64(seed[2])
    h ^= h >> np.uint64(29)
    shift = max(1, int(k - 1).bit_length())
    mask = np.uint64((1 << shift) - 1)
    h <<= np.uint64(shift)
    h |= np.arange(k, dtype=np.uint64)
    keys = h
    keys.sort()  # equal hashes end up together, ties ordered by corner index
    order = (keys & mask).astype(np.intp)
    starts = np.empty(k, dtype=bool)
    starts[0] = True
    np.greater(keys[1:] ^ keys[:-1], mask, out=starts[1:])
    del keys, h
    group = np.cumsum(starts, dtype=np.int32)
    group -= 1
    first = order[starts]  # the first corner (smallest index) of every group
    # Renumber the groups in order of first appearance without another sort.
    is_first = np.zeros(k, dtype=bool)
    is_first[first] = True
    new_id = np.cumsum(is_first, dtype=np.int32)
    new_id -= 1
    inverse = np.empty(k, dtype=np.int32)
    inverse[order] = new_id[first][group]
    first_sorted = np.flatnonzero(is_first)
    # Exact check: every corner must be bitwise equal to the vertex it was merged into.
    merged = first_sorted[inverse]
    for axis in range(3):
        if not np.array_equal(columns[axis][merged], columns[axis]):
            return None
    return first_sorted, inverse


def _weld_exact(corners: FloatArray) -> tuple[NDArray[np.intp], IndexArray]:
    rows = np.ascontiguousarray(corners).view(np.dtype((np.void, 12))).ravel()
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[order] = np.arange(len(first))
    return np.asarray(first[order], dtype=np.intp), rank[inverse.ravel()].astype(np.int32)
