"""Scan loading and viewing benchmark (issue 7).

Run under a display (the GUI parts need OpenGL):

    cd /work/main && QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" \\
        .venv/bin/python benchmarks/bench_scan_load.py [--runs 5] [--f3d-python PATH]

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
* f3d (if a Python with the ``f3d`` package is given): open to image, orbit frame time.

The files are read from the page cache after the first run: these are warm-cache figures.
"""

from __future__ import annotations

import argparse
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


def child_cold(path: Path) -> None:
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
    view.open_scan(str(path), "lower")
    _wait(app, lambda: bool(state["smooth"]))
    spawned = float(os.environ["BENCH_SPAWNED"])
    print(json.dumps({"flat": state["flat"] - spawned, "smooth": state["smooth"] - spawned}))
    view.cancel_loading()
    view.close()


F3D_CHILD = r"""
import json, sys, time
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
print(json.dumps({"open_to_image": t_image - t_engine, "engine": t_engine - t0,
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "labdesk-bench")
    parser.add_argument("--f3d-python", default="/tmp/f3dvenv/bin/python")
    parser.add_argument("--skip-gui", action="store_true")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "memory":
            child_memory(rest[0], Path(rest[1]))
        elif kind == "gui":
            child_gui(Path(rest[0]), int(rest[1]))
        elif kind == "cold":
            child_cold(Path(rest[0]))
        return

    files = ensure_files(args.data)
    print(f"machine: {os.cpu_count()} CPUs; runs: {args.runs} (medians); data: {args.data}")
    import trimesh

    print(f"numpy {np.__version__}, trimesh {trimesh.__version__}")
    for key, path in files.items():
        print(f"\n### {FILES[key][0]} ({path.stat().st_size / 1e6:.0f} MB)")
        row("method", "median time", "peak RSS of a process doing only this")
        print("|---|---|---|")
        for name, fn in METHODS.items():
            runs = max(1, args.runs // 2) if "trimesh" in name else args.runs
            t = median_time(lambda fn=fn, path=path: fn(path), runs)
            mem = run_child(["--child", "memory", name, str(path)])
            row(name, fmt(t), fmt(mem.get("peak_mb"), "MB"))
        if not args.skip_gui:
            viewer_rows(path, args.runs)
        f3d_rows(Path(args.f3d_python), path)


def row(*cells: str) -> None:
    print("| " + " | ".join(cells) + " |")


def viewer_rows(path: Path, runs: int) -> None:
    gui = run_child(["--child", "gui", str(path), str(runs)])
    if "error" in gui:
        row("viewer", f"failed: {gui['error']}", "")
        return
    colds = [
        run_child(["--child", "cold", str(path)], {"BENCH_SPAWNED": repr(time.time())})
        for _ in range(3)
    ]
    cold = {
        key: statistics.median(float(str(c.get(key, "nan"))) for c in colds)
        for key in ("flat", "smooth")
    }
    row(
        "viewer: open → first frame on screen (flat)",
        fmt(gui["open_to_flat_frame"]),
        fmt(gui["peak_mb"], "MB"),
    )
    row("viewer: open → first smooth-shaded frame", fmt(gui["open_to_smooth_frame"]), "")
    row(
        "new process: start → first frame (flat / smooth)",
        f"{fmt(cold['flat'])} / {fmt(cold['smooth'])}",
        "",
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


def f3d_rows(f3d_python: Path, path: Path) -> None:
    if not f3d_python.exists():
        row("f3d", f"not measured ({f3d_python} missing)", "")
        return
    proc = subprocess.run(
        [str(f3d_python), "-c", F3D_CHILD, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        row("f3d", f"failed: {(proc.stderr or '').strip().splitlines()[-1:]}", "")
        return
    f3d = json.loads(lines[-1])
    row("f3d: open → image (in process)", fmt(f3d["open_to_image"]), fmt(f3d["peak_mb"], "MB"))
    ms = f3d["orbit_ms"]
    row("f3d: orbit frame", f"{ms:.0f} ms ({1000 / ms:.1f} fps)", "")


if __name__ == "__main__":
    main()
