"""The import preview: a scanner export as the case it would become, for a person to confirm.

The dialog reads the package on the task runner (``ws.intake``), shows the patient, the
dentist matched on the portal (a pick when the name is ambiguous), the clinic, the due date,
the items on the tooth chart, every scan with its check (in the 3D view only where OpenGL
works, as in the case detail) and every problem with its place. "Create case" is enabled only
while :meth:`IntakePreview.plan` finds nothing in the way; under it the dialog says what is.
A re-import answers "already imported as C-…" with a button that opens that case.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QListWidgetItem, QPushButton, QTreeWidgetItem, QWidget

from labdesk.domain import teeth
from labdesk.errors import is_known, person_message
from labdesk.gui.dialogs.common import (
    cancel_button,
    due_html,
    setup_buttons,
    style_dialog,
    use_form,
)
from labdesk.gui.forms.ui_intake_dialog import Ui_IntakeDialog
from labdesk.gui.theme import current_palette
from labdesk.intake import FileRole, IntakeFile, Severity

if TYPE_CHECKING:
    from labdesk.api.schemas import Case, IntakeDentist
    from labdesk.client.intake import ImportPlan
    from labdesk.client.intake_preview import IntakePreview
    from labdesk.services.intake import IntakeService, LocalScans
    from labdesk.services.tasks import Task

log = logging.getLogger(__name__)

ROLE_TEXT = {
    FileRole.UPPER: "Upper jaw",
    FileRole.LOWER: "Lower jaw",
    FileRole.BITE: "Bite",
    FileRole.PREOP_UPPER: "Pre-op upper",
    FileRole.PREOP_LOWER: "Pre-op lower",
    FileRole.MARGIN: "Margin line",
    FileRole.UNKNOWN: "Jaw unknown",
}
#: The scan viewer's layer for each role it draws.
VIEWER_ROLE = {FileRole.UPPER: "upper", FileRole.LOWER: "lower", FileRole.BITE: "bite"}


def check_text(item: IntakeFile) -> str:
    """A scan's check in a few words (what the scan panel says, on one line)."""
    check = item.check
    if check is None:
        return "—" if not item.is_mesh else "not checked"
    if check.error:
        return f"cannot be used: {check.error}"
    if check.warnings:
        return "; ".join(check.warnings)
    x, y, z = check.size_mm
    return f"OK · {check.triangles:,} triangles · {x:.0f} × {y:.0f} × {z:.0f} mm"


def role_text(item: IntakeFile, notation: str) -> str:
    text = ROLE_TEXT[item.role]
    if item.tooth:
        text += f" {teeth.format_teeth([item.tooth], notation)}"
    return text


class IntakeDialog(QDialog):
    """Preview and confirm one package; ``open()`` it (it reads the package by itself)."""

    def __init__(
        self,
        service: IntakeService,
        path: str,
        *,
        open_case: Callable[[int], None],
        on_created: Callable[[Case], None] | None = None,
        notation: str = "fdi",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_IntakeDialog())
        style_dialog(self)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.service, self.path, self.notation = service, path, notation
        self._open_case, self._on_created = open_case, on_created
        self.preview: IntakePreview | None = None
        self.plan: ImportPlan | None = None
        self.created: Case | None = None
        self.already_case_id: int | None = None
        self.read_error = ""
        self.chart: Any = None
        self.viewer: Any = None
        self._scans: LocalScans | None = None
        self._task: Task[Any] | None = None
        self.setWindowTitle(f"Import — {PurePosixPath(path).name}")
        self.ui.sourceLabel.setText(path)
        self.create_button = setup_buttons(self.ui.buttonBox, "&Create case")
        self.create_button.setEnabled(False)
        self.ui.buttonBox.accepted.connect(self.on_create_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.openButton.clicked.connect(self.on_open_clicked)
        self.ui.dentistCombo.currentIndexChanged.connect(self.on_input_changed)
        self.ui.importAnywayCheck.toggled.connect(self.on_input_changed)
        self.ui.splitter.setStretchFactor(0, 1)
        self.ui.splitter.setStretchFactor(1, 1)
        self.ui.alreadyRow.hide()
        self.ui.importAnywayCheck.hide()
        self.ui.splitter.setEnabled(False)
        self._task = service.read(
            path,
            on_done=self.on_preview_read,
            on_error=self.on_read_failed,
            on_progress=self.on_progressed,
        )

    # --- reading ----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.finished

    @property
    def creating(self) -> bool:
        return self.busy and self._task is not None and self._task.name == "intake-create"

    def on_progressed(self, done: int, total: int, stage: str) -> None:
        self.ui.progressRow.show()
        self.ui.stageLabel.setText(stage)
        self.ui.progressBar.setRange(0, total)
        self.ui.progressBar.setValue(done)

    def on_read_failed(self, exc: BaseException) -> None:
        self._task = None
        self.ui.progressRow.hide()
        self.read_error = person_message(exc)
        self.ui.headline.setText("This package cannot be imported")
        self.ui.blockersLabel.setText(html.escape(self.read_error))
        self.ui.splitter.hide()
        self.create_button.setEnabled(False)

    def on_preview_read(self, preview: IntakePreview) -> None:
        self._task = None
        self.preview = preview
        order = preview.order
        self.ui.progressRow.hide()
        self.ui.splitter.setEnabled(True)
        number = f" order {order.order_id}" if order.order_id else ""
        self.ui.headline.setText(f"Import {order.format_label}{number}")
        self._show_patient()
        self._show_dentists()
        self.ui.dueLabel.setText(due_html(order.due_date))
        self.ui.notesLabel.setText(order.notes or "—")
        self._show_items()
        self._show_problems()
        self._show_scans()
        self.on_input_changed()

    def _show_patient(self) -> None:
        assert self.preview is not None
        patient = self.preview.order.patient
        parts = [patient.name or "(no name in the export)"]
        parts += [f"ID {patient.patient_id}"] if patient.patient_id else []
        parts += [f"chart {patient.chart_number}"] if patient.chart_number else []
        self.ui.patientLabel.setText(" · ".join(parts))

    def _show_dentists(self) -> None:
        assert self.preview is not None
        preview, combo = self.preview, self.ui.dentistCombo
        order = preview.order
        licence = f"licence {order.dentist.license}" if order.dentist.license else ""
        named = ", ".join(x for x in (order.dentist.name, licence) if x)
        said = f"The export names {named}." if named else "The export names no dentist."
        combo.blockSignals(True)
        combo.clear()
        dentists = preview.dentists()
        if preview.match is None:
            combo.addItem("(the portal could not be asked)", None)
            note = f"{said} The portal could not be asked: {preview.portal_problem}"
        elif preview.match.dentist is not None:
            how = "licence number" if preview.match.matched_by == "license" else "name"
            note = f"{said} Found on the portal by {how}."
        elif dentists:
            combo.addItem("Choose the dentist who sent it…", None)
            note = f"{said} {len(dentists)} dentists on the portal fit; choose the right one."
        else:
            combo.addItem("(not known on the portal)", None)
            note = (
                f"{said} No dentist of a clinic linked to this lab has that licence or name; "
                "add the dentist on the portal first."
            )
        for dentist in dentists:
            combo.addItem(_dentist_text(dentist), dentist.id)
        combo.setEnabled(len(dentists) > 1)
        combo.blockSignals(False)
        self.ui.dentistNote.setText(note)

    def _show_items(self) -> None:
        assert self.preview is not None
        order, lines = self.preview.order, []
        for item in order.items:
            chart = teeth.format_teeth(item.teeth, self.notation)
            pontics = (
                f" (pontic {teeth.format_teeth(item.pontics, self.notation)})"
                if item.pontics
                else ""
            )
            extra = [item.material] if item.material else []
            extra += [f"shade {item.shades['body']}"] if item.shades.get("body") else []
            tail = f" · {html.escape(', '.join(extra))}" if extra else ""
            lines.append(f"<b>{html.escape(item.restoration)}</b> {chart}{pontics}{tail}")
        self.ui.itemsLabel.setText("<br>".join(lines) or "No restorations in the export.")
        from labdesk.gui.widgets.tooth_chart import ToothChart, dentition_for

        if self.chart is None:
            self.chart = ToothChart(mode="display", notation=self.notation)
            self.chart.setMinimumHeight(200)
            self.chart.setMaximumHeight(260)
            self.ui.chartHolder.addWidget(self.chart)
        self.chart.set_dentition(dentition_for([t for i in order.items for t in i.teeth]))
        self.chart.set_work(self.preview.chart_work())

    def _show_problems(self) -> None:
        assert self.preview is not None
        problems, box = self.preview.order.problems, self.ui.problemList
        box.clear()
        error_color = current_palette().due
        for problem in problems:
            error = problem.severity is Severity.ERROR
            entry = QListWidgetItem(f"{'✖' if error else '⚠'} {problem}")
            entry.setToolTip(problem.place)
            if error:
                from labdesk.domain.due import DueState

                entry.setForeground(error_color[DueState.OVERDUE])
            box.addItem(entry)
        if not problems:
            box.addItem("No problems found in the package.")
        self.ui.problemsTitle.setText(f"Problems ({len(problems)})" if problems else "Problems")

    def _show_scans(self) -> None:
        assert self.preview is not None
        order, tree = self.preview.order, self.ui.scanList
        tree.clear()
        for item in order.files:
            row = QTreeWidgetItem(
                [PurePosixPath(item.path).name, role_text(item, self.notation), check_text(item)]
            )
            row.setToolTip(0, item.path)
            row.setToolTip(2, check_text(item))
            tree.addTopLevelItem(row)
        for column in (0, 1):
            tree.resizeColumnToContents(column)
        self.ui.importAnywayCheck.setVisible(
            any(f.check is not None and f.check.warnings for f in order.scans())
        )
        self._show_viewer()

    def _show_viewer(self) -> None:
        """The 3D view where OpenGL works; elsewhere the list above is the whole check."""
        assert self.preview is not None
        from labdesk.gui.widgets.scan_opengl import opengl_available

        viewable = [f for f in self.preview.order.scans() if f.role in VIEWER_ROLE]
        ok, why = opengl_available()
        if not viewable:
            self.ui.viewerNote.setText("No scan of a jaw to show.")
            return
        if not ok:
            self.ui.viewerNote.setText(
                f"The 3D view needs OpenGL, which this display does not have ({why}). "
                "The scan check above is complete without it."
            )
            return
        from labdesk.gui.widgets.scan_view import ScanView

        self.viewer = ScanView()
        self.viewer.setMinimumHeight(320)
        self.ui.viewerHolder.addWidget(self.viewer, 1)
        self.ui.scanLayout.setStretchFactor(self.ui.viewerHolder, 1)
        self.service.local_scans(self.preview.order, self.on_scans_local)

    def on_scans_local(self, scans: LocalScans) -> None:
        if self.preview is None or self.viewer is None or not self.isVisible():
            self.service.release(scans)
            return
        self._scans = scans
        by_path = {f.path: f for f in self.preview.order.scans()}
        for path, local in scans.paths.items():
            role = VIEWER_ROLE[by_path[path].role]
            self.viewer.open_scan(str(local), role, name=PurePosixPath(path).name)

    # --- deciding ---------------------------------------------------------------------------

    def dentist_id(self) -> int | None:
        data = self.ui.dentistCombo.currentData()
        return int(data) if data is not None else None

    def chosen_dentist(self) -> IntakeDentist | None:
        if self.preview is None:
            return None
        wanted = self.dentist_id()
        return next((d for d in self.preview.dentists() if d.id == wanted), None)

    def on_input_changed(self, *_args: object) -> None:
        if self.preview is None:
            return
        dentist, hint = self.chosen_dentist(), self.preview.order.clinic.name
        clinic = dentist.clinic_name if dentist is not None else "—"
        if hint and hint.casefold() != clinic.casefold():
            clinic += f"  (the export says: {hint})"
        self.ui.clinicLabel.setText(clinic)
        self.plan = self.preview.plan(
            self.dentist_id(), accept_scan_warnings=self.ui.importAnywayCheck.isChecked()
        )
        blockers = self.plan.blockers
        self.create_button.setEnabled(self.plan.ready and self.already_case_id is None)
        if blockers:
            items = "".join(f"<li>{html.escape(b)}</li>" for b in blockers)
            self.ui.blockersLabel.setText(f"Before the case can be created:<ul>{items}</ul>")
        else:
            self.ui.blockersLabel.setText("")
        self.create_button.setToolTip("\n".join(blockers))

    # --- creating ---------------------------------------------------------------------------

    def on_create_clicked(self) -> None:
        plan, preview = self.plan, self.preview
        if plan is None or preview is None or not plan.ready or self.busy:
            return
        self.create_button.setEnabled(False)
        self.ui.splitter.setEnabled(False)
        self.ui.importAnywayCheck.setEnabled(False)
        self.ui.blockersLabel.setText("")
        self._cancel_button().setEnabled(False)
        self.on_progressed(0, 0, "Creating the case on the portal…")
        self._task = self.service.create(
            preview,
            plan,
            on_done=self.on_case_created,
            on_error=self.on_create_failed,
            on_progress=self.on_progressed,
        )

    def _cancel_button(self) -> QPushButton:
        return cancel_button(self.ui.buttonBox)

    def on_case_created(self, case: Case) -> None:
        self._task = None
        self.created = case
        self.ui.progressRow.hide()
        if self._on_created is not None:
            self._on_created(case)
        self.accept()

    def on_create_failed(self, exc: BaseException) -> None:
        from labdesk.api.errors import AlreadyImported

        self._task = None
        self.ui.progressRow.hide()
        self.ui.splitter.setEnabled(True)
        self.ui.importAnywayCheck.setEnabled(True)
        self._cancel_button().setEnabled(True)
        if isinstance(exc, AlreadyImported):
            self.already_case_id = exc.case_id
            self.ui.alreadyLabel.setText(f"{exc} — nothing new was created.")
            self.ui.openButton.setVisible(exc.case_id is not None)
            self.ui.alreadyRow.show()
            self.ui.openButton.setFocus()
            self.create_button.setEnabled(False)
            return
        why = person_message(exc)
        self.ui.blockersLabel.setText(
            html.escape(f"The case was not created (nothing was left half-made): {why}")
        )
        self.create_button.setEnabled(is_known(exc))  # a refusal can be retried; a bug is reported

    def on_open_clicked(self) -> None:
        if self.already_case_id is not None:
            self._open_case(self.already_case_id)
            self.accept()

    # --- the end ----------------------------------------------------------------------------

    def done(self, result: int) -> None:
        if self._task is not None:
            self._task.cancel()  # a create already sent still finishes on the portal
            self._task = None
        if self.viewer is not None:
            self.viewer.cancel_loading()
        if self._scans is not None:
            self.service.release(self._scans)
            self._scans = None
        super().done(result)

    def reject(self) -> None:
        """Not while the case is being sent: its answer must be seen (created or refused)."""
        if not self.creating:
            super().reject()


def _dentist_text(dentist: IntakeDentist) -> str:
    licence = f", licence {dentist.license_number}" if dentist.license_number else ""
    return f"{dentist.display_name} — {dentist.clinic_name}{licence}"
