"""Worker for ``tests/unit/test_mesh_memory.py``: open one scan file ``N`` times in a row the
way the viewer does without Qt (read, weld, normals, check, decimate for display), keeping only
the latest scan alive, and print the resident memory (psutil) after each open as JSON.

Run as ``python -m tests.scan_reopen FILE N BUDGET`` in a process of its own, so that the
figures are this pipeline's and nothing else's.
"""

from __future__ import annotations

import gc
import json
import sys

import psutil

from labdesk.mesh import Scan, check_scan, load_scan
from labdesk.mesh.decimate import decimate_for_display
from labdesk.mesh.memory import give_back_free_memory


def main() -> None:
    path, opens, budget = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    process = psutil.Process()
    shown: tuple[Scan, Scan] | None = None
    rss: list[int] = []
    for _ in range(opens):
        shown = None  # the viewer drops the previous scan before the next one is opened
        shown = _open(path, budget)
        gc.collect()
        give_back_free_memory()  # what the viewer's loader does when a job ends
        rss.append(process.memory_info().rss)
    assert shown is not None
    print(json.dumps({"rss": rss, "faces": shown[0].n_faces, "display": shown[1].n_faces}))


def _open(path: str, budget: int) -> tuple[Scan, Scan]:
    scan = load_scan(path)
    _ = scan.normals
    check_scan(scan)
    display = decimate_for_display(scan, budget)
    _ = display.normals
    return scan, display


if __name__ == "__main__":
    main()
