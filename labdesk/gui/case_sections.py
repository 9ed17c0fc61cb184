"""Parts of the case detail: items, files, status timeline, comments — each from a ``Case``.

Each section is a small widget with a ``show_case`` (or similar) method, so the case detail
only arranges them. Nothing here talks to the network: the files section asks for downloads
by signal and is told about progress.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from labdesk.api.schemas import Case, CaseItem, FileKind, FileMeta, Jaw, ScanDelivery
from labdesk.client.state import FileStatus
from labdesk.client.timeline import local_time, timeline
from labdesk.domain import teeth as teeth_rules
from labdesk.gui.settings_dialog import human_size

SCAN_DELIVERY_TEXT = {
    ScanDelivery.UPLOAD: "Scans uploaded with the case",
    ScanDelivery.SCANNER_CONNECT: "Sent from the intraoral scanner's cloud",
    ScanDelivery.PHYSICAL_IMPRESSION: "Physical impression, arriving by courier",
}
FILE_KIND_TEXT = {
    FileKind.SCAN: "Scan",
    FileKind.PHOTO: "Photo",
    FileKind.DOCUMENT: "Document",
    FileKind.ATTACHMENT: "Attachment",
}
JAW_TEXT = {Jaw.UPPER: "Upper", Jaw.LOWER: "Lower", Jaw.BITE: "Bite"}


def muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label


def _table(columns: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.horizontalHeader().setHighlightSections(False)
    return table


def _fit_height(table: QTableWidget) -> None:
    """Tables inside the scrolling detail show all their rows instead of scrolling again."""
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(height + 2)


def item_teeth_text(item: CaseItem, notation: str) -> str:
    text = teeth_rules.format_teeth(item.teeth, notation)
    if item.bridge and item.pontics:
        pontics = teeth_rules.format_teeth(item.pontics, notation)
        return f"{text} (bridge; pontics {pontics})"
    if item.bridge:
        return f"{text} (bridge)"
    return text


class ItemsSection(QWidget):
    """What is made: catalog name, material, shade and teeth in the user's notation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = _table(["Item", "Material", "Shade", "Teeth", "Notes"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)

    def show_items(self, items: Sequence[CaseItem], notation: str) -> None:
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            teeth_text = item_teeth_text(item, notation)
            cells = [item.catalog_name, item.material, item.shade or "—", teeth_text, item.notes]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if c == 3:
                    cell.setToolTip(
                        "\n".join(
                            teeth_rules.describe(t) for t in item.teeth if teeth_rules.is_valid(t)
                        )
                    )
                self.table.setItem(r, c, cell)
        self.table.resizeRowsToContents()
        _fit_height(self.table)


class FilesSection(QWidget):
    """The case's files with their download state; Open/Download per file."""

    open_clicked = Signal(object)  # FileMeta
    download_clicked = Signal(object)  # FileMeta

    COLUMNS = ("Kind", "Jaw", "File", "Size", "On this computer", "")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = _table(self.COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.empty = muted("No files were sent with this case.")
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        self._files: list[FileMeta] = []
        self._rows: dict[int, int] = {}

    def show_files(self, files: Sequence[FileMeta], states: dict[int, FileStatus]) -> None:
        self._files = list(files)
        self._rows = {f.id: r for r, f in enumerate(files)}
        self.table.setRowCount(len(files))
        for r, meta in enumerate(files):
            jaw = JAW_TEXT.get(meta.jaw, "") if meta.jaw else ""
            for c, text in enumerate(
                [
                    FILE_KIND_TEXT.get(meta.kind, meta.kind),
                    jaw,
                    meta.filename,
                    human_size(meta.size),
                ]
            ):
                cell = QTableWidgetItem(text)
                if c == 2:
                    cell.setToolTip(f"{meta.filename}\nsha256 {meta.sha256}")
                self.table.setItem(r, c, cell)
            self.set_state(states.get(meta.id, FileStatus(meta.id)))
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(files))
        self.empty.setVisible(not files)
        _fit_height(self.table)

    def set_state(self, state: FileStatus) -> None:
        row = self._rows.get(state.file_id)
        if row is None:
            return
        meta = self._files[row]
        if state.downloading:
            bar = QProgressBar()
            bar.setRange(0, max(state.total, 1) if state.total else 0)
            bar.setValue(state.done)
            bar.setFormat("%p%")
            bar.setMaximumHeight(18)
            self.table.setCellWidget(row, 4, bar)
        else:
            self.table.removeCellWidget(row, 4)
            text = "Stored" if state.stored else (state.error or "Not downloaded")
            self.table.setItem(row, 4, QTableWidgetItem(("✔ " if state.stored else "") + text))
        holder = QWidget()
        box = QHBoxLayout(holder)
        box.setContentsMargins(2, 0, 2, 0)
        if state.stored:
            button = QPushButton("Open")
            button.clicked.connect(lambda _=False, m=meta: self.open_clicked.emit(m))
        else:
            button = QPushButton("Download")
            button.setEnabled(not state.downloading)
            button.clicked.connect(lambda _=False, m=meta: self.download_clicked.emit(m))
        button.setObjectName(f"fileButton{meta.id}")
        box.addWidget(button)
        self.table.setCellWidget(row, 5, holder)

    def set_progress(self, file_id: int, done: int, total: int) -> None:
        row = self._rows.get(file_id)
        if row is None:
            return
        bar = self.table.cellWidget(row, 4)
        if isinstance(bar, QProgressBar):
            if total:
                bar.setRange(0, total)
            bar.setValue(done)
        else:
            self.set_state(FileStatus(file_id, downloading=True, done=done, total=total))


class TimelineSection(QWidget):
    """The status history: when, who, from → to, and why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["When", "Who", "Change", "Reason"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.tree)

    def show_history(self, case: Case) -> None:
        """Newest first by when the person acted (see :mod:`labdesk.client.timeline`)."""
        self.tree.clear()
        rows = max(3, min(len(case.history), 14))
        row_height = self.tree.fontMetrics().height() + 6
        self.tree.setFixedHeight(self.tree.header().sizeHint().height() + rows * row_height + 6)
        for line in timeline(case):
            item = QTreeWidgetItem([line.when, line.who, line.change, line.why])
            item.setToolTip(2, line.action_label)
            item.setToolTip(3, line.why)
            self.tree.addTopLevelItem(item)


class NotesSection(QWidget):
    """Comments, the lab's memo and tags."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.tags = QLabel()
        self.memo = QLabel()
        self.memo.setWordWrap(True)
        self.comments = QLabel()
        self.comments.setWordWrap(True)
        self.comments.setTextFormat(Qt.TextFormat.RichText)
        for label in (self.tags, self.memo, self.comments):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow("Tags", self.tags)
        self.form.addRow("Memo", self.memo)
        self.form.addRow("Comments", self.comments)

    def show_case(self, case: Case) -> None:
        self.tags.setText(", ".join(case.tags) or "—")
        self.memo.setText(case.memo or "—")
        if not case.comments:
            self.comments.setText("—")
            return
        parts = []
        for c in sorted(case.comments, key=lambda c: c.at):
            body = _escape(c.body).replace("\n", "<br>")
            parts.append(f"<p><b>{_escape(c.author_name)}</b>, {local_time(c.at)}<br>{body}</p>")
        self.comments.setText("".join(parts))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
