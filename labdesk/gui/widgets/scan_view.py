"""The 3D scan viewer: upper, lower and bite scans, head-lit, with standard views, measuring,
snapshots and the scan check.

Loading runs on a thread pool (:mod:`scan_loader`); the GUI thread only uploads finished
arrays. A very large STL (:mod:`scan_frames`) is first drawn as a flat-shaded soup, then
replaced by the welded, smooth-shaded mesh. Still frames show the full resolution; while the
camera moves, a mesh clustered down to ``display_budget`` faces is drawn.

The OpenGL code (pyqtgraph.opengl, PyOpenGL) lives in :mod:`scan_gl` and is imported only
when a 3D view is created, so opening the application does not pay for it.

Coordinates follow :mod:`labdesk.mesh.synthetic`: millimetres, z up, +y towards the
incisors, +x the patient's left; lower occlusal surfaces face +z, upper ones -z.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from labdesk.gui.widgets.clearance_view import ClearanceController
from labdesk.gui.widgets.scan_camera import STANDARD_VIEWS, fit_camera, standard_view_angles
from labdesk.gui.widgets.scan_frames import FrameGates, preview_worth_drawing
from labdesk.gui.widgets.scan_loader import LoadRequest, ScanLoader
from labdesk.gui.widgets.scan_measure import (
    Measurement,
    MeasurementsPerScan,
    ScanKey,
    nearest_hit,
)
from labdesk.gui.widgets.scan_opengl import opengl_available
from labdesk.gui.widgets.scan_panel import ProgressRow, ScanPanel
from labdesk.gui.widgets.scan_toolbar import ScanToolbar
from labdesk.mesh import RawMesh, RayPicker, Scan, ScanReport

if TYPE_CHECKING:
    from labdesk.gui.widgets.scan_gl import MeasureOverlay, ScanGLView, ScanMeshItem

__all__ = ["DISPLAY_BUDGET", "ROLES", "STANDARD_VIEWS", "ScanView", "opengl_available"]

DISPLAY_BUDGET = 30_000
ROLES = ("upper", "lower", "bite")
_BASE_COLORS = {
    "upper": (0.90, 0.87, 0.80),
    "lower": (0.82, 0.85, 0.90),
    "bite": (0.78, 0.88, 0.78),
}


@dataclass
class _Layer:
    """One loaded file in one role, and the GL items that draw it."""

    role: str
    job: int
    name: str = ""
    source: str = ""  # the file's path (or the in-memory scan's source): what it is
    scan: Scan | None = None
    display: Scan | None = None
    picker: RayPicker | None = None
    bounds: tuple[np.ndarray, np.ndarray] | None = None
    report: ScanReport | None = None
    error: str | None = None
    visible: bool = True
    opacity: float = 1.0
    items: dict[str, Any] = field(default_factory=dict)  # "full" / "display" -> ScanMeshItem
    request: LoadRequest | None = None


class ScanView(QtWidgets.QWidget):
    """Shows the scans of a case. ``opengl`` overrides the probe (tests, diagnostics)."""

    scan_loaded = QtCore.Signal(str)  # role: the full-resolution mesh is on screen
    scan_failed = QtCore.Signal(str, str)  # role, message
    report_ready = QtCore.Signal(str, object)  # role, ScanReport
    loading_changed = QtCore.Signal(bool)
    measured = QtCore.Signal(float)  # distance in mm
    first_frame_shown = QtCore.Signal(str)  # role: something of the scan is on screen

    def __init__(
        self,
        parent: QtWidgets.QWidget | None = None,
        *,
        opengl: tuple[bool, str] | None = None,
        display_budget: int = DISPLAY_BUDGET,
    ) -> None:
        super().__init__(parent)
        self.display_budget = display_budget
        self._layers: dict[str, _Layer] = {}
        self._jobs: dict[int, str] = {}
        self._wireframe = False
        self._colors = True
        self._measuring = False
        self._measure = Measurement()
        self._measures = MeasurementsPerScan()
        self._gates = FrameGates()
        self._loader = ScanLoader(self)
        sig = self._loader.signals
        sig.progressed.connect(self._on_job_progressed)
        sig.preview_ready.connect(self._on_preview_ready)
        sig.scan_ready.connect(self._on_scan_ready)
        sig.report_ready.connect(self._on_report_ready)
        sig.display_ready.connect(self._on_display_ready)
        sig.picker_ready.connect(self._on_picker_ready)
        sig.failed.connect(self._on_job_failed)
        sig.cancelled.connect(self._on_job_ended)
        sig.finished.connect(self._on_job_ended)

        ok, why = opengl if opengl is not None else opengl_available()
        self.gl_reason = why
        self._view: ScanGLView | None = None
        self._overlay: MeasureOverlay | None = None
        self._build_ui(ok, why)
        self.clearance = ClearanceController(self, self._loader.tasks)  # issue 18: the map

    # ------------------------------------------------------------------ UI

    def _build_ui(self, gl_ok: bool, why: str) -> None:
        bar = self.toolbar = ScanToolbar(self)
        self.actions_by_name = bar.actions_by_name
        bar.add("measure", "Measure", "M", self.set_measuring, checkable=True)
        bar.add("snapshot", "Snapshot…", "Ctrl+Shift+S", self._on_snapshot_triggered)
        bar.addSeparator()
        bar.add_views(self.set_standard_view, self.reset_view)
        bar.addSeparator()
        bar.add("wireframe", "Wireframe", "W", self.set_wireframe, checkable=True)
        bar.add("colors", "Colour", "C", self.set_colors_enabled, checkable=True)
        self.actions_by_name["colors"].setChecked(True)

        self.stack = QtWidgets.QStackedWidget(self)
        self.message = QtWidgets.QLabel(self)
        self.message.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setObjectName("scanViewMessage")
        self.stack.addWidget(self.message)
        if gl_ok:
            try:
                from labdesk.gui.widgets import scan_gl  # heavy: pyqtgraph.opengl + PyOpenGL
            except Exception as exc:  # PyOpenGL missing or broken: say so, do not crash
                gl_ok, why = False, f"its OpenGL libraries could not be loaded: {exc}"
                self.gl_reason = why
        if gl_ok:
            self._view = scan_gl.ScanGLView(self)
            self._view.setBackgroundColor((38, 42, 48))
            self._view.setMinimumSize(320, 240)
            self._view.clicked.connect(self._on_view_clicked)
            self._view.interaction_changed.connect(self._on_interaction_changed)
            self._view.frameSwapped.connect(self._on_frame_swapped)
            self._overlay = scan_gl.MeasureOverlay(self._view)
            self._overlay.show(None, None, "")
            self.stack.addWidget(self._view)
            self.stack.setCurrentWidget(self._view)
        else:
            self.message.setText(
                f"3D view unavailable: this computer has no working OpenGL ({why}).\n"
                "The scan check on the right still works."
            )
            for name, action in self.actions_by_name.items():
                action.setEnabled(name == "colors")

        self.progress_row = ProgressRow(self)
        self.progress_row.cancel_button.clicked.connect(self.cancel_loading)
        self.progress_row.shown.connect(self._on_progress_shown)
        # Aliases used by tests and by the case detail.
        self.progress = self.progress_row.bar
        self.progress_label = self.progress_row.label
        self.cancel_button = self.progress_row.cancel_button

        self.panel = ScanPanel(self, roles=ROLES)
        self.panel.visibility_changed.connect(self.set_visible)
        self.panel.opacity_changed.connect(self.set_opacity)
        self.panel.measure_cleared.connect(self.clear_measurement)

        left = QtWidgets.QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.toolbar)
        left.addWidget(self.stack, 1)
        left.addWidget(self.progress_row)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(left, 1)
        layout.addWidget(self.panel)

    @property
    def gl_view(self) -> ScanGLView | None:
        """The OpenGL view, None when OpenGL is unavailable."""
        return self._view

    def has_opengl(self) -> bool:
        return self._view is not None

    # ------------------------------------------------------------------ loading

    def open_scan(self, path: str, role: str = "upper", *, name: str | None = None) -> None:
        """Load a file in the background and show it as ``role`` (replacing what was there).

        ``name`` is what the technician sees (the stored copy may be named by its hash).
        """
        name = name or QtCore.QFileInfo(path).fileName()
        self._start(role, self._request(role, path=path), name)

    def show_scan(self, scan: Scan, role: str = "upper") -> None:
        """Show an already loaded scan (normals, check and decimation still run off-thread)."""
        self._start(role, self._request(role, scan=scan), scan.source)

    def _request(
        self, role: str, *, path: str | None = None, scan: Scan | None = None
    ) -> LoadRequest:
        drawn = self._view is not None and self._view.isVisible()
        return LoadRequest(
            role=role,
            path=path,
            scan=scan,
            display_budget=self.display_budget,
            first_frame_drawn=self._gates.new() if drawn else None,
            smooth_frame_drawn=self._gates.new() if drawn else None,
        )

    def _on_frame_swapped(self) -> None:
        """Let loads that wait for their frame go on (see scan_frames)."""
        if self._view is not None:
            self._gates.frame_painted(self._view.frames_painted)

    def _start(self, role: str, request: LoadRequest, name: str) -> None:
        self.remove_scan(role)
        job = self._loader.start(request)
        self._jobs[job] = role
        source = request.path or (request.scan.source if request.scan is not None else name)
        self._layers[role] = _Layer(role, job, name, source, request=request)
        self._show_kept_measurement()
        # The panel shows the file with the first frame (or the progress row, for slow
        # loads): repainting any widget now would delay that frame on a software renderer.
        self._set_loading_ui(True)

    def cancel_loading(self) -> None:
        for job in list(self._jobs):
            self._loader.cancel(job)
        self._gates.open_all()

    def is_loading(self) -> bool:
        return bool(self._jobs)

    def wait_for_loading(self, msecs: int = 30_000) -> bool:
        """Block until background jobs end (tests, shutdown); their signals still need the
        event loop to be delivered."""
        return self._loader.wait(msecs)

    def remove_scan(self, role: str) -> None:
        if role not in self._layers:
            return
        self._measures.keep(self.scan_key(), self._measure)
        layer = self._layers.pop(role)
        self._loader.cancel(layer.job)
        self._release_gates(layer)
        self._jobs.pop(layer.job, None)
        self._drop_items(layer)
        self.panel.clear_file(role)
        self._show_kept_measurement()
        self._refresh_info()

    def scan_key(self) -> ScanKey:
        """Which files are shown together (what a measurement belongs to)."""
        return tuple(sorted((role, layer.source) for role, layer in self._layers.items()))

    def _show_kept_measurement(self) -> None:
        """The measurement of the files now shown: the one kept for them, or none."""
        self._measure.restore(self._measures.points_for(self.scan_key()))
        self._update_overlay()
        self.panel.set_measurement(self._measure.distance)

    def clear(self) -> None:
        for role in list(self._layers):
            self.remove_scan(role)

    def layer(self, role: str) -> _Layer | None:
        return self._layers.get(role)

    def layer_for(self, job: int) -> _Layer | None:
        role = self._jobs.get(job)
        layer = self._layers.get(role) if role is not None else None
        return layer if layer is not None and layer.job == job else None

    def _on_job_progressed(self, job: int, stage: str, percent: int) -> None:
        layer = self.layer_for(job)
        if layer is not None:
            self.progress_row.set_stage(f"{layer.role.capitalize()}: {stage}…", percent)

    def _on_preview_ready(self, job: int, raw: RawMesh, bounds: tuple[Any, Any]) -> None:
        layer = self.layer_for(job)
        if layer is None:
            return
        layer.bounds = (np.asarray(bounds[0], float), np.asarray(bounds[1], float))
        self.panel.set_file(layer.role, layer.name, loading=True)
        gate = layer.request.first_frame_drawn if layer.request is not None else None
        if self._view is None or not preview_worth_drawing(raw):
            self._gates.open(gate)
            return
        item = self._item(layer, "full")
        item.set_arrays(raw.vertices, raw.faces, None, raw.colors)
        self._apply_style(layer)
        self._gates.arm(gate, self._view.frames_painted)  # the next painted frame shows it
        if len(self._layers) == 1 or not any(lay.items for lay in self._other(layer)):
            self.reset_view()
        self.first_frame_shown.emit(layer.role)

    def _on_scan_ready(self, job: int, scan: Scan) -> None:
        layer = self.layer_for(job)
        if layer is None:
            return
        layer.scan = scan
        if self._view is not None:
            had_preview = "full" in layer.items
            item = self._item(layer, "full")
            item.set_arrays(scan.vertices, scan.faces, scan.normals, scan.colors)
            self._apply_style(layer)
            if layer.request is not None:  # the scan check waits for this frame
                self._gates.arm(layer.request.smooth_frame_drawn, self._view.frames_painted)
            if not had_preview:
                self.reset_view()
                self.first_frame_shown.emit(layer.role)
        self.panel.set_has_colors(layer.role, scan.colors is not None)
        self.scan_loaded.emit(layer.role)

    def _on_report_ready(self, job: int, report: ScanReport) -> None:
        layer = self.layer_for(job)
        if layer is None:
            return
        layer.report = report
        self._refresh_info()
        self.report_ready.emit(layer.role, report)

    def _on_display_ready(self, job: int, display: Scan) -> None:
        layer = self.layer_for(job)
        if layer is None:
            return
        layer.display = display
        if self._view is not None:
            item = self._item(layer, "display")
            item.set_arrays(display.vertices, display.faces, display.normals, display.colors)
            self._apply_style(layer)

    def _on_picker_ready(self, job: int, picker: RayPicker) -> None:
        layer = self.layer_for(job)
        if layer is not None:
            layer.picker = picker
            if self._measuring:
                self._loader.prepare_pickers([picker])

    def _on_job_failed(self, job: int, message: str) -> None:
        layer = self.layer_for(job)
        self._jobs.pop(job, None)
        if layer is not None:
            layer.error = message
            self._drop_items(layer)
            self.panel.set_file(layer.role, layer.name, loading=False)
            self._refresh_info()
            self.scan_failed.emit(layer.role, message)
        self._set_loading_ui(bool(self._jobs))

    def _on_job_ended(self, job: int) -> None:
        layer = self.layer_for(job)
        self._jobs.pop(job, None)
        if layer is not None:
            self._release_gates(layer)
            self.panel.set_file(layer.role, layer.name, loading=False)
            if layer.scan is None and layer.error is None:  # cancelled before it was ready
                self._layers.pop(layer.role, None)
                self._drop_items(layer)
                self.panel.clear_file(layer.role)
        self._set_loading_ui(bool(self._jobs))

    def _release_gates(self, layer: _Layer) -> None:
        if layer.request is not None:
            self._gates.open(layer.request.first_frame_drawn)
            self._gates.open(layer.request.smooth_frame_drawn)

    def _set_loading_ui(self, loading: bool) -> None:
        self.progress_row.set_loading(loading)
        self.loading_changed.emit(loading)

    def _on_progress_shown(self) -> None:
        for job, role in self._jobs.items():
            if (layer := self.layer_for(job)) is not None:
                self.panel.set_file(role, layer.name, loading=True)

    def _other(self, layer: _Layer) -> list[_Layer]:
        return [lay for lay in self._layers.values() if lay is not layer]

    # ------------------------------------------------------------------ drawing

    def _item(self, layer: _Layer, kind: str) -> ScanMeshItem:
        item = layer.items.get(kind)
        if item is None:
            from labdesk.gui.widgets.scan_gl import ScanMeshItem

            item = ScanMeshItem()
            layer.items[kind] = item
            assert self._view is not None
            self._view.addItem(item)
        return item

    def _drop_items(self, layer: _Layer) -> None:
        if self._view is None or not layer.items:
            layer.items.clear()
            return
        self._view.makeCurrent()
        try:
            for item in layer.items.values():
                self._view.removeItem(item)
                item.release_gl()
        finally:
            self._view.doneCurrent()
        layer.items.clear()
        self._view.update()

    def _apply_style(self, layer: _Layer) -> None:
        moving = self._view is not None and self._view.interacting
        show_display = "display" in layer.items and (moving or "full" not in layer.items)
        for kind, item in layer.items.items():
            item.set_style(
                opacity=layer.opacity,
                use_color=self._colors or kind == "clearance",
                wireframe=self._wireframe,
                base=_BASE_COLORS.get(layer.role, (0.86, 0.84, 0.80)),
            )
            wanted = kind == self.clearance.kind_shown(layer, "display" if show_display else "full")
            item.setVisible(layer.visible and wanted)

    def _restyle(self) -> None:
        for layer in self._layers.values():
            self._apply_style(layer)

    restyle = _restyle

    def _on_interaction_changed(self, _moving: bool) -> None:
        self._restyle()

    def set_visible(self, role: str, visible: bool) -> None:
        layer = self._layers.get(role)
        if layer is not None:
            layer.visible = visible
            self._apply_style(layer)

    def set_opacity(self, role: str, opacity: float) -> None:
        layer = self._layers.get(role)
        if layer is not None:
            layer.opacity = min(max(opacity, 0.05), 1.0)
            self._apply_style(layer)

    def set_wireframe(self, on: bool) -> None:
        self._wireframe = bool(on)
        self._sync_check("wireframe", on)
        self._restyle()

    def set_colors_enabled(self, on: bool) -> None:
        self._colors = bool(on)
        self._sync_check("colors", on)
        self._restyle()

    def _sync_check(self, name: str, on: bool) -> None:
        action = self.actions_by_name[name]
        if action.isChecked() != bool(on):
            action.setChecked(bool(on))

    # ------------------------------------------------------------------ camera

    def _visible_bounds(self) -> tuple[np.ndarray, np.ndarray] | None:
        boxes = [
            lay.bounds
            for lay in self._layers.values()
            if lay.visible and lay.items and lay.bounds is not None
        ]
        if not boxes:
            return None
        lo = np.min([b[0] for b in boxes], axis=0).astype(float)
        hi = np.max([b[1] for b in boxes], axis=0).astype(float)
        return lo, hi

    def reset_view(self) -> None:
        """Fit everything visible, seen from the front and a little above."""
        self._look(10.0, 90.0)

    def set_standard_view(self, name: str) -> None:
        """One of :data:`STANDARD_VIEWS` (occlusal, frontal, left, right, lingual)."""
        self._look(*standard_view_angles(name, self._visible_roles()))

    def _visible_roles(self) -> set[str]:
        return {r for r, lay in self._layers.items() if lay.visible and lay.items}

    def _look(self, elevation: float, azimuth: float) -> None:
        if self._view is None:
            return
        centre, distance = fit_camera(
            self._visible_bounds(), self._view.opts["fov"], self._view.width(), self._view.height()
        )
        self._view.setCameraPosition(
            pos=QtGui.QVector3D(*centre.tolist()),
            distance=distance,
            elevation=elevation,
            azimuth=azimuth,
        )

    # ------------------------------------------------------------------ measuring

    def set_measuring(self, on: bool) -> None:
        self._measuring = bool(on)
        self._sync_check("measure", on)
        if self._view is not None:
            cursor = QtCore.Qt.CursorShape.CrossCursor if on else QtCore.Qt.CursorShape.ArrowCursor
            self._view.setCursor(cursor)
        if not on:
            self.clear_measurement()
        if on:
            self._loader.prepare_pickers(lay.picker for lay in self._layers.values())

    def clear_measurement(self) -> None:
        self._measure.clear()
        self._update_overlay()
        self.panel.set_measurement(None)

    def measurement(self) -> float | None:
        """The last measured distance in mm."""
        return self._measure.distance

    def pick_at(self, pos: QtCore.QPointF) -> np.ndarray | None:
        """The nearest surface point of a visible full-resolution scan under ``pos``."""
        if self._view is None:
            return None
        pickers = []
        for layer in self._layers.values():
            if layer.visible and layer.scan is not None:
                if layer.picker is None:  # clicked before the loader had built it
                    layer.picker = RayPicker(layer.scan)
                pickers.append(layer.picker)
        return nearest_hit(pickers, *self._view.ray_at(pos))

    def _on_view_clicked(self, pos: QtCore.QPointF) -> None:
        if not self._measuring or (hit := self.pick_at(pos)) is None:
            return
        distance = self._measure.add(hit)
        if distance is not None:
            self.measured.emit(distance)
        self.panel.set_measurement(distance)
        self._update_overlay()

    def _update_overlay(self) -> None:
        if self._overlay is not None:
            bounds = self._visible_bounds()
            scale = float(np.linalg.norm(bounds[1] - bounds[0])) if bounds is not None else 60.0
            self._overlay.show(*self._measure.ends, self._measure.label, scale)

    # ------------------------------------------------------------------ snapshot and info

    def grab_image(self) -> QtGui.QImage:
        """The 3D view as an image (with the measurement drawn in)."""
        if self._view is None:
            return self.stack.grab().toImage()
        image: QtGui.QImage = self._view.grabFramebuffer()
        if self._overlay is not None:
            self._overlay.paint_into(image)
        self.clearance.paint_into(image)
        return image

    def snapshot(self, path: str) -> bool:
        """Save the 3D view as PNG (a rejection attachment); ``.png`` is added if missing."""
        if not path.lower().endswith(".png"):
            path += ".png"
        return bool(self.grab_image().save(path))

    def _on_snapshot_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Save snapshot", "scan.png", "PNG image (*.png)"
        )
        if path and not self.snapshot(path):
            QtWidgets.QMessageBox.warning(self, "Snapshot", f"Could not save {path}.")

    def reports(self) -> dict[str, ScanReport]:
        return {r: lay.report for r, lay in self._layers.items() if lay.report is not None}

    def errors(self) -> dict[str, str]:
        return {r: lay.error for r, lay in self._layers.items() if lay.error is not None}

    def info_text(self) -> str:
        """The info panel as plain text (what the technician reads)."""
        return self.panel.info_text()

    def _refresh_info(self) -> None:
        entries = []
        for role in sorted(self._layers, key=lambda r: ROLES.index(r) if r in ROLES else 9):
            layer = self._layers[role]
            entries.append((role, layer.name, layer.report, layer.error))
        self.panel.set_reports(entries)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        self.cancel_loading()
        self._loader.wait(10_000)
        super().closeEvent(event)
