"""Reference data, people, the audit log and health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from labdesk.api import schemas
from labdesk.domain import reasons
from labdesk.domain.lifecycle import Role
from labdesk.domain.restorations import RestorationKind
from labdesk.server import __version__
from labdesk.server import models as m
from labdesk.server.db import ping
from labdesk.server.deps import PortalDep, PrincipalDep, json_response
from labdesk.server.errors import documented, forbidden

router = APIRouter()
AUTHED = documented(401)


@router.get(
    "/reference/rejection-reasons",
    response_model=list[schemas.ReasonOut],
    responses=AUTHED,
    tags=["reference"],
)
def rejection_reasons(_who: PrincipalDep) -> Response:
    return json_response(
        [schemas.ReasonOut(code=r.code, label=r.label, note_required=r.note_required)
         for r in reasons.REJECTION_REASONS]
    )  # fmt: skip


@router.get(
    "/reference/hold-reasons",
    response_model=list[schemas.ReasonOut],
    responses=AUTHED,
    tags=["reference"],
)
def hold_reasons(_who: PrincipalDep) -> Response:
    return json_response(
        [schemas.ReasonOut(code=r.code, label=r.label, note_required=r.note_required)
         for r in reasons.HOLD_REASONS]
    )  # fmt: skip


@router.get(
    "/reference/catalog",
    response_model=list[schemas.CatalogItem],
    responses=AUTHED,
    tags=["reference"],
)
def catalog(_who: PrincipalDep, portal: PortalDep) -> Response:
    with portal.db.read_session() as session:
        rows = session.execute(select(m.CatalogItem).order_by(m.CatalogItem.name)).scalars()
        return json_response(
            [
                schemas.CatalogItem(
                    code=r.code,
                    name=r.name,
                    kind=RestorationKind(r.kind),
                    turnaround_days=r.turnaround_days,
                    needs_quote=r.needs_quote,
                )
                for r in rows
            ]
        )


@router.get("/people", response_model=list[schemas.Person], responses=AUTHED, tags=["reference"])
def people(who: PrincipalDep, portal: PortalDep) -> Response:
    """The members of the caller's lab (to assign cases), or the dentists of their clinic."""
    query = select(m.User).where(m.User.is_active).order_by(m.User.display_name)
    if who.lab_id is not None:
        query = query.where(m.User.lab_id == who.lab_id)
    else:
        query = query.where(m.User.clinic_id == who.clinic_id)
    with portal.db.read_session() as session:
        users = session.execute(query.options(selectinload(m.User.role_rows))).scalars()
        return json_response(
            [
                schemas.Person(
                    username=u.username,
                    display_name=u.display_name,
                    roles=[Role(r) for r in u.roles],
                )
                for u in users
            ]
        )


@router.get(
    "/audit",
    response_model=list[schemas.AuditEntry],
    responses=documented(401, 403, 422),
    tags=["audit"],
)
def audit_log(
    who: PrincipalDep,
    portal: PortalDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    before: Annotated[
        schemas.WireId | None, Query(description="entries with an id below this")
    ] = None,
    case_id: schemas.WireId | None = None,
) -> Response:
    """The lab's audit log, newest first (lab admins only)."""
    if not who.has(Role.LAB_ADMIN) or who.lab_id is None:
        raise forbidden("only lab admins may read the audit log")
    query = select(m.AuditRow).where(m.AuditRow.lab_id == who.lab_id)
    if before is not None:
        query = query.where(m.AuditRow.id < before)
    if case_id is not None:
        query = query.where(m.AuditRow.case_id == case_id)
    with portal.db.read_session() as session:
        rows = session.execute(query.order_by(m.AuditRow.id.desc()).limit(limit)).scalars()
        return json_response(
            [
                schemas.AuditEntry(
                    id=r.id,
                    at=r.at,
                    actor=r.actor,
                    event=r.event,
                    case_id=r.case_id,
                    details=r.details or {},
                )
                for r in rows
            ]
        )


@router.get("/health", response_model=schemas.Health, tags=["health"])
def health(portal: PortalDep) -> Response:
    with portal.db.read_session() as session:
        ping(session)
    return json_response(
        schemas.Health(status="ok", version=__version__, database=portal.db.backend)
    )
