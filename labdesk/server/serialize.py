"""ORM rows to wire models (``labdesk.api.schemas``), as the calling principal may see them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from labdesk.api import schemas
from labdesk.domain.lifecycle import Action, Status
from labdesk.domain.restorations import RestorationKind
from labdesk.server import models as m
from labdesk.server.auth import Principal


def case_load_options() -> list[LoaderOption]:
    """Everything a Case answer needs, in one query per relationship (no N+1)."""
    return [
        selectinload(m.Case.clinic),
        selectinload(m.Case.dentist),
        selectinload(m.Case.assignee),
        selectinload(m.Case.qc_by),
        selectinload(m.Case.parent),
        selectinload(m.Case.children),
        selectinload(m.Case.items),
        selectinload(m.Case.files).selectinload(m.CaseFile.uploaded_by),
        selectinload(m.Case.history).selectinload(m.HistoryRow.user),
        selectinload(m.Case.comments).selectinload(m.CommentRow.author),
    ]


def initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p[:1].isalpha()]
    return "".join(f"{p[0].upper()}." for p in parts[:3])


def file_out(row: m.CaseFile) -> schemas.FileMeta:
    return schemas.FileMeta(
        id=row.id,
        case_id=row.case_id,
        kind=schemas.FileKind(row.kind),
        jaw=schemas.Jaw(row.jaw) if row.jaw else None,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        uploaded_at=row.uploaded_at,
        uploaded_by=row.uploaded_by.username,
    )


def history_out(row: m.HistoryRow) -> schemas.HistoryEntry:
    return schemas.HistoryEntry(
        id=row.id,
        at=row.at,
        occurred_at=row.occurred_at or row.at,
        by=row.user.username,
        by_name=row.user.display_name,
        action=Action(row.action),
        from_status=Status(row.from_status) if row.from_status else None,
        to_status=Status(row.to_status),
        reason_code=row.reason_code,
        reason=row.reason,
        note=row.note,
        attachment_ids=list(row.attachment_ids or []),
    )


def comment_out(row: m.CommentRow) -> schemas.Comment:
    return schemas.Comment(
        id=row.id,
        at=row.at,
        author=row.author.username,
        author_name=row.author.display_name,
        body=row.body,
    )


def _ref(case: m.Case) -> schemas.CaseRef:
    return schemas.CaseRef(id=case.id, number=case.number, status=Status(case.status))


def _item_out(item: m.CaseItem) -> schemas.CaseItem:
    return schemas.CaseItem(
        id=item.id,
        catalog_code=item.catalog_code,
        catalog_name=item.catalog.name,
        kind=RestorationKind(item.catalog.kind),
        material=item.material,
        shade=item.shade,
        teeth=list(item.teeth),
        pontics=list(item.pontics),
        bridge=item.catalog.kind == RestorationKind.BRIDGE or bool(item.pontics),
        notes=item.notes,
    )


def _last_step(case: m.Case, *actions: Action) -> m.HistoryRow | None:
    """The case's latest recorded step among ``actions`` (history is in recorded order)."""
    wanted = {a.value for a in actions}
    return next((h for h in reversed(case.history) if h.action in wanted), None)


def _qc_record(case: m.Case) -> schemas.QCRecord | None:
    """The last QC check: its checklist from the case, pass or fail and why from the history."""
    step = _last_step(case, Action.QC_PASS, Action.QC_FAIL)
    if case.qc_by is None or case.qc_at is None or step is None:
        return None
    passed = step.action == Action.QC_PASS.value
    return schemas.QCRecord(
        passed=passed,
        by=case.qc_by.username,
        by_name=case.qc_by.display_name,
        at=case.qc_at,
        checklist=[schemas.ChecklistEntry.model_validate(e) for e in case.qc_checklist or []],
        reason=None if passed else step.reason,
    )


def case_out(case: m.Case, viewer: Principal) -> schemas.Case:
    """The case as ``viewer`` sees it: a lab does not see an unshared patient name."""
    show_name = case.share_patient_name or not viewer.is_lab
    qc: schemas.QCSignOff | None = None
    if case.signed_off and case.qc_by is not None and case.qc_at is not None:
        checklist: list[dict[str, Any]] = list(case.qc_checklist or [])
        qc = schemas.QCSignOff(
            by=case.qc_by.username,
            at=case.qc_at,
            checklist=[schemas.ChecklistEntry.model_validate(e) for e in checklist],
        )
    tracking: schemas.Tracking | None = None
    if case.carrier and case.tracking_number and case.shipped_at:
        shipped = _last_step(case, Action.SHIP)
        delivered = _last_step(case, Action.DELIVER)
        tracking = schemas.Tracking(
            carrier=case.carrier,
            tracking_number=case.tracking_number,
            shipped_at=case.shipped_at,
            expected_delivery=case.expected_delivery,
            shipped_by=shipped.user.username if shipped else None,
            shipped_by_name=shipped.user.display_name if shipped else None,
            delivered_at=delivered.occurred_at or delivered.at if delivered else None,
        )
    return schemas.Case(
        id=case.id,
        number=case.number,
        lab_id=case.lab_id,
        clinic_id=case.clinic_id,
        clinic_name=case.clinic.name,
        dentist_id=case.dentist_id,
        dentist_name=case.dentist.display_name,
        share_patient_name=case.share_patient_name,
        patient_name=case.patient_name if show_name else None,
        patient_initials=initials(case.patient_name),
        patient_ref=case.patient_ref,
        items=[_item_out(i) for i in case.items],
        instructions=case.instructions,
        prescription=[schemas.PrescriptionAnswer.model_validate(p) for p in case.prescription],
        scan_delivery=schemas.ScanDelivery(case.scan_delivery),
        due_date=case.due_date,
        expected_date=case.expected_date,
        expected_note=case.expected_note,
        rush=case.rush,
        needs_quote=case.needs_quote,
        billing=schemas.Billing(case.billing),
        tags=list(case.tags),
        memo=case.memo if viewer.is_lab else "",
        assignee=case.assignee.username if case.assignee else None,
        assignee_name=case.assignee.display_name if case.assignee else None,
        status=Status(case.status),
        previous_status=Status(case.previous_status) if case.previous_status else None,
        signed_off=case.signed_off,
        qc_signoff=qc,
        qc_record=_qc_record(case),
        tracking=tracking,
        parent=_ref(case.parent) if case.parent else None,
        children=[_ref(c) for c in case.children],
        files=[file_out(f) for f in case.files],
        history=[history_out(h) for h in case.history],
        comments=[comment_out(c) for c in case.comments],
        version=case.version,
        seq=case.seq,
        created_at=case.created_at,
        updated_at=case.updated_at,
    )
