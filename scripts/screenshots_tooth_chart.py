"""Render the tooth chart screenshots in docs/screenshots/ (offscreen, no display needed).

.venv/bin/python scripts/screenshots_tooth_chart.py [output-folder]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from labdesk.domain.teeth import Notation
from labdesk.gui.widgets.tooth_chart import ChartMode, Dentition, ToothChart
from labdesk.gui.widgets.tooth_chart_preview import dark_palette, sample_work

SIZE = (900, 520)


def _shot(chart: ToothChart, path: Path) -> None:
    # Rendered without showing, so no window takes the keyboard focus (no focus ring).
    chart.resize(*SIZE)
    if not chart.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "docs/screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")

    fdi = ToothChart(notation=Notation.FDI)
    fdi.set_selection([13, 12, 11, 21, 22, 23, 36])
    _shot(fdi, out / "tooth_chart_fdi.png")

    universal = ToothChart(notation=Notation.UNIVERSAL)
    universal.set_selection([16, 46, 47])  # Universal 3, 30, 31
    _shot(universal, out / "tooth_chart_universal.png")

    display = ToothChart(mode=ChartMode.DISPLAY)
    display.set_work(*sample_work())
    _shot(display, out / "tooth_chart_display.png")

    primary = ToothChart(dentition=Dentition.PRIMARY)
    primary.set_selection([54, 55])
    _shot(primary, out / "tooth_chart_primary.png")

    # Not part of the documented set, only for looking at while working on the chart.
    if os.environ.get("LABDESK_EXTRA_SHOTS"):
        mixed = ToothChart(dentition=Dentition.MIXED, notation=Notation.PALMER)
        mixed.set_selection([53, 13])
        _shot(mixed, out / "extra_mixed_palmer.png")
        dark = ToothChart(mode=ChartMode.DISPLAY)
        dark.setPalette(dark_palette())
        dark.set_work(*sample_work())
        _shot(dark, out / "extra_display_dark.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
