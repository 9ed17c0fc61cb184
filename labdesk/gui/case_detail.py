"""One case, everything a technician needs to decide and to work on it.

Built from a ``schemas.Case`` (through a :class:`CaseView` that adds the local state): header
with the status chip and dates, the people, the items with teeth in the user's notation and
the tooth chart, instructions and prescription, files with their download state, the scan
viewer's place, the status timeline, comments, memo and tags — and an action bar holding only
what :func:`labdesk.client.offers.offers` permits this person (the lifecycle's actions and
the lab's own fields), with a banner and a way to resolve conflicts when an action of theirs
met someone else's change.

The tooth chart and the scan viewer come from their own modules and are imported when first
needed (the scan viewer pulls in OpenGL and is only loaded when a scan is opened); if either
is missing, a placeholder says so and the rest of the case still shows.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Collection
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from labdesk.api.schemas import Billing, Case, FileKind, FileMeta
from labdesk.client import offers as action_rules
from labdesk.client.inbox_index import classify_all
from labdesk.client.inbox_rows import row_from_case
from labdesk.client.offers import Command
from labdesk.client.state import CaseView, FileStatus
from labdesk.domain.clearance import required_clearance_mm
from labdesk.domain.due import DueState
from labdesk.domain.lifecycle import Action
from labdesk.domain.restorations import ToothWork
from labdesk.gui.case_action_bar import ActionBar
from labdesk.gui.case_records import QCRecordSection, ShipmentSection
from labdesk.gui.case_sections import (
    SCAN_DELIVERY_TEXT,
    FilesSection,
    ItemsSection,
    NotesSection,
    TimelineSection,
    muted,
    section_title,
)
from labdesk.gui.inbox_model import status_text
from labdesk.gui.theme import current_palette

log = logging.getLogger(__name__)

BILLING_TEXT = {
    Billing.PREPAY: "Prepay (charged when shipped)",
    Billing.AUTOPAY: "Autopay",
    Billing.NET_TERMS: "Net terms (invoiced on delivery)",
}


def long_day(day: date | None) -> str:
    return day.strftime("%a %d %b %Y") if day is not None else "—"


class CaseDetail(QWidget):
    """Shows one case; emits what the person asked for, never acts by itself."""

    action_clicked = Signal(int, object)  # case id, Command (an Action or an Edit)
    conflicts_resolve_clicked = Signal(int)  # case id
    back_clicked = Signal()
    case_link_clicked = Signal(int)  # a parent or child (remake) case id
    file_open_clicked = Signal(object)  # FileMeta
    file_download_clicked = Signal(object)  # FileMeta
    reject_prefilled = Signal(int, str, str)  # case id, reason code, note (from the scan review)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseDetail")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # its action keys need the focus
        self.view: CaseView | None = None
        self._roles: frozenset[str] = frozenset()
        self._notation = "fdi"
        self._chart: Any = None
        self._scan_view: Any = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(8)
        outer.addLayout(self._build_header())
        outer.addWidget(self._build_banner())
        self.action_bar = ActionBar(shortcut_host=self)
        self.action_bar.command_clicked.connect(self.on_action_clicked)
        outer.addWidget(self.action_bar)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._scroll(self._build_work_column()))
        splitter.addWidget(self._scroll(self._build_history_column()))
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 640])
        self.splitter = splitter
        outer.addWidget(splitter, 1)

    # --- building ---------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.back_button = QToolButton()
        self.back_button.setText("← Inbox")
        self.back_button.setToolTip("Back to the inbox (Esc)")
        self.back_button.setAutoRaise(True)
        self.back_button.clicked.connect(self.back_clicked)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chip = QLabel()
        self.chip.setProperty("role", "chip")
        self.rush = QLabel("⚡ Rush")
        self.rush.setProperty("role", "badge")
        self.sync_badge = QLabel()
        self.sync_badge.setProperty("role", "badge")
        row.addWidget(self.back_button)
        row.addWidget(self.title)
        row.addWidget(self.chip)
        row.addWidget(self.rush)
        row.addWidget(self.sync_badge)
        row.addStretch(1)
        return row

    def _build_banner(self) -> QFrame:
        """Conflicts of this case (and a way to resolve them), or a note on where it is from."""
        frame = QFrame()
        frame.setObjectName("caseBannerFrame")
        row = QHBoxLayout(frame)
        row.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setObjectName("caseBanner")
        self.resolve_button = QPushButton("Resolve…")
        self.resolve_button.setObjectName("resolveConflictsButton")
        self.resolve_button.setToolTip(
            "See your action next to the case as it is now; apply it again or discard it"
        )
        self.resolve_button.clicked.connect(self.on_resolve_button_clicked)
        row.addWidget(self.banner, 1)
        row.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignTop)
        frame.hide()
        self.banner_frame = frame
        return frame

    def _scroll(self, inner: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(inner)
        return area

    def _build_work_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 8, 0)
        facts = QGridLayout()
        facts.setHorizontalSpacing(16)
        facts.setVerticalSpacing(4)
        self.facts: dict[str, QLabel] = {}
        names = [
            ("Patient", "patient"),
            ("Due (clinic)", "due"),
            ("Dentist", "dentist"),
            ("Expected (lab)", "expected"),
            ("Clinic", "clinic"),
            ("Billing", "billing"),
            ("Assignee", "assignee"),
            ("Remake", "remake"),
        ]
        for i, (caption, key) in enumerate(names):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            value.setWordWrap(True)
            value.linkActivated.connect(self.on_case_link_activated)
            self.facts[key] = value
            cap = muted(caption)
            cap.setWordWrap(False)
            facts.addWidget(cap, i // 2, (i % 2) * 2)
            facts.addWidget(value, i // 2, (i % 2) * 2 + 1)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)
        layout.addLayout(facts)

        layout.addWidget(section_title("Items"))
        self.items = ItemsSection()
        layout.addWidget(self.items)
        self.chart_holder = QVBoxLayout()
        layout.addLayout(self.chart_holder)

        layout.addWidget(section_title("Instructions"))
        self.instructions = QLabel()
        self.instructions.setWordWrap(True)
        self.instructions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.instructions)
        layout.addWidget(section_title("Prescription"))
        self.prescription = QFormLayout()
        self.prescription.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.addLayout(self.prescription)

        layout.addWidget(section_title("Scans and files"))
        self.scan_delivery = muted()
        layout.addWidget(self.scan_delivery)
        self.files = FilesSection()
        self.files.open_clicked.connect(self.file_open_clicked)
        self.files.download_clicked.connect(self.file_download_clicked)
        layout.addWidget(self.files)
        layout.addStretch(1)
        return column

    def _build_history_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(8, 0, 0, 0)
        self.scan_title = section_title("Scans")
        layout.addWidget(self.scan_title)
        self.scan_area = QStackedWidget()
        self.scan_placeholder = muted("Open a scan in the files list to see it here in 3D.")
        self.scan_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scan_placeholder.setFrameShape(QFrame.Shape.StyledPanel)
        self.scan_placeholder.setMinimumHeight(90)
        self.scan_area.addWidget(self.scan_placeholder)
        layout.addWidget(self.scan_area)
        self.qc_title = section_title("QC record")
        self.qc_record = QCRecordSection()
        self.shipment_title = section_title("Shipment")
        self.shipment = ShipmentSection()
        for widget in (self.qc_title, self.qc_record, self.shipment_title, self.shipment):
            layout.addWidget(widget)
        layout.addWidget(section_title("Status timeline"))
        self.timeline = TimelineSection()
        layout.addWidget(self.timeline)
        layout.addWidget(section_title("Comments, memo and tags"))
        self.notes = NotesSection()
        layout.addWidget(self.notes)
        layout.addStretch(1)
        return column

    # --- showing a case ---------------------------------------------------------------------

    @property
    def case_id(self) -> int | None:
        return self.view.case.id if self.view is not None else None

    def show_case(self, view: CaseView, roles: Collection[str], notation: str) -> None:
        same_case = self.view is not None and self.view.case.id == view.case.id
        self.view = view
        self._roles = frozenset(roles)
        self._notation = notation
        case = view.case
        self.title.setText(case.number)
        self._paint_chip()
        self.rush.setVisible(case.rush)
        self._show_sync_state(view)
        f = self.facts
        if case.share_patient_name and case.patient_name:
            f["patient"].setText(case.patient_name)
        else:
            f["patient"].setText(
                f"{case.patient_initials} · ref. {case.patient_ref} (name not shared)"
            )
        f["dentist"].setText(case.dentist_name)
        f["clinic"].setText(case.clinic_name)
        self._show_due(case)
        expected = long_day(case.expected_date)
        f["expected"].setText(
            f"{expected} — {case.expected_note}" if case.expected_note else expected
        )
        quote = " · needs a quote" if case.needs_quote else ""
        f["billing"].setText(BILLING_TEXT.get(case.billing, str(case.billing)) + quote)
        f["assignee"].setText(case.assignee_name or case.assignee or "Nobody yet")
        f["remake"].setText(self._remake_links(case))
        self.items.show_items(case.items, notation)
        self._show_chart(case)
        self.instructions.setText(case.instructions or "—")
        self._show_prescription(case)
        self.scan_delivery.setText(SCAN_DELIVERY_TEXT.get(case.scan_delivery, ""))
        self.files.show_files(case.files, view.files)
        has_scans = any(self.is_scan(f) for f in case.files)
        for widget in (self.scan_title, self.scan_area):
            widget.setVisible(has_scans)
        has_qc = self.qc_record.show_case(case)
        self.qc_title.setVisible(has_qc)
        self.qc_record.setVisible(has_qc)
        shipped = self.shipment.show_case(case)
        self.shipment_title.setVisible(shipped)
        self.shipment.setVisible(shipped)
        self.timeline.show_history(case)
        self.notes.show_case(case)
        self._build_actions(case)
        if not same_case:
            self._close_scan()

    def _show_due(self, case: Case) -> None:
        label = self.facts["due"]
        (state,) = classify_all([row_from_case(case)], date.today())
        words = {DueState.OVERDUE: "overdue", DueState.TODAY: "due today", DueState.SOON: "soon"}
        colour = current_palette().due.get(state)
        text = long_day(case.due_date)
        if state in words and colour is not None:
            text += f'  <span style="color:{colour.name()}; font-weight:600">{words[state]}</span>'
        label.setText(text)

    def _paint_chip(self) -> None:
        if self.view is None:
            return
        case = self.view.case
        bg, fg = current_palette().chip_colors(case.status)
        self.chip.setText(status_text(case.status, case.signed_off))
        self.chip.setStyleSheet(f"background: {bg.name()}; color: {fg.name()};")

    def refresh_theme(self) -> None:
        self._paint_chip()

    def _show_sync_state(self, view: CaseView) -> None:
        if view.conflict:
            self.sync_badge.setText("⚠ Conflict")
            self.sync_badge.setToolTip("An action of yours met someone else's change.")
        elif view.pending:
            self.sync_badge.setText("⟳ Pending sync")
            self.sync_badge.setToolTip(
                "Your action waits in the outbox; it is sent when the portal answers."
            )
        self.sync_badge.setVisible(view.conflict or view.pending)
        notes = [f"{n.message}" for n in view.conflicts]
        if not view.from_cache:
            notes.append("Shown from the portal; not yet in the offline cache.")
        if view.conflicts:
            n = len(view.conflicts)
            notes.insert(0, f"⚠ {n} action{'s' if n != 1 else ''} of yours did not go through:")
        self.banner.setText("\n".join(notes))
        self.banner.setProperty("role", "error" if view.conflicts else "muted")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.resolve_button.setVisible(bool(view.conflicts))
        self.banner_frame.setVisible(bool(notes))

    def on_resolve_button_clicked(self) -> None:
        if self.view is not None:
            self.conflicts_resolve_clicked.emit(self.view.case.id)

    @staticmethod
    def _remake_links(case: Case) -> str:
        parts = []
        if case.parent is not None:
            parts.append(f'remake of <a href="case:{case.parent.id}">{case.parent.number}</a>')
        if case.children:
            links = ", ".join(f'<a href="case:{c.id}">{c.number}</a>' for c in case.children)
            parts.append(f"remade as {links}")
        return "; ".join(parts) or "—"

    def on_case_link_activated(self, link: str) -> None:
        if link.startswith("case:"):
            self.case_link_clicked.emit(int(link.removeprefix("case:")))

    def _show_prescription(self, case: Case) -> None:
        while self.prescription.rowCount():
            self.prescription.removeRow(0)
        if not case.prescription:
            self.prescription.addRow(muted("No prescription questions answered."))
            return
        for qa in case.prescription:
            answer = QLabel(qa.answer)
            answer.setWordWrap(True)
            question = muted(qa.question)
            self.prescription.addRow(question, answer)

    def _show_chart(self, case: Case) -> None:
        if self._chart is None:
            self._chart = self._make_chart()
            self.chart_holder.addWidget(self._chart)
        if not hasattr(self._chart, "set_work"):
            return
        try:
            work = [
                ToothWork(item.kind, tuple(item.teeth), tuple(item.pontics), item.catalog_name)
                for item in case.items
            ]
            module = importlib.import_module("labdesk.gui.widgets.tooth_chart")
            every = [t for item in case.items for t in item.teeth]
            self._chart.set_notation(self._notation)
            if hasattr(module, "dentition_for"):
                self._chart.set_dentition(module.dentition_for(every))
            self._chart.set_work(work)
        except Exception:  # the chart is another module's; a bad case must not hide the rest
            log.exception("the tooth chart could not show case %s", case.number)

    def _make_chart(self) -> QWidget:
        try:
            module = importlib.import_module("labdesk.gui.widgets.tooth_chart")
            chart: QWidget = module.ToothChart(mode="display", notation=self._notation)
            chart.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            chart.setMinimumHeight(220)
            chart.setMaximumHeight(300)
            return chart
        except Exception as exc:
            log.info("tooth chart not available: %s", exc)
            return muted("The tooth chart is not available in this version.")

    # --- actions ----------------------------------------------------------------------------

    def _build_actions(self, case: Case) -> None:
        self.action_bar.show_offers(action_rules.offers(case, self._roles))

    def action_buttons(self) -> dict[Command, QPushButton]:
        return self.action_bar.buttons()

    def on_action_clicked(self, command: Command) -> None:
        if self.view is not None and command in self.action_bar.buttons():
            self.action_clicked.emit(self.view.case.id, command)

    # --- files and scans --------------------------------------------------------------------

    def set_file_state(self, state: FileStatus) -> None:
        self.files.set_state(state)

    def set_file_progress(self, file_id: int, done: int, total: int) -> None:
        self.files.set_progress(file_id, done, total)

    def show_scans(self, paths: list[str], metas: list[FileMeta]) -> None:
        """Show scans in the viewer; its module (OpenGL) is imported here, the first time."""
        if self._scan_view is None:
            try:
                module = importlib.import_module("labdesk.gui.widgets.scan_view")
                self._scan_view = module.ScanView()
            except Exception as exc:
                log.warning("scan viewer not available: %s", exc)
                self.scan_placeholder.setText(f"The scan viewer is not available: {exc}")
                return
            self.scan_area.addWidget(self._scan_view)
            self._connect_scan_review(self._scan_view)
        if self.view is not None:
            rejectable = Action.REJECT in self.action_buttons()
            context = scan_review_context(self.view.case)
            self._scan_view.clearance.set_case_context(*context, rejectable=rejectable)
        self.scan_area.setMinimumHeight(380)
        self.scan_area.setCurrentWidget(self._scan_view)
        for widget in (self.scan_title, self.scan_area):
            widget.setVisible(True)
        for path, meta in zip(paths, metas, strict=False):
            role = meta.jaw.value if meta.jaw else "upper"
            self._scan_view.open_scan(path, role)
            # The stored copy is named by its sha256; show the file's own name instead.
            # (Until ScanView.open_scan takes a display name.)
            layer = getattr(self._scan_view, "_layers", {}).get(role)
            panel = getattr(self._scan_view, "panel", None)
            if layer is not None and hasattr(layer, "name"):
                layer.name = meta.filename
                if panel is not None and hasattr(panel, "set_file"):
                    panel.set_file(role, meta.filename, loading=True)

    def _connect_scan_review(self, viewer: Any) -> None:
        """The viewer's clearance box opens the case's bite files and prefills a rejection."""

        def open_bite(file_id: int) -> None:
            metas = [f for f in self.view.case.files if f.id == file_id] if self.view else []
            if metas:
                self.file_open_clicked.emit(metas[0])

        def reject(code: str, note: str) -> None:
            if self.view is not None:
                self.reject_prefilled.emit(self.view.case.id, code, note)

        viewer.clearance.box.bite_chosen.connect(open_bite)
        viewer.clearance.reject_requested.connect(reject)

    def can_snapshot(self) -> bool:
        """Whether a scan is shown in a working 3D view (so it can be attached as an image)."""
        viewer = self._scan_view
        if viewer is None or self.scan_area.currentWidget() is self.scan_placeholder:
            return False
        return bool(viewer.has_opengl())

    def scan_snapshot(self) -> QImage | None:
        """The scan view as it is on screen, for a rejection's attachment; None when no scan
        is shown in a working 3D view."""
        if not self.can_snapshot():
            return None
        image: QImage = self._scan_view.grab_image()
        return None if image.isNull() else image

    def _close_scan(self) -> None:
        if self._scan_view is not None and hasattr(self._scan_view, "clear"):
            self._scan_view.clear()
        self.scan_area.setCurrentWidget(self.scan_placeholder)
        self.scan_area.setMinimumHeight(0)

    @staticmethod
    def is_scan(meta: FileMeta) -> bool:
        return meta.kind is FileKind.SCAN


def scan_review_context(case: Case) -> tuple[list[int], float, list[tuple[int, str]]]:
    """What the scan review needs of a case: its prepared teeth (items' teeth that are not
    pontics), the clearance its prescription asks, and its bite registrations (id, name)."""
    teeth = sorted({t for item in case.items for t in item.teeth if t not in item.pontics})
    required = required_clearance_mm((qa.question, qa.answer) for qa in case.prescription)
    bites = [(f.id, f.filename) for f in case.files if f.jaw is not None and f.jaw.value == "bite"]
    return teeth, required, bites
