"""Many plain cases, fast, for benchmarks (``seed_bulk``; re-exported by ``demo``)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from labdesk.domain import teeth
from labdesk.domain.lifecycle import Role, Status
from labdesk.server import demo_data as d
from labdesk.server import models as m
from labdesk.server.auth import create_user
from labdesk.server.db import NUMBER_COUNTER, SEQ_COUNTER, Database, next_value
from labdesk.server.settings import ServerSettings
from labdesk.server.tenancy import link

S = Status


def seed_bulk(
    target: ServerSettings | Database,
    *,
    cases: int = 10_000,
    lab: str = "Bench Lab",
    seed: int = 0,
) -> int:
    """Add ``cases`` plain cases (no files) to ``lab`` fast, for benchmarks; returns the lab id.

    Creates the lab, a clinic and a dentist when they do not exist. Each case has one or two
    items and a short history; statuses are spread over the lifecycle.
    """
    db = Database(target.database_url) if isinstance(target, ServerSettings) else target
    if isinstance(target, ServerSettings):
        db.upgrade()
    rng = random.Random(seed)
    try:
        with db.writing() as session:
            return _bulk(session, rng, cases, lab)
    finally:
        if isinstance(target, ServerSettings):
            db.dispose()


def _bulk(session: Session, rng: random.Random, count: int, lab_name: str) -> int:
    lab = session.execute(select(m.Lab).where(m.Lab.name == lab_name)).scalar_one_or_none()
    if lab is None:
        lab = m.Lab(name=lab_name)
        session.add(lab)
        session.flush()
    clinic_name = f"{lab_name} clinic"
    clinic = session.execute(
        select(m.Clinic).where(m.Clinic.name == clinic_name)
    ).scalar_one_or_none()
    if clinic is None:
        clinic = m.Clinic(name=clinic_name, default_lab_id=lab.id)
        session.add(clinic)
        session.flush()
        link(session, lab.id, clinic.id)
    dentist_name = f"bench_dentist_{lab.id}"
    dentist = session.execute(
        select(m.User).where(m.User.username == dentist_name)
    ).scalar_one_or_none()
    if dentist is None:
        dentist = create_user(
            session, username=dentist_name, password=rng.randbytes(16).hex(),
            roles=[Role.DENTIST], clinic=clinic, display_name="Dr. Bench",
        )  # fmt: skip
        session.flush()
    if session.get(m.CatalogItem, "ZR-CROWN") is None:
        for code, name, kind, material, days, quote in d.CATALOG:
            session.add(
                m.CatalogItem(
                    code=code, name=name, kind=kind.value, material=material,
                    turnaround_days=days, needs_quote=quote,
                )
            )  # fmt: skip
        session.flush()
    now = datetime.now(UTC).replace(microsecond=0)
    last_number = next_value(session, NUMBER_COUNTER, count)
    last_seq = next_value(session, SEQ_COUNTER, count)
    statuses = [S.RECEIVED, S.DESIGN, S.PRODUCTION, S.FINISHING, S.QC, S.SHIPPED, S.DELIVERED]
    rows: list[dict[str, Any]] = []
    for n in range(count):
        created = now - timedelta(hours=rng.uniform(1, 24 * 60))
        rows.append(
            {
                "number": f"C-{created.year}-{last_number - count + 1 + n:05d}",
                "lab_id": lab.id, "clinic_id": clinic.id, "dentist_id": dentist.id,
                "patient_name": f"{rng.choice(d.FIRST_NAMES)} {rng.choice(d.LAST_NAMES)}",
                "share_patient_name": rng.random() > 0.25,
                "patient_ref": f"PT-{rng.randrange(16**6):06X}",
                "instructions": rng.choice(d.INSTRUCTIONS), "prescription": [],
                "scan_delivery": "upload", "due_date": (created + timedelta(days=7)).date(),
                "rush": rng.random() < 0.1, "needs_quote": False, "billing": "net_terms",
                "tags": [], "memo": "", "status": rng.choice(statuses).value,
                "signed_off": False, "version": 2, "seq": last_seq - count + 1 + n,
                "created_at": created, "updated_at": created + timedelta(hours=2),
            }
        )  # fmt: skip
    # Core executemany without RETURNING (pipelined by psycopg), ids found again by seq: the
    # ORM bulk path and multi-row INSERT ... RETURNING are several times slower here.
    conn = session.connection()
    conn.execute(insert(m.Case), rows)
    first_seq = last_seq - count + 1
    found = conn.execute(
        select(m.Case.seq, m.Case.id).where(m.Case.seq.between(first_seq, last_seq))
    ).all()
    by_seq: dict[int, int] = {int(r[0]): int(r[1]) for r in found}
    ids = [by_seq[row["seq"]] for row in rows]
    items, history = [], []
    for case_id, row in zip(ids, rows, strict=True):
        tooth = rng.choice(teeth.UPPER_PERMANENT[1:-1])
        items.append(
            {"case_id": case_id, "position": 0, "catalog_code": "ZR-CROWN",
             "material": "Multilayer zirconia", "shade": rng.choice(d.VITA_SHADES),
             "teeth": [tooth], "pontics": [], "notes": ""}
        )  # fmt: skip
        history.append(
            {"case_id": case_id, "at": row["created_at"], "user_id": dentist.id,
             "action": "submit", "from_status": None, "to_status": "received",
             "attachment_ids": [], "note": None}
        )  # fmt: skip
        if row["status"] != "received":
            history.append(
                {"case_id": case_id, "at": row["updated_at"], "user_id": dentist.id,
                 "action": "accept", "from_status": "received", "to_status": row["status"],
                 "attachment_ids": [], "note": "bulk benchmark data"}
            )  # fmt: skip
    conn.execute(insert(m.CaseItem), items)
    conn.execute(insert(m.HistoryRow), history)
    return lab.id
