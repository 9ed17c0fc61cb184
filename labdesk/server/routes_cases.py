"""Cases: the sync listing, one case, its history, new cases, edits and comments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from labdesk.api import schemas
from labdesk.domain import lab_fields
from labdesk.domain.lifecycle import PermissionDenied, Status, TransitionError
from labdesk.server import models as m
from labdesk.server.auth import Principal
from labdesk.server.case_page import case_json
from labdesk.server.casework import audit, create_case, lock_case, touch, visible_case_query
from labdesk.server.deps import PortalDep, PrincipalDep, json_response
from labdesk.server.errors import ApiError, documented, forbidden, not_found, validation
from labdesk.server.models import utcnow
from labdesk.server.serialize import case_load_options, case_out, history_out
from labdesk.server.sync_page import sync_page

router = APIRouter(tags=["cases"])

ERRORS: dict[int | str, dict[str, Any]] = documented(401, 403, 404, 409, 412, 422, 428)
READ_ERRORS = documented(401, 404, 422)
CHANGE_ERRORS = documented(400, 401, 403, 404, 409, 412, 422, 428)
CLINIC_EDITABLE = frozenset({Status.RECEIVED, Status.REJECTED})
MAX_TAGS = 20


def load_case(session: Session, who: Principal, case_id: int, *, fresh: bool = False) -> m.Case:
    """The case with everything its answer needs; 404 for another tenant's case."""
    query = visible_case_query(who, case_id).options(*case_load_options())
    if fresh:
        query = query.execution_options(populate_existing=True)
    case = session.execute(query).scalar_one_or_none()
    if case is None:
        raise not_found()
    return case  # type: ignore[no-any-return]


def parse_if_match(value: str | None) -> int:
    """``If-Match: 7`` (or the ETag form ``"7"`` / ``W/"7"``) → 7; 428 when missing."""
    if value is None or not value.strip():
        raise ApiError(
            428, "if_match_required", "send If-Match with the version the change was made on"
        )
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ApiError(400, "bad_request", "If-Match must be the case version (a number)")
    return int(text)


def check_version(session: Session, who: Principal, case: m.Case, expected: int) -> None:
    """412 with the current case when ``expected`` is not the case's version."""
    if case.version != expected:
        current = case_out(load_case(session, who, case.id, fresh=True), who)
        raise ApiError(
            412,
            "stale_version",
            "the case has changed since you loaded it",
            {"current": current.model_dump(mode="json"), "version": case.version},
            headers={"ETag": f'"{case.version}"'},
        )


@router.get("/cases", response_model=schemas.CasePage, responses=documented(401, 422))
async def list_cases(
    who: PrincipalDep,
    portal: PortalDep,
    since: Annotated[schemas.WireId, Query(description="return cases changed after this seq")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> Response:
    """Cases of the caller's lab (or clinic) with ``seq > since``, in ``seq`` order.

    ``next_since`` is the last seq of the page: seqs are handed out in commit order, so
    nothing committed later can have a smaller one. The page is built on the lean path
    (``case_page``: prepared Core statements, one JSON write).

    ``async`` for the most frequent answer: "nothing new" is decided from the change hub's
    cached high-water mark on the event loop, with no thread hand-off and no query; only a
    page to read (or a mark to look up) goes to a worker thread, once for all the
    workstations of a tenant asking the same question at once (``page_cache``).
    """
    body = await sync_page(portal, who, since, limit)
    return Response(body, media_type="application/json")


@router.get("/cases/{case_id}", response_model=schemas.Case, responses=READ_ERRORS)
def get_case(case_id: schemas.WireId, who: PrincipalDep, portal: PortalDep) -> Response:
    """One case, on the lean path (``case_page``) like the sync page."""
    with portal.db.read_session() as session:
        found = case_json(session, who, case_id)
    if found is None:
        raise not_found()
    body, version = found
    return Response(body, media_type="application/json", headers={"ETag": f'"{version}"'})


@router.get(
    "/cases/{case_id}/history", response_model=list[schemas.HistoryEntry], responses=READ_ERRORS
)
def get_history(case_id: schemas.WireId, who: PrincipalDep, portal: PortalDep) -> Response:
    with portal.db.read_session() as session:
        case = load_case(session, who, case_id)
        return json_response([history_out(h) for h in case.history])


@router.post(
    "/cases", response_model=schemas.Case, status_code=201, responses=documented(401, 403, 422)
)
def submit_case(body: schemas.NewCase, who: PrincipalDep, portal: PortalDep) -> Response:
    """A dentist submits a case (files follow on ``POST /cases/{id}/files``)."""
    if not who.is_dentist:
        raise forbidden("only dentists submit cases")
    if not body.patient_name.strip():
        raise validation("the patient's name is required", field="patient_name")
    with portal.db.writing() as session:
        case = create_case(session, who, body, utcnow())
        session.flush()
        answer = case_out(load_case(session, who, case.id, fresh=True), who)
    return json_response(
        answer, status_code=201, headers={"Location": f"/api/v1/cases/{answer.id}"}
    )


_LAB_FIELDS = frozenset(lab_fields.LabField)
_CLINIC_FIELDS = frozenset({"instructions", "due_date"})


@router.patch("/cases/{case_id}", response_model=schemas.Case, responses=CHANGE_ERRORS)
def patch_case(
    case_id: schemas.WireId,
    body: schemas.CasePatch,
    who: PrincipalDep,
    portal: PortalDep,
    if_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Lab fields (expected date and note, assignee, tags, memo) by the lab; instructions and
    due date by the dentist while the case is received or rejected."""
    expected = parse_if_match(if_match)
    fields = set(body.model_fields_set)
    if not fields:
        raise validation("nothing to change")
    allowed = _LAB_FIELDS if who.is_lab else _CLINIC_FIELDS
    if fields - allowed:
        side = "the lab" if who.is_lab else "the clinic"
        raise forbidden(f"{side} cannot change: {', '.join(sorted(fields - allowed))}")
    now = utcnow()
    with portal.db.writing() as session:
        case = lock_case(session, who, case_id)
        check_version(session, who, case, expected)
        if not who.is_lab and Status(case.status) not in CLINIC_EDITABLE:
            raise ApiError(
                409,
                "case_locked",
                "the lab has accepted the case; it can no longer be edited by the clinic",
                {"status": case.status},
            )
        if who.is_lab:
            _check_lab_edit(case, who, fields)
        changes = _apply_patch(session, who, case, body, fields)
        touch(session, case, now)
        audit(session, who, "case_patch", case=case, at=now, fields=sorted(changes))
        session.flush()
        answer = case_out(load_case(session, who, case.id, fresh=True), who)
    return json_response(answer, headers={"ETag": f'"{answer.version}"'})


def _check_lab_edit(case: m.Case, who: Principal, fields: set[str]) -> None:
    """The domain's rule (``lab_fields``): 403 not for your role, 409 not in this status."""
    try:
        lab_fields.check_edit(case.status, who.roles, fields)
    except PermissionDenied as exc:
        raise forbidden(str(exc)) from exc
    except TransitionError as exc:
        raise ApiError(409, "case_locked", str(exc), {"status": case.status}) from exc


def _apply_patch(
    session: Session, who: Principal, case: m.Case, body: schemas.CasePatch, fields: set[str]
) -> set[str]:
    if "assignee" in fields:
        if body.assignee is None:
            case.assignee_id = None
        else:
            user = session.execute(
                select(m.User).where(m.User.username == body.assignee, m.User.lab_id == who.lab_id)
            ).scalar_one_or_none()
            if user is None:
                raise validation(f"{body.assignee!r} is not a member of the lab", field="assignee")
            case.assignee_id = user.id
    if "tags" in fields:
        tags = [t.strip() for t in body.tags or [] if t.strip()]
        tags = list(dict.fromkeys(tags))
        if len(tags) > MAX_TAGS or any(len(t) > 40 for t in tags):
            raise validation(f"at most {MAX_TAGS} tags of up to 40 characters", field="tags")
        case.tags = tags
    if "memo" in fields:
        case.memo = body.memo or ""
    if "expected_date" in fields:
        case.expected_date = body.expected_date
    if "expected_note" in fields:
        case.expected_note = body.expected_note or ""
    if "instructions" in fields:
        case.instructions = body.instructions or ""
    if "due_date" in fields:
        case.due_date = body.due_date
    return fields


@router.post("/cases/{case_id}/comments", response_model=schemas.Case, responses=READ_ERRORS)
def add_comment(
    case_id: schemas.WireId, body: schemas.CommentCreate, who: PrincipalDep, portal: PortalDep
) -> Response:
    """A comment on the case, seen by the lab and the clinic; answers the updated case."""
    now = utcnow()
    with portal.db.writing() as session:
        case = lock_case(session, who, case_id)
        session.add(m.CommentRow(case_id=case.id, at=now, author_id=who.user_id, body=body.body))
        touch(session, case, now, bump_version=False)
        audit(session, who, "case_comment", case=case, at=now)
        session.flush()
        answer = case_out(load_case(session, who, case.id, fresh=True), who)
    return json_response(answer, headers={"ETag": f'"{answer.version}"'})
