"""The inbox table model: every case the user can see, sorted and filtered inside the model.

No ``QSortFilterProxyModel`` sits on top: with 100,000 rows a proxy's per-row ``lessThan``
calls into Python cost seconds. The model keeps the rows in an :class:`InboxIndex` and shows
the positions it returns. Column constants and the custom roles follow Vorta's
``ArchiveTableModel``: ``SortRole`` gives the raw value a column sorts by, ``CaseIdRole`` and
``RowRole`` give what a view needs to open a case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from labdesk.client import inbox_index as ix
from labdesk.client.inbox_index import InboxIndex
from labdesk.client.inbox_queues import InboxFilter, Queue
from labdesk.client.inbox_rows import InboxRow
from labdesk.domain import teeth as teeth_rules
from labdesk.domain.due import DueState
from labdesk.domain.lifecycle import STATUS_LABELS, Status
from labdesk.gui.theme import Palette, current_palette

AnyIndex = QModelIndex | QPersistentModelIndex
_DISPLAY: Final = Qt.ItemDataRole.DisplayRole

_DUE_TEXT: Final[dict[DueState, str]] = {
    DueState.OVERDUE: "Overdue",
    DueState.TODAY: "Due today",
    DueState.SOON: "Due soon",
    DueState.LATER: "",
    DueState.NONE: "",
}


def status_text(status: Status, signed_off: bool) -> str:
    if status is Status.QC and signed_off:
        return "QC signed off"
    return STATUS_LABELS[status]


def flags_text(row: InboxRow) -> str:
    parts = []
    if row.conflict:
        parts.append("⚠ conflict")
    if row.failed:
        parts.append("✖ refused")
    if row.pending:
        parts.append(f"⟳ {row.pending} pending")
    if row.rush:
        parts.append("⚡ rush")
    if row.remake:
        parts.append("↺ remake")
    return "  ".join(parts)


def items_text(row: InboxRow, notation: str) -> str:
    return "; ".join(
        f"{name} {teeth_rules.format_teeth(list(teeth), notation)}".strip()
        for name, teeth in row.items
    )


def format_day(day: date | None, today: date | None = None) -> str:
    """``Wed 11 Nov`` this year, ``11 Nov 2025`` otherwise."""
    if day is None:
        return ""
    if day.year == (today or date.today()).year:
        return day.strftime("%a %d %b")
    return day.strftime("%d %b %Y")


class InboxModel(QAbstractTableModel):
    """Rows of the inbox; ``set_filter`` and ``sort`` change what is shown and in which order."""

    COL_NUMBER = ix.COL_NUMBER
    COL_PATIENT = ix.COL_PATIENT
    COL_CLINIC = ix.COL_CLINIC
    COL_DENTIST = ix.COL_DENTIST
    COL_ITEMS = ix.COL_ITEMS
    COL_STATUS = ix.COL_STATUS
    COL_DUE = ix.COL_DUE
    COL_EXPECTED = ix.COL_EXPECTED
    COL_ASSIGNEE = ix.COL_ASSIGNEE
    COL_FLAGS = ix.COL_FLAGS

    #: The raw value a column sorts by (dates as ordinals, status in lifecycle order).
    SortRole = Qt.ItemDataRole.UserRole
    #: The case id of the row.
    CaseIdRole = Qt.ItemDataRole.UserRole + 1
    #: The ``InboxRow`` itself.
    RowRole = Qt.ItemDataRole.UserRole + 2
    #: The row's ``DueState``.
    DueStateRole = Qt.ItemDataRole.UserRole + 3

    HEADERS: Final = (
        "Case",
        "Patient",
        "Clinic",
        "Dentist",
        "Items",
        "Status",
        "Due",
        "Expected",
        "Assignee",
        "Flags",
    )

    counts_changed = Signal(object)  # dict[Queue | Status, int]
    filter_changed = Signal(object)  # InboxFilter
    new_cases_arrived = Signal(list)  # list[InboxRow], only after the first load

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._index = InboxIndex()
        self._visible: list[int] = []
        self._filter = InboxFilter()
        self._sort_column = self.COL_DUE
        self._descending = False
        self._notation = "fdi"
        self._items_memo: dict[int, str] = {}
        self._new_ids: set[int] = set()
        self._loaded = False
        self._palette: Palette = current_palette()
        self._bold = QFont()
        self._bold.setBold(True)

    # --- Qt model interface -----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else ix.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < ix.COLUMN_COUNT:
            return None
        if role == _DISPLAY:
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        pos = self._visible[index.row()]
        row = self._index.rows[pos]
        column = index.column()
        if role == _DISPLAY:
            return self._display(pos, row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(pos, row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(pos, row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.case_id in self._new_ids:
                return QBrush(self._palette.new_row)
            if row.conflict or row.failed:
                return QBrush(self._palette.attention_row)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if row.case_id in self._new_ids or (column == self.COL_DUE and row.rush):
                return self._bold
            return None
        if role == self.SortRole:
            return ix.SORT_VALUES[column](row)
        if role == self.CaseIdRole:
            return row.case_id
        if role == self.RowRole:
            return row
        if role == self.DueStateRole:
            return self._index.due_states[pos]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._tooltip(pos, row, column) or self._display(pos, row, column)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | (Qt.ItemFlag.ItemNeverHasChildren)
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._relayout(self._index.visible(self._filter, column, self._descending))

    # --- display helpers --------------------------------------------------------------------

    def _display(self, pos: int, row: InboxRow, column: int) -> str:
        match column:
            case self.COL_NUMBER:
                return row.number
            case self.COL_PATIENT:
                return row.patient
            case self.COL_CLINIC:
                return row.clinic
            case self.COL_DENTIST:
                return row.dentist
            case self.COL_ITEMS:
                text = self._items_memo.get(pos)
                if text is None:
                    text = self._items_memo[pos] = items_text(row, self._notation)
                return text
            case self.COL_STATUS:
                return status_text(row.status, row.signed_off)
            case self.COL_DUE:
                return format_day(row.due_date)
            case self.COL_EXPECTED:
                return format_day(row.expected_date)
            case self.COL_ASSIGNEE:
                return row.assignee_name or row.assignee or ""
            case self.COL_FLAGS:
                return flags_text(row)
        return ""

    def _tooltip(self, pos: int, row: InboxRow, column: int) -> str | None:
        if column == self.COL_DUE:
            state = _DUE_TEXT[self._index.due_states[pos]]
            return f"{state}{' · rush' if row.rush else ''}" or None
        if column == self.COL_ITEMS and row.items:
            return "\n".join(
                f"{name}: "
                + ", ".join(teeth_rules.describe(t) for t in teeth if teeth_rules.is_valid(t))
                for name, teeth in row.items
            )
        if column == self.COL_FLAGS:
            text = flags_text(row)
            if row.pending:
                text += "\nActions wait in the outbox and are sent when the portal answers."
            return text or None
        if column == self.COL_NUMBER and row.tags:
            return "Tags: " + ", ".join(row.tags)
        return None

    def _foreground(self, pos: int, row: InboxRow, column: int) -> QColor | None:
        if column == self.COL_DUE:
            return self._palette.due.get(self._index.due_states[pos])
        if column == self.COL_FLAGS and (row.conflict or row.failed):
            return self._palette.due[DueState.OVERDUE]
        return None

    # --- loading and state ------------------------------------------------------------------

    def set_rows(
        self, rows: Sequence[InboxRow], today: date | None = None, *, announce: bool = True
    ) -> None:
        """Replace every row, indexing them here (small inboxes and tests)."""
        self.set_index(InboxIndex.build(rows, today), announce=announce)

    def set_index(self, index: InboxIndex, *, announce: bool = True) -> None:
        """Show the rows of ``index`` (built off the GUI thread); announce cases not seen
        before. A first load, or the first sync into an empty cache, is not news."""
        announcing = announce and self._loaded and len(self._index) > 0
        old_ids = self._index.ids() if announcing else None
        self.beginResetModel()
        self._index = index
        self._items_memo.clear()
        self._visible = index.visible(self._filter, self._sort_column, self._descending)
        self._new_ids &= index.ids()
        self.endResetModel()
        self.counts_changed.emit(index.counts())
        if old_ids is not None:
            arrived = [r for r in index.rows if r.case_id not in old_ids]
            if arrived:
                self._new_ids.update(r.case_id for r in arrived)
                self.new_cases_arrived.emit(arrived)
        self._loaded = True

    def clear(self) -> None:
        """Forget every row (another person signed in): the next load announces nothing."""
        self.beginResetModel()
        self._index = InboxIndex()
        self._visible = []
        self._items_memo.clear()
        self._new_ids.clear()
        self._loaded = False
        self.endResetModel()
        self.counts_changed.emit(self._index.counts())

    @property
    def loaded(self) -> bool:
        return self._loaded

    def set_filter(self, spec: InboxFilter) -> None:
        if spec == self._filter:
            return
        self._filter = spec
        self.beginResetModel()
        self._visible = self._index.visible(spec, self._sort_column, self._descending)
        self.endResetModel()
        self.filter_changed.emit(spec)

    @property
    def filter(self) -> InboxFilter:
        return self._filter

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def set_notation(self, notation: str) -> None:
        if notation == self._notation:
            return
        self._notation = notation
        self._items_memo.clear()
        self._emit_column_changed(self.COL_ITEMS)

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        if self._visible:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._visible) - 1, ix.COLUMN_COUNT - 1)
            )

    def _emit_column_changed(self, column: int) -> None:
        if self._visible:
            self.dataChanged.emit(
                self.index(0, column), self.index(len(self._visible) - 1, column), [_DISPLAY]
            )

    def _relayout(self, visible: list[int]) -> None:
        """Show ``visible`` (the same rows in a new order), keeping persistent indexes."""
        self.layoutAboutToBeChanged.emit()
        old_visible = self._visible
        self._visible = visible
        persistent = self.persistentIndexList()
        if persistent:
            locate, column, descending = self._index.locate, self._sort_column, self._descending
            moved = []
            for old in persistent:
                new_row = (
                    locate(visible, old_visible[old.row()], column, descending)
                    if old.row() < len(old_visible)
                    else None
                )
                moved.append(
                    self.index(new_row, old.column()) if new_row is not None else QModelIndex()
                )
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # --- questions a view asks --------------------------------------------------------------

    def counts(self) -> dict[Queue | Status, int]:
        return self._index.counts()

    def row_of_case(self, case_id: int) -> int | None:
        """The visible row showing ``case_id``, or None when it is filtered out."""
        pos = self._index.position_of(case_id)
        if pos is None:
            return None
        return self._index.locate(self._visible, pos, self._sort_column, self._descending)

    def case_id_at(self, row: int) -> int | None:
        if 0 <= row < len(self._visible):
            return self._index.rows[self._visible[row]].case_id
        return None

    def inbox_row(self, case_id: int) -> InboxRow | None:
        pos = self._index.position_of(case_id)
        return self._index.rows[pos] if pos is not None else None

    def find_case_number(self, text: str) -> int | None:
        """The id of the case numbered ``text`` among all rows, filtered out or not."""
        pos = self._index.find_number(text)
        return self._index.rows[pos].case_id if pos is not None else None

    def all_rows(self) -> Sequence[InboxRow]:
        return self._index.rows

    def visible_case_ids(self) -> list[int]:
        rows = self._index.rows
        return [rows[pos].case_id for pos in self._visible]

    def clinics(self) -> list[str]:
        return self._index.clinics()

    def assignees(self) -> list[tuple[str, str]]:
        return self._index.assignees()

    def is_new(self, case_id: int) -> bool:
        return case_id in self._new_ids

    def mark_seen(self, case_ids: Iterable[int]) -> None:
        """The user looked at these cases: they are no longer highlighted as new."""
        seen = self._new_ids & set(case_ids)
        if not seen:
            return
        self._new_ids -= seen
        for case_id in seen:
            row = self.row_of_case(case_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, ix.COLUMN_COUNT - 1))
