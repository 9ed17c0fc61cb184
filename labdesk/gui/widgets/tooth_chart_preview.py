"""A small window to look at the tooth chart alone.

    python -m labdesk.gui.widgets.tooth_chart_preview

It switches notation, dentition, mode and theme live, and shows a sample case in display
mode, so the chart can be judged without starting the whole application.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from labdesk.domain import teeth
from labdesk.domain.restorations import RestorationKind, ToothWork
from labdesk.domain.teeth import Notation
from labdesk.gui.widgets.tooth_chart import ChartMode, Dentition, ToothChart


def sample_work() -> tuple[list[ToothWork], list[int]]:
    """A case with a bridge, an implant crown, veneers, a missing tooth and one conflict."""
    items = [
        ToothWork(RestorationKind.BRIDGE, (14, 15, 16), (15,), "Bridge 14-16"),
        ToothWork(RestorationKind.IMPLANT_CROWN, (36,), (), "Implant crown 36"),
        ToothWork(RestorationKind.VENEER, (11, 21), (), "Veneers 11, 21"),
        ToothWork(RestorationKind.CROWN, (26,), (), "Crown 26"),
        ToothWork(RestorationKind.EXTRACTION, (26,), (), "Extraction 26"),
    ]
    return items, [46]


def dark_palette() -> QPalette:
    """A plain dark palette, to check that the chart follows the theme."""
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2B2D30"),
        (QPalette.ColorRole.WindowText, "#E6E6E6"),
        (QPalette.ColorRole.Base, "#1E1F22"),
        (QPalette.ColorRole.AlternateBase, "#2B2D30"),
        (QPalette.ColorRole.Text, "#E6E6E6"),
        (QPalette.ColorRole.Button, "#3C3F41"),
        (QPalette.ColorRole.ButtonText, "#E6E6E6"),
        (QPalette.ColorRole.Highlight, "#3D7FD9"),
        (QPalette.ColorRole.HighlightedText, "#FFFFFF"),
        (QPalette.ColorRole.ToolTipBase, "#3C3F41"),
        (QPalette.ColorRole.ToolTipText, "#E6E6E6"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


class PreviewWindow(QWidget):
    """The chart with a row of switches and a line telling what is selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("LabDesk — tooth chart preview")
        self.chart = ToothChart(self)
        self.notation = QComboBox(self)
        for notation in Notation:
            self.notation.addItem(
                notation.name.capitalize() if notation.name != "FDI" else "FDI", notation
            )
        self.dentition = QComboBox(self)
        for dentition in Dentition:
            self.dentition.addItem(dentition.value.capitalize(), dentition)
        self.mode = QComboBox(self)
        for mode in ChartMode:
            self.mode.addItem(mode.value.capitalize(), mode)
        self.mode.setCurrentIndex(list(ChartMode).index(ChartMode.SELECTION))
        self.dark = QCheckBox("Dark", self)
        self.status = QLabel(self)

        bar = QHBoxLayout()
        for caption, box in (
            ("Notation", self.notation),
            ("Dentition", self.dentition),
            ("Mode", self.mode),
        ):
            bar.addWidget(QLabel(caption, self))
            bar.addWidget(box)
        bar.addWidget(self.dark)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.status)

        items, missing = sample_work()
        self.chart.set_work(items, missing)
        self.notation.currentIndexChanged.connect(self.on_notation_changed)
        self.dentition.currentIndexChanged.connect(self.on_dentition_changed)
        self.mode.currentIndexChanged.connect(self.on_mode_changed)
        self.dark.toggled.connect(self.on_dark_toggled)
        self.chart.selection_changed.connect(self.on_chart_selection_changed)
        self.on_chart_selection_changed([])
        self.resize(960, 620)

    def on_notation_changed(self, _index: int) -> None:
        self.chart.set_notation(self.notation.currentData())
        self.on_chart_selection_changed(self.chart.selection())

    def on_dentition_changed(self, _index: int) -> None:
        self.chart.set_dentition(self.dentition.currentData())

    def on_mode_changed(self, _index: int) -> None:
        self.chart.set_mode(self.mode.currentData())

    def on_dark_toggled(self, dark: bool) -> None:
        self.chart.setPalette(dark_palette() if dark else QApplication.palette())

    def on_chart_selection_changed(self, fdis: list[int]) -> None:
        chosen = teeth.format_teeth(fdis, self.chart.notation())
        self.status.setText(f"Selected: {chosen or 'none'}")


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = PreviewWindow()
    window.show()
    return QApplication.exec() if isinstance(app, QApplication) else 0


if __name__ == "__main__":
    raise SystemExit(main())
