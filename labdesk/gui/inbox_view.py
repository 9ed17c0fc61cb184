"""The inbox page: work queues with live counts, search, filters and the case table.

Everything it shows comes from an :class:`InboxModel`; everything the person does (choose a
queue, type a search, pick a filter, sort by a column) becomes an :class:`InboxFilter` or a
``sort`` on that model. Opening a case, selecting several (for a bulk step), asking for the
context menu or to resolve what needs attention are signals; the window decides what follows.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from labdesk.client.inbox_queues import (
    ANY_ASSIGNEE,
    DUE_WINDOW_LABELS,
    IN_WORK_STAGES,
    QUEUE_HINTS,
    QUEUE_LABELS,
    UNASSIGNED,
    DueWindow,
    InboxFilter,
    Queue,
)
from labdesk.client.inbox_rows import InboxRow
from labdesk.domain.lifecycle import STATUS_LABELS, Status
from labdesk.gui.inbox_model import InboxModel

DEFAULT_WIDTHS = (112, 130, 150, 130, 190, 112, 92, 92, 110, 90)
_SEARCH_DELAY_MS = 150
_KEEP_SELECTION_MAX = 5000  # a reload keeps a multi-selection up to this many cases


class CaseTable(QTableView):
    """The table; Enter opens the current case (``activated`` is not sent on every style)."""

    enter_pressed = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_pressed.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)


class InboxView(QWidget):
    case_activated = Signal(int)  # the person opened this case
    queue_changed = Signal(object, object)  # Queue, stage (Status | None)
    selection_changed = Signal()  # the selected cases changed (see selected_rows)
    context_menu_requested = Signal(QPoint)  # global position, over the selected cases
    resolve_clicked = Signal()  # "Resolve…" in the "Needs attention" queue

    def __init__(self, model: InboxModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxView")
        self.model = model
        self._me: str | None = None
        self._restoring = False
        self._current_case: int | None = None
        self._kept_selection: list[int] = []
        self._next_case: int | None = None  # where the selection goes if the current one leaves

        self.queue_list = QListWidget()
        self.queue_list.setObjectName("queueList")
        self.queue_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.queue_list.setMinimumWidth(150)
        for queue in Queue:
            item = QListWidgetItem(QUEUE_LABELS[queue])
            item.setData(Qt.ItemDataRole.UserRole, queue.value)
            item.setToolTip(QUEUE_HINTS[queue])
            self.queue_list.addItem(item)
        self.queue_list.setCurrentRow(len(Queue) - 1)
        self.queue_list.currentRowChanged.connect(self.on_queue_list_changed)

        self.search = QLineEdit()
        self.search.setObjectName("searchEdit")
        self.search.setPlaceholderText("Search cases  (Ctrl+F)")
        self.search.setToolTip("Matches the case number, patient, clinic, dentist and tags")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.on_search_text_changed)
        self.search.returnPressed.connect(self.on_search_return_pressed)
        self.search.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(_SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)

        self.stage = self._combo("stageCombo", "Stage inside “In work”")
        self.status = self._combo("statusCombo", "Only cases in this status")
        self.clinic = self._combo("clinicCombo", "Only cases of this clinic")
        self.due = self._combo("dueCombo", "Only cases due in this window")
        self.assignee = self._combo("assigneeCombo", "Only cases assigned to")
        self.rush = QCheckBox("Rush only")
        self.rush.setObjectName("rushCheck")
        self.rush.toggled.connect(self.apply_filter)
        self.clear_filters = QToolButton()
        self.clear_filters.setText("Clear filters")
        self.clear_filters.setAutoRaise(True)
        self.clear_filters.clicked.connect(self.on_clear_filters_clicked)
        self._fill_static_combos()

        self.table = CaseTable()
        self.table.setObjectName("inboxTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Shift/Ctrl select several cases for one step ("finishing done" for a tray).
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self.on_table_context_menu_requested)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        vheader = self.table.verticalHeader()
        vheader.hide()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in enumerate(DEFAULT_WIDTHS):
            header.resizeSection(column, width)
        header.setSortIndicator(model.sort_column, model.sort_order)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(self.on_table_activated)
        self.table.enter_pressed.connect(self.on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self.on_table_current_changed)
        self.table.selectionModel().selectionChanged.connect(self.on_table_selection_changed)
        model.modelAboutToBeReset.connect(self.on_model_about_to_reset)
        model.modelReset.connect(self.on_model_reset)
        model.counts_changed.connect(self.on_model_counts_changed)

        self.summary = QLabel()
        self.summary.setObjectName("inboxSummary")
        self.summary.setProperty("role", "muted")

        filters = QHBoxLayout()
        filters.setSpacing(6)
        self.search.setMinimumWidth(220)
        filters.addWidget(self.search, 3)
        for widget in (self.stage, self.status, self.clinic, self.due, self.assignee):
            filters.addWidget(widget, 1)
        filters.addWidget(self.rush)
        filters.addWidget(self.clear_filters)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(filters)
        right_layout.addWidget(self._build_attention_bar())
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.summary)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.queue_list)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([170, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.splitter)
        self.stage.setVisible(False)
        self.on_model_counts_changed(model.counts())

    # --- building helpers -------------------------------------------------------------------

    def _build_attention_bar(self) -> QFrame:
        """Over the "Needs attention" queue: how many actions wait, and "Resolve…"."""
        bar = QFrame()
        bar.setObjectName("attentionBar")
        bar.setProperty("role", "card")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        self.attention_label = QLabel()
        self.attention_label.setObjectName("attentionLabel")
        self.attention_label.setWordWrap(True)
        self.resolve_button = QPushButton("Resolve…")
        self.resolve_button.setObjectName("resolveButton")
        self.resolve_button.setToolTip(
            "Your action next to the case as it is now: apply it again, or discard it "
            "(the selected case, or one after the other)"
        )
        self.resolve_button.clicked.connect(self.resolve_clicked)
        row.addWidget(self.attention_label, 1)
        row.addWidget(self.resolve_button)
        bar.hide()
        self.attention_bar = bar
        return bar

    def _update_attention_bar(self) -> None:
        n = self.model.counts().get(Queue.NEEDS_ATTENTION, 0)
        shown = self.current_queue() is Queue.NEEDS_ATTENTION and n > 0
        self.attention_bar.setVisible(shown)
        if shown:
            cases = f"{n} case{'s' if n != 1 else ''}"
            self.attention_label.setText(
                f"{cases} with an action of yours that met someone else's change or was "
                "refused. Nothing is lost: decide for each whether to apply it again."
            )

    def _combo(self, name: str, tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.currentIndexChanged.connect(self.apply_filter)
        return combo

    def _fill_static_combos(self) -> None:
        self._restoring = True
        self.stage.addItem("All stages", None)
        for stage in IN_WORK_STAGES:
            self.stage.addItem(STATUS_LABELS[stage], stage.value)
        self.status.addItem("Any status", None)
        for status in Status:
            self.status.addItem(STATUS_LABELS[status], status.value)
        for window, label in DUE_WINDOW_LABELS.items():
            self.due.addItem(label, window.value)
        self.clinic.addItem("Any clinic", None)
        self.assignee.addItem("Anyone", ANY_ASSIGNEE)
        self._restoring = False

    def refresh_choices(self) -> None:
        """Clinics and assignees come from the cases; refill them, keeping the choice."""
        self._restoring = True
        clinic = self.clinic.currentData()
        self.clinic.clear()
        self.clinic.addItem("Any clinic", None)
        for name in self.model.clinics():
            self.clinic.addItem(name, name)
        self.clinic.setCurrentIndex(max(0, self.clinic.findData(clinic)))
        who = self.assignee.currentData()
        self.assignee.clear()
        self.assignee.addItem("Anyone", ANY_ASSIGNEE)
        if self._me:
            self.assignee.addItem("Me", self._me)
        self.assignee.addItem("Nobody", UNASSIGNED)
        for username, name in self.model.assignees():
            if username != self._me:
                self.assignee.addItem(name, username)
        self.assignee.setCurrentIndex(max(0, self.assignee.findData(who)))
        self._restoring = False

    def set_me(self, username: str | None) -> None:
        self._me = username
        self.refresh_choices()

    # --- queues and filters -----------------------------------------------------------------

    def current_queue(self) -> Queue:
        item = self.queue_list.currentItem()
        return Queue(item.data(Qt.ItemDataRole.UserRole)) if item is not None else Queue.ALL

    def set_queue(self, queue: Queue, stage: Status | None = None) -> None:
        self._restoring = True
        self.queue_list.setCurrentRow(list(Queue).index(queue))
        self.stage.setVisible(queue is Queue.IN_WORK)
        self.stage.setCurrentIndex(max(0, self.stage.findData(stage.value if stage else None)))
        self._restoring = False
        self.apply_filter()

    def show_status(self, status: Status) -> None:
        """Every case in ``status``: the "All" queue narrowed to it, other filters cleared."""
        self._restoring = True
        for combo in (self.clinic, self.due, self.assignee):
            combo.setCurrentIndex(0)
        self.rush.setChecked(False)
        self.search.clear()
        self.status.setCurrentIndex(max(0, self.status.findData(status.value)))
        self._restoring = False
        self.set_queue(Queue.ALL)

    def on_queue_list_changed(self, _row: int) -> None:
        queue = self.current_queue()
        self.stage.setVisible(queue is Queue.IN_WORK)
        if self._restoring:
            return
        self.apply_filter()

    def current_filter(self) -> InboxFilter:
        queue = self.current_queue()
        stage = self.stage.currentData() if queue is Queue.IN_WORK else None
        status = self.status.currentData()
        return InboxFilter(
            queue=queue,
            stage=Status(stage) if stage else None,
            status=Status(status) if status else None,
            clinic=self.clinic.currentData(),
            due=DueWindow(self.due.currentData() or DueWindow.ANY.value),
            assignee=self.assignee.currentData() if self.assignee.count() else ANY_ASSIGNEE,
            rush_only=self.rush.isChecked(),
            search=self.search.text(),
        )

    def apply_filter(self, *_args: Any) -> None:
        if self._restoring:
            return
        self._search_timer.stop()
        spec = self.current_filter()
        previous = self.model.filter
        self.model.set_filter(spec)
        self.clear_filters.setEnabled(spec.narrowed)
        self._update_summary()
        self._update_attention_bar()
        if (previous.queue, previous.stage) != (spec.queue, spec.stage):
            self.queue_changed.emit(spec.queue, spec.stage)

    def on_clear_filters_clicked(self) -> None:
        self._restoring = True
        for combo in (self.status, self.clinic, self.due, self.assignee):
            combo.setCurrentIndex(0)
        self.rush.setChecked(False)
        self._restoring = False
        self.apply_filter()

    def on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def on_search_return_pressed(self) -> None:
        text = self.search.text().strip()
        case_id = self.model.find_case_number(text) if text else None
        if case_id is not None:
            self.case_activated.emit(case_id)
            return
        self.apply_filter()
        if self.model.rowCount() >= 1:
            self.table.setFocus()
            self.table.selectRow(0)
            if self.model.rowCount() == 1:
                self.on_table_activated(self.model.index(0, 0))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == (QKeyEvent.Type.KeyPress)
        ):
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if event.key() == Qt.Key.Key_Down:
                self.table.setFocus()
                if not self.table.currentIndex().isValid() and self.model.rowCount():
                    self.table.selectRow(0)
                return True
        return super().eventFilter(watched, event)

    # --- the table --------------------------------------------------------------------------

    def on_table_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        case_id = index.data(InboxModel.CaseIdRole) if index.isValid() else None
        if case_id is not None:
            self.case_activated.emit(int(case_id))

    def on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._current_case = current.data(InboxModel.CaseIdRole)

    def on_model_about_to_reset(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._current_case = index.data(InboxModel.CaseIdRole)
            # Should the current case leave the queue (accepted, sent on), the selection
            # moves to the case after it — the next one to work — not back to the top.
            below = self.model.case_id_at(index.row() + 1)
            self._next_case = below if below is not None else self.model.case_id_at(index.row() - 1)
        rows = self.table.selectionModel().selectedRows()
        self._kept_selection = (
            [i.data(InboxModel.CaseIdRole) for i in rows]
            if 1 < len(rows) <= _KEEP_SELECTION_MAX
            else []
        )

    def on_model_reset(self) -> None:
        kept, self._kept_selection = self._kept_selection, []
        if kept:
            self.select_cases(kept, current=self._current_case)
        elif self._current_case is not None:
            gone = self.model.row_of_case(self._current_case) is None
            if gone and self._next_case is not None:
                self.select_case(self._next_case)
            else:
                self.select_case(self._current_case)
        self._next_case = None
        self._update_summary()
        self.selection_changed.emit()

    def select_case(self, case_id: int) -> bool:
        """Make ``case_id`` the current and only selected case (when it is shown)."""
        return bool(self.select_cases([case_id], current=case_id))

    def select_cases(self, case_ids: list[int], *, current: int | None = None) -> int:
        """Select the shown ones of ``case_ids`` (the rest are filtered out); returns how
        many. ``current`` (or the first) becomes the current row."""
        rows = sorted(r for r in map(self.model.row_of_case, case_ids) if r is not None)
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        ranges: list[list[int]] = []  # contiguous rows make one range
        for row in rows:
            if ranges and row == ranges[-1][1] + 1:
                ranges[-1][1] = row
            else:
                ranges.append([row, row])
        for first, end in ranges:
            selection.select(self.model.index(first, 0), self.model.index(end, last))
        flags = QItemSelectionModel.SelectionFlag
        model = self.table.selectionModel()
        model.select(selection, flags.ClearAndSelect | flags.Rows)
        if not rows:
            return 0
        at = self.model.row_of_case(current) if current is not None else None
        index = self.model.index(rows[0] if at is None else at, 0)
        model.setCurrentIndex(index, flags.NoUpdate)
        self._current_case = index.data(InboxModel.CaseIdRole)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return len(rows)

    def selected_rows(self) -> list[InboxRow]:
        """The selected cases, in the table's order."""
        indexes = sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row())
        rows = (i.data(InboxModel.RowRole) for i in indexes)
        return [row for row in rows if row is not None]

    def on_table_selection_changed(self, *_args: Any) -> None:
        self._update_summary()
        self.selection_changed.emit()

    def on_table_context_menu_requested(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and not self.table.selectionModel().isRowSelected(index.row()):
            case_id = index.data(InboxModel.CaseIdRole)
            if case_id is not None:
                self.select_case(int(case_id))
        if self.table.selectionModel().hasSelection():
            self.context_menu_requested.emit(self.table.viewport().mapToGlobal(pos))

    def current_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(InboxModel.CaseIdRole) if index.isValid() else None

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)

    def menu_position(self) -> QPoint:
        """Where a menu for the selection opens: under the current row, or the table's top."""
        index = self.table.currentIndex()
        rect = self.table.visualRect(index) if index.isValid() else self.table.rect()
        return self.table.viewport().mapToGlobal(rect.bottomLeft())

    # --- counts -----------------------------------------------------------------------------

    def on_model_counts_changed(self, counts: dict[Any, int]) -> None:
        for row, queue in enumerate(Queue):
            item = self.queue_list.item(row)
            n = counts.get(queue, 0)
            item.setText(f"{QUEUE_LABELS[queue]}   {n}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{QUEUE_LABELS[queue]}, {n} cases")
            font = item.font()
            font.setBold(queue is Queue.NEEDS_ATTENTION and n > 0)
            item.setFont(font)
        self._restoring = True
        self.stage.setItemText(0, f"All stages ({counts.get(Queue.IN_WORK, 0)})")
        for i, stage in enumerate(IN_WORK_STAGES, start=1):
            self.stage.setItemText(i, f"{STATUS_LABELS[stage]} ({counts.get(stage, 0)})")
        self._restoring = False
        self.refresh_choices()
        self._update_summary()
        self._update_attention_bar()

    def queue_count_text(self, queue: Queue) -> str:
        return self.queue_list.item(list(Queue).index(queue)).text()

    def _update_summary(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.all_rows())
        spec = self.model.filter
        what = QUEUE_LABELS[spec.queue]
        extra = " (filtered)" if spec.narrowed or spec.search.strip() else ""
        selected = len(self.table.selectionModel().selectedRows())
        if selected > 1:
            extra += f" · {selected} selected"
        self.summary.setText(f"{what}: {shown} of {total} cases{extra}")

    # --- persistence ------------------------------------------------------------------------

    def save_state(self) -> dict[str, Any]:
        spec = self.model.filter
        return {
            "header": bytes(self.table.horizontalHeader().saveState().data()),
            "splitter": bytes(self.splitter.saveState().data()),
            "queue": spec.queue.value,
            "stage": spec.stage.value if spec.stage else "",
            "sort_column": self.model.sort_column,
            "sort_descending": self.model.sort_order == Qt.SortOrder.DescendingOrder,
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        header = state.get("header")
        if isinstance(header, bytes) and header:
            self.table.horizontalHeader().restoreState(QByteArray(header))
        splitter = state.get("splitter")
        if isinstance(splitter, bytes) and splitter:
            self.splitter.restoreState(QByteArray(splitter))
        column = state.get("sort_column")
        if isinstance(column, int) and 0 <= column < self.model.columnCount():
            order = (
                Qt.SortOrder.DescendingOrder
                if state.get("sort_descending")
                else Qt.SortOrder.AscendingOrder
            )
            self.table.horizontalHeader().setSortIndicator(column, order)

    def filter_with(self, **changes: Any) -> InboxFilter:
        return dataclasses.replace(self.current_filter(), **changes)
