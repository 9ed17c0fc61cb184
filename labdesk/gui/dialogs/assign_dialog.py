"""Assign a case to a technician of the lab (or to nobody)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QListWidgetItem, QWidget

from labdesk.api.schemas import Case, CasePatch, Person
from labdesk.client import patches
from labdesk.domain.lifecycle import ROLE_LABELS
from labdesk.domain.required import ActionInputError
from labdesk.gui.dialogs.common import case_line, setup_buttons, style_dialog, use_form
from labdesk.gui.forms.ui_assign_dialog import Ui_AssignDialog

NOBODY = ""


def person_text(person: Person) -> str:
    roles = ", ".join(ROLE_LABELS[r].removesuffix("s") for r in person.roles)
    return f"{person.display_name} — {roles}" if roles else person.display_name


class AssignDialog(QDialog):
    def __init__(self, case: Case, people: Sequence[Person], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_AssignDialog())
        style_dialog(self)
        self.case = case
        self.setWindowTitle(f"Assign case {case.number}")
        self.ui.headline.setText(f"Assign case {case.number}")
        now = case.assignee_name or case.assignee
        self.ui.caseLabel.setText(f"{case_line(case)}\nNow: {now or 'not assigned'}")
        self.ok = setup_buttons(self.ui.buttonBox, "&Assign")
        self.ui.buttonBox.accepted.connect(self.on_ok_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)

        listing = self.ui.peopleList
        listing.setStyleSheet("QListWidget::item { padding: 4px 6px; }")
        nobody = QListWidgetItem("Nobody (not assigned)")
        nobody.setData(Qt.ItemDataRole.UserRole, NOBODY)
        listing.addItem(nobody)
        for person in sorted(people, key=lambda p: p.display_name.casefold()):
            item = QListWidgetItem(person_text(person))
            item.setData(Qt.ItemDataRole.UserRole, person.username)
            listing.addItem(item)
        self.select(case.assignee or NOBODY)
        listing.currentItemChanged.connect(self.on_selection_changed)
        listing.itemDoubleClicked.connect(self.on_item_double_clicked)
        self.ui.filterEdit.textChanged.connect(self.on_filter_changed)
        self.ui.filterEdit.returnPressed.connect(self.on_ok_clicked)
        self.on_selection_changed()
        self.ui.filterEdit.setFocus()

    def select(self, username: str) -> None:
        listing = self.ui.peopleList
        for row in range(listing.count()):
            item = listing.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == username:
                listing.setCurrentItem(item)
                return

    def chosen(self) -> str | None:
        item = self.ui.peopleList.currentItem()
        if item is None or item.isHidden():
            return None
        return str(item.data(Qt.ItemDataRole.UserRole))

    def patch(self) -> CasePatch:
        chosen = self.chosen()
        if chosen is None:
            raise ActionInputError("Choose a person.", "assignee")
        return patches.assign_patch(chosen)

    def on_filter_changed(self, text: str) -> None:
        listing = self.ui.peopleList
        needle = text.strip().casefold()
        first_visible = None
        for row in range(listing.count()):
            item = listing.item(row)
            if item is None:
                continue
            hidden = bool(needle) and needle not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        current = listing.currentItem()
        if (current is None or current.isHidden()) and first_visible is not None:
            listing.setCurrentItem(first_visible)
        self.on_selection_changed()

    def on_selection_changed(self) -> None:
        chosen = self.chosen()
        self.ok.setEnabled(chosen is not None and chosen != (self.case.assignee or NOBODY))
        self.ok.setText("&Unassign" if chosen == NOBODY else "&Assign")

    def on_item_double_clicked(self, item: QListWidgetItem) -> None:
        self.ui.peopleList.setCurrentItem(item)
        self.on_ok_clicked()

    def on_ok_clicked(self) -> None:
        if self.ok.isEnabled():
            self.accept()
