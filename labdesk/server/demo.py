"""Demo data: two labs, three clinics, people for every role and ~330 cases in every status.

Each case is walked through ``transition.apply_to`` from submission to its status, by the users
whose roles allow each step, with plausible times; so its history is one the server itself
could have written. Deterministic by ``seed`` (dates move with "today").
:func:`seed_bulk` adds many plain cases fast, for benchmarks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from labdesk.domain import due, lifecycle, reasons, teeth
from labdesk.domain.lifecycle import Action, Role, Status
from labdesk.domain.qc import CHECKLIST as _CHECKLIST
from labdesk.domain.restorations import RestorationKind
from labdesk.domain.transition import CaseState, apply_to
from labdesk.server import demo_data as d
from labdesk.server import models as m
from labdesk.server.auth import create_user, hash_password
from labdesk.server.db import NUMBER_COUNTER, SEQ_COUNTER, Database, next_value
from labdesk.server.demo_bulk import seed_bulk
from labdesk.server.demo_scans import PREPARED, ScanAsset, demo_scans
from labdesk.server.files import FileStore
from labdesk.server.settings import ServerSettings
from labdesk.server.tenancy import link

__all__ = ["seed_bulk", "seed_demo"]

A, S = Action, Status
MARKER = "demo"
_AGE_DAYS = {A.DELIVER: 12, A.REQUEST_REMAKE: 20, A.CANCEL: 6}  # older cases, more days back

# How many cases of lab 1 end in each status (lab 2 gets an eighth of each, at least one).
TARGETS: dict[Status, int] = {
    S.RECEIVED: 34, S.REJECTED: 14, S.INVOICING: 12, S.DESIGN: 36, S.PRODUCTION: 38,
    S.FINISHING: 28, S.QC: 26, S.SHIPPED: 28, S.DELIVERED: 42, S.ON_HOLD: 16,
    S.CANCELLED: 12, S.REMAKE_REQUESTED: 8,
}  # fmt: skip
FORWARD = (A.START_PRODUCTION, A.START_FINISHING, A.SEND_TO_QC)


def seed_demo(
    target: ServerSettings | Database,
    *,
    seed: int = 0,
    store: FileStore | None = None,
    scans: bool = True,
    today: date | None = None,
) -> bool:
    """Seed the demo once; False when the database already has it (nothing is changed)."""
    db, store, cache = _open(target, store)
    try:
        with db.writing() as session:
            if session.get(m.DemoMarker, MARKER) is not None:
                return False
            assets = demo_scans(store, cache, seed) if scans and store is not None else []
            _Seeder(session, random.Random(seed), assets, today).run()
            session.add(m.DemoMarker(name=MARKER, seed=seed, at=datetime.now(UTC)))
        return True
    finally:
        if isinstance(target, ServerSettings):
            db.dispose()


def _open(
    target: ServerSettings | Database, store: FileStore | None
) -> tuple[Database, FileStore | None, Path]:
    if isinstance(target, ServerSettings):
        db = Database(target.database_url)
        db.upgrade()
        return db, store or FileStore(target.files_dir), target.data_dir / "demo"
    cache = store.root.parent / "demo" if store is not None else Path(".")
    return target, store, cache


@dataclass
class _Plan:
    lab: m.Lab
    dentist: m.User
    case: m.Case
    actions: list[tuple[Action, dict[str, Any]]] = field(default_factory=list)


class _Seeder:
    def __init__(
        self, session: Session, rng: random.Random, assets: list[ScanAsset], today: date | None
    ) -> None:
        self.s = session
        self.rng = rng
        self.assets = assets
        self.now = datetime.now(UTC).replace(microsecond=0)
        if today is not None:
            self.now = datetime.combine(today, self.now.timetz())
        self.users: dict[str, m.User] = {}
        self.catalog: dict[str, m.CatalogItem] = {}
        self.history: list[dict[str, Any]] = []
        self.cases: list[m.Case] = []

    # --- organisations and people ---------------------------------------------------------

    def run(self) -> None:
        self._catalog()
        lab1, lab2 = m.Lab(name=d.LAB_NAME), m.Lab(name=d.LAB2_NAME)
        self.s.add_all([lab1, lab2])
        clinics = [m.Clinic(name=name, default_lab_id=None) for name in d.CLINICS]
        self.s.add_all(clinics)
        self.s.flush()
        for n, clinic in enumerate(clinics):
            clinic.default_lab_id = lab1.id
            link(self.s, lab1.id, clinic.id)
            if any(ci == n for _, _, ci in d.DENTISTS[3:]):  # they send to the second lab too
                link(self.s, lab2.id, clinic.id)
        pw = hash_password(d.DEMO_PASSWORD)  # once: argon2 is slow on purpose
        for username, name in d.LAB_STAFF:
            self._user(username, name, [username], pw, lab=lab1)
        self._user(d.LAB2_ADMIN[0], d.LAB2_ADMIN[1], [Role.LAB_ADMIN.value], pw, lab=lab2)
        dentists = [
            self._user(
                username, name, [Role.DENTIST.value], pw, clinic=clinics[ci],
                email=f"{username}@{clinics[ci].name.split()[0].lower()}.example",
                phone=f"+1 555 01{n:02d}", license_number=d.DENTIST_LICENSES.get(username),
            )
            for n, (username, name, ci) in enumerate(d.DENTISTS, start=1)
        ]  # fmt: skip
        self.s.flush()
        for status, count in TARGETS.items():
            for _ in range(count):
                self._case(lab1, self.rng.choice(dentists), status)
            for _ in range(max(1, count // 8)):
                self._case(lab2, self.rng.choice(dentists[3:]), status)
        self._finish()

    def _catalog(self) -> None:
        for code, name, kind, material, days, quote in d.CATALOG:
            item = m.CatalogItem(
                code=code, name=name, kind=kind.value, material=material,
                turnaround_days=days, needs_quote=quote,
            )  # fmt: skip
            self.catalog[code] = item
            self.s.add(item)

    def _user(self, username: str, name: str, roles: list[str], pw: str, **kw: Any) -> m.User:
        user = create_user(
            self.s, username=username, password_hash=pw, roles=roles, display_name=name,
            is_demo=True, **kw,
        )  # fmt: skip
        self.users[username] = user
        return user

    # --- one case -------------------------------------------------------------------------

    def _case(self, lab: m.Lab, dentist: m.User, status: Status) -> None:
        rng = self.rng
        quote = status is S.INVOICING or rng.random() < 0.08
        conflict = status is S.ON_HOLD and rng.random() < 0.35
        items = self._items(quote, conflict)
        first, last = rng.choice(d.FIRST_NAMES), rng.choice(d.LAST_NAMES)
        case = m.Case(
            lab_id=lab.id,
            clinic_id=dentist.clinic_id,
            dentist_id=dentist.id,
            patient_name=f"{first} {last}",
            share_patient_name=rng.random() > 0.25,
            patient_ref=f"PT-{rng.randrange(16**6):06X}",
            instructions=rng.choice(d.INSTRUCTIONS),
            prescription=self._prescription(),
            scan_delivery="upload" if rng.random() < 0.85 else "physical_impression",
            rush=rng.random() < 0.12,
            needs_quote=any(self.catalog[i.catalog_code].needs_quote for i in items),
            billing=rng.choice(("net_terms", "net_terms", "prepay", "autopay")),
            tags=rng.sample(d.TAGS, k=rng.choice((0, 0, 1, 2))),
            memo=rng.choice(("", "", "", "Call the clinic before shipping")),
            status=S.RECEIVED.value,
            signed_off=False,
            version=0,
            seq=0,
        )
        case.items = items
        plan = _Plan(lab, dentist, case, self._path(status, case.needs_quote, conflict))
        self._walk(plan)

    def _items(self, quote: bool, conflict: bool) -> list[m.CaseItem]:
        rng = self.rng
        codes = [c for c, *_rest, q in d.CATALOG if q == quote]
        weights = [6 if "CROWN" in c else 2 for c in codes]
        chosen = rng.choices(codes, weights=weights, k=2 if rng.random() < 0.15 else 1)
        if conflict:
            chosen = ["ZR-CROWN", "PFM-BRIDGE"]
        items: list[m.CaseItem] = []
        taken: set[int] = set()
        for n, code in enumerate(chosen):
            teeth_, pontics = self._teeth(code, taken if not conflict else set())
            if conflict and n == 0:
                teeth_, pontics = [14], []
            if conflict and n == 1:
                teeth_, pontics = [13, 14, 15], [14]
            taken.update(teeth_)
            kind = self.catalog[code].kind
            shade = None if kind == RestorationKind.NIGHT_GUARD else rng.choice(d.VITA_SHADES)
            items.append(
                m.CaseItem(
                    position=n, catalog_code=code, material=self.catalog[code].material,
                    shade=shade, teeth=teeth_, pontics=pontics,
                )
            )  # fmt: skip
        return items

    def _teeth(self, code: str, taken: set[int]) -> tuple[list[int], list[int]]:
        rng = self.rng
        kind = RestorationKind(self.catalog[code].kind)
        arch = rng.choice((teeth.UPPER_PERMANENT, teeth.LOWER_PERMANENT))
        if kind is RestorationKind.NIGHT_GUARD:
            return [], []
        if kind is RestorationKind.DENTURE:
            if code == "DENTURE-FULL":
                return list(arch[1:-1]), []
            start = rng.randrange(1, 10)
            return list(arch[start : start + rng.randint(2, 4)]), []
        if code == "FULL-ARCH":
            whole = list(arch[2:-2])
            return whole, [t for i, t in enumerate(whole) if i % 3 != 0]
        if kind is RestorationKind.BRIDGE:
            start = rng.randrange(1, len(arch) - 4)
            span = list(arch[start : start + rng.choice((3, 3, 4))])
            return span, span[1:-1]
        if kind is RestorationKind.CROWN and rng.random() < 0.7:
            # most crowns go on a tooth the demo scans have prepared (demo_scans.PREPARED), so
            # the clearance map measures a real preparation
            prepared = sorted({t for p in PREPARED for t in p} - taken)
            if prepared:
                return [rng.choice(prepared)], []
        pool = [t for t in arch[1:-1] if t not in taken]
        if kind is RestorationKind.VENEER:
            pool = [t for t in pool if teeth.tooth_type(t).value in ("incisor", "canine")]
        count = 1 if rng.random() < 0.8 else 2
        if len(pool) < count:  # a full denture took the arch: a crown on the other one
            upper = arch is teeth.UPPER_PERMANENT
            other = teeth.LOWER_PERMANENT if upper else teeth.UPPER_PERMANENT
            pool = [t for t in other[1:-1] if t not in taken]
        return sorted(rng.sample(pool, k=count)), []

    def _prescription(self) -> list[dict[str, str]]:
        asked = self.rng.sample(d.QUESTIONS, k=self.rng.randint(1, 3))
        return [{"question": q, "answer": self.rng.choice(a)} for q, a in asked]

    def _path(
        self, status: Status, quote: bool, conflict: bool
    ) -> list[tuple[Action, dict[str, Any]]]:
        """The actions that take a new case to ``status`` (with detours now and then)."""
        rng = self.rng
        steps: list[tuple[Action, dict[str, Any]]] = []
        if status is S.REJECTED:
            return [(A.REJECT, self._rejection())]
        if status is S.ON_HOLD:
            before = S.RECEIVED if conflict else rng.choice(sorted(lifecycle.WORKING_STATUSES))
            return [*self._path(before, quote, False), (A.HOLD, self._hold(conflict))]
        if status is S.CANCELLED:
            before = rng.choice((S.RECEIVED, S.REJECTED, S.DESIGN, S.PRODUCTION))
            return [*self._path(before, quote, False), (A.CANCEL, self._reason(d.CANCEL_REASONS))]
        if status is S.REMAKE_REQUESTED:
            return [*self._path(S.DELIVERED, quote, False),
                    (A.REQUEST_REMAKE, self._reason(d.REMAKE_REASONS))]  # fmt: skip
        if status is S.RECEIVED:
            return steps
        if rng.random() < 0.12:
            steps += [(A.REJECT, self._rejection()), (A.RESUBMIT, {})]
        steps.append((A.ACCEPT, {}))
        if status is S.INVOICING:
            return steps
        if quote:
            steps.append((A.ACCEPT_QUOTE, {}))
        order = [S.DESIGN, S.PRODUCTION, S.FINISHING, S.QC]
        reach = order.index(status) if status in order else len(order) - 1
        steps += [(action, {}) for action in FORWARD[:reach]]
        if reach >= 2 and rng.random() < 0.1:
            steps.append((A.HOLD, self._hold(False)))
            steps.append((A.RESUME, {}))
        if status in (S.DESIGN, S.PRODUCTION, S.FINISHING):
            return steps
        if status is S.QC:
            if rng.random() < 0.5:
                steps.append((A.QC_PASS, {"checklist": True}))
            return steps
        if rng.random() < 0.12:
            back = rng.choice((S.PRODUCTION, S.FINISHING))
            steps.append((A.QC_FAIL, {**self._reason(d.QC_FAIL_REASONS), "back_to": back}))
            if back is S.PRODUCTION:
                steps.append((A.START_FINISHING, {}))
            steps.append((A.SEND_TO_QC, {}))
        steps.append((A.QC_PASS, {"checklist": True}))
        steps.append((A.SHIP, {}))
        if status is S.SHIPPED:
            return steps
        steps.append((A.DELIVER, {}))
        return steps

    def _rejection(self) -> dict[str, Any]:
        reason = self.rng.choice(reasons.REJECTION_REASONS[:-1])
        note = self.rng.choice(("Please send a new scan of the upper arch.", "", ""))
        return {"reason_code": reason.code, "reason": reason.label, "note": note or None}

    def _hold(self, conflict: bool) -> dict[str, Any]:
        if conflict:
            reason = reasons.hold_reason("conflicting_teeth")
            note = "Tooth 14 is in both the crown and the bridge; which one is meant?"
        else:
            reason = self.rng.choice(reasons.HOLD_REASONS[:-2])
            note = None
        return {"reason_code": reason.code, "reason": reason.label, "note": note}

    def _reason(self, choices: tuple[str, ...]) -> dict[str, Any]:
        return {"reason": self.rng.choice(choices)}

    # --- walking the lifecycle ------------------------------------------------------------

    def _actor(self, plan: _Plan, action: Action, status: Status) -> m.User:
        rng = self.rng
        clinic_side = {A.ACCEPT_QUOTE, A.RESUBMIT, A.REQUEST_REMAKE}
        if action in clinic_side:
            return plan.dentist
        if action is A.CANCEL:
            dentist_may = Role.DENTIST in lifecycle.who_may(A.CANCEL, status)
            return plan.dentist if dentist_may else self._lab_user(plan, "lab_admin")
        if action is A.DELIVER:
            return plan.dentist if rng.random() < 0.7 else self._lab_user(plan, "lab_admin")
        by_action = {
            A.ACCEPT: "reviewer", A.REJECT: "reviewer", A.START_PRODUCTION: "designer",
            A.START_FINISHING: "production_tech",
            A.SEND_TO_QC: rng.choice(("ceramist", "finishing_tech")),
            A.QC_PASS: "qc_manager", A.QC_FAIL: "qc_manager", A.SHIP: "shipping",
        }  # fmt: skip
        name = by_action.get(action, "lab_admin")
        if rng.random() < 0.1:
            name = "lab_admin"
        return self._lab_user(plan, name)

    def _lab_user(self, plan: _Plan, name: str) -> m.User:
        if plan.lab.name == d.LAB_NAME:
            return self.users[name]
        return self.users[d.LAB2_ADMIN[0]]

    def _walk(
        self, plan: _Plan, start: datetime | None = None, parent: m.Case | None = None
    ) -> None:
        rng, case = self.rng, plan.case
        gaps = [timedelta(hours=rng.uniform(1.5, 30)) for _ in plan.actions]
        span = sum(gaps, timedelta())
        if start is None:
            final = plan.actions[-1][0] if plan.actions else None
            extra = _AGE_DAYS.get(final, 0) if final is not None else 0
            start = self.now - span - timedelta(hours=rng.uniform(0.5, 30 + 24 * extra))
        at = start
        case.created_at = at
        turnaround = max(self.catalog[i.catalog_code].turnaround_days for i in case.items)
        case.due_date = due.due_date(
            at.date(), turnaround + rng.choice((0, 0, 1, 2)), rush=case.rush
        )
        if parent is None:
            self._history(case, plan.dentist, A.SUBMIT, None, S.RECEIVED, at)
            self._scans(case, plan.dentist, at)
        status: Status = S.RECEIVED
        for (action, extra_fields), gap in zip(plan.actions, gaps, strict=True):
            at = min(at + gap, self.now - timedelta(minutes=5))
            user = self._actor(plan, action, status)
            held = Status(case.previous_status) if case.previous_status else None
            before = CaseState(status, held, bool(case.signed_off), bool(case.needs_quote))
            after = apply_to(before, action, user.roles, back_to=extra_fields.get("back_to"))
            target = after.status
            case.signed_off = after.signed_off
            case.previous_status = after.previous_status.value if after.previous_status else None
            self._effects(case, action, user, at, turnaround)
            fields = {
                k: v for k, v in extra_fields.items() if k in ("reason_code", "reason", "note")
            }
            self._history(case, user, action, status, target, at, **fields)
            status = target
            case.status = status.value
            if action is A.REQUEST_REMAKE:
                self._remake(plan, at, fields.get("reason", ""))
        case.updated_at = at
        case.version = 1 + len(plan.actions)
        case.parent = parent
        if status in (S.DESIGN, S.PRODUCTION, S.FINISHING) and rng.random() < 0.6:
            role = {S.DESIGN: "designer", S.PRODUCTION: "production_tech"}.get(status, "ceramist")
            case.assignee_id = self._lab_user(plan, role).id
        if rng.random() < 0.1:
            self._comment(case, plan, at)
        self.cases.append(case)

    def _effects(self, case: m.Case, action: Action, user: m.User, at: datetime, days: int) -> None:
        """What the request of ``action`` carries (the lifecycle's own effects are
        ``apply_to``'s)."""
        if action is A.ACCEPT:
            case.expected_date = due.due_date(at.date(), days, rush=case.rush)
        elif action is A.QC_PASS:
            case.qc_by_id, case.qc_at = user.id, at
            case.qc_checklist = [{"point": p, "passed": True, "note": ""} for p, _ in _CHECKLIST]
        elif action is A.QC_FAIL:
            case.qc_by_id, case.qc_at, case.qc_checklist = None, None, None
        elif action is A.SHIP:
            case.carrier = self.rng.choice(d.CARRIERS)
            case.tracking_number = f"1Z{self.rng.randrange(10**12):012d}"
            case.shipped_at = at
            case.expected_delivery = due.add_business_days(at.date(), 2)

    def _remake(self, plan: _Plan, at: datetime, reason: str) -> None:
        original = plan.case
        child = m.Case(
            lab_id=original.lab_id, clinic_id=original.clinic_id, dentist_id=original.dentist_id,
            patient_name=original.patient_name, share_patient_name=original.share_patient_name,
            patient_ref=original.patient_ref,
            instructions=f"Remake of the earlier case: {reason}",
            prescription=original.prescription,
            scan_delivery=original.scan_delivery, rush=True, needs_quote=False,
            billing=original.billing, tags=["remake"], memo="", status=S.RECEIVED.value,
            signed_off=False, version=0, seq=0,
        )  # fmt: skip
        child.items = [
            m.CaseItem(
                position=i.position, catalog_code=i.catalog_code, material=i.material,
                shade=i.shade, teeth=list(i.teeth), pontics=list(i.pontics), notes=i.notes,
            )
            for i in original.items
        ]  # fmt: skip
        child.files = [
            m.CaseFile(
                kind=f.kind, jaw=f.jaw, filename=f.filename, media_type=f.media_type,
                size=f.size, sha256=f.sha256, uploaded_at=f.uploaded_at,
                uploaded_by_id=f.uploaded_by_id,
            )
            for f in original.files
        ]  # fmt: skip
        path: list[tuple[Action, dict[str, Any]]] = []
        if self.rng.random() < 0.5:
            path = [(A.ACCEPT, {})]
        child_plan = _Plan(plan.lab, plan.dentist, child, path)
        self._history(child, plan.dentist, A.REQUEST_REMAKE, None, S.RECEIVED, at, reason=reason)
        self._walk(child_plan, start=at, parent=original)

    def _scans(self, case: m.Case, dentist: m.User, at: datetime) -> None:
        index = self.rng.randrange(3)  # drawn even without scans: same cases either way
        named = {t for item in case.items for t in item.teeth}
        index = next((n for n, p in enumerate(PREPARED) if named & set(p)), index)
        use_ply = self.rng.random() < 0.5 and index == 0
        if case.scan_delivery != "upload" or not self.assets:
            return
        wanted = "model/x-ply" if use_ply else "model/stl"
        for asset in self.assets:
            if asset.set_index == index and asset.media_type == wanted:
                case.files.append(
                    m.CaseFile(
                        kind="scan", jaw=asset.jaw, filename=asset.filename,
                        media_type=asset.media_type, size=asset.size, sha256=asset.sha256,
                        uploaded_at=at, uploaded_by_id=dentist.id,
                    )
                )  # fmt: skip

    def _comment(self, case: m.Case, plan: _Plan, at: datetime) -> None:
        by_lab = self.rng.random() < 0.5
        author = self._lab_user(plan, "lab_admin") if by_lab else plan.dentist
        body = (
            "We will call you about the shade before layering."
            if by_lab
            else "Patient is travelling next week; any chance of an earlier delivery?"
        )
        case.comments.append(m.CommentRow(at=at, author_id=author.id, body=body))

    def _history(
        self,
        case: m.Case,
        user: m.User,
        action: Action,
        from_status: Status | None,
        to_status: Status,
        at: datetime,
        **fields: Any,
    ) -> None:
        case.history.append(
            m.HistoryRow(
                at=at, occurred_at=at, user_id=user.id, action=action.value,
                from_status=from_status.value if from_status else None,
                to_status=to_status.value, attachment_ids=[], **fields,
            )
        )  # fmt: skip

    # --- writing --------------------------------------------------------------------------

    def _finish(self) -> None:
        """Numbers in order of submission, seq in order of the last change, then insert."""
        by_created = sorted(self.cases, key=lambda c: c.created_at)
        last = next_value(self.s, NUMBER_COUNTER, len(by_created))
        for n, case in enumerate(by_created, start=last - len(by_created) + 1):
            case.number = f"C-{case.created_at.year}-{n:05d}"
        by_change = sorted(self.cases, key=lambda c: c.updated_at)
        last = next_value(self.s, SEQ_COUNTER, len(by_change))
        for n, case in enumerate(by_change, start=last - len(by_change) + 1):
            case.seq = n
        self.s.add_all(self.cases)
        self.s.flush()
        audit = [
            {
                "at": h.at, "actor_id": h.user_id, "actor": self._name(h.user_id),
                "lab_id": case.lab_id, "event": "case_action", "case_id": case.id,
                "details": {"action": h.action, "from_status": h.from_status,
                            "to_status": h.to_status, "demo": True},
            }
            for case in self.cases
            for h in case.history
        ]  # fmt: skip
        self.s.connection().execute(insert(m.AuditRow), audit)

    def _name(self, user_id: int) -> str:
        return next(u.username for u in self.users.values() if u.id == user_id)
