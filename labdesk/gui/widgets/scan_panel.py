"""The side panel of the scan viewer: files (visibility, opacity), measurement, scan check."""

from __future__ import annotations

import html

from PySide6 import QtCore, QtWidgets

from labdesk.mesh import ScanReport


class _FileRow(QtWidgets.QWidget):
    def __init__(self, role: str, parent: QtWidgets.QWidget) -> None:
        super().__init__(parent)
        self.role = role
        self.check = QtWidgets.QCheckBox(role.capitalize(), self)
        self.check.setChecked(True)
        self.name = QtWidgets.QLabel("—", self)
        self.name.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setMinimumWidth(60)
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal, self)
        self.slider.setRange(5, 100)
        self.slider.setValue(100)
        self.slider.setToolTip("Opacity")
        layout = QtWidgets.QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check, 0, 0)
        layout.addWidget(self.name, 0, 1)
        layout.addWidget(QtWidgets.QLabel("Opacity", self), 1, 0)
        layout.addWidget(self.slider, 1, 1)
        layout.setColumnStretch(1, 1)
        self.set_enabled(False)

    def set_enabled(self, on: bool) -> None:
        for widget in (self.check, self.slider):
            widget.setEnabled(on)


class ProgressRow(QtWidgets.QWidget):
    """Stage, progress bar and Cancel, shown only for loads that take a while: repainting a
    window in the first few hundred milliseconds would delay the scan's first frame on a
    software renderer. Hiding it keeps its space, so the 3D view is never resized (which
    would re-render it)."""

    shown = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None, *, delay_ms: int = 800) -> None:
        super().__init__(parent)
        self.label = QtWidgets.QLabel(self)
        self.label.setMinimumWidth(220)
        self.bar = QtWidgets.QProgressBar(self)
        self.bar.setRange(0, 100)
        self.cancel_button = QtWidgets.QPushButton("Cancel", self)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        for widget in (self.label, self.bar, self.cancel_button):
            policy = widget.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            widget.setSizePolicy(policy)
            widget.hide()
        self._loading = False
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def set_loading(self, loading: bool) -> None:
        self._loading = loading
        if not loading:
            self._timer.stop()
            self._set_visible(False)
            self.bar.setValue(0)
        elif not self.bar.isVisible():
            self._timer.start()

    def set_stage(self, text: str, percent: int) -> None:
        self.label.setText(text)
        self.bar.setValue(percent)

    def _on_timer_timeout(self) -> None:
        if self._loading:
            self._set_visible(True)
            self.shown.emit()

    def _set_visible(self, visible: bool) -> None:
        for widget in (self.label, self.bar, self.cancel_button):
            widget.setVisible(visible)


class ScanPanel(QtWidgets.QWidget):
    visibility_changed = QtCore.Signal(str, bool)
    opacity_changed = QtCore.Signal(str, float)
    measure_cleared = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None, *, roles: tuple[str, ...]) -> None:
        super().__init__(parent)
        self.setMinimumWidth(270)
        self.setMaximumWidth(340)
        files = QtWidgets.QGroupBox("Scans", self)
        files_layout = QtWidgets.QVBoxLayout(files)
        self.rows: dict[str, _FileRow] = {}
        for role in roles:
            row = _FileRow(role, files)
            row.check.toggled.connect(lambda on, r=role: self.visibility_changed.emit(r, on))
            row.slider.valueChanged.connect(
                lambda v, r=role: self.opacity_changed.emit(r, v / 100.0)
            )
            files_layout.addWidget(row)
            self.rows[role] = row

        measure = QtWidgets.QGroupBox("Measurement", self)
        self.distance = QtWidgets.QLabel("Click two points on the surface (M).", measure)
        self.distance.setWordWrap(True)
        self.distance.setObjectName("scanDistance")
        clear = QtWidgets.QPushButton("Clear", measure)
        clear.clicked.connect(self.measure_cleared)
        measure_layout = QtWidgets.QHBoxLayout(measure)
        measure_layout.addWidget(self.distance, 1)
        measure_layout.addWidget(clear)

        check = QtWidgets.QGroupBox("Scan check", self)
        self.info = QtWidgets.QLabel(check)
        self.info.setObjectName("scanInfo")
        self.info.setWordWrap(True)
        self.info.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        self.info.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.info.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QtWidgets.QScrollArea(check)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setWidget(self.info)
        check_layout = QtWidgets.QVBoxLayout(check)
        check_layout.addWidget(scroll)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(files)
        layout.addWidget(measure)
        layout.addWidget(check, 1)
        self._plain = ""
        self.set_reports([])

    def set_file(self, role: str, name: str, *, loading: bool) -> None:
        row = self.rows.get(role)
        if row is None:
            return
        row.name.setText(f"{name} (loading…)" if loading else name)
        row.name.setToolTip(name)
        row.set_enabled(True)

    def clear_file(self, role: str) -> None:
        row = self.rows.get(role)
        if row is not None:
            row.name.setText("—")
            row.check.setChecked(True)
            row.slider.setValue(100)
            row.set_enabled(False)

    def set_has_colors(self, role: str, has: bool) -> None:
        row = self.rows.get(role)
        if row is not None:
            row.name.setToolTip(row.name.text() + (" (with colour)" if has else ""))

    def set_measurement(self, distance: float | None) -> None:
        if distance is None:
            self.distance.setText("Click two points on the surface (M).")
        else:
            self.distance.setText(f"<b style='font-size:15pt'>{distance:.2f} mm</b>")

    def set_reports(self, entries: list[tuple[str, str, ScanReport | None, str | None]]) -> None:
        """(role, file name, report or None, error or None) per loaded file."""
        if not entries:
            self.info.setText("<i>No scan loaded.</i>")
            self._plain = "No scan loaded."
            return
        parts: list[str] = []
        plain: list[str] = []
        for role, name, report, error in entries:
            title = f"{role.capitalize()} — {name}"
            parts.append(f"<p style='margin-top:6px'><b>{html.escape(title)}</b></p>")
            plain.append(title)
            if error is not None:
                text = f"Could not open this file: {error}."
                parts.append(f"<p style='color:#c0392b'><b>{html.escape(text)}</b></p>")
                plain.append(text)
                continue
            if report is None:
                parts.append("<p><i>Checking…</i></p>")
                plain.append("Checking…")
                continue
            for warning in report.warnings:
                parts.append(
                    f"<p style='color:#b35900; margin:2px 0'><b>⚠ {html.escape(warning)}</b></p>"
                )
                plain.append(f"Warning: {warning}")
            rows = "".join(
                f"<tr><td style='padding-right:8px; color:#666'>{html.escape(k)}</td>"
                f"<td>{html.escape(v)}</td></tr>"
                for k, v in report.summary_lines()[1:]
            )
            parts.append(f"<table cellspacing='0'>{rows}</table>")
            plain += [f"{k}: {v}" for k, v in report.summary_lines()[1:]]
            if not report.warnings:
                parts.append("<p style='color:#2e7d32'>No problems found.</p>")
                plain.append("No problems found.")
        self.info.setText("".join(parts))
        self._plain = "\n".join(plain)

    def info_text(self) -> str:
        return self._plain
