"""The workload dashboard's charts (pyqtgraph, 2D): cases per status (a bar is clickable), due
per day stacked by status with the overdue work in red and rush work marked, shipped per day and
the on-time rate per week.

Each chart keeps the numbers it draws (:attr:`Chart.shown`), so tests compare what is on screen
with the portal's answer without reading pixels. Colours come from the theme's status chips, so
a status has the same colour here as in the inbox, in both themes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from labdesk.api.schemas import Workload
from labdesk.client.workload_tables import due_statuses
from labdesk.domain.due import DueState
from labdesk.domain.lifecycle import STATUS_LABELS, Status
from labdesk.gui.theme import current_palette

BAR_WIDTH: Final = 0.7


class Chart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    """A titled 2D plot in the window's colours, with category ticks along x."""

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self.key = key
        self.title = title
        self.setObjectName(f"chart_{key}")
        self.setMinimumHeight(220)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.shown: dict[Any, Any] = {}
        self.apply_palette()

    def apply_palette(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        self.setBackground(palette.color(QPalette.ColorRole.Base))
        item = self.getPlotItem()
        item.setTitle(self.title, color=text.name(), size="11pt")
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))

    def reset(self) -> None:
        self.getPlotItem().clear()
        self.shown = {}

    def ticks(self, labels: list[str], *, every: int = 1) -> None:
        major = [(i, label) for i, label in enumerate(labels) if i % every == 0]
        axis = self.getPlotItem().getAxis("bottom")
        axis.setTicks([major, []])
        lines = max((label.count("\n") + 1 for label in labels), default=1)
        axis.setHeight(12 + 14 * lines)

    def legend(self, entries: list[tuple[str, QColor]]) -> None:
        """A legend of colour swatches (top left, in rows)."""
        item = self.getPlotItem()
        legend = item.legend or item.addLegend(offset=(40, 6), colCount=4)
        legend.clear()
        legend.setLabelTextColor(self.palette().color(QPalette.ColorRole.WindowText))
        for name, color in entries:
            swatch = pg.BarGraphItem(x=[0], height=[0], width=0, brush=color, pen=pg.mkPen(None))
            legend.addItem(swatch, name)

    def bars(
        self, xs: Sequence[float], heights: Sequence[float], color: QColor, bottoms: Any = 0
    ) -> None:
        if not xs:
            return
        self.addItem(
            pg.BarGraphItem(
                x=xs, height=heights, y0=bottoms, width=BAR_WIDTH, brush=color, pen=pg.mkPen(None)
            )
        )

    def fit(self, count: int, top: float) -> None:
        self.setXRange(-0.6, max(count, 1) - 0.4, padding=0)
        self.setYRange(0, max(top, 1) * 1.15, padding=0)


class StatusChart(Chart):
    """Cases per status now; clicking a bar asks for the inbox filtered to that status."""

    status_clicked = Signal(object)  # Status

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("cases_per_status", "Cases per status (click a bar: those cases)", parent)
        self.statuses: list[Status] = []
        self.scene().sigMouseClicked.connect(self.on_scene_clicked)

    def show_figures(self, figures: Workload) -> None:
        self.reset()
        order = list(Status)
        entries = sorted(figures.by_status, key=lambda e: order.index(e.status))
        self.statuses = [e.status for e in entries]
        palette = current_palette()
        for i, entry in enumerate(entries):
            self.bars([i], [entry.count], palette.chip_colors(entry.status)[0])
        self.shown = {e.status: e.count for e in entries}
        self.ticks([STATUS_LABELS[s].replace(" ", "\n") for s in self.statuses])
        self.fit(len(entries), max(self.shown.values(), default=0))

    def bar_center(self, status: Status) -> QPointF:
        """Where the bar of ``status`` is, in widget coordinates (for a click)."""
        index = self.statuses.index(status)
        view = self.getPlotItem().getViewBox()
        scene = view.mapViewToScene(QPointF(index, self.shown[status] / 2))
        return QPointF(self.mapFromScene(scene))

    def on_scene_clicked(self, event: Any) -> None:
        view = self.getPlotItem().getViewBox()
        point = view.mapSceneToView(event.scenePos())
        index = round(point.x())
        if not 0 <= index < len(self.statuses) or abs(point.x() - index) > BAR_WIDTH / 2:
            return
        status = self.statuses[index]
        if 0 <= point.y() <= self.shown[status]:
            self.status_clicked.emit(status)


class DueChart(Chart):
    """Open work due per day for the next 14 days, stacked by status; the overdue work (already
    late) as a red bar before today; a ▲ with the count above the days with rush work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("due_next_14_days", "Due per day (14 days) — overdue in red, ▲ rush",
                         parent)  # fmt: skip

    def show_figures(self, figures: Workload) -> None:
        self.reset()
        palette = current_palette()
        overdue = sum(figures.overdue.values())
        self.bars([0], [overdue], palette.due[DueState.OVERDUE])
        self.legend(
            [("Overdue", palette.due[DueState.OVERDUE])]
            + [(STATUS_LABELS[s], palette.chip_colors(s)[0]) for s in due_statuses(figures)]
        )
        bottoms = [0.0] * len(figures.due)
        xs = [i + 1 for i in range(len(figures.due))]
        stacks: dict[Status, list[int]] = {}
        for status in due_statuses(figures):
            heights = [day.counts.get(status, 0) for day in figures.due]
            self.bars(xs, heights, palette.chip_colors(status)[0], bottoms=list(bottoms))
            bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
            stacks[status] = heights
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for x, day, top in zip(xs, figures.due, bottoms, strict=True):
            if day.rush:
                mark = pg.TextItem(f"▲{day.rush}", color=palette.due[DueState.OVERDUE],
                                   anchor=(0.5, 1.0))  # fmt: skip
                mark.setPos(x, top)
                self.addItem(mark)
        if figures.overdue_rush:
            mark = pg.TextItem(f"▲{figures.overdue_rush}", color=text, anchor=(0.5, 1.0))
            mark.setPos(0, overdue)
            self.addItem(mark)
        self.shown = {
            "overdue": overdue,
            "stacks": stacks,
            "rush": [day.rush for day in figures.due],
        }
        labels = ["Late"] + [day.day.strftime("%a\n%d") for day in figures.due]
        self.ticks(labels, every=1)
        self.fit(len(labels), max([overdue, *bottoms], default=0) * 1.25)  # room for the legend


class ShippedChart(Chart):
    """Cases shipped per day over the last 30 days."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("shipped_per_day", "Shipped per day (30 days)", parent)

    def show_figures(self, figures: Workload) -> None:
        self.reset()
        counts = [day.shipped for day in figures.shipped]
        self.bars(list(range(len(counts))), counts, current_palette().online)
        self.shown = {day.day: day.shipped for day in figures.shipped}
        self.ticks([day.day.strftime("%d %b") for day in figures.shipped], every=5)
        self.fit(len(counts), max(counts, default=0))


class OnTimeChart(Chart):
    """Share of the week's shipments that left on or before their due date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("on_time_per_week", "On time per week (% of shipped)", parent)

    def show_figures(self, figures: Workload) -> None:
        self.reset()
        rates = [
            100 * week.on_time / week.shipped if week.shipped else 0.0 for week in figures.on_time
        ]
        self.bars(list(range(len(rates))), rates, current_palette().online)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for i, week in enumerate(figures.on_time):
            label = f"{week.on_time}/{week.shipped}" if week.shipped else "none"
            mark = pg.TextItem(label, color=text, anchor=(0.5, 1.0))
            mark.setPos(i, rates[i])
            self.addItem(mark)
        self.shown = {w.week_start: (w.on_time, w.shipped) for w in figures.on_time}
        self.ticks([f"week of\n{w.week_start.strftime('%d %b')}" for w in figures.on_time])
        self.fit(len(rates), 100)
