"""Quitting with work not yet sent asks first.

Actions wait in the outbox until the portal has them; they survive a quit (the next run
sends them), but nobody else sees them until then. A person's quit — the menu, Ctrl+Q, the
window's close button — asks while anything is pending; a program's ``close()`` (a test, the
session ending) does not.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget


class QuitGuard(QObject):
    """Asks "Quit with n actions not sent?" and calls ``quit_now`` when the answer is yes."""

    def __init__(
        self, parent: QWidget, pending: Callable[[], int], quit_now: Callable[[], object]
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._pending = pending
        self._quit_now = quit_now
        self.confirmed = False
        self.box: QMessageBox | None = None

    def needs_asking(self) -> bool:
        return self._pending() > 0 and not self.confirmed

    def ask(self) -> QMessageBox:
        """Open the question (not modal to the app: the sync may finish meanwhile); Stay is
        the default, so an Enter by mistake keeps LabDesk running."""
        if self.box is not None and self.box.isVisible():
            return self.box
        n = self._pending()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Quit LabDesk?",
            f"{n} action{'s' if n != 1 else ''} not sent to the portal yet.",
            QMessageBox.StandardButton.NoButton,
            self._parent,
        )
        box.setObjectName("quitBox")
        box.setInformativeText(
            "They are kept on this computer and sent the next time LabDesk runs; until then "
            "nobody else sees them. Stay until the status bar says everything is sent?"
        )
        stay = box.addButton("Stay", QMessageBox.ButtonRole.RejectRole)
        stay.setObjectName("stayButton")
        quit_anyway = box.addButton("Quit anyway", QMessageBox.ButtonRole.DestructiveRole)
        quit_anyway.setObjectName("quitAnywayButton")
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.buttonClicked.connect(lambda button: self._answered(button is quit_anyway))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.box = box
        box.open()
        return box

    def _answered(self, quit_anyway: bool) -> None:
        self.box = None
        if quit_anyway:
            self.confirmed = True
            self._quit_now()
