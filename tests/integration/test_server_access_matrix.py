"""The access matrix (issue 12), generated from ``labdesk.domain.lifecycle``: every role x every
action x every status against the real portal answers exactly what the domain says (200 with
the domain's target status, 403 not your role, 409 not in this status); and every route that
takes an id, called by a user of another lab or another clinic, answers as for an id that does
not exist (404).

Cases are written straight into the portal's database in the status wanted (one probe case per
status for the refusals, which change nothing, and a fresh case for every allowed attempt), so
the run takes seconds, not a walk through the lifecycle per attempt.
"""

from __future__ import annotations

import io
import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from labdesk.api import schemas
from labdesk.domain import lifecycle
from labdesk.domain.lifecycle import Action, Role, Status
from labdesk.domain.qc import CHECKLIST
from labdesk.server import demo_data, models, tenancy
from labdesk.server.auth import create_user, hash_password, principal_of
from labdesk.server.casework import create_case
from labdesk.server.models import utcnow

PASSWORD = "matrix-password-1"
LAB, OTHER_LAB = "Matrix Lab", "Other Matrix Lab"
CLINIC, OTHER_CLINIC = "Matrix Clinic", "Other Matrix Clinic"
PEOPLE_ROLES = sorted(set(Role) - {Role.SYSTEM})  # no person signs in as the system
# Every field any action may require, valid, so that only role and status decide.
FIELDS: dict[str, Any] = {
    "reason_code": "unclear_margin",
    "reason": "matrix",
    "carrier": "UPS",
    "tracking_number": "1Z999",
    "checklist": [{"point": p, "passed": True} for p, _ in CHECKLIST],
}


@dataclass(frozen=True)
class State:
    """A case state the lifecycle distinguishes: the status, and QC sign-off while in QC."""

    status: Status
    signed_off: bool = False

    @property
    def name(self) -> str:
        return f"{self.status.value}{'+signed_off' if self.signed_off else ''}"


STATES = [State(s) for s in Status] + [State(Status.QC, signed_off=True)]
_found = itertools.count()


def expected(state: State, action: Action, role: Role) -> tuple[int, Status | None]:
    """What the domain says: (HTTP status, target status when allowed)."""
    try:
        target = lifecycle.apply(
            state.status,
            action,
            [role],
            previous=Status.DESIGN,
            signed_off=state.signed_off,
            back_to=Status.PRODUCTION,
        )
    except lifecycle.PermissionDenied:
        return 403, None
    except lifecycle.TransitionError:
        return 409, None
    return 200, target


class Matrix:
    """The portal of this module: one lab (a person per role), another lab, two clinics."""

    def __init__(self, running: Any) -> None:
        self.running = running
        self.db = running.app.state.portal.db
        self.clients: dict[str, httpx.Client] = {}
        with self.db.writing() as session:
            for code, name, kind, material, days, quote in demo_data.CATALOG:
                session.add(
                    models.CatalogItem(
                        code=code, name=name, kind=kind.value, material=material,
                        turnaround_days=days, needs_quote=quote,
                    )
                )  # fmt: skip
            lab, other_lab = models.Lab(name=LAB), models.Lab(name=OTHER_LAB)
            clinic, other = models.Clinic(name=CLINIC), models.Clinic(name=OTHER_CLINIC)
            session.add_all([lab, other_lab, clinic, other])
            session.flush()
            for each in (clinic, other):
                each.default_lab_id = lab.id
                tenancy.link(session, lab.id, each.id)
            pw = hash_password(PASSWORD)
            for role in sorted(lifecycle.LAB_ROLES):
                create_user(session, username=role.value, password_hash=pw, roles=[role], lab=lab)
            create_user(
                session, username="other_lab", password_hash=pw, roles=[Role.LAB_ADMIN],
                lab=other_lab,
            )  # fmt: skip
            create_user(session, username="dentist", password_hash=pw, roles=["dentist"],
                        clinic=clinic)  # fmt: skip
            create_user(session, username="other_clinic", password_hash=pw, roles=["dentist"],
                        clinic=other)  # fmt: skip

    def as_(self, username: str) -> httpx.Client:
        if username not in self.clients:
            client = httpx.Client(base_url=f"{self.running.url}/api/v1", timeout=30)
            login = client.post("/auth/login", json={"username": username, "password": PASSWORD})
            assert login.status_code == 200, login.text
            client.headers["Authorization"] = f"Bearer {login.json()['token']}"
            self.clients[username] = client
        return self.clients[username]

    def seed(self, state: State) -> tuple[int, int]:
        """A case of the clinic's dentist in ``state``; returns (id, version)."""
        with self.db.writing() as session:
            dentist = session.execute(
                select(models.User).where(models.User.username == "dentist")
            ).scalar_one()
            new = schemas.NewCase(
                patient_name=f"Matrix {next(_found)}",
                items=[schemas.NewCaseItem(catalog_code="ZR-CROWN", teeth=[11])],
            )
            case = create_case(session, principal_of(dentist), new, utcnow())
            case.status = state.status.value
            case.signed_off = state.signed_off
            case.previous_status = Status.DESIGN.value if state.status is Status.ON_HOLD else None
            session.flush()
            return case.id, case.version

    def act(self, username: str, case: tuple[int, int], action: Action) -> httpx.Response:
        body = {"action": action.value, **FIELDS}
        if action is Action.QC_FAIL:
            body["back_to"] = Status.PRODUCTION.value
            body.pop("checklist")
        if action is Action.HOLD:
            body.pop("reason_code")  # a rejection reason; a hold carries its own
        return self.as_(username).post(
            f"/cases/{case[0]}/actions",
            json=body,
            headers={"If-Match": str(case[1]), "Idempotency-Key": str(uuid.uuid4())},
        )

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


@pytest.fixture(scope="module")
def matrix(portal_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    from labdesk.server.embedded import start_portal
    from tests.conftest import _settings

    data: Path = tmp_path_factory.mktemp("matrix")
    with start_portal(_settings(portal_db, data, schema="access_matrix")) as running:
        grid = Matrix(running)
        yield grid
        grid.close()


def _user_of(role: Role) -> str:
    return "dentist" if role is Role.DENTIST else role.value


def test_every_role_action_and_status_answers_what_the_domain_says(matrix: Matrix) -> None:
    actions = [a for a in Action if a is not Action.SUBMIT]  # submitting is POST /cases
    wrong: list[str] = []
    attempts = allowed = 0
    for state in STATES:
        probe = matrix.seed(state)
        for role, action in itertools.product(PEOPLE_ROLES, actions):
            code, target = expected(state, action, role)
            case = matrix.seed(state) if code == 200 else probe
            response = matrix.act(_user_of(role), case, action)
            attempts += 1
            got = response.status_code
            if got != code:
                wrong.append(f"{state.name} {role} {action}: {got} (domain: {code})")
            elif code == 200:
                allowed += 1
                if response.json()["status"] != target:
                    wrong.append(f"{state.name} {role} {action}: to {response.json()['status']}")
        # The probe was refused everything: nothing about it changed.
        after = matrix.as_("lab_admin").get(f"/cases/{probe[0]}").json()
        assert (after["status"], after["version"]) == (state.status.value, probe[1])
    print(f"\naccess matrix: {attempts} attempts, {allowed} allowed, {len(wrong)} wrong")
    assert not wrong, "\n".join(wrong)
    assert allowed == sum(
        expected(s, a, r)[0] == 200 for s in STATES for r in PEOPLE_ROLES for a in actions
    )


def test_only_dentists_submit(matrix: Matrix) -> None:
    body = {"patient_name": "X", "items": [{"catalog_code": "ZR-CROWN", "teeth": [11]}]}
    for role in PEOPLE_ROLES:
        answer = matrix.as_(_user_of(role)).post("/cases", json=body)
        assert answer.status_code == (201 if role is Role.DENTIST else 403), role


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def _call(
    client: httpx.Client, method: str, path: str, ids: dict[str, int], clinic_side: bool
) -> httpx.Response:
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path.removeprefix("/api/v1"))
    headers = {"If-Match": "1", "Idempotency-Key": str(uuid.uuid4())}
    kwargs: dict[str, Any] = {"headers": headers}
    if url.endswith("/actions"):
        kwargs["json"] = {"action": "cancel" if clinic_side else "accept", "reason": "x"}
    elif url.endswith("/comments"):
        kwargs["json"] = {"body": "hello"}
    elif url.endswith(("/attachments", "/files")) and method == "post":
        kwargs["files"] = {"file": ("a.png", _png(), "image/png")}
        kwargs["data"] = {"kind": "photo"}
    elif method == "patch":
        kwargs["json"] = {"instructions": "x"} if clinic_side else {"memo": "x"}
    return client.request(method.upper(), url, **kwargs)


# Routes that refuse a kind of caller outright, whatever the id (no existence oracle: the
# answer for another tenant's id is the answer for a missing one).
ROLE_REFUSALS = {
    ("post", "/api/v1/cases/{case_id}/attachments", "other_clinic"),
    ("post", "/api/v1/cases/{case_id}/files", "other_lab"),
    ("delete", "/api/v1/lab/clinic-links/{clinic_id}", "other_clinic"),
}


def test_every_route_with_an_id_answers_404_to_other_tenants(matrix: Matrix) -> None:
    case = matrix.seed(State(Status.RECEIVED))
    upload = matrix.as_("lab_admin").post(
        f"/cases/{case[0]}/attachments", files={"file": ("a.png", _png(), "image/png")}
    )
    assert upload.status_code == 201, upload.text
    with matrix.db.read_session() as session:
        clinic_id = session.execute(
            select(models.Clinic.id).where(models.Clinic.name == CLINIC)
        ).scalar_one()
    ids = {"case_id": case[0], "file_id": upload.json()["id"], "clinic_id": clinic_id}
    missing = dict.fromkeys(ids, schemas.MAX_WIRE_INT)
    openapi = matrix.as_("lab_admin").get(f"{matrix.running.url}/openapi.json").json()
    routes = [
        (method, path)
        for path, methods in openapi["paths"].items()
        if "{" in path
        for method in methods
    ]
    assert len(routes) >= 10
    tried = 0
    for (method, path), caller in itertools.product(routes, ("other_lab", "other_clinic")):
        client = matrix.as_(caller)
        theirs = _call(client, method, path, ids, caller == "other_clinic")
        absent = _call(client, method, path, missing, caller == "other_clinic")
        tried += 1
        where = (method, path, caller, theirs.text)
        assert theirs.status_code == absent.status_code, where
        assert theirs.json()["error"]["code"] == absent.json()["error"]["code"], where
        wanted = 403 if (method, path, caller) in ROLE_REFUSALS else 404
        assert theirs.status_code == wanted, where
    print(f"\ncross-tenant: {tried} attempts, 0 answered other than for a missing id")
