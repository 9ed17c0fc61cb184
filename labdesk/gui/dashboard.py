"""The workload dashboard: the lab manager's morning questions — what is due, what is late,
where work waits, what came back — as charts and tables, in a window of its own.

The figures come from the portal (the workstation's :class:`~labdesk.services.workload_feed.
WorkloadFeed`), fetched again after each sync while the dashboard is open; when the portal
cannot be reached it shows the last figures it kept, and says from when. Clicking a bar of
"Cases per status" asks the main window for the inbox filtered to that status
(:attr:`DashboardWindow.status_clicked`). The tables are the ones "Export CSV" writes
(:mod:`labdesk.client.workload_tables`); "Export PNG" writes each chart as it is on screen.
pyqtgraph is imported here only, when the dashboard first opens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from labdesk.client.workload import WorkloadChoices, WorkloadFigures, WorkloadFilter
from labdesk.client.workload_tables import Table, all_tables, write_csv
from labdesk.gui.dashboard_charts import Chart, DueChart, OnTimeChart, ShippedChart, StatusChart
from labdesk.services.workload_feed import WorkloadFeed

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT: Final = QModelIndex()


W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


class FigureTableModel(QAbstractTableModel):
    """One of the dashboard's tables (read-only; ``RawRole`` holds the number, for sorting)."""

    RawRole: Final = Qt.ItemDataRole.UserRole + 1

    def __init__(self, table: Table, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.table.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(value)
        if role == self.RawRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.table.headers):
            return self.table.headers[section]
        return None


class DashboardWindow(QWidget):
    """The workload figures for the lab, narrowed by clinic and catalog item."""

    status_clicked = Signal(object)  # Status: show those cases in the inbox
    figures_shown = Signal(object)  # WorkloadFigures, on screen (tests and tools wait on it)

    def __init__(self, feed: WorkloadFeed, *, lab_name: str, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.feed = feed
        self.setObjectName("dashboardWindow")
        self.setWindowTitle(f"Workload — {lab_name}")
        self.resize(1300, 880)
        self.figures: WorkloadFigures | None = None
        self._item_names: dict[str, str] = {}

        self.clinic = _named(QComboBox(), "clinicFilter")
        self.clinic.addItem("All clinics", None)
        self.item = _named(QComboBox(), "itemFilter")
        self.item.addItem("All items", None)
        for combo in (self.clinic, self.item):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.on_filter_changed)
        self.state = _named(QLabel("Fetching the figures…"), "dashboardState")
        self.state.setWordWrap(True)
        refresh = _named(QPushButton("Refresh"), "refreshButton")
        refresh.clicked.connect(lambda: self.feed.refresh())
        csv_button = _named(QPushButton("Export tables (CSV)…"), "exportCsvButton")
        csv_button.clicked.connect(self.on_export_csv_clicked)
        png_button = _named(QPushButton("Export charts (PNG)…"), "exportPngButton")
        png_button.clicked.connect(self.on_export_png_clicked)
        bar = QHBoxLayout()
        for widget in (QLabel("Clinic:"), self.clinic, QLabel("Item:"), self.item):
            bar.addWidget(widget)
        bar.addWidget(self.state, 1)
        for button in (refresh, csv_button, png_button):
            bar.addWidget(button)

        self.status_chart = StatusChart()
        self.due_chart = DueChart()
        self.shipped_chart = ShippedChart()
        self.on_time_chart = OnTimeChart()
        self.status_chart.status_clicked.connect(self.status_clicked)
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, chart in enumerate(self.charts):
            grid.addWidget(chart, n // 2, n % 2)

        self.tabs = _named(QTabWidget(), "dashboardTables")
        self.models: dict[str, FigureTableModel] = {}
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(charts)
        splitter.addWidget(self.tabs)
        splitter.setSizes([600, 280])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        feed.figures_loaded.connect(self.on_feed_figures_loaded)
        feed.figures_failed.connect(self.on_feed_figures_failed)
        feed.choices_loaded.connect(self.on_feed_choices_loaded)
        if feed.last is not None and feed.last.figures.clinic_id is None:
            self.show_figures(feed.last)  # something to look at while the fetch runs

    @property
    def charts(self) -> list[Chart]:
        return [self.status_chart, self.due_chart, self.shipped_chart, self.on_time_chart]

    # --- the figures ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.feed.watching:
            self.feed.watching = True
            self.feed.load_choices()
            self.feed.refresh(self.current_filter())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.feed.watching = False
        super().closeEvent(event)

    def current_filter(self) -> WorkloadFilter:
        return WorkloadFilter(self.clinic.currentData(), self.item.currentData())

    def on_filter_changed(self, _index: int) -> None:
        self.state.setText("Fetching the figures…")
        self.feed.refresh(self.current_filter())

    def on_feed_choices_loaded(self, choices: WorkloadChoices) -> None:
        self._item_names = dict(choices.items)
        for combo, entries in ((self.clinic, choices.clinics), (self.item, choices.items)):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for key, label in entries:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)
        if self.figures is not None:
            self._show_tables(self.figures)

    def on_feed_figures_loaded(self, fetched: WorkloadFigures) -> None:
        if fetched.figures.clinic_id != self.clinic.currentData():
            return  # an answer for a filter no longer chosen
        if fetched.figures.catalog_code != self.item.currentData():
            return
        self.show_figures(fetched)

    def on_feed_figures_failed(self, message: str) -> None:
        self.state.setText(f"No figures: {message}")

    def show_figures(self, fetched: WorkloadFigures) -> None:
        self.figures = fetched
        figures = fetched.figures
        when = fetched.fetched_at.astimezone().strftime("%d %b %H:%M")
        if fetched.from_cache:
            self.state.setText(
                f"Offline — figures from {when} ({fetched.stale_because})"
            )  # fmt: skip
        else:
            self.state.setText(f"As of {when}")
        for chart in self.charts:
            chart.show_figures(figures)
        self._show_tables(fetched)
        self.figures_shown.emit(fetched)

    def _show_tables(self, fetched: WorkloadFigures) -> None:
        tables = all_tables(fetched.figures, self._item_names)
        current = self.tabs.currentIndex()
        for table in tables:
            model = self.models.get(table.key)
            if model is not None:
                model.set_table(table)
                continue
            model = FigureTableModel(table, self)
            self.models[table.key] = model
            view = _named(QTableView(), f"table_{table.key}")
            view.setModel(model)
            view.setSortingEnabled(False)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            self.tabs.addTab(view, table.title)
        self.tabs.setCurrentIndex(max(0, current))

    # --- export -----------------------------------------------------------------------------

    def tables(self) -> list[Table]:
        return [model.table for model in self.models.values()]

    def export_csv(self, folder: Path) -> list[Path]:
        """Each table as ``folder/<table>.csv``; the paths written."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for table in self.tables():
            path = folder / f"{table.key}.csv"
            write_csv(table, path)
            written.append(path)
        return written

    def export_png(self, folder: Path) -> list[Path]:
        """Each chart as ``folder/<chart>.png``, as it is on screen; the paths written."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for chart in self.charts:
            path = folder / f"{chart.key}.png"
            if not chart.grab().save(str(path)):
                raise OSError(f"{path} could not be written")
            written.append(path)
        return written

    def on_export_csv_clicked(self) -> None:
        self._export("Export the tables as CSV into…", self.export_csv)

    def on_export_png_clicked(self) -> None:
        self._export("Export the charts as PNG into…", self.export_png)

    def _export(self, title: str, write: Any) -> None:
        if self.figures is None:
            self.state.setText("Nothing to export yet.")
            return
        folder = QFileDialog.getExistingDirectory(self, title, str(Path.home()))
        if not folder:
            return
        try:
            written = write(Path(folder))
        except OSError as exc:
            self.state.setText(f"Not exported: {exc.strerror or exc}")
            return
        self.state.setText(f"Exported {len(written)} files to {folder}")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for chart in self.charts:
                chart.apply_palette()
            if self.figures is not None:
                for chart in self.charts:
                    chart.show_figures(self.figures.figures)
