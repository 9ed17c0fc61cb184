"""Cases a lab creates for a clinic from a scanner export: who the dentist is, whether the
clinic is linked, and the one transaction that creates the case with its files.

The dentist is matched by licence number first (what a scanner export carries most
reliably), then by name (titles, punctuation and "Last, First" order do not matter); more
than one hit is answered as candidates for the person to pick, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from labdesk.api import schemas
from labdesk.domain.lifecycle import Role
from labdesk.server import models as m
from labdesk.server.auth import Principal, principal_of
from labdesk.server.casework import audit, create_case, touch
from labdesk.server.errors import ApiError, forbidden, validation
from labdesk.server.files import FileStore
from labdesk.server.tenancy import clinic_linked

IMPORTER_ROLES = frozenset({Role.LAB_ADMIN, Role.REVIEWER})
_TITLES = frozenset({"dr", "dds", "dmd", "prof", "doctor", "med", "dent"})


def require_importer(who: Principal) -> None:
    if not who.is_lab or not (who.roles & IMPORTER_ROLES):
        raise forbidden("only lab admins and reviewers import cases for a clinic")


def linked_dentists(session: Session, lab_id: int) -> list[schemas.IntakeDentist]:
    rows = session.execute(
        select(m.User, m.Clinic)
        .join(m.Clinic, m.Clinic.id == m.User.clinic_id)
        .where(m.User.is_active)
        .order_by(m.User.display_name, m.User.id)
    ).all()
    linked: dict[int, bool] = {}
    out: list[schemas.IntakeDentist] = []
    for user, clinic in rows:
        if clinic.id not in linked:
            linked[clinic.id] = clinic_linked(session, lab_id, clinic.id)
        if linked[clinic.id]:
            out.append(
                schemas.IntakeDentist(
                    id=user.id,
                    username=user.username,
                    display_name=user.display_name,
                    license_number=user.license_number,
                    clinic_id=clinic.id,
                    clinic_name=clinic.name,
                )
            )
    return out


def _license_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _name_key(text: str) -> frozenset[str]:
    words = re.findall(r"[^\W\d_]+", text.casefold())
    return frozenset(w for w in words if w not in _TITLES)


def match_dentist(
    dentists: Sequence[schemas.IntakeDentist], hints: schemas.IntakeHints
) -> schemas.IntakeMatch:
    """Licence number first, then name, narrowed by the practice name when that settles it."""
    if _license_key(hints.license):
        wanted = _license_key(hints.license)
        hits = [
            d for d in dentists if d.license_number and _license_key(d.license_number) == wanted
        ]
        if len(hits) == 1:
            return schemas.IntakeMatch(dentist=hits[0], matched_by="license")
        if hits:
            return schemas.IntakeMatch(candidates=hits)
    name = _name_key(hints.name)
    hits = [d for d in dentists if name and _name_key(d.display_name) == name]
    if len(hits) > 1 and hints.clinic_name.strip():
        practice = hints.clinic_name.strip().casefold()
        narrowed = [d for d in hits if d.clinic_name.casefold() == practice]
        hits = narrowed or hits
    if len(hits) == 1:
        return schemas.IntakeMatch(dentist=hits[0], matched_by="name")
    return schemas.IntakeMatch(candidates=hits)


@dataclass
class ReceivedFile:
    """An upload received into a temporary file and checked, not yet in the store."""

    listing: schemas.ImportFile
    temp: Path
    sha256: str
    size: int
    media_type: str
    filename: str


def existing_import(session: Session, lab_id: int, order: schemas.ImportCase) -> m.Case | None:
    return session.execute(
        select(m.Case).where(
            m.Case.lab_id == lab_id,
            m.Case.import_format == order.source_format,
            m.Case.import_order_id == order.source_order_id,
        )
    ).scalar_one_or_none()


def already_imported(case: m.Case, order: schemas.ImportCase) -> ApiError:
    return ApiError(
        409,
        "already_imported",
        f"{order.source_label} order {order.source_order_id} is already imported as {case.number}",
        {"case_number": case.number, "case_id": case.id},
    )


def create_imported_case(
    session: Session,
    who: Principal,
    order: schemas.ImportCase,
    files: Sequence[ReceivedFile],
    store: FileStore,
    now: datetime,
) -> m.Case:
    """The case, its files and jaws and its history, in the caller's one transaction.

    The files reach the store last, after every row is written: a failure before leaves
    nothing behind, and the rows commit only after the bytes are in place.
    """
    assert who.lab_id is not None
    earlier = existing_import(session, who.lab_id, order)
    if earlier is not None:
        raise already_imported(earlier, order)
    dentist = session.get(m.User, order.dentist_id)
    if (
        dentist is None
        or dentist.clinic_id is None
        or not dentist.is_active
        or not clinic_linked(session, who.lab_id, dentist.clinic_id)
    ):
        raise validation("the dentist is not one of a clinic linked to the lab", field="dentist_id")
    new = order.case.model_copy(update={"lab_id": who.lab_id})
    note = f"imported from {order.source_label} order {order.source_order_id}"
    case = create_case(session, principal_of(dentist), new, now, by=who, note=note)
    case.import_format = order.source_format
    case.import_order_id = order.source_order_id
    for received in files:
        jaw = received.listing.jaw
        session.add(
            m.CaseFile(
                case_id=case.id,
                kind=received.listing.kind.value,
                jaw=jaw.value if jaw else None,
                filename=received.filename,
                media_type=received.media_type,
                size=received.size,
                sha256=received.sha256,
                uploaded_at=now,
                uploaded_by_id=who.user_id,
            )
        )
    touch(session, case, now, bump_version=False)
    audit(session, who, "case_import", case=case, at=now, source=order.source_format,
          order_id=order.source_order_id, files=len(files))  # fmt: skip
    session.flush()
    for received in files:
        store.put_file(received.temp, received.sha256)
    return case
