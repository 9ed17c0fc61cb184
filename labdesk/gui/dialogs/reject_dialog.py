"""Reject a case: a reason from the portal's catalog (mandatory), a note, attachments, and a
preview of exactly what the clinic will read.

OK stays disabled until the input makes a valid rejection; the line under the form says what
is missing. Attachments are cleaned (EXIF removed) and size-checked when they are added: a file
from disk (up to 25 MiB) is read and re-encoded on the task runner, with a progress bar under
the list and the dialog responsive meanwhile, and OK waits until it is ready. OK then closes at
once and the cleaned files go with the rejection into the outbox, which uploads them when the
portal is reachable — so a rejection with attachments works offline too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QDialog, QFileDialog, QListWidgetItem, QProgressBar, QWidget

from labdesk.api.schemas import ActionRequest, Case, ReasonOut
from labdesk.client import actions
from labdesk.client.attachments import (
    FILE_FILTER,
    Attachment,
    human_size,
    prepare_attachment,
    read_attachment,
    thumbnail_rgba,
)
from labdesk.errors import person_message
from labdesk.gui.dialogs.annotate_snapshot_dialog import AnnotateSnapshotDialog, png_bytes
from labdesk.gui.dialogs.common import (
    case_line,
    setup_buttons,
    show_problem,
    style_dialog,
    use_form,
)
from labdesk.gui.forms.ui_reject_dialog import Ui_RejectDialog
from labdesk.services.tasks import Task, TaskRunner

SnapshotProvider = Callable[[], QImage | None]
THUMBNAIL = QSize(64, 40)

#: A file prepared off the GUI thread: the cleaned attachment and its icon's picture.
_Prepared = tuple[Attachment, "QImage | None"]


def thumbnail_of(attachment: Attachment) -> QImage | None:
    """The list's small picture of an image attachment (QImage: safe on any thread)."""
    if not attachment.media_type.startswith("image/"):
        return None
    small = thumbnail_rgba(attachment.data, THUMBNAIL.width(), THUMBNAIL.height())
    if small is None:
        return None
    width, height, pixels = small
    return QImage(pixels, width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()


class RejectDialog(QDialog):
    file_prepared = Signal(bool)  # a file from disk was added (True) or refused (False)

    def __init__(
        self,
        case: Case,
        reasons: Sequence[ReasonOut],
        *,
        snapshot: SnapshotProvider | None = None,
        tasks: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # A runner handed in (the workstation's) is shared; else the dialog has its own.
        self._tasks = tasks if tasks is not None else TaskRunner(parent=self, threads=1)
        self._preparing: list[Task[_Prepared]] = []
        self.ui = use_form(self, Ui_RejectDialog())
        style_dialog(self)
        self.case = case
        self.reasons = list(reasons)
        self.attachments: list[Attachment] = []
        self._snapshot = snapshot
        self._notice = ""  # the last refused file

        self.setWindowTitle(f"Reject case {case.number}")
        self.ui.headline.setText(f"Reject case {case.number}")
        self.ui.caseLabel.setText(case_line(case))
        self.ok = setup_buttons(self.ui.buttonBox, "&Reject case")
        self.ui.buttonBox.accepted.connect(self.on_ok_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)

        combo = self.ui.reasonCombo
        combo.setPlaceholderText("Choose a reason…")
        for reason in self.reasons:
            combo.addItem(reason.label, reason.code)
            if reason.note_required:
                combo.setItemData(combo.count() - 1, "Needs a note", Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(-1)
        combo.currentIndexChanged.connect(self.on_input_changed)
        self.ui.noteEdit.textChanged.connect(self.on_input_changed)

        self.ui.addFileButton.clicked.connect(self.on_add_file_clicked)
        self.ui.addSnapshotButton.clicked.connect(self.on_add_snapshot_clicked)
        self.ui.removeButton.clicked.connect(self.on_remove_clicked)
        self.ui.attachmentList.currentRowChanged.connect(self._update_remove)
        self.ui.attachmentList.setIconSize(THUMBNAIL)
        self.preparing_bar = QProgressBar(self)
        self.preparing_bar.setObjectName("preparingBar")
        self.preparing_bar.setTextVisible(True)
        self.preparing_bar.hide()
        column = self.ui.inputColumn  # under the list, above its buttons
        column.insertWidget(column.indexOf(self.ui.attachmentList) + 1, self.preparing_bar)
        self.finished.connect(self.on_finished)
        self.ui.addSnapshotButton.setEnabled(snapshot is not None)
        if snapshot is None:
            self.ui.addSnapshotButton.setToolTip(
                "Open a scan in the viewer to attach a view of it."
            )
        self._update_remove()
        self.on_input_changed()
        combo.setFocus()

    # --- input ----------------------------------------------------------------------------

    def reason_code(self) -> str | None:
        data = self.ui.reasonCombo.currentData()
        return str(data) if data else None

    def reason_label(self) -> str | None:
        return self.ui.reasonCombo.currentText() if self.reason_code() else None

    def note(self) -> str:
        return self.ui.noteEdit.toPlainText()

    def select_reason(self, code: str) -> None:
        self.ui.reasonCombo.setCurrentIndex(self.ui.reasonCombo.findData(code))

    def request(self) -> ActionRequest:
        """The rejection; raises :class:`actions.ActionInputError` while it is incomplete.
        Its attachments (:meth:`attachment_files`) go with it into the outbox."""
        return actions.reject_request(self.reason_code(), self.note(), [])

    def attachment_files(self) -> list[tuple[str, bytes, str]]:
        """The cleaned attachments as ``(filename, bytes, media_type)``, in order."""
        return [(a.filename, a.data, a.media_type) for a in self.attachments]

    def on_input_changed(self) -> None:
        code = self.reason_code()
        note_needed = any(r.code == code and r.note_required for r in self.reasons)
        self.ui.noteLabel.setText("&Note to the clinic (required):" if note_needed else
                                  "&Note to the clinic:")  # fmt: skip
        try:
            self.request()
            problem = ""
        except actions.ActionInputError as exc:
            problem = str(exc)
        # A refused file is told too, but does not block OK.
        show_problem(self.ui.problemLabel, self.ok, problem or self._notice)
        self.ok.setEnabled(not problem and not self._preparing)
        self.ui.previewEdit.setPlainText(
            actions.rejection_notice(
                self.case, self.reason_label(), self.note(), [a.filename for a in self.attachments]
            )
        )

    # --- attachments ----------------------------------------------------------------------

    def add_attachment(self, attachment: Attachment, thumbnail: QImage | None = None) -> None:
        """Add a cleaned file; ``thumbnail`` when it was made off the GUI thread already."""
        names = {a.filename for a in self.attachments}
        name, n = attachment.filename, 1
        while name in names:  # two "scan-view.png" would confuse the clinic
            n += 1
            stem, suffix = Path(attachment.filename).stem, Path(attachment.filename).suffix
            name = f"{stem}-{n}{suffix}"
        attachment = Attachment(name, attachment.media_type, attachment.data)
        self.attachments.append(attachment)
        cleaned = " — photo details removed" if attachment.media_type == "image/jpeg" else ""
        item = QListWidgetItem(f"{attachment.filename}  ({human_size(attachment.size)}){cleaned}")
        if thumbnail is None and attachment.media_type.startswith("image/"):
            thumbnail = thumbnail_of(attachment)
        if thumbnail is not None and not thumbnail.isNull():
            item.setIcon(QIcon(QPixmap.fromImage(thumbnail)))
        self.ui.attachmentList.addItem(item)
        self._notice = ""
        self.on_input_changed()

    def add_file(self, path: str | Path) -> Task[_Prepared]:
        """Add a file from disk, read and cleaned on the task runner; ``file_prepared`` tells
        when it is in the list (True) or was refused, explained under the form (False)."""
        name = Path(path).name

        def work(task: Task[_Prepared]) -> _Prepared:
            attachment = read_attachment(
                path, progress=lambda done, total: task.report(done, total)
            )
            # Decoding a big photo for its icon is work too: here, not on the GUI thread.
            return attachment, thumbnail_of(attachment)

        def progressed(done: int, total: int, _stage: str) -> None:
            self.preparing_bar.setMaximum(max(total, 1))
            self.preparing_bar.setValue(done)

        def prepared(result: _Prepared) -> None:
            settle()
            self.add_attachment(*result)
            self.file_prepared.emit(True)

        def refused(exc: BaseException) -> None:
            settle()
            self._notice = person_message(exc)
            self.on_input_changed()
            self.file_prepared.emit(False)

        def settle() -> None:
            self._preparing.remove(task)
            self.preparing_bar.setVisible(bool(self._preparing))

        self.preparing_bar.setFormat(f"Preparing {name}… %p%")
        self.preparing_bar.setRange(0, 0)  # busy until the first report
        self.preparing_bar.show()
        task = self._tasks.run_reporting(
            work,
            on_done=prepared,
            on_error=refused,
            on_progress=progressed,
            name="prepare-attachment",
        )
        self._preparing.append(task)
        self.on_input_changed()
        return task

    @property
    def preparing(self) -> bool:
        """Whether files are still being read and cleaned (OK waits for them)."""
        return bool(self._preparing)

    def on_finished(self, _code: int) -> None:
        """Closed: files still being prepared are not wanted any more."""
        for task in self._preparing:
            task.cancel()
        self._preparing.clear()

    def add_snapshot(self, image: QImage, name: str = "scan-view.png") -> None:
        self.add_attachment(prepare_attachment(name, png_bytes(image)))

    def on_add_file_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Attach files", "", FILE_FILTER)
        for path in paths:
            self.add_file(path)

    def on_add_snapshot_clicked(self) -> None:
        image = self._snapshot() if self._snapshot is not None else None
        if image is None or image.isNull():
            self._notice = "There is no scan view to attach: open a scan first."
            self.on_input_changed()
            return
        dialog = AnnotateSnapshotDialog(image, self)

        def on_finished(code: int) -> None:
            if code == QDialog.DialogCode.Accepted:
                self.add_snapshot(dialog.annotated_image())
            dialog.deleteLater()

        dialog.finished.connect(on_finished)
        dialog.open()

    def on_remove_clicked(self) -> None:
        row = self.ui.attachmentList.currentRow()
        if 0 <= row < len(self.attachments):
            del self.attachments[row]
            self.ui.attachmentList.takeItem(row)
            self.on_input_changed()

    def _update_remove(self) -> None:
        self.ui.removeButton.setEnabled(self.ui.attachmentList.currentRow() >= 0)

    # --- OK -------------------------------------------------------------------------------

    def on_ok_clicked(self) -> None:
        if self._preparing:
            return
        try:
            self.request()
        except actions.ActionInputError:
            return
        self.accept()
