"""How fast bad scan files are refused (the wall times the unit tests used to assert).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_bad_input.py [--runs 5]

* a PLY header promising 999,999,999,999 vertices (binary and ASCII) must be refused at once,
  from the header, without reading or allocating (budget: well under 1 s);
* random byte mutations of small valid STL/PLY/OBJ files (the fuzz test's inputs) must load or
  be refused quickly (budget: 5 s per file at worst).

Prints the median and worst time of each and exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from labdesk.mesh import ScanError, load_scan
from labdesk.mesh.synthetic import generate_arch
from labdesk.mesh.writers import write_binary_stl, write_obj, write_ply

PROMISE_BUDGET_S = 1.0
FUZZ_BUDGET_S = 5.0


def _timed(path: Path) -> float:
    started = time.perf_counter()
    with contextlib.suppress(ScanError):
        load_scan(path)
    return time.perf_counter() - started


def _trillion_promise(folder: Path) -> list[Path]:
    header = (
        "ply\nformat binary_little_endian 1.0\nelement vertex 999999999999\n"
        "property float x\nproperty float y\nproperty float z\n"
        "element face 999999999999\nproperty list uchar int vertex_indices\nend_header\n"
    )
    paths = []
    for fmt in ("binary_little_endian", "ascii"):
        path = folder / f"promise-{fmt}.ply"
        path.write_bytes(header.replace("binary_little_endian", fmt).encode() + b"\0" * 64)
        paths.append(path)
    return paths


def _fuzzed(folder: Path, count: int) -> list[Path]:
    scan = generate_arch("lower", triangles=200, seed=5, with_colors=True)
    originals = []
    for name, writer in (("a.stl", write_binary_stl), ("a.ply", write_ply), ("a.obj", write_obj)):
        writer(folder / name, scan)
        originals.append(folder / name)
    rng = random.Random(19)
    paths = []
    for n in range(count):
        source = originals[n % len(originals)]
        data = bytearray(source.read_bytes())
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = folder / f"fuzz-{n}{source.suffix}"
        path.write_bytes(bytes(data))
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fuzz-files", type=int, default=60)
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, paths, budget in (
            ("trillion-vertex PLY header", _trillion_promise(folder), PROMISE_BUDGET_S),
            ("fuzzed small scans", _fuzzed(folder, args.fuzz_files), FUZZ_BUDGET_S),
        ):
            times = [_timed(p) for _ in range(args.runs) for p in paths]
            worst = max(times)
            print(
                f"{label}: median {statistics.median(times) * 1000:.1f} ms, "
                f"worst {worst * 1000:.1f} ms (budget {budget:.0f} s)"
            )
            failed |= worst > budget
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
