"""The action dialogs offscreen, on sample cases: what a person can and cannot do in them."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from labdesk.api.schemas import ActionRequest, HistoryEntry
from labdesk.client.actions import default_reasons
from labdesk.client.attachments import has_exif
from labdesk.client.bulk import BulkResult, CaseOutcome, Outcome, conflict_view, plan_bulk
from labdesk.client.samples import sample_case, sample_people
from labdesk.domain import qc
from labdesk.domain.lifecycle import Action, Role, Status
from labdesk.domain.offer import offer_for
from labdesk.gui.dialogs.accept_dialog import AcceptDialog
from labdesk.gui.dialogs.annotate_snapshot_dialog import AnnotateSnapshotDialog, annotate
from labdesk.gui.dialogs.assign_dialog import AssignDialog
from labdesk.gui.dialogs.bulk_dialog import BulkDialog
from labdesk.gui.dialogs.bulk_result_dialog import BulkResultDialog
from labdesk.gui.dialogs.conflict_dialog import Choice, ConflictDialog
from labdesk.gui.dialogs.expected_date_dialog import ExpectedDateDialog
from labdesk.gui.dialogs.qc_dialog import QcDialog
from labdesk.gui.dialogs.reason_dialog import CANCEL, HOLD, ReasonDialog
from labdesk.gui.dialogs.reject_dialog import RejectDialog
from labdesk.gui.dialogs.ship_dialog import ShipDialog
from labdesk.gui.dialogs.step_dialog import StepDialog
from labdesk.gui.dialogs.tags_memo_dialog import TagsMemoDialog
from tests.gui.dialog_helpers import attach_file

TODAY = date.today()


def stand_in_scan() -> QImage:
    """The scan viewer's snapshot without OpenGL: a plain picture of the same kind."""
    image = QImage(400, 300, QImage.Format.Format_ARGB32)
    image.fill(QColor(38, 42, 48))
    return image


def jpeg_with_gps(path: Path) -> Path:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS R5"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (210, 190, 170)).save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


# --- reject ------------------------------------------------------------------------------


def test_reject_ok_is_disabled_until_a_reason_is_chosen(qtbot: QtBot) -> None:
    dialog = RejectDialog(sample_case(), default_reasons())
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    assert dialog.ui.problemLabel.text() == "A rejection needs a reason."
    dialog.select_reason("unclear_margin")
    assert dialog.ok.isEnabled()
    assert "Unclear margin" in dialog.ui.previewEdit.toPlainText()


def test_reject_other_needs_a_note_and_the_preview_shows_it(qtbot: QtBot) -> None:
    dialog = RejectDialog(sample_case(), default_reasons())
    qtbot.addWidget(dialog)
    dialog.select_reason("other")
    assert not dialog.ok.isEnabled()
    assert "needs a note" in dialog.ui.problemLabel.text()
    assert "(required)" in dialog.ui.noteLabel.text()
    qtbot.keyClicks(dialog.ui.noteEdit, "Wrong lab: this is a denture case.")
    assert dialog.ok.isEnabled()
    preview = dialog.ui.previewEdit.toPlainText()
    assert "Note from the lab: Wrong lab: this is a denture case." in preview
    request = dialog.request()
    assert (request.reason_code, request.note) == ("other", "Wrong lab: this is a denture case.")


def test_reject_attachment_from_disk_loses_its_exif(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = RejectDialog(sample_case(), default_reasons())
    qtbot.addWidget(dialog)
    assert attach_file(qtbot, dialog, jpeg_with_gps(tmp_path / "margin.jpg"))
    assert [a.filename for a in dialog.attachments] == ["margin.jpg"]
    assert not has_exif(dialog.attachments[0].data)
    assert "margin.jpg" in dialog.ui.previewEdit.toPlainText()
    assert "photo details removed" in dialog.ui.attachmentList.item(0).text()
    assert not dialog.ui.attachmentList.item(0).icon().isNull()  # made off the GUI thread


def big_photo(path: Path, side: int = 2400) -> Path:
    """A noisy photo of several MiB (noise does not compress) with EXIF to remove."""
    import numpy as np

    pixels = np.random.default_rng(11).integers(0, 255, (side, side, 3), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.fromarray(pixels).save(path, "JPEG", quality=95, exif=exif.tobytes())
    return path


def test_reject_prepares_a_big_file_off_the_gui_thread_with_progress(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = RejectDialog(sample_case(), default_reasons())
    qtbot.addWidget(dialog)
    dialog.select_reason("unclear_margin")
    photo = big_photo(tmp_path / "wide.jpg")
    assert photo.stat().st_size > 4 * 1024 * 1024
    ticks: list[int] = []
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: ticks.append(dialog.preparing_bar.value()))
    timer.start(1)
    with qtbot.waitSignal(dialog.file_prepared, timeout=30_000) as prepared:
        dialog.add_file(photo)
        assert dialog.preparing
        assert not dialog.preparing_bar.isHidden()
        assert not dialog.ok.isEnabled()  # OK waits for the file
    timer.stop()
    assert prepared.args == [True]
    assert ticks  # the GUI thread kept running its event loop meanwhile
    assert dialog.preparing_bar.maximum() >= photo.stat().st_size  # the reading was reported
    assert dialog.preparing_bar.isHidden()
    assert dialog.ok.isEnabled()
    assert not has_exif(dialog.attachments[0].data)


def test_reject_closed_while_a_file_is_prepared_drops_it(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = RejectDialog(sample_case(), default_reasons())
    qtbot.addWidget(dialog)
    dialog.open()
    task = dialog.add_file(big_photo(tmp_path / "wide.jpg"))
    dialog.reject()
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    qtbot.wait(20)
    assert task.cancelled
    assert dialog.attachments == []
    assert not dialog.preparing


def test_reject_refuses_a_file_it_cannot_send(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = RejectDialog(sample_case(), default_reasons())
    qtbot.addWidget(dialog)
    dialog.select_reason("unreadable_scan")
    stl = tmp_path / "upper.stl"
    stl.write_bytes(b"solid x\nendsolid x\n")
    assert not attach_file(qtbot, dialog, stl)
    assert "only JPEG, PNG and PDF" in dialog.ui.problemLabel.text()
    assert dialog.ok.isEnabled()  # the refusal is told, the rejection itself is still fine
    assert dialog.attachments == []


def test_reject_attaches_the_scan_view_with_a_circle(qtbot: QtBot) -> None:
    dialog = RejectDialog(sample_case(), default_reasons(), snapshot=stand_in_scan)
    qtbot.addWidget(dialog)
    assert dialog.ui.addSnapshotButton.isEnabled()
    dialog.ui.addSnapshotButton.click()
    annotator = dialog.findChild(AnnotateSnapshotDialog)
    assert annotator is not None
    assert annotator.isVisible()
    annotator.ui.circleButton.click()
    canvas = annotator.canvas
    canvas.resize(400, 300)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
    qtbot.mouseMove(canvas, QPoint(240, 170))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(240, 170))
    assert len(canvas.shapes) == 1
    assert canvas.shapes[0].kind == "circle"
    qtbot.keyClick(annotator, Qt.Key.Key_Return)
    assert [a.filename for a in dialog.attachments] == ["scan-view.png"]
    assert dialog.attachments[0].media_type == "image/png"


def test_reject_with_attachments_closes_at_once_with_the_cleaned_files(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """No connection needed: the files go with the rejection into the outbox."""
    dialog = RejectDialog(sample_case(), default_reasons())
    qtbot.addWidget(dialog)
    assert dialog.ui.addFileButton.isEnabled()
    dialog.select_reason("unclear_margin")
    assert attach_file(qtbot, dialog, jpeg_with_gps(tmp_path / "margin.jpg"))
    dialog.add_snapshot(stand_in_scan())
    dialog.open()
    with qtbot.waitSignal(dialog.accepted):
        dialog.ok.click()
    files = dialog.attachment_files()
    assert [(name, media) for name, _data, media in files] == [
        ("margin.jpg", "image/jpeg"),
        ("scan-view.png", "image/png"),
    ]
    assert not has_exif(files[0][1])
    assert dialog.request().attachment_ids == []


def test_escape_cancels_a_dialog(qtbot: QtBot) -> None:
    dialog = ReasonDialog(sample_case(Status.DESIGN), HOLD)
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


# --- accept ------------------------------------------------------------------------------


def test_accept_wants_confirmation_when_files_were_not_opened(qtbot: QtBot) -> None:
    dialog = AcceptDialog(
        sample_case(),
        offer_for(sample_case(), [Role.REVIEWER]),
        notation="palmer",
        opened_file_ids={101},
    )
    qtbot.addWidget(dialog)
    assert dialog.ui.itemsTable.item(0, 2).text() == "UR6"  # FDI 16 in Palmer
    assert "Teeth (Palmer)" in dialog.ui.itemsTable.horizontalHeaderItem(2).text()
    assert "cannot be undone" in dialog.ui.warningLabel.text()
    assert "lower_jaw.stl" in dialog.ui.filesLabel.text()
    assert not dialog.ok.isEnabled()
    dialog.ui.unopenedCheck.click()
    assert dialog.ok.isEnabled()
    assert dialog.request().action is Action.ACCEPT


def test_accept_of_a_case_that_needs_a_quote_says_it_goes_to_invoicing(qtbot: QtBot) -> None:
    dialog = AcceptDialog(
        sample_case(needs_quote=True),
        offer_for(sample_case(needs_quote=True), [Role.REVIEWER]),
        opened_file_ids={101, 102, 103},
    )
    qtbot.addWidget(dialog)
    assert "Invoicing" in dialog.ui.nextLabel.text()
    assert "quote" in dialog.ui.nextLabel.text()
    assert dialog.ok.isEnabled()
    assert dialog.ui.unopenedCheck.isHidden()


# --- hold, steps, cancel -------------------------------------------------------------------


def test_hold_needs_a_reason_and_warns_about_email_and_sms(qtbot: QtBot) -> None:
    dialog = ReasonDialog(sample_case(Status.PRODUCTION), HOLD)
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    assert "e-mail AND SMS" in dialog.ui.noticeLabel.text()
    dialog.select_reason("missing_shade")
    assert dialog.ok.isEnabled()
    assert dialog.request().reason == "Missing shade information"


def test_move_on_is_one_enter_away(qtbot: QtBot) -> None:
    dialog = StepDialog(
        sample_case(Status.FINISHING),
        Action.SEND_TO_QC,
        offer_for(sample_case(Status.FINISHING), [Role.CERAMIST]),
    )
    qtbot.addWidget(dialog)
    assert dialog.ui.transitionLabel.text() == "Finishing → QC"
    dialog.open()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.ok, Qt.Key.Key_Return)
    assert dialog.request() == ActionRequest(action=Action.SEND_TO_QC)


def test_resume_says_where_the_case_returns(qtbot: QtBot) -> None:
    case = sample_case(Status.ON_HOLD, previous_status=Status.PRODUCTION)
    dialog = StepDialog(case, Action.RESUME, offer_for(case, [Role.LAB_ADMIN]))
    qtbot.addWidget(dialog)
    assert dialog.ui.transitionLabel.text() == "On hold → Production"
    assert "production" in dialog.ui.explanationLabel.text()


def test_cancel_names_both_buttons_and_needs_a_reason(qtbot: QtBot) -> None:
    dialog = ReasonDialog(sample_case(Status.DESIGN), CANCEL)
    qtbot.addWidget(dialog)
    assert dialog.ok.text() == "&Cancel the case"
    assert not dialog.ok.isEnabled()
    assert dialog.ui.reasonCombo.isHidden()  # no catalog: the note is the reason
    assert dialog.ui.billingLabel.isHidden()  # not a prepay account
    qtbot.keyClicks(dialog.ui.noteEdit, "Patient moved abroad")
    assert dialog.request().reason == "Patient moved abroad"


# --- QC ------------------------------------------------------------------------------------


def test_qc_all_pass_signs_off(qtbot: QtBot) -> None:
    dialog = QcDialog(sample_case(Status.QC), offer_for(sample_case(Status.QC), [Role.QC_MANAGER]))
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    assert "0 of 6" in dialog.ui.resultLabel.text()
    dialog.ui.allPassButton.click()
    assert dialog.ok.isEnabled()
    assert not dialog.ui.backToGroup.isEnabled()
    request = dialog.request()
    assert request.action is Action.QC_PASS
    assert request.checklist is not None
    assert len(request.checklist) == len(qc.CHECKLIST)


def test_qc_fail_needs_a_destination_and_carries_the_failed_points(qtbot: QtBot) -> None:
    dialog = QcDialog(sample_case(Status.QC), offer_for(sample_case(Status.QC), [Role.QC_MANAGER]))
    qtbot.addWidget(dialog)
    dialog.ui.allPassButton.click()
    dialog.row("occlusion").failed.click()
    qtbot.keyClicks(dialog.row("occlusion").note, "high on 16")
    assert dialog.ok.text() == "&Fail QC"
    assert not dialog.ok.isEnabled()  # where does it go back to?
    dialog.ui.backToFinishing.click()
    assert dialog.ok.isEnabled()
    request = dialog.request()
    assert request.action is Action.QC_FAIL
    assert request.back_to is Status.FINISHING
    assert request.reason == "QC failed: Occlusion (high on 16)"


def test_qc_on_a_signed_off_case_can_only_fail(qtbot: QtBot) -> None:
    dialog = QcDialog(
        sample_case(Status.QC, signed_off=True),
        offer_for(sample_case(Status.QC, signed_off=True), [Role.QC_MANAGER]),
    )
    qtbot.addWidget(dialog)
    dialog.ui.allPassButton.click()
    assert not dialog.ok.isEnabled()
    assert "already signed off" in dialog.ui.resultLabel.text()


# --- ship ----------------------------------------------------------------------------------


def test_ship_refuses_an_empty_tracking_number(qtbot: QtBot) -> None:
    dialog = ShipDialog(sample_case(Status.QC, signed_off=True))
    qtbot.addWidget(dialog)
    dialog.set_carrier("UPS")
    assert not dialog.ok.isEnabled()
    assert dialog.ui.problemLabel.text() == "Ship needs a tracking number."
    qtbot.keyClicks(dialog.ui.trackingEdit, "   ")
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.ui.trackingEdit, "1Z999AA10123456784")
    assert dialog.ok.isEnabled()
    dialog.open()
    with qtbot.waitSignal(dialog.accepted):  # a barcode scanner ends with Enter
        qtbot.keyClick(dialog.ui.trackingEdit, Qt.Key.Key_Return)
    request = dialog.request()
    assert (request.carrier, request.tracking_number) == ("UPS", "1Z999AA10123456784")


def test_ship_needs_a_carrier(qtbot: QtBot) -> None:
    dialog = ShipDialog(sample_case(Status.QC, signed_off=True))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.ui.trackingEdit, "1Z999")
    assert dialog.ui.problemLabel.text() == "Ship needs a carrier."


# --- the lab's fields ------------------------------------------------------------------------


def test_expected_date_later_than_due_needs_a_note(qtbot: QtBot) -> None:
    case = sample_case(Status.PRODUCTION, due_date=TODAY + timedelta(days=2))
    dialog = ExpectedDateDialog(case, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.set_date(TODAY + timedelta(days=6))
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.ui.noteEdit, "Kiln repair")
    assert dialog.ok.isEnabled()
    assert dialog.patch().expected_date == TODAY + timedelta(days=6)


def test_assign_picks_a_person_by_typing(qtbot: QtBot) -> None:
    dialog = AssignDialog(sample_case(Status.FINISHING, assignee="ceramist"), sample_people())
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()  # the current assignee is selected: nothing to do
    qtbot.keyClicks(dialog.ui.filterEdit, "finn")
    assert dialog.chosen() == "finishing_tech"
    assert dialog.patch().assignee == "finishing_tech"


def test_tags_and_memo_send_only_what_changed(qtbot: QtBot) -> None:
    dialog = TagsMemoDialog(sample_case(tags=["tray 4"], memo="old"))
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.ui.tagsEdit, ", implant")
    assert dialog.patch().model_dump(exclude_unset=True) == {"tags": ["tray 4", "implant"]}


# --- bulk and conflicts --------------------------------------------------------------------


def test_bulk_dialog_lists_skipped_cases_with_the_reason(qtbot: QtBot) -> None:
    cases = [sample_case(Status.FINISHING, id=1, number="C-1"),
             sample_case(Status.QC, id=2, number="C-2")]  # fmt: skip
    plan = plan_bulk(cases, Action.SEND_TO_QC, [Role.CERAMIST])
    dialog = BulkDialog(plan, [Role.CERAMIST])
    qtbot.addWidget(dialog)
    assert dialog.ok.text() == "&Apply to 1 case"
    assert dialog.ui.casesTable.item(0, 3).text() == "→ QC"
    assert dialog.ui.casesTable.item(1, 3).text().startswith("Skipped:")


def test_bulk_result_shows_each_case(qtbot: QtBot) -> None:
    cases = [sample_case(Status.FINISHING, id=i, number=f"C-{i}") for i in range(3)]
    result = BulkResult.from_plan(plan_bulk(cases, Action.SEND_TO_QC, [Role.CERAMIST]))
    result.set(CaseOutcome(0, "C-0", Outcome.DONE))
    result.set(CaseOutcome(1, "C-1", Outcome.CONFLICT, "changed elsewhere"))
    dialog = BulkResultDialog(result)
    qtbot.addWidget(dialog)
    assert "1 done" in dialog.ui.summaryLabel.text()
    assert "1 conflict" in dialog.ui.summaryLabel.text()
    assert dialog.ui.resultTable.item(0, 1).text() == "Conflict"  # problems first
    assert "Needs attention" in dialog.ui.hintLabel.text()


def test_conflict_dialog_offers_apply_again_only_when_possible(qtbot: QtBot) -> None:
    from datetime import UTC, datetime

    current = sample_case(
        Status.QC,
        version=8,
        history=[HistoryEntry(id=1, at=datetime.now(UTC), by="finishing_tech",
                              by_name="Finn Finishing", action=Action.SEND_TO_QC,
                              from_status=Status.FINISHING, to_status=Status.QC)],
    )  # fmt: skip
    stale_step = ActionRequest(action=Action.SEND_TO_QC)
    view = conflict_view(stale_step, 7, "stale", "", current, [Role.CERAMIST])
    dialog = ConflictDialog(view)
    qtbot.addWidget(dialog)
    assert "Finn Finishing" in dialog.ui.theirsLabel.text()
    assert not dialog.ui.applyAgainButton.isEnabled()
    dialog.ui.discardButton.click()
    assert dialog.choice is Choice.DISCARD

    hold = ActionRequest(action=Action.HOLD, reason="Missing shade information")
    view = conflict_view(hold, 7, "stale", "", current, [Role.LAB_ADMIN])
    dialog = ConflictDialog(view)
    qtbot.addWidget(dialog)
    assert dialog.ui.applyAgainButton.isEnabled()
    assert dialog.ui.laterButton.isDefault()
    dialog.ui.applyAgainButton.click()
    assert dialog.choice is Choice.APPLY_AGAIN
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_annotation_is_drawn_into_the_picture() -> None:
    from PySide6.QtCore import QPointF

    from labdesk.gui.dialogs.annotate_snapshot_dialog import Shape, ShapeKind

    image = stand_in_scan()
    marked = annotate(image, [Shape(ShapeKind.ARROW, QPointF(10, 10), QPointF(200, 150))])
    assert marked.size() == image.size()
    assert marked.pixelColor(200, 150) != image.pixelColor(200, 150)


@pytest.mark.parametrize("status", [Status.DESIGN, Status.PRODUCTION, Status.FINISHING])
def test_each_production_step_names_its_transition(qtbot: QtBot, status: Status) -> None:
    from labdesk.domain.lifecycle import PRODUCTION_STEPS

    dialog = StepDialog(
        sample_case(status),
        PRODUCTION_STEPS[status],
        offer_for(sample_case(status), [Role.LAB_ADMIN]),
    )
    qtbot.addWidget(dialog)
    assert "→" in dialog.ui.transitionLabel.text()
