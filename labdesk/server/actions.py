"""``POST /cases/{id}/actions``: the lifecycle applied to a case and recorded.

The rules are the domain's: the transition and its effects on the case
(``labdesk.domain.transition.apply_to``), what an action must carry
(``labdesk.domain.required.check_required``, answered here as 422 ``missing_fields``). This
module validates what only the portal can (the reason catalog, the QC checklist, attachments
of this case), stores what the request carries and notifies the clinic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from labdesk.api import schemas
from labdesk.domain import lifecycle, notices, qc, reasons
from labdesk.domain.lifecycle import Action, Status
from labdesk.domain.required import ActionInputError, check_required, is_missing
from labdesk.domain.transition import apply_to
from labdesk.server import models as m
from labdesk.server.auth import Principal
from labdesk.server.casework import (
    add_history,
    audit,
    create_remake,
    default_expected,
    occurred_at_of,
    touch,
)
from labdesk.server.errors import ApiError
from labdesk.server.notifications import notify_dentist
from labdesk.server.staging import attach_staged


@dataclass
class Outcome:
    """What the route needs of an action it applied: whether a notice was queued (the
    route wakes the sender once the transaction has committed)."""

    notified: bool = False


@dataclass
class _Checked:
    reason_code: str | None = None
    reason: str | None = None
    checklist: list[dict[str, object]] | None = None


def _check_fields(req: schemas.ActionRequest) -> _Checked:
    """What only the portal can validate (the reason catalog, the QC checklist, where QC
    sends a case back), then the domain's ``check_required`` on what the case will record;
    422 otherwise."""
    action = req.action
    required = lifecycle.required_fields(action)
    out = _Checked(reason_code=req.reason_code, reason=req.reason)
    if "reason_code" in required and not is_missing(req.reason_code):
        try:
            out.reason = reasons.check_rejection(req.reason_code, req.note).label
        except ValueError as exc:
            raise ApiError(422, "validation_error", str(exc), {"field": "reason_code"}) from exc
    if action is Action.HOLD and not is_missing(req.reason_code):
        try:
            hold = reasons.hold_reason(req.reason_code or "")
        except ValueError as exc:
            raise ApiError(422, "validation_error", str(exc), {"field": "reason_code"}) from exc
        if hold.note_required and is_missing(req.note) and is_missing(req.reason):
            raise ApiError(
                422,
                "validation_error",
                f"the reason “{hold.label}” needs a note",
                {"field": "note"},
            )
        if is_missing(out.reason):
            out.reason = hold.label
    if "checklist" in required and req.checklist:
        points = {e.point: e.passed for e in req.checklist}
        try:
            qc.check_complete(points)
        except ValueError as exc:
            raise ApiError(422, "validation_error", str(exc), {"field": "checklist"}) from exc
        failed = qc.failed_points(points)
        if failed:
            raise ApiError(
                422,
                "validation_error",
                f"QC points failed ({', '.join(failed)}): use “QC fail” instead of sign-off",
                {"field": "checklist", "failed": failed, "use": Action.QC_FAIL.value},
            )
        out.checklist = [e.model_dump(mode="json") for e in req.checklist]
    if action is Action.QC_FAIL and is_missing(out.reason) and req.checklist:
        failed = qc.failed_points({e.point: e.passed for e in req.checklist})
        if failed:
            out.reason = "Failed: " + ", ".join(failed)
    carried = {**dict(req), "reason": out.reason}
    try:
        check_required(action, carried)
    except ActionInputError as exc:
        raise ApiError(422, "missing_fields", str(exc), {"fields": list(exc.fields)}) from exc
    if (
        action is Action.QC_FAIL
        and req.back_to is not None
        and req.back_to not in lifecycle.QC_BACK_TO
    ):
        raise ApiError(
            422,
            "validation_error",
            "QC can send a case back to production or finishing",
            {"field": "back_to"},
        )
    return out


def perform(
    session: Session,
    who: Principal,
    case: m.Case,
    req: schemas.ActionRequest,
    now: datetime,
    *,
    notify: bool = True,
) -> Outcome:
    """Apply ``req`` to ``case`` (locked by the caller) as ``who``; raises ApiError 403/409/422."""
    action = req.action
    status = Status(case.status)
    if action is Action.SUBMIT:
        raise ApiError(409, "transition_not_allowed", "new cases are submitted with POST /cases")
    try:
        after = apply_to(
            case,
            action,
            who.roles,
            back_to=req.back_to if req.back_to in lifecycle.QC_BACK_TO else None,
        )
    except lifecycle.PermissionDenied as exc:
        raise ApiError(403, "forbidden", str(exc), {"action": action.value}) from exc
    except lifecycle.TransitionError as exc:
        raise ApiError(
            409,
            "transition_not_allowed",
            str(exc),
            {"action": action.value, "status": status.value},
        ) from exc
    checked = _check_fields(req)
    attach_staged(session, who, case, req.attachment_ids, now)

    target = after.status
    outcome = Outcome()
    acted_on = case.history[-1].at if case.history else case.created_at  # recorded order
    occurred_at = occurred_at_of(req.occurred_at, now, acted_on)
    dentist = case.dentist
    if action is Action.ACCEPT and case.expected_date is None:
        case.expected_date = default_expected(session, case, now.date())
    elif action is Action.QC_PASS:
        case.qc_by_id = who.user_id
        case.qc_at = now
        case.qc_checklist = checked.checklist
    elif action is Action.QC_FAIL:
        # The failed check stays the case's QC record (who, when, which points) until the next.
        case.qc_by_id = who.user_id
        case.qc_at = now
        case.qc_checklist = [e.model_dump(mode="json") for e in req.checklist or []] or None
    elif action is Action.SHIP:
        case.carrier = (req.carrier or "").strip()
        case.tracking_number = (req.tracking_number or "").strip()
        case.shipped_at = now
        case.expected_delivery = req.expected_delivery
    elif action is Action.REQUEST_REMAKE:
        create_remake(session, who, case, checked.reason or "", now)

    case.status = target.value
    case.previous_status = after.previous_status.value if after.previous_status else None
    case.signed_off = after.signed_off
    touch(session, case, now)
    add_history(
        session,
        case,
        who.user_id,
        action,
        status,
        target,
        now,
        reason_code=checked.reason_code,
        reason=checked.reason,
        note=req.note,
        attachment_ids=req.attachment_ids,
        occurred_at=occurred_at,
    )
    audit(
        session,
        who,
        "case_action",
        case=case,
        at=now,
        action=action.value,
        from_status=status.value,
        to_status=target.value,
    )
    if notify:
        outcome.notified = _notify(session, case, dentist, action, checked, req)
    return outcome


def _notify(
    session: Session,
    case: m.Case,
    dentist: m.User,
    action: Action,
    checked: _Checked,
    req: schemas.ActionRequest,
) -> bool:
    patient = case.patient_ref
    if action is Action.REJECT:
        notice = notices.rejection(case.number, patient, checked.reason or "", req.note)
        notify_dentist(session, case, dentist, notice.subject, notice.body)
        return True
    if action is Action.HOLD:
        notice = notices.hold(case.number, patient, checked.reason or "", req.note)
        notify_dentist(session, case, dentist, notice.subject, notice.body, sms=True, forced=True)
        return True
    if action is Action.SHIP:
        notice = notices.shipped(
            case.number,
            patient,
            case.carrier or "",
            case.tracking_number or "",
            case.expected_delivery,
        )
        notify_dentist(session, case, dentist, notice.subject, notice.body)
        return True
    return False
