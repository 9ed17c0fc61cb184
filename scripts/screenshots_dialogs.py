"""Render every case-action dialog to docs/screenshots/dialog_*.png (offscreen, no portal).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_dialogs.py [--dark] [OUT_DIR]

Each dialog is shown on a sample case in a state a person would meet (a reason chosen, a
point failed, a conflict with both sides), so the pictures show what matters.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QDialog

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from labdesk.api.schemas import ActionRequest, HistoryEntry  # noqa: E402
from labdesk.client.actions import default_reasons  # noqa: E402
from labdesk.client.bulk import (  # noqa: E402
    BulkResult,
    CaseOutcome,
    Outcome,
    conflict_view,
    plan_bulk,
)
from labdesk.client.samples import sample_case, sample_people  # noqa: E402
from labdesk.domain.due import add_business_days  # noqa: E402
from labdesk.domain.lifecycle import Action, Role, Status  # noqa: E402
from labdesk.domain.offer import offer_for  # noqa: E402
from labdesk.gui.dialogs.accept_dialog import AcceptDialog  # noqa: E402
from labdesk.gui.dialogs.annotate_snapshot_dialog import (  # noqa: E402
    AnnotateSnapshotDialog,
    Shape,
    ShapeKind,
)
from labdesk.gui.dialogs.assign_dialog import AssignDialog  # noqa: E402
from labdesk.gui.dialogs.bulk_dialog import BulkDialog  # noqa: E402
from labdesk.gui.dialogs.bulk_result_dialog import BulkResultDialog  # noqa: E402
from labdesk.gui.dialogs.conflict_dialog import ConflictDialog  # noqa: E402
from labdesk.gui.dialogs.expected_date_dialog import ExpectedDateDialog  # noqa: E402
from labdesk.gui.dialogs.qc_dialog import QcDialog  # noqa: E402
from labdesk.gui.dialogs.reason_dialog import CANCEL, HOLD, ReasonDialog  # noqa: E402
from labdesk.gui.dialogs.reject_dialog import RejectDialog  # noqa: E402
from labdesk.gui.dialogs.ship_dialog import ShipDialog  # noqa: E402
from labdesk.gui.dialogs.step_dialog import StepDialog  # noqa: E402
from labdesk.gui.dialogs.tags_memo_dialog import TagsMemoDialog  # noqa: E402
from labdesk.gui.theme import apply_theme  # noqa: E402


def scan_like_image(width: int = 900, height: int = 560) -> QImage:
    """A stand-in for the scan viewer's snapshot: a shaded arch on the viewer's background."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(38, 42, 48))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    cx, cy = width / 2, height * 0.86
    for i in range(14):
        angle = math.pi * (0.08 + 0.84 * i / 13)
        x = cx - math.cos(angle) * width * 0.36
        y = cy - math.sin(angle) * height * 0.68
        size = 34 + 14 * math.sin(angle)
        gradient = QLinearGradient(QPointF(x - size, y - size), QPointF(x + size, y + size))
        gradient.setColorAt(0, QColor(236, 228, 210))
        gradient.setColorAt(1, QColor(150, 140, 122))
        path = QPainterPath()
        path.addRoundedRect(QRectF(x - size / 2, y - size / 2, size, size * 1.1), 14, 14)
        painter.fillPath(path, gradient)
        painter.setPen(QPen(QColor(90, 84, 74), 1.2))
        painter.drawPath(path)
    painter.end()
    return image


def save(dialog: QDialog, out: Path, name: str, size: tuple[int, int] | None = None) -> Path:
    if size:
        dialog.resize(*size)
    dialog.show()
    QApplication.processEvents()
    path = out / f"dialog_{name}.png"
    dialog.grab().save(str(path))
    dialog.close()
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--dark", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app, "dark" if args.dark else "light")
    today = date.today()

    shots: list[tuple[str, Callable[[], QDialog], tuple[int, int] | None]] = []

    def accept() -> QDialog:
        return AcceptDialog(
            sample_case(rush=True),
            offer_for(sample_case(rush=True), [Role.REVIEWER]),
            notation="universal",
            opened_file_ids={101},
        )

    def accept_quote() -> QDialog:
        case = sample_case(needs_quote=True, files=[])
        return AcceptDialog(case, offer_for(case, [Role.REVIEWER]), notation="fdi")

    def reject() -> QDialog:
        dialog = RejectDialog(sample_case(), default_reasons(), snapshot=scan_like_image)
        dialog.select_reason("unclear_margin")
        dialog.ui.noteEdit.setPlainText(
            "The distal margin on 16 is not visible in the upper scan. Please rescan 16 with "
            "retraction cord and send the upper arch again."
        )
        annotate = AnnotateSnapshotDialog(scan_like_image())
        annotate.canvas.add_shape(Shape(ShapeKind.CIRCLE, QPointF(228, 258), QPointF(268, 298)))
        annotate.canvas.add_shape(Shape(ShapeKind.ARROW, QPointF(420, 380), QPointF(262, 286)))
        dialog.add_snapshot(annotate.annotated_image())
        return dialog

    def reject_empty() -> QDialog:
        return RejectDialog(sample_case(), default_reasons())

    def annotate() -> QDialog:
        dialog = AnnotateSnapshotDialog(scan_like_image())
        dialog.canvas.add_shape(Shape(ShapeKind.CIRCLE, QPointF(228, 258), QPointF(268, 298)))
        dialog.canvas.add_shape(Shape(ShapeKind.ARROW, QPointF(420, 380), QPointF(262, 286)))
        return dialog

    def hold() -> QDialog:
        dialog = ReasonDialog(sample_case(Status.DESIGN), HOLD)
        dialog.select_reason("missing_shade")
        dialog.ui.noteEdit.setPlainText("Please send a shade photo of 11 and 21 in daylight.")
        return dialog

    def resume() -> QDialog:
        case = sample_case(Status.ON_HOLD, previous_status=Status.DESIGN)
        return StepDialog(case, Action.RESUME, offer_for(case, [Role.LAB_ADMIN]))

    def move_on() -> QDialog:
        return StepDialog(
            sample_case(Status.FINISHING),
            Action.SEND_TO_QC,
            offer_for(sample_case(Status.FINISHING), [Role.CERAMIST]),
        )

    def qc_fail() -> QDialog:
        dialog = QcDialog(
            sample_case(Status.QC), offer_for(sample_case(Status.QC), [Role.QC_MANAGER])
        )
        dialog.on_all_pass_clicked()
        dialog.row("contacts").failed.setChecked(True)
        dialog.row("contacts").note.setText("Mesial contact on 16 too tight")
        dialog.row("shade_match").failed.setChecked(True)
        dialog.ui.backToFinishing.setChecked(True)
        return dialog

    def qc_pass() -> QDialog:
        dialog = QcDialog(
            sample_case(Status.QC), offer_for(sample_case(Status.QC), [Role.QC_MANAGER])
        )
        dialog.on_all_pass_clicked()
        return dialog

    def ship() -> QDialog:
        dialog = ShipDialog(sample_case(Status.QC, signed_off=True))
        dialog.set_carrier("UPS")
        return dialog

    def cancel() -> QDialog:
        return ReasonDialog(sample_case(Status.PRODUCTION, billing="prepay"), CANCEL)

    def expected() -> QDialog:
        case = sample_case(Status.PRODUCTION, due_date=add_business_days(today, 2))
        dialog = ExpectedDateDialog(case)
        dialog.set_date(add_business_days(today, 4))
        return dialog

    def assign() -> QDialog:
        case = sample_case(Status.FINISHING, assignee="ceramist", assignee_name="Carlos Ceramist")
        dialog = AssignDialog(case, sample_people())
        dialog.select("finishing_tech")
        return dialog

    def tags() -> QDialog:
        dialog = TagsMemoDialog(sample_case(Status.PRODUCTION, tags=["tray 4"], memo=""))
        dialog.ui.tagsEdit.setText("tray 4, implant")
        dialog.ui.memoEdit.setPlainText("Clinic calls before 10:00; ask for Dr. Hart directly.")
        return dialog

    def bulk_cases() -> list:  # type: ignore[type-arg]
        cases = [
            sample_case(Status.FINISHING, id=200 + i, number=f"C-2026-{200 + i:05d}",
                        patient_initials=f"{chr(65 + i)}.K.", patient_ref=f"RD-{1300 + i}")
            for i in range(6)
        ]  # fmt: skip
        cases.append(sample_case(Status.QC, id=300, number="C-2026-00300", patient_ref="RD-1400"))
        return cases

    def bulk() -> QDialog:
        cases = bulk_cases()
        plan = plan_bulk(cases, Action.SEND_TO_QC, [Role.CERAMIST])
        return BulkDialog(plan, [Role.CERAMIST])

    def bulk_result() -> QDialog:
        cases = bulk_cases()
        plan = plan_bulk(cases, Action.SEND_TO_QC, [Role.CERAMIST])
        result = BulkResult.from_plan(plan)
        for case in plan.eligible:
            result.set(CaseOutcome(case.id, case.number, Outcome.DONE))
        stale = "The case was changed by someone else (version 7 is current)."
        for case in plan.eligible[:2]:
            result.set(CaseOutcome(case.id, case.number, Outcome.CONFLICT, stale))
        return BulkResultDialog(result)

    def conflict() -> QDialog:
        at = datetime.now(UTC) - timedelta(minutes=4)
        current = sample_case(
            Status.QC,
            version=8,
            history=[
                HistoryEntry(
                    id=9, at=at, by="finishing_tech", by_name="Finn Finishing",
                    action=Action.SEND_TO_QC, from_status=Status.FINISHING, to_status=Status.QC,
                )
            ],
        )  # fmt: skip
        view = conflict_view(
            ActionRequest(action=Action.HOLD, reason_code="missing_shade",
                          reason="Missing shade information", note="Shade photo needed"),
            7, "stale", "The case was changed by someone else.", current, [Role.LAB_ADMIN],
            made_at=at - timedelta(minutes=2),
        )  # fmt: skip
        return ConflictDialog(view)

    shots = [
        ("accept", accept, None),
        ("accept_needs_quote", accept_quote, None),
        ("reject", reject, (900, 600)),
        ("reject_no_reason", reject_empty, (900, 600)),
        ("annotate_snapshot", annotate, (820, 620)),
        ("hold", hold, None),
        ("resume", resume, None),
        ("move_on", move_on, None),
        ("qc_fail", qc_fail, None),
        ("qc_sign_off", qc_pass, None),
        ("ship", ship, None),
        ("cancel", cancel, None),
        ("expected_date", expected, None),
        ("assign", assign, None),
        ("tags_memo", tags, None),
        ("bulk", bulk, None),
        ("bulk_result", bulk_result, None),
        ("conflict", conflict, None),
    ]
    suffix = "_dark" if args.dark else ""
    for name, make, size in shots:
        save(make(), out, name + suffix, size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
