"""How scanner exports reach the import preview: File → Import…, a drop on the window, or a
new export in the watched folder (settings).

The window hands in what it needs (the workstation, how to open a case, how to announce) and
forwards its drag-and-drop events; this object opens one :class:`IntakeDialog` per package.
Exports that arrive in the watched folder while a preview is open wait their turn, so a busy
connector does not bury the person in dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from labdesk.services.workstation import Workstation

if TYPE_CHECKING:
    from labdesk.api.schemas import Case
    from labdesk.gui.dialogs.intake_dialog import IntakeDialog

#: What File → Import… offers: a zip, or the order file inside an export folder.
IMPORT_FILTER = (
    "Scanner exports (*.zip *.xml *.3ox *.dentalProject);;Zip files (*.zip);;All files (*)"
)
_ORDER_SUFFIXES = (".xml", ".3ox", ".dentalproject")


def package_of(path: str) -> str | None:
    """The package a dropped or chosen path stands for: a zip or a folder as it is, an order
    file (manifest, ``.3ox``, ``.dentalProject``) for its folder; None for anything else."""
    p = Path(path)
    if p.is_dir() or p.suffix.lower() == ".zip":
        return str(p)
    if p.suffix.lower() in _ORDER_SUFFIXES:
        return str(p.parent)
    return None


class IntakeFlow(QObject):
    """Opens import previews for the window."""

    dialog_opened = Signal(object)  # IntakeDialog (tests and tools follow it)
    case_created = Signal(object)  # Case

    def __init__(
        self,
        workstation: Workstation,
        *,
        dialog_parent: QWidget,
        open_case: Callable[[int], None],
        announce: Callable[[str, str], None],
    ) -> None:
        super().__init__(dialog_parent)
        self.ws = workstation
        self._parent = dialog_parent
        self._open_case = open_case
        self._announce = announce
        self.dialogs: list[IntakeDialog] = []
        self._waiting: list[str] = []
        workstation.intake.package_arrived.connect(self.on_intake_package_arrived)

    # --- ways in ----------------------------------------------------------------------------

    def on_import_triggered(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self._parent,
            "Import a scanner export (a zip, or the order file in an export folder)",
            self.ws.settings.intake_watch_dir,
            IMPORT_FILTER,
        )
        package = package_of(chosen) if chosen else None
        if package is not None:
            self.open_package(package)

    @staticmethod
    def packages_in(mime: QMimeData) -> list[str]:
        """The packages a drag carries (local zips, folders, order files)."""
        if not mime.hasUrls():
            return []
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        return [p for p in (package_of(path) for path in paths) if p is not None]

    def accepts(self, mime: QMimeData) -> bool:
        return bool(self.packages_in(mime))

    def drop(self, mime: QMimeData) -> list[IntakeDialog]:
        return [self.open_package(p) for p in self.packages_in(mime)]

    def on_intake_package_arrived(self, path: str) -> None:
        name = Path(path).name
        self._announce("Scanner export arrived", f"{name}: the import preview opens.")
        if any(d.isVisible() for d in self.dialogs):
            self._waiting.append(path)
        else:
            self.open_package(path)

    # --- the preview ------------------------------------------------------------------------

    def open_package(self, path: str) -> IntakeDialog:
        from labdesk.gui.dialogs.intake_dialog import IntakeDialog

        dialog = IntakeDialog(
            self.ws.intake,
            path,
            open_case=self._open_case,
            on_created=self.on_dialog_case_created,
            notation=self.ws.settings.tooth_notation,
            parent=self._parent,
        )
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.finished.connect(lambda _result, d=dialog: self.on_dialog_finished(d))
        self.dialogs.append(dialog)
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def on_dialog_case_created(self, case: Case) -> None:
        self._announce("Case imported", f"{case.number} created for {case.clinic_name}.")
        self.case_created.emit(case)
        self._open_case(case.id)

    def on_dialog_finished(self, dialog: IntakeDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        if self._waiting and not any(d.isVisible() for d in self.dialogs):
            self.open_package(self._waiting.pop(0))
