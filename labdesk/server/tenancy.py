"""Which clinic may send cases to which lab: the clinic-lab links, managed by lab admins.

One home for the rule "a clinic submits only to labs it is linked to". Case intake (the
``POST /cases`` route and any other way a case comes in) asks :func:`clinic_linked`; a lab the
clinic is not linked to is answered exactly like a lab that does not exist, so a clinic cannot
learn which labs exist.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from labdesk.server import models as m
from labdesk.server.models import utcnow


def clinic_linked(session: Session, lab_id: int, clinic_id: int) -> bool:
    """True when ``clinic_id`` may send cases to ``lab_id`` (False for unknown ids too)."""
    row = session.execute(
        select(m.ClinicLabLink.lab_id).where(
            m.ClinicLabLink.lab_id == lab_id, m.ClinicLabLink.clinic_id == clinic_id
        )
    ).first()
    return row is not None


def link(session: Session, lab_id: int, clinic_id: int) -> m.ClinicLabLink:
    """Link a clinic to a lab (idempotent: an existing link is returned unchanged)."""
    existing = session.get(m.ClinicLabLink, (lab_id, clinic_id))
    if existing is not None:
        return existing
    row = m.ClinicLabLink(lab_id=lab_id, clinic_id=clinic_id, created_at=utcnow())
    session.add(row)
    return row


def unlink(session: Session, lab_id: int, clinic_id: int) -> bool:
    """Remove a link; cases already sent stay with the lab. False when there was none."""
    result = session.execute(
        delete(m.ClinicLabLink).where(
            m.ClinicLabLink.lab_id == lab_id, m.ClinicLabLink.clinic_id == clinic_id
        )
    )
    return bool(getattr(result, "rowcount", 0))


def linked_clinics(session: Session, lab_id: int) -> list[tuple[m.ClinicLabLink, m.Clinic]]:
    """The lab's links with their clinics, by clinic name."""
    rows = session.execute(
        select(m.ClinicLabLink, m.Clinic)
        .join(m.Clinic, m.Clinic.id == m.ClinicLabLink.clinic_id)
        .where(m.ClinicLabLink.lab_id == lab_id)
        .order_by(m.Clinic.name)
    ).all()
    return [(link_row, clinic) for link_row, clinic in rows]
