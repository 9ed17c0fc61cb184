"""Merge the repeated corners of a triangle soup (STL) into shared vertices.

STL stores every triangle with its own three corners; smooth normals, connectivity checks and
decimation need shared vertices. ``np.unique(axis=0)`` is exact but slow (seconds at a million
triangles on a lab PC), and even one ``np.sort`` of hashed keys was the largest part of a
1M-triangle open (issue 18). Here the corners go into an open-addressing hash table built with
whole-array numpy operations, no sort at all:

* each corner's three float32 bit patterns are hashed to a slot of a table of at least as many
  slots as corners (an STL corner is repeated about six times, so the table stays mostly empty);
* in every round, the pending corners whose slot is still empty write their index into it
  (in reverse order, so the smallest index is the last write and wins), then every pending
  corner compares its bits with the slot's owner: equal means merged, different means the
  corner moves one slot on (linear probing) and stays pending.

All corners with equal bits share one probe sequence and so always move together: the result
is exact by construction (a hash collision only costs another round, never a wrong merge).
Most corners settle in the first round; a few rounds follow for the colliding ones. A file that
defeats the hash (more than :data:`MAX_ROUNDS` rounds) takes the exact ``np.unique`` path.
Measured at 1M triangles (3M corners) on the 2-core machine, same run and load: 0.55 s for the
former sort-based weld, 0.27-0.35 s here; see ``benchmarks/RESULTS.md`` (issue 18).

Corners are equal when their float32 coordinates are bitwise equal (so -0.0 and 0.0 stay
apart: harmless, it only happens at exactly zero).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from labdesk.mesh.scan import FloatArray, IndexArray

#: Probing rounds before giving up on the hash table (a typical scan needs fewer than 10).
MAX_ROUNDS = 64

_M1, _M2, _M3, _MIX = (
    np.uint32(0x9E3779B1),
    np.uint32(0x85EBCA77),
    np.uint32(0xC2B2AE3D),
    np.uint32(0x2C1B3C6D),
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
    x, y, z = np.ascontiguousarray(corners.view(np.uint32).T)
    first, inverse = group_equal_rows(x, y, z)
    return corners[first], inverse


def group_equal_rows(
    x: NDArray[np.uint32], y: NDArray[np.uint32], z: NDArray[np.uint32]
) -> tuple[NDArray[np.intp], IndexArray]:
    """Group the rows ``(x[i], y[i], z[i])`` that are equal: (the first row of every group, in
    order of first appearance; for every row, its group's number). Also used to cluster
    vertices by grid cell for decimation."""
    owner = _owners_by_hash_table(x, y, z)
    if owner is None:
        return _weld_exact(np.stack([x, y, z], axis=1))
    return _number_by_first_appearance(owner)


def _owners_by_hash_table(
    x: NDArray[np.uint32], y: NDArray[np.uint32], z: NDArray[np.uint32]
) -> IndexArray | None:
    """For every row, the index of a row with the same bits (the group's smallest, in
    practice: numpy applies repeated fancy-index writes in order). None past MAX_ROUNDS."""
    k = len(x)
    table_bits = max(4, int(k - 1).bit_length())  # at least k slots: a free one always exists
    mask = np.int32((1 << table_bits) - 1)
    slot = x * _M1
    slot ^= y * _M2
    slot ^= z * _M3
    slot ^= slot >> np.uint32(15)
    slot *= _MIX
    slot >>= np.uint32(32 - table_bits)  # the well-mixed high bits pick the slot
    slots = slot.view(np.int32)
    table = np.full(1 << table_bits, -1, dtype=np.int32)
    # Round one: the table is empty, so every corner writes; the smallest index writes last.
    table[slots[::-1]] = np.arange(k - 1, -1, -1, dtype=np.int32)
    owner = table[slots]
    same = x[owner] == x
    same &= y[owner] == y
    same &= z[owner] == z
    pending = np.flatnonzero(~same).astype(np.int32)
    del same
    slots = (slots[pending] + 1) & mask
    for _ in range(MAX_ROUNDS):
        if not len(pending):
            return owner
        found = table[slots]
        empty = found < 0
        if empty.any():
            table[slots[empty][::-1]] = pending[empty][::-1]
            found = table[slots]
        match = x[found] == x[pending]
        match &= y[found] == y[pending]
        match &= z[found] == z[pending]
        owner[pending] = found
        pending = pending[~match]
        slots = (slots[~match] + 1) & mask
    return None


def _number_by_first_appearance(owner: IndexArray) -> tuple[NDArray[np.intp], IndexArray]:
    """Vertex ids in order of each group's owner, without a sort (owners mark themselves)."""
    is_owner = np.zeros(len(owner), dtype=bool)
    is_owner[owner] = True
    new_id = np.cumsum(is_owner, dtype=np.int32)
    new_id -= 1
    return np.flatnonzero(is_owner), new_id[owner]


def _weld_exact(rows_3x4: NDArray[np.generic]) -> tuple[NDArray[np.intp], IndexArray]:
    """``np.unique`` on (k, 3) rows of 4-byte values compared as 12 raw bytes."""
    rows = np.ascontiguousarray(rows_3x4).view(np.dtype((np.void, 12))).ravel()
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[order] = np.arange(len(first))
    return np.asarray(first[order], dtype=np.intp), rank[inverse.ravel()].astype(np.int32)
