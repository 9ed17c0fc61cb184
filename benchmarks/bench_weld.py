"""Weld candidates for issue 18: merge the 3M corners of a 1M-triangle STL into vertices.

    cd /work/main && .venv/bin/python benchmarks/bench_weld.py [--runs 7] [--numba-python PATH]

Same soup, same process, interleaved runs (medians), so the load of the shared machine hits
every candidate alike; each candidate's import time is measured in a fresh process.

* ``sort`` — the weld before issue 18: hashed uint64 keys with the corner index packed in, one
  ``np.sort``, bitwise verification (kept here, verbatim in spirit, for comparison);
* ``hash table`` — :func:`labdesk.mesh.weld.weld_soup`: open addressing in numpy, no sort;
* ``trimesh.grouping.unique_rows`` — trimesh's own merge (``merge_vertices`` builds on it);
* ``numba`` — a compiled sequential hash table (only with ``--numba-python``: numba needs its
  own environment; compile time is reported apart, ``cache=True`` would keep it on disk).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labdesk.mesh import read_mesh  # noqa: E402
from labdesk.mesh.synthetic import generate_arch, write_binary_stl  # noqa: E402
from labdesk.mesh.weld import weld_soup  # noqa: E402


def sort_weld(corners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pre-issue-18 weld (one seed, no retry: enough to time it)."""
    k = len(corners)
    columns = np.ascontiguousarray(corners.view(np.uint32).T)
    h = columns[0].astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    h ^= columns[1].astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
    h ^= columns[2].astype(np.uint64) * np.uint64(0x165667B19E3779F9)
    h ^= h >> np.uint64(29)
    shift = max(1, int(k - 1).bit_length())
    mask = np.uint64((1 << shift) - 1)
    h <<= np.uint64(shift)
    h |= np.arange(k, dtype=np.uint64)
    h.sort()
    order = (h & mask).astype(np.intp)
    starts = np.empty(k, dtype=bool)
    starts[0] = True
    np.greater(h[1:] ^ h[:-1], mask, out=starts[1:])
    group = np.cumsum(starts, dtype=np.int32) - 1
    first = order[starts]
    is_first = np.zeros(k, dtype=bool)
    is_first[first] = True
    new_id = np.cumsum(is_first, dtype=np.int32) - 1
    inverse = np.empty(k, dtype=np.int32)
    inverse[order] = new_id[first][group]
    first_sorted = np.flatnonzero(is_first)
    merged = first_sorted[inverse]
    for axis in range(3):
        assert np.array_equal(columns[axis][merged], columns[axis])
    return corners[first_sorted], inverse


def trimesh_weld(corners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from trimesh.grouping import unique_rows

    unique, inverse = unique_rows(corners, keep_order=True)
    return corners[unique], inverse


NUMBA_CHILD = r"""
import sys, time, statistics, numpy as np
t = time.perf_counter(); import numba; t_import = time.perf_counter() - t

@numba.njit(cache=False)
def weld(bits):
    k = bits.shape[0]
    size = 1
    while size < 2 * k:
        size *= 2
    table = np.full(size, -1, np.int32)
    inverse = np.empty(k, np.int32)
    first = np.empty(k, np.int32)
    n = 0
    for i in range(k):
        x, y, z = bits[i, 0], bits[i, 1], bits[i, 2]
        h = (np.uint32(x) * np.uint32(0x9E3779B1)) ^ (np.uint32(y) * np.uint32(0x85EBCA77))
        h ^= np.uint32(z) * np.uint32(0xC2B2AE3D)
        s = np.int64(h) & (size - 1)
        while True:
            j = table[s]
            if j < 0:
                table[s] = n
                first[n] = i
                inverse[i] = n
                n += 1
                break
            f = first[j]
            if bits[f, 0] == x and bits[f, 1] == y and bits[f, 2] == z:
                inverse[i] = j
                break
            s = (s + 1) & (size - 1)
    return first[:n], inverse

corners = np.load(sys.argv[1])
bits = corners.view(np.uint32)
t = time.perf_counter(); weld(bits[:9]); t_compile = time.perf_counter() - t
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); first, inv = weld(bits); times.append(time.perf_counter() - t)
print(f"{t_import:.3f} {t_compile:.3f} {statistics.median(times):.3f} {len(first)}")
"""


def import_time(module: str, python: str = sys.executable) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = []
    for _ in range(3):
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
        runs.append(float(out.stdout))
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--numba-python", default="")
    parser.add_argument("--data", type=Path, default=Path("/tmp/labdesk-bench"))
    args = parser.parse_args()
    path = args.data / "arch_stl_1m.stl"
    if not path.exists():
        args.data.mkdir(parents=True, exist_ok=True)
        write_binary_stl(path, generate_arch("lower", triangles=1_000_000, seed=11))
    corners = read_mesh(path).vertices
    print(f"{len(corners):,} corners; load average {Path('/proc/loadavg').read_text().split()[:3]}")
    expected = weld_soup(corners)
    candidates = {"sort (before issue 18)": sort_weld, "hash table (labdesk)": weld_soup}
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(args.runs):
        for name, fn in candidates.items():
            start = time.perf_counter()
            vertices, inverse = fn(corners)
            times[name].append(time.perf_counter() - start)
            assert np.array_equal(inverse, expected[1])
            assert np.array_equal(vertices, expected[0])
    print("| candidate | median weld | import |")
    print("|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.3f} s | (numpy only) |")
    start = time.perf_counter()
    trimesh_weld(corners)
    print(
        f"| trimesh.grouping.unique_rows | {time.perf_counter() - start:.2f} s (1 run) "
        f"| {import_time('trimesh'):.2f} s |"
    )
    if args.numba_python:
        npy = args.data / "corners_1m.npy"
        np.save(npy, corners)
        out = subprocess.run(
            [args.numba_python, "-c", NUMBA_CHILD, str(npy), str(args.runs)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        t_import, t_compile, t_weld, n = out
        assert int(n) == len(expected[0])
        print(
            f"| numba (sequential hash table) | {t_weld} s (+ {t_compile} s compile) "
            f"| {t_import} s |"
        )


if __name__ == "__main__":
    main()
