"""The scan viewer's clearance map: each jaw coloured by the room the opposing jaw leaves, a
legend in mm, the distance (and tooth) under the cursor, and a "Clearance" box in the scan
check panel with a figure per prepared tooth, the bite check, the case's bite registrations
and a prefilled rejection when a tooth is short.

Kept apart from :mod:`scan_view` (which only holds a few hooks that call in here) so the two
can change independently. The distances are computed on the viewer's task runner by the
Qt-free :func:`labdesk.client.clearance_review.review_clearance` and cached per pair of files;
the colours go into an extra mesh item per jaw (kind ``"clearance"``, the display mesh with
vertex colours) that the viewer shows instead of its normal items while the map is on, so
switching it off restores the normal look without re-uploading anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from labdesk.domain.clearance import DEFAULT_REQUIRED_MM
from labdesk.mesh import RayPicker, Scan
from labdesk.services.tasks import TaskRunner

if TYPE_CHECKING:
    from labdesk.client.clearance_review import ClearanceCache, ClearanceReview, ToothFigure

__all__ = ["CLEARANCE_KEY", "ClearanceBox", "ClearanceController", "ClearanceLegend"]

CLEARANCE_KEY = "Shift+C"  # "C" alone is the scan colours
KIND = "clearance"
JAWS = ("upper", "lower")
INSUFFICIENT_CLEARANCE = "insufficient_clearance"

_cache: ClearanceCache | None = None


def shared_cache() -> ClearanceCache:
    """Reviews shared by every viewer of this process (reopening a case's pair is instant).
    Made on first use: its module brings SciPy, which opening the viewer need not pay for."""
    global _cache
    if _cache is None:
        from labdesk.client.clearance_review import ClearanceCache

        _cache = ClearanceCache()
    return _cache


class ClearanceLegend(QtWidgets.QLabel):
    """The colour ramp's meaning, in mm, over the 3D view's corner."""

    def __init__(self, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("clearanceLegend")
        self.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet(
            "QLabel { background: rgba(20, 22, 26, 200); color: white; padding: 6px;"
            " border-radius: 4px; }"
        )
        self.hide()

    def set_required(self, required_mm: float) -> None:
        from labdesk.client.clearance_review import legend_stops

        rows = [
            f"<span style='color: rgb{color}'>&#9632;</span> {label}"
            for label, color in legend_stops(required_mm)
        ]
        self.setText("<b>Clearance</b><br>" + "<br>".join(rows))
        self.adjustSize()
        self.move(8, 8)

    def paint_into(self, image: QtGui.QImage) -> None:
        """Draw the legend into a grabbed frame (snapshots show what the reviewer saw)."""
        if not self.isVisible():
            return
        painter = QtGui.QPainter(image)
        try:
            self.render(painter, self.pos())
        finally:
            painter.end()


class ClearanceBox(QtWidgets.QGroupBox):
    """The scan check's clearance lines, bite check, bite registrations and reject button."""

    bite_chosen = QtCore.Signal(int)  # file id of a bite registration to show
    reject_clicked = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Clearance and bite", parent)
        self.summary = QtWidgets.QLabel(self)
        self.summary.setObjectName("clearanceSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bites = QtWidgets.QComboBox(self)
        self.bites.setObjectName("biteRegistrations")
        self.bites.setToolTip("The case's bite registrations: choose one to show it")
        self.bites.activated.connect(self._on_bite_activated)
        self.reject_button = QtWidgets.QPushButton("Reject: insufficient clearance…", self)
        self.reject_button.setObjectName("rejectClearanceButton")
        self.reject_button.clicked.connect(self.reject_clicked)
        self.reject_button.hide()
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bites)
        layout.addWidget(self.reject_button)
        self.set_bites([])
        self.set_lines(["Open an upper and a lower scan to measure the clearance."])

    def set_lines(self, lines: Sequence[str]) -> None:
        self.summary.setText("\n".join(lines))

    def text(self) -> str:
        return self.summary.text()

    def set_bites(self, bites: Sequence[tuple[int, str]]) -> None:
        self.bites.clear()
        for file_id, name in bites:
            self.bites.addItem(f"Bite: {name}", file_id)
        self.bites.setVisible(len(bites) > 0)
        self.bites.setCurrentIndex(-1)
        self.bites.setPlaceholderText(f"{len(bites)} bite registration(s): show one…")

    def _on_bite_activated(self, index: int) -> None:
        file_id = self.bites.itemData(index)
        if file_id is not None:
            self.bite_chosen.emit(int(file_id))


class ClearanceController(QtCore.QObject):
    """The clearance map of one :class:`ScanView` (created by it; the view calls the hooks
    :meth:`kind_shown`, :meth:`paint_into` and :meth:`set_case_context`)."""

    review_ready = QtCore.Signal()  # the map is coloured and the panel filled
    reject_requested = QtCore.Signal(str, str)  # reason code, prefilled note

    def __init__(self, view: Any, tasks: TaskRunner) -> None:
        """``view`` is the :class:`~labdesk.gui.widgets.scan_view.ScanView` that owns this (not
        imported here, not even for typing: the two modules would import each other)."""
        super().__init__(view)
        self._view = view
        self._tasks = tasks
        self._active = False
        self._teeth: list[int] = []
        self._required = DEFAULT_REQUIRED_MM
        self._rejectable = True
        self._review: ClearanceReview | None = None
        self._shown: tuple[Scan, Scan] | None = None  # the display meshes the map belongs to
        self._pickers: dict[str, RayPicker] = {}
        self._pending: tuple[Scan, Scan] | None = None
        self.hover_text = ""

        self.action = QtGui.QAction("Clearance", view)
        self.action.setObjectName("clearanceAction")
        self.action.setShortcut(QtGui.QKeySequence(CLEARANCE_KEY))
        self.action.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.setToolTip(
            f"Colour the scans by the room the opposing jaw leaves ({CLEARANCE_KEY})"
        )
        self.action.setCheckable(True)
        self.action.setEnabled(False)
        self.action.toggled.connect(self.set_active)
        view.toolbar.addAction(self.action)
        view.addAction(self.action)

        self.box = ClearanceBox(view.panel)
        self.box.reject_clicked.connect(self._on_reject_clicked)
        panel_layout = view.panel.layout()
        assert isinstance(panel_layout, QtWidgets.QBoxLayout)
        panel_layout.addWidget(self.box)

        gl_view = view.gl_view
        self.legend = ClearanceLegend(gl_view if gl_view is not None else view)
        if gl_view is not None:
            gl_view.setMouseTracking(True)
            gl_view.installEventFilter(self)
        else:
            self.action.setVisible(False)
        view.loading_changed.connect(self._on_loading_changed)
        view.scan_loaded.connect(lambda _role: self._update_enabled())

    # ------------------------------------------------------------------ hooks for the view

    def set_case_context(
        self,
        teeth: Sequence[int],
        required_mm: float,
        bites: Sequence[tuple[int, str]] = (),
        *,
        rejectable: bool = True,
    ) -> None:
        """The case's prepared teeth, the clearance its prescription needs, and its bite
        registrations (file id, name): the case page calls this where it opens scans.
        ``rejectable``: whether this person may reject the case now (else no reject button)."""
        self._rejectable = rejectable
        self._teeth = sorted(set(teeth))
        self._required = float(required_mm)
        self.box.set_bites(bites)
        if self._review is not None:
            self._show_review()

    def kind_shown(self, layer: Any, normal: str) -> str:
        """Which of a layer's items the view shows: the coloured one while the map is on."""
        return KIND if self._active and KIND in layer.items else normal

    def paint_into(self, image: QtGui.QImage) -> None:
        self.legend.paint_into(image)

    # ------------------------------------------------------------------ state

    @property
    def active(self) -> bool:
        return self._active

    def review(self) -> ClearanceReview | None:
        return self._review

    def figures(self) -> list[ToothFigure]:
        if self._review is None:
            return []
        return self._review.teeth(self._teeth, self._required)

    def _meshes(self) -> dict[str, tuple[Scan, Scan]] | None:
        """(display, full) per jaw, when both jaws are loaded at full resolution."""
        out = {}
        for jaw in JAWS:
            layer = self._view.layer(jaw)
            if layer is None or layer.scan is None:
                return None
            out[jaw] = (layer.display or layer.scan, layer.scan)
        return out

    def _update_enabled(self) -> None:
        ready = self._meshes() is not None and not self._view.is_loading()
        self.action.setEnabled(ready or self._active)

    def _on_loading_changed(self, loading: bool) -> None:
        """Once both jaws are in, the scan check gets its clearance figures at once (the map
        itself is drawn only while switched on)."""
        self._update_enabled()
        if not loading:
            self._compute()

    def set_active(self, on: bool) -> None:
        self._active = bool(on)
        if self.action.isChecked() != self._active:
            self.action.setChecked(self._active)
        self.legend.setVisible(self._active and self._review is not None)
        if self._active:
            self._compute()
        else:
            self.hover_text = ""
        self._view.restyle()

    # ------------------------------------------------------------------ computing

    def _compute(self) -> None:
        from labdesk.client.clearance_review import pair_key, review_clearance

        meshes = self._meshes()
        if meshes is None or self._view.is_loading():
            self.box.set_lines(["Clearance needs an upper and a lower scan."])
            self.box.reject_button.hide()
            self.legend.hide()
            return
        (upper_display, upper_full), (lower_display, lower_full) = meshes["upper"], meshes["lower"]
        pair = (upper_display, lower_display)
        if self._shown is not None and self._shown[0] is pair[0] and self._shown[1] is pair[1]:
            self._show_review()
            return
        key = pair_key(upper_display, lower_display)
        cached = shared_cache().get(key)
        if cached is not None:
            self._accept(pair, cached, self._prepared_pickers(pair))
            return
        if self._pending is not None and self._pending == pair:
            return
        self._pending = pair
        self.box.set_lines(["Measuring the clearance…"])

        def work() -> tuple[ClearanceReview, dict[str, RayPicker]]:
            review = review_clearance(
                upper_display, upper_full, lower_display, lower_full, teeth=self._teeth
            )
            shared_cache().put(key, review)
            return review, self._prepared_pickers(pair)

        def done(result: tuple[ClearanceReview, dict[str, RayPicker]]) -> None:
            if self._pending is pair:
                self._pending = None
            self._accept(pair, *result)

        def failed(exc: BaseException) -> None:
            self._pending = None
            self.box.set_lines([f"The clearance could not be measured: {exc}"])

        self._tasks.run(work, on_done=done, on_error=failed, name="scan-clearance")

    @staticmethod
    def _prepared_pickers(pair: tuple[Scan, Scan]) -> dict[str, RayPicker]:
        pickers = {jaw: RayPicker(scan) for jaw, scan in zip(JAWS, pair, strict=True)}
        for picker in pickers.values():
            picker.prepare()
        return pickers

    def _accept(
        self, pair: tuple[Scan, Scan], review: ClearanceReview, pickers: dict[str, RayPicker]
    ) -> None:
        """A finished review for ``pair``: colour the jaws if they are still the ones shown."""
        meshes = self._meshes()
        if meshes is None or (meshes["upper"][0], meshes["lower"][0]) != pair:
            return  # another scan was opened meanwhile
        self._review, self._shown, self._pickers = review, pair, pickers
        self._show_review()

    def _show_review(self) -> None:
        review, pair = self._review, self._shown
        if review is None or pair is None:
            return
        from labdesk.client.clearance_review import clearance_colors

        for jaw, display in zip(JAWS, pair, strict=True):
            layer = self._view.layer(jaw)
            if layer is None:
                continue
            colors = clearance_colors(review.distances(jaw), self._required, review.cap)
            item = self._coloured_item(layer)
            if item is not None:
                item.set_arrays(display.vertices, display.faces, display.normals, colors)
        self.legend.set_required(self._required)
        self.legend.setVisible(self._active)
        figures = self.figures()
        lines = [figure.line for figure in figures]
        if not lines:
            lines = [
                "No prepared tooth of this case was found on the arches."
                if self._teeth
                else "The case names no teeth to measure."
            ]
        lines.append(review.bite.message)
        self.box.set_lines(lines)
        short = any(f.short for f in figures)
        self.box.reject_button.setVisible(self._rejectable and short)
        self._view.restyle()
        self.review_ready.emit()

    def _coloured_item(self, layer: Any) -> Any:
        """The layer's clearance item, made on first use; the view releases it with the
        layer's other items (it is one of ``layer.items``)."""
        gl_view = self._view.gl_view
        if gl_view is None:
            return None
        item = layer.items.get(KIND)
        if item is None:
            from labdesk.gui.widgets.scan_gl import ScanMeshItem

            item = layer.items[KIND] = ScanMeshItem()
            gl_view.addItem(item)
        return item

    # ------------------------------------------------------------------ hover and reject

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if (
            self._active
            and event.type() == QtCore.QEvent.Type.MouseMove
            and isinstance(event, QtGui.QMouseEvent)
            and event.buttons() == QtCore.Qt.MouseButton.NoButton
        ):
            self.hover_at(event.position())
        return False

    def hover_at(self, pos: QtCore.QPointF) -> str:
        """The distance (and tooth) under a view position, shown as a tool tip."""
        gl_view = self._view.gl_view
        if gl_view is None or self._review is None or self._shown is None:
            return ""
        origin, direction = gl_view.ray_at(pos)
        best: tuple[float, str, np.ndarray] | None = None
        for jaw in JAWS:
            layer = self._view.layer(jaw)
            picker = self._pickers.get(jaw)
            if picker is None or layer is None or not layer.visible:
                continue
            hit = picker.pick(origin, direction)
            if hit is None:
                continue
            along = float(np.dot(hit - origin, direction))
            if best is None or along < best[0]:
                best = (along, jaw, hit)
        text = ""
        if best is not None:
            _, jaw, hit = best
            display = self._shown[JAWS.index(jaw)]
            offsets = display.vertices.astype(np.float64) - hit
            vertex = int(np.argmin(np.einsum("ij,ij->i", offsets, offsets)))
            mm = float(self._review.distances(jaw)[vertex])
            tooth = self._review.tooth_at(jaw, vertex)
            shown = f"≥ {self._review.cap:.1f} mm" if mm >= self._review.cap else f"{mm:.2f} mm"
            text = f"{shown}" + (f" · tooth {tooth}" if tooth is not None else "")
            QtWidgets.QToolTip.showText(gl_view.mapToGlobal(pos.toPoint()), text, gl_view)
        else:
            QtWidgets.QToolTip.hideText()
        self.hover_text = text
        return text

    def _on_reject_clicked(self) -> None:
        from labdesk.client.clearance_review import rejection_note

        figures = [f for f in self.figures() if f.short]
        if figures:
            self.set_active(True)  # the snapshot attached shows the map
            self.reject_requested.emit(INSUFFICIENT_CLEARANCE, rejection_note(figures))
