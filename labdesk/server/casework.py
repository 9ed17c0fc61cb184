"""Changing cases: the change counter, history and audit rows, new cases and remakes.

Every change of a case goes through :func:`touch` (new ``seq`` from the global counter and
``version + 1``) in the same transaction as the change itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from labdesk.api import schemas
from labdesk.domain import due, teeth
from labdesk.domain.lifecycle import Action, Status
from labdesk.domain.restorations import RestorationKind
from labdesk.server import models as m
from labdesk.server.auth import Principal
from labdesk.server.changes import record_change
from labdesk.server.db import NUMBER_COUNTER, SEQ_COUNTER, next_value
from labdesk.server.errors import ApiError, forbidden, validation
from labdesk.server.tenancy import clinic_linked

_REMOVABLE = {RestorationKind.DENTURE, RestorationKind.NIGHT_GUARD}


def touch(session: Session, case: m.Case, now: datetime, *, bump_version: bool = True) -> None:
    """Mark a change: the next global ``seq``, ``version + 1``, ``updated_at``.

    ``version`` is what If-Match protects (status and fields); a new comment or file changes
    only ``seq`` (sync sees it) so that it does not make pending actions stale.
    """
    case.seq = next_value(session, SEQ_COUNTER)
    record_change(session, case.lab_id, case.clinic_id, case.seq)  # the feed hears it at commit
    if bump_version:
        case.version = (case.version or 0) + 1
    case.updated_at = now


def add_history(
    session: Session,
    case: m.Case,
    user_id: int,
    action: Action,
    from_status: Status | str | None,
    to_status: Status | str,
    at: datetime,
    *,
    reason_code: str | None = None,
    reason: str | None = None,
    note: str | None = None,
    attachment_ids: Sequence[int] = (),
    occurred_at: datetime | None = None,
) -> m.HistoryRow:
    """One step in the case's history, recorded ``at`` the portal's time; ``occurred_at`` is
    the person's own (see :func:`occurred_at_of`), the portal's time when none was sent."""
    row = m.HistoryRow(
        case_id=case.id,
        at=at,
        occurred_at=occurred_at or at,
        user_id=user_id,
        action=action.value,
        from_status=str(from_status) if from_status is not None else None,
        to_status=str(to_status),
        reason_code=reason_code,
        reason=reason,
        note=note,
        attachment_ids=list(attachment_ids),
    )
    session.add(row)
    return row


def occurred_at_of(
    claimed: datetime | None, recorded_at: datetime, not_before: datetime | None = None
) -> datetime:
    """The person's time of an action as the history keeps it. A workstation's clock is not
    trusted: a time without a zone is taken as UTC, one later than the portal's own is
    clamped to it (a step cannot have happened after it reached the portal), and one before
    ``not_before`` — when the portal recorded the step the person acted on — is raised to it
    (nobody acts on a state before it exists)."""
    if claimed is None:
        return recorded_at
    if claimed.tzinfo is None:
        claimed = claimed.replace(tzinfo=UTC)
    if not_before is not None:
        claimed = max(claimed, min(not_before, recorded_at))
    return min(claimed, recorded_at)


def audit(
    session: Session,
    who: Principal | None,
    event: str,
    *,
    case: m.Case | None = None,
    at: datetime | None = None,
    lab_id: int | None = None,
    **details: Any,
) -> None:
    row = m.AuditRow(
        actor_id=who.user_id if who else None,
        actor=who.username if who else None,
        lab_id=case.lab_id if case is not None else (lab_id or (who.lab_id if who else None)),
        event=event,
        case_id=case.id if case is not None else None,
        details=details,
    )
    if at is not None:
        row.at = at
    session.add(row)


def visible_case_query(who: Principal, case_id: int) -> Any:
    """``SELECT case`` limited to what ``who`` may see (another tenant's case: no row)."""
    query = select(m.Case).where(m.Case.id == case_id)
    if who.lab_id is not None:
        return query.where(m.Case.lab_id == who.lab_id)
    return query.where(m.Case.clinic_id == who.clinic_id)


def new_number(session: Session, year: int) -> str:
    return f"C-{year}-{next_value(session, NUMBER_COUNTER):05d}"


def catalog(session: Session) -> dict[str, m.CatalogItem]:
    return {c.code: c for c in session.execute(select(m.CatalogItem)).scalars()}


def check_items(items: Sequence[schemas.NewCaseItem], known: dict[str, m.CatalogItem]) -> None:
    """Validate new items (catalog code, FDI teeth, pontics); 422 names the problem."""
    problems: list[str] = []
    for n, item in enumerate(items, start=1):
        entry = known.get(item.catalog_code)
        if entry is None:
            problems.append(f"item {n}: unknown catalog code {item.catalog_code!r}")
            continue
        bad = [t for t in (*item.teeth, *item.pontics) if not teeth.is_valid(t)]
        if bad:
            problems.append(f"item {n}: not FDI tooth numbers: {bad}")
        if not item.teeth and RestorationKind(entry.kind) not in _REMOVABLE:
            problems.append(f"item {n}: {entry.name} needs at least one tooth")
        if item.pontics and not set(item.pontics) <= set(item.teeth):
            problems.append(f"item {n}: pontics must be among the item's teeth")
        if item.pontics and RestorationKind(entry.kind) != RestorationKind.BRIDGE:
            problems.append(f"item {n}: only a bridge has pontics")
        if len(set(item.teeth)) != len(item.teeth):
            problems.append(f"item {n}: a tooth is listed twice")
    if problems:
        raise validation("; ".join(problems), problems=problems)


def create_case(
    session: Session,
    dentist: Principal,
    new: schemas.NewCase,
    now: datetime,
    *,
    patient_ref: str | None = None,
    number: str | None = None,
    by: Principal | None = None,
    note: str | None = None,
) -> m.Case:
    """A dentist submits a case: it is ``received`` by the lab, with its ``submit`` history.

    ``by`` is who recorded it when that is not the dentist (a lab person importing a scanner
    export for the clinic); ``note`` goes into the history ("imported from iTero order ...").
    """
    if not dentist.is_dentist or dentist.clinic_id is None:
        raise forbidden("only dentists submit cases")
    clinic = session.get(m.Clinic, dentist.clinic_id)
    assert clinic is not None
    lab_id = new.lab_id if new.lab_id is not None else clinic.default_lab_id
    # A lab the clinic is not linked to answers exactly like one that does not exist.
    if lab_id is None or not clinic_linked(session, lab_id, clinic.id):
        raise validation("choose the lab to send the case to", field="lab_id")
    known = catalog(session)
    check_items(new.items, known)
    needs_quote = any(known[i.catalog_code].needs_quote for i in new.items)
    case = m.Case(
        number=number or new_number(session, now.year),
        lab_id=lab_id,
        clinic_id=clinic.id,
        dentist_id=dentist.user_id,
        patient_name=new.patient_name.strip(),
        share_patient_name=new.share_patient_name,
        patient_ref=patient_ref or f"PT-{secrets.token_hex(3).upper()}",
        instructions=new.instructions,
        prescription=[p.model_dump(mode="json") for p in new.prescription],
        scan_delivery=new.scan_delivery.value,
        due_date=new.due_date,
        rush=new.rush,
        needs_quote=needs_quote,
        tags=[],
        status=Status.RECEIVED.value,
        version=0,
        seq=0,
        created_at=now,
        updated_at=now,
    )
    case.items = [
        m.CaseItem(
            position=n,
            catalog_code=i.catalog_code,
            material=i.material or known[i.catalog_code].material,
            shade=i.shade,
            teeth=list(i.teeth),
            pontics=list(i.pontics),
            notes=i.notes,
        )
        for n, i in enumerate(new.items)
    ]
    session.add(case)
    session.flush()
    touch(session, case, now)
    recorder = by or dentist
    add_history(
        session, case, recorder.user_id, Action.SUBMIT, None, Status.RECEIVED, now, note=note
    )
    audit(session, recorder, "case_submit", case=case, at=now, number=case.number)
    return case


def create_remake(
    session: Session, who: Principal, original: m.Case, reason: str, now: datetime
) -> m.Case:
    """The child case of a remake: received, linked to ``original``, with its items and files."""
    known = catalog(session)
    turnaround = max((known[i.catalog_code].turnaround_days for i in original.items), default=5)
    child = m.Case(
        number=new_number(session, now.year),
        lab_id=original.lab_id,
        clinic_id=original.clinic_id,
        dentist_id=original.dentist_id,
        patient_name=original.patient_name,
        share_patient_name=original.share_patient_name,
        patient_ref=original.patient_ref,
        instructions=f"Remake of {original.number}: {reason}\n\n{original.instructions}".strip(),
        prescription=list(original.prescription),
        scan_delivery=original.scan_delivery,
        due_date=due.due_date(now.date(), turnaround, rush=True),
        rush=True,
        needs_quote=False,  # a remake is made at the original's price
        billing=original.billing,
        tags=["remake"],
        status=Status.RECEIVED.value,
        parent_id=original.id,
        version=0,
        seq=0,
        created_at=now,
        updated_at=now,
    )
    child.items = [
        m.CaseItem(
            position=i.position,
            catalog_code=i.catalog_code,
            material=i.material,
            shade=i.shade,
            teeth=list(i.teeth),
            pontics=list(i.pontics),
            notes=i.notes,
        )
        for i in original.items
    ]
    session.add(child)
    session.flush()
    for f in original.files:
        copy = m.CaseFile(
            case_id=child.id,
            kind=f.kind,
            jaw=f.jaw,
            filename=f.filename,
            media_type=f.media_type,
            size=f.size,
            sha256=f.sha256,
            uploaded_at=f.uploaded_at,
            uploaded_by_id=f.uploaded_by_id,
        )
        session.add(copy)
    touch(session, child, now)
    add_history(
        session,
        child,
        who.user_id,
        Action.REQUEST_REMAKE,
        None,
        Status.RECEIVED,
        now,
        reason=reason,
        note=f"remake of {original.number}",
    )
    audit(session, who, "case_remake_created", case=child, at=now, parent=original.number)
    return child


def default_expected(session: Session, case: m.Case, today: date) -> date:
    """The lab's commitment when it accepts: the longest turnaround from today."""
    known = catalog(session)
    days = max((known[i.catalog_code].turnaround_days for i in case.items), default=5)
    return due.due_date(today, days, rush=case.rush)


def lock_case(session: Session, who: Principal, case_id: int) -> m.Case:
    """The case for changing, row-locked (PostgreSQL) until the transaction ends; 404 when
    ``who`` may not see it."""
    case = session.execute(
        visible_case_query(who, case_id).with_for_update(of=m.Case)
    ).scalar_one_or_none()
    if case is None:
        raise ApiError(404, "not_found", "no such case")
    return case  # type: ignore[no-any-return]
