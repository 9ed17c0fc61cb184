"""The lab's clinic links: which clinics may send cases to the lab (lab admins only)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from labdesk.api import schemas
from labdesk.domain.lifecycle import Role
from labdesk.server import models as m
from labdesk.server import tenancy
from labdesk.server.auth import Principal
from labdesk.server.casework import audit
from labdesk.server.deps import PortalDep, PrincipalDep, json_response
from labdesk.server.errors import documented, forbidden, not_found

router = APIRouter(tags=["links"])


def _lab_admin(who: Principal) -> int:
    if who.lab_id is None or not who.has(Role.LAB_ADMIN):
        raise forbidden("only lab admins manage which clinics may send cases")
    return who.lab_id


@router.get(
    "/lab/clinic-links", response_model=list[schemas.ClinicLink], responses=documented(401, 403)
)
def list_links(who: PrincipalDep, portal: PortalDep) -> Response:
    lab_id = _lab_admin(who)
    with portal.db.read_session() as session:
        rows = tenancy.linked_clinics(session, lab_id)
        return json_response([_link_out(row, clinic) for row, clinic in rows])


@router.post(
    "/lab/clinic-links",
    response_model=schemas.ClinicLink,
    status_code=201,
    responses=documented(401, 403, 404, 422),
)
def add_link(body: schemas.ClinicLinkCreate, who: PrincipalDep, portal: PortalDep) -> Response:
    """Let a clinic send cases to the caller's lab (again: answers the existing link)."""
    lab_id = _lab_admin(who)
    with portal.db.writing() as session:
        clinic = session.get(m.Clinic, body.clinic_id)
        if clinic is None:
            raise not_found("clinic")
        row = tenancy.link(session, lab_id, clinic.id)
        audit(session, who, "clinic_linked", clinic_id=clinic.id, clinic=clinic.name)
        session.flush()
        answer = _link_out(row, clinic)
    return json_response(answer, status_code=201)


@router.delete(
    "/lab/clinic-links/{clinic_id}", status_code=204, responses=documented(401, 403, 404, 422)
)
def remove_link(clinic_id: schemas.WireId, who: PrincipalDep, portal: PortalDep) -> Response:
    """Stop a clinic sending new cases; the cases it sent stay with the lab."""
    lab_id = _lab_admin(who)
    with portal.db.writing() as session:
        if not tenancy.unlink(session, lab_id, clinic_id):
            raise not_found("link")
        audit(session, who, "clinic_unlinked", clinic_id=clinic_id)
    return Response(status_code=204)


def _link_out(row: m.ClinicLabLink, clinic: m.Clinic) -> schemas.ClinicLink:
    return schemas.ClinicLink(
        clinic_id=clinic.id, clinic_name=clinic.name, linked_at=row.created_at
    )
