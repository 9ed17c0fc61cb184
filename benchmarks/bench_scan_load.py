"""Scan loading and viewing benchmark (issues 7 and 18), side by side with f3d 4.0.

Run under a display (the GUI parts need OpenGL):

    cd /work/main && QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" \\
        .venv/bin/python benchmarks/bench_scan_load.py [--runs 5] [--only stl_1m]

Generated arches (binary STL of 1,000,000 and 200,000 triangles, the 1M mesh as binary PLY)
are cached in the data folder. Reported per file (medians over ``--runs``):

* raw numpy parse (the floor: read the bytes, ``np.frombuffer``),
* ``read_mesh`` (what the viewer needs for its first, flat-shaded frame),
* ``load_scan`` + normals (parse, weld, smooth normals),
* ``trimesh.load`` with its default processing,
* in a running viewer: "open this file" to the first frame on screen (flat) and to the first
  smooth-shaded frame (``QOpenGLWidget.frameSwapped``),
* a fresh process: start to the first frame,
* orbit frames per second at full resolution and at the display budget,
* peak memory (max RSS) of each way of loading, each in its own process,
* a fresh process with the file read, welded and smoothed on a thread started before the GUI
  imports (:mod:`labdesk.mesh.prefetch`),
* peak memory of one scan opened in a fresh viewer process, app + every helper process
  (each one's VmHWM, kept when it exits; the viewer has started none since scan20),
* f3d (the ``bench`` extra, Python API, in this Python when installed): open to image, a new
  process to its first image, orbit frame time, peak memory,
* the clearance map of two generated 500k-triangle jaws (``labdesk.mesh.clearance``),
* a side-by-side table for the 1M STL; the load average is printed with every section
  (the machine is shared: read the figures with it).

The files are read from the page cache after the first run: these are warm-cache figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labdesk.mesh import load_scan, read_mesh  # noqa: E402
from labdesk.mesh.synthetic import generate_arch, write_binary_stl, write_ply  # noqa: E402

FILES = {
    "stl_1m": ("binary STL, 1M triangles", 1_000_000, "stl"),
    "stl_200k": ("binary STL, 200k triangles", 200_000, "stl"),
    "ply_1m": ("binary PLY, 1M triangles", 1_000_000, "ply"),
}


def ensure_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for key, (_, triangles, ext) in FILES.items():
        path = folder / f"arch_{key}.{ext}"
        if not path.exists():
            scan = generate_arch("lower", triangles=triangles, seed=11)
            if ext == "stl":
                write_binary_stl(path, scan)
            else:
                write_ply(path, scan)
        out[key] = path
    return out


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def raw_parse(path: Path) -> object:
    data = path.read_bytes()
    if path.suffix == ".stl":
        count = int.from_bytes(data[80:84], "little")
        rec = np.dtype([("n", "<f4", (3,)), ("v", "<f4", (9,)), ("a", "<u2")])
        return np.frombuffer(data, rec, count, 84)["v"].reshape(-1, 3).copy()
    header_end = data.index(b"end_header\n") + len(b"end_header\n")
    header = data[:header_end].decode()
    nv = int(header.split("element vertex ")[1].split()[0])
    nf = int(header.split("element face ")[1].split()[0])
    v = np.frombuffer(data, "<f4", nv * 3, header_end).reshape(-1, 3)
    f = np.frombuffer(data, np.dtype([("n", "u1"), ("i", "<i4", (3,))]), nf, header_end + v.nbytes)
    return v.copy(), f["i"].copy()


def load_with_normals(path: Path) -> object:
    scan = load_scan(path)
    return scan.normals


def trimesh_load(path: Path) -> object:
    import trimesh

    return trimesh.load(str(path))


METHODS: dict[str, Callable[[Path], object]] = {
    "raw numpy parse (floor)": raw_parse,
    "read_mesh (first frame data)": lambda p: read_mesh(p),
    "load_scan + normals": load_with_normals,
    "trimesh.load (default processing)": trimesh_load,
}


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ``ru_maxrss``: Linux carries
    ``ru_maxrss`` over from the parent through fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ---------------------------------------------------------------- child processes


def child_memory(method: str, path: Path) -> None:
    base = peak_rss_mb()
    METHODS[method](path)
    print(json.dumps({"peak_mb": peak_rss_mb(), "base_mb": base}))


def _gui_setup() -> tuple[Any, Any]:
    from PySide6 import QtWidgets

    from labdesk.gui.widgets.scan_view import ScanView

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    view = ScanView()
    view.resize(1280, 800)
    view.show()
    return app, view


def _wait(app: Any, condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Run the event loop until ``condition`` holds (checked every 2 ms; the GUI thread sleeps
    in between, as in the real application, instead of spinning and contending for the GIL)."""
    from PySide6 import QtCore

    if condition():
        return
    loop = QtCore.QEventLoop()
    timer = QtCore.QTimer()
    timer.setInterval(2)
    deadline = time.perf_counter() + timeout

    def check() -> None:
        if condition() or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not condition():
        raise TimeoutError


def child_gui(path: Path, runs: int) -> None:
    app, view = _gui_setup()
    gl = view.gl_view
    assert gl is not None, "no OpenGL"
    _wait(app, lambda: gl.isValid())
    swaps: list[float] = []  # when each frame reached the screen
    gl.frameSwapped.connect(lambda: swaps.append(time.perf_counter()))
    events: dict[str, float] = {}
    view.first_frame_shown.connect(lambda _r: events.setdefault("flat_set", time.perf_counter()))
    view.scan_loaded.connect(lambda _r: events.setdefault("smooth_set", time.perf_counter()))

    def first_swap_after(key: str) -> float:
        _wait(app, lambda: key in events and any(t > events[key] for t in swaps))
        return min(t for t in swaps if t > events[key])

    flat, smooth = [], []
    for _ in range(runs + 1):  # the first run warms shaders and caches, not counted
        view.clear()
        for _ in range(5):
            app.processEvents()
        events.clear()
        start = time.perf_counter()
        view.open_scan(str(path), "lower")
        flat.append(first_swap_after("flat_set") - start)
        smooth.append(first_swap_after("smooth_set") - start)
        _wait(app, lambda: not view.is_loading())
    layer = view._layers["lower"]

    def orbit_fps(moving: bool, frames: int = 60) -> float:
        """Frames per second from the median frame time (robust to other processes'
        bursts on a shared machine)."""
        gl._set_interacting(moving)
        count = len(swaps)
        gl.update()
        _wait(app, lambda: len(swaps) > count)
        times = []
        for _ in range(frames):
            count = len(swaps)
            start = time.perf_counter()
            gl.orbit(3.0, 0.0)
            _wait(app, lambda c=count: len(swaps) > c)
            times.append(time.perf_counter() - start)
        return 1.0 / statistics.median(times)

    full_fps = orbit_fps(False)
    budget_fps = orbit_fps(True)
    display = layer.items.get("display")
    print(
        json.dumps(
            {
                "open_to_flat_frame": statistics.median(flat[1:]),
                "open_to_smooth_frame": statistics.median(smooth[1:]),
                "orbit_fps_full": full_fps,
                "orbit_fps_budget": budget_fps,
                "full_faces": layer.items["full"].n_faces,
                "budget_faces": display.n_faces if display is not None else None,
                "view_px": [gl.width(), gl.height()],
                "peak_mb": peak_rss_mb(),
            }
        )
    )
    view.close()


class MemorySampler:
    """Peak memory of this process plus its helper processes (the decimation helper).

    Two figures: the largest sum of resident sizes seen in one sample (every 10 ms), and the
    sum of each process's own peak (VmHWM, read while it lives) -- an upper bound that
    short-lived peaks between samples cannot escape.
    """

    def __init__(self) -> None:
        import threading

        import psutil

        self._me = psutil.Process()
        self._stop = threading.Event()
        self.peak_sum_mb = 0.0
        self.helper_hwm_mb: dict[int, float] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(0.01):
            total = 0.0
            try:
                total += self._me.memory_info().rss / 2**20
                for child in self._me.children(recursive=True):
                    with contextlib.suppress(psutil.Error, OSError):
                        total += child.memory_info().rss / 2**20
                        # max: an exited helper (a zombie until reaped) has no VmHWM line,
                        # and reading 0 then used to wipe its peak from the sum.
                        hwm = _hwm_of(child.pid)
                        self.helper_hwm_mb[child.pid] = max(
                            hwm, self.helper_hwm_mb.get(child.pid, 0.0)
                        )
            except psutil.Error:
                continue
            self.peak_sum_mb = max(self.peak_sum_mb, total)

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        helpers = sum(self.helper_hwm_mb.values())
        return {
            "app_peak_mb": peak_rss_mb(),
            "helpers_peak_mb": helpers,
            "app_plus_helpers_mb": peak_rss_mb() + helpers,
            "sampled_sum_mb": self.peak_sum_mb,
        }


def _hwm_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def child_cold(path: Path, prefetch: bool) -> None:
    """A new process: start -> first smooth-shaded frame, then wait for the whole job
    (decimation included) and report the memory peak of the app plus its helpers.

    With ``prefetch`` the file is read, welded and smoothed on a thread started before the
    GUI imports (:class:`labdesk.mesh.prefetch.ScanPrefetch`) and handed to the viewer.
    """
    early = None
    if prefetch:
        from labdesk.mesh.prefetch import ScanPrefetch

        early = ScanPrefetch(path)
    sampler = MemorySampler()
    app, view = _gui_setup()
    gl = view.gl_view
    state = {"flat": 0.0, "smooth": 0.0, "swaps": 0, "phase": ""}

    def swapped() -> None:
        if state["phase"] == "flat" and not state["flat"]:
            state["flat"] = time.time()
        elif state["phase"] == "smooth" and not state["smooth"]:
            state["smooth"] = time.time()

    gl.frameSwapped.connect(swapped)
    view.first_frame_shown.connect(lambda _r: state.__setitem__("phase", "flat"))
    view.scan_loaded.connect(lambda _r: state.__setitem__("phase", "smooth"))
    if early is not None:
        view.show_scan(early.result(), "lower")
    else:
        view.open_scan(str(path), "lower")
    _wait(app, lambda: bool(state["smooth"]))
    spawned = float(os.environ["BENCH_SPAWNED"])
    _wait(app, lambda: not view.is_loading())
    memory = sampler.stop()
    print(
        json.dumps(
            {
                # A prefetched scan may go straight to its smooth frame (no flat one).
                "flat": (state["flat"] or state["smooth"]) - spawned,
                "smooth": state["smooth"] - spawned,
                **memory,
            }
        )
    )
    view.close()


F3D_CHILD = r"""
import json, os, sys, time
import f3d
path = sys.argv[1]
t0 = time.perf_counter()
engine = f3d.Engine.create(False)
engine.window.size = (1280, 800)
t_engine = time.perf_counter()
engine.scene.add(path)
engine.window.render()
image = engine.window.render_to_image()
t_image = time.perf_counter()
cam = engine.window.camera
frames = []
for _ in range(10):
    cam.azimuth(3.0)
    s = time.perf_counter()
    engine.window.render()
    frames.append(time.perf_counter() - s)
frames.sort()
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
cold = time.time() - float(os.environ["BENCH_SPAWNED"]) - (time.perf_counter() - t_image)
print(json.dumps({"open_to_image": t_image - t_engine, "engine": t_engine - t0, "cold": cold,
                  "orbit_ms": 1000 * frames[len(frames) // 2], "peak_mb": int(hwm) / 1024}))
"""


def run_child(args: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=900,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:]}
    result: dict[str, object] = json.loads(lines[-1])
    return result


def fmt(value: object, unit: str = "s") -> str:
    if not isinstance(value, float | int):
        return "—"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "fps":
        return f"{value:.1f} fps"
    return f"{value:,.0f} MB"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def default_f3d_python() -> str:
    """This Python when it has the ``f3d`` package (the ``bench`` extra), else the old venv."""
    import importlib.util

    return sys.executable if importlib.util.find_spec("f3d") else "/tmp/f3dvenv/bin/python"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "labdesk-bench")
    parser.add_argument("--f3d-python", default=default_f3d_python())
    parser.add_argument("--skip-gui", action="store_true")
    parser.add_argument("--only", choices=sorted(FILES), action="append")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "memory":
            child_memory(rest[0], Path(rest[1]))
        elif kind == "gui":
            child_gui(Path(rest[0]), int(rest[1]))
        elif kind == "cold":
            child_cold(Path(rest[0]), prefetch=False)
        elif kind == "cold-prefetch":
            child_cold(Path(rest[0]), prefetch=True)
        return

    files = ensure_files(args.data)
    print(f"machine: {os.cpu_count()} CPUs; runs: {args.runs} (medians); data: {args.data}")
    import trimesh

    print(f"numpy {np.__version__}, trimesh {trimesh.__version__}; load average {load_average()}")
    summary: dict[str, dict[str, object]] = {}
    for key, path in files.items():
        if args.only and key not in args.only:
            continue
        print(f"\n### {FILES[key][0]} ({path.stat().st_size / 1e6:.0f} MB)")
        print(f"load average at the start: {load_average()}")
        row("method", "median time", "peak RSS of a process doing only this")
        print("|---|---|---|")
        for name, fn in METHODS.items():
            runs = max(1, args.runs // 2) if "trimesh" in name else args.runs
            t = median_time(lambda fn=fn, path=path: fn(path), runs)
            mem = run_child(["--child", "memory", name, str(path)])
            row(name, fmt(t), fmt(mem.get("peak_mb"), "MB"))
        figures: dict[str, object] = {}
        if not args.skip_gui:
            figures.update(viewer_rows(path, args.runs))
        figures.update(f3d_rows(Path(args.f3d_python), path, args.runs))
        summary[key] = figures
    clearance = clearance_time(args.runs)
    print(f"\nclearance map, two 500k-triangle jaws: {clearance}")
    if "stl_1m" in summary:
        side_by_side(summary["stl_1m"], clearance)


def clearance_time(runs: int) -> str:
    """``clearance_map`` on the generated upper and lower jaws of 500,000 triangles each."""
    from labdesk.mesh.clearance import clearance_map
    from labdesk.mesh.synthetic import generate_arch as arch

    upper = arch("upper", triangles=500_000, seed=11)
    lower = arch("lower", triangles=500_000, seed=11)
    clearance_map(upper, lower)  # warm-up: first use imports SciPy's k-d tree
    t = median_time(lambda: clearance_map(upper, lower), max(3, runs))
    return f"{t:.3f} s (median of {max(3, runs)}, load {load_average()})"


def side_by_side(figures: dict[str, object], clearance: str) -> None:
    print("\n### 1M binary STL: LabDesk and f3d 4.0 in the same run")
    row("measure", "LabDesk", "f3d")
    print("|---|---|---|")
    row(
        "peak memory, one scan open (app + helpers)",
        f"{fmt(figures.get('app_plus_helpers_mb'), 'MB')} "
        f"(app {fmt(figures.get('app_peak_mb'), 'MB')} + helper "
        f"{fmt(figures.get('helpers_peak_mb'), 'MB')}; sampled sum "
        f"{fmt(figures.get('sampled_sum_mb'), 'MB')})",
        fmt(figures.get("f3d_peak_mb"), "MB"),
    )
    row(
        "new process → first smooth image (prefetch thread / plain)",
        f"{fmt(figures.get('cold_prefetch_smooth'))} / {fmt(figures.get('cold_smooth'))}",
        fmt(figures.get("f3d_cold")),
    )
    row(
        "in the running app: open → smooth frame",
        fmt(figures.get("open_to_smooth_frame")),
        f"{fmt(figures.get('f3d_open_to_image'))} (open → image)",
    )
    row("clearance map, two 500k-triangle jaws", clearance, "—")
    print(f"load average at the end: {load_average()}")


def row(*cells: str) -> None:
    print("| " + " | ".join(cells) + " |")


def viewer_rows(path: Path, runs: int) -> dict[str, object]:
    gui = run_child(["--child", "gui", str(path), str(runs)])
    if "error" in gui:
        row("viewer", f"failed: {gui['error']}", "")
        return {}
    cold: dict[str, float] = {}
    for kind in ("cold", "cold-prefetch"):
        colds = [
            run_child(["--child", kind, str(path)], {"BENCH_SPAWNED": repr(time.time())})
            for _ in range(3)
        ]
        for key in ("flat", "smooth", "app_peak_mb", "helpers_peak_mb", "sampled_sum_mb"):
            values = [float(str(c.get(key, "nan"))) for c in colds]
            cold[f"{kind}.{key}"] = statistics.median(values)
    row(
        "viewer: open → first frame on screen (flat)",
        fmt(gui["open_to_flat_frame"]),
        f"{fmt(gui['peak_mb'], 'MB')} after {runs + 1} opens",
    )
    row("viewer: open → first smooth-shaded frame", fmt(gui["open_to_smooth_frame"]), "")
    row(
        "new process: start → first frame (flat / smooth)",
        f"{fmt(cold['cold.flat'])} / {fmt(cold['cold.smooth'])}",
        f"app {fmt(cold['cold.app_peak_mb'], 'MB')} + helper "
        f"{fmt(cold['cold.helpers_peak_mb'], 'MB')}",
    )
    row(
        "new process, file prefetched on a thread during the imports: flat / smooth",
        f"{fmt(cold['cold-prefetch.flat'])} / {fmt(cold['cold-prefetch.smooth'])}",
        f"app {fmt(cold['cold-prefetch.app_peak_mb'], 'MB')} + helper "
        f"{fmt(cold['cold-prefetch.helpers_peak_mb'], 'MB')}",
    )
    row(
        f"orbit at full resolution ({gui['full_faces']:,} faces)",
        fmt(gui["orbit_fps_full"], "fps"),
        f"view {gui['view_px']} px",
    )
    if gui.get("budget_faces"):
        row(
            f"orbit at the display budget ({gui['budget_faces']:,} faces)",
            fmt(gui["orbit_fps_budget"], "fps"),
            "",
        )
    print(f"load average after the viewer: {load_average()}")
    return {
        "open_to_smooth_frame": gui["open_to_smooth_frame"],
        "cold_smooth": cold["cold.smooth"],
        "cold_prefetch_smooth": cold["cold-prefetch.smooth"],
        "app_peak_mb": cold["cold.app_peak_mb"],
        "helpers_peak_mb": cold["cold.helpers_peak_mb"],
        "app_plus_helpers_mb": cold["cold.app_peak_mb"] + cold["cold.helpers_peak_mb"],
        "sampled_sum_mb": cold["cold.sampled_sum_mb"],
    }


def f3d_rows(f3d_python: Path, path: Path, runs: int) -> dict[str, object]:
    if not f3d_python.exists():
        row("f3d", f"not measured ({f3d_python} missing)", "")
        return {}
    results = []
    for _ in range(max(3, runs // 2)):
        proc = subprocess.run(
            [str(f3d_python), "-c", F3D_CHILD, str(path)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env={**os.environ, "BENCH_SPAWNED": repr(time.time())},
        )
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if not lines:
            row("f3d", f"failed: {(proc.stderr or '').strip().splitlines()[-1:]}", "")
            return {}
        results.append(json.loads(lines[-1]))
    f3d = {key: statistics.median(r[key] for r in results) for key in results[0]}
    row("f3d: open → image (in process)", fmt(f3d["open_to_image"]), fmt(f3d["peak_mb"], "MB"))
    row("f3d: new process → first image", fmt(f3d["cold"]), "")
    ms = f3d["orbit_ms"]
    row("f3d: orbit frame", f"{ms:.0f} ms ({1000 / ms:.1f} fps)", "")
    return {
        "f3d_peak_mb": f3d["peak_mb"],
        "f3d_cold": f3d["cold"],
        "f3d_open_to_image": f3d["open_to_image"],
    }


if __name__ == "__main__":
    main()
