"""The workload dashboard's figures (GET /workload) against answers computed straight from the
portal's database: for the demo's seeded history (holds, remakes, cancellations included) and
for a clinic of hand-built cases whose answers are known by construction."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text, update

from tests.conftest import PortalApi

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(portal_factory: Any) -> Any:
    from labdesk.server.demo import seed_demo

    running = portal_factory(demo=True)
    seed_demo(running.app.state.portal.db, scans=False)
    api = PortalApi(running)
    yield api
    api.close()


def _db(api: PortalApi) -> Any:
    return api.running.app.state.portal.db


def _lab_id(api: PortalApi) -> int:
    return int(api.as_("lab_admin").get("/me").json()["organization"]["id"])


def test_demo_figures_match_the_database(demo: PortalApi) -> None:
    figures = demo.as_("lab_admin").get("/workload").json()
    lab = _lab_id(demo)
    today = date.fromisoformat(figures["today"])
    with _db(demo).read_session() as session:
        by_status = dict(
            session.execute(
                text("SELECT status, count(*) FROM cases WHERE lab_id = :lab GROUP BY status"),
                {"lab": lab},
            ).all()
        )
        open_rows = session.execute(
            text(
                "SELECT status, due_date, rush FROM cases WHERE lab_id = :lab AND status NOT IN "
                "('rejected','shipped','delivered','cancelled','remake_requested')"
            ),
            {"lab": lab},
        ).all()
        history = session.execute(
            text(
                "SELECT h.case_id, h.at, h.action, h.from_status, h.to_status, h.reason_code, "
                "h.reason FROM case_history h JOIN cases c ON c.id = h.case_id "
                "WHERE c.lab_id = :lab ORDER BY h.case_id, h.id"
            ),
            {"lab": lab},
        ).all()
    assert {s["status"]: s["count"] for s in figures["by_status"]} == by_status
    assert sum(by_status.values()) > 50  # the demo has cases in every status

    def day(value: Any) -> date:
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])

    overdue = Counter(r.status for r in open_rows if r.due_date and day(r.due_date) < today)
    assert figures["overdue"] == dict(overdue)
    due = Counter((day(r.due_date), r.status) for r in open_rows if r.due_date)
    for entry in figures["due"]:
        expected = {s: n for (d, s), n in due.items() if d == date.fromisoformat(entry["day"])}
        assert entry["counts"] == expected

    def at(value: Any) -> datetime:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    shipped = Counter(at(r.at).date() for r in history if r.action == "ship")
    assert {s["day"]: s["shipped"] for s in figures["shipped"]} == {
        (today - timedelta(days=n)).isoformat(): shipped[today - timedelta(days=n)]
        for n in range(30)
    }
    since = datetime.now(UTC) - timedelta(days=90)
    remakes = Counter(
        (r.reason_code or (r.reason or "").strip())
        for r in history
        if r.action == "request_remake" and r.to_status == "remake_requested" and at(r.at) >= since
    )
    assert remakes, "the demo history has remakes"
    assert {r["key"]: r["remakes"] for r in figures["remakes_by_reason"]} == dict(remakes)
    # time in design: each stay from the row that entered it to the row that left it
    stays = [
        (at(b.at) - at(a.at)).total_seconds() / 3600
        for a, b in itertools.pairwise(history)
        if a.case_id == b.case_id and b.from_status == "design" and a.to_status == "design"
        and at(b.at) >= since
    ]  # fmt: skip
    row = next(d for d in figures["dwell"] if d["status"] == "design" and not d["catalog_code"])
    assert row["stays"] == len(stays)
    assert row["median_hours"] == pytest.approx(statistics.median(stays), abs=0.01)


def test_hand_built_clinic_has_the_known_answers(demo: PortalApi) -> None:
    from labdesk.server import models as m
    from labdesk.server.tenancy import link

    db = _db(demo)
    lab = _lab_id(demo)
    with db.writing() as session:
        clinic = m.Clinic(name="Known Answers Dental", default_lab_id=lab)
        session.add(clinic)
        session.flush()
        clinic_id = clinic.id
        link(session, lab, clinic_id)  # a clinic sends cases only to labs it is linked to
    demo.make_user("known_dentist", "pw-known-1", ["dentist"], clinic="Known Answers Dental")
    demo.as_("known_dentist", "pw-known-1")  # signed in once; new_case and act reuse it
    today = datetime.now(UTC).date()
    made = []
    for n in range(4):
        case = demo.new_case(
            "known_dentist", lab_id=lab, due_date=(today + timedelta(days=3)).isoformat(),
            rush=n == 0,
        )  # fmt: skip
        made.append(case["id"])
    # a: shipped on time after 10 h in design; b: shipped late after 30 h in design, then remade;
    # c: on hold from design, still open, due in 3 days; d: cancelled from received.
    a, b, c, d = made
    for case_id in (a, b):
        demo.advance(case_id, "shipped")
    demo.advance(c, "design")
    assert demo.act("lab_admin", c, "hold", reason="Waiting for the shade").status_code == 200
    assert demo.act("lab_admin", d, "cancel", reason="Sent twice").status_code == 200
    response = demo.act("known_dentist", b, "request_remake", reason="Open contact")
    assert response.status_code == 200, response.text
    # backdate: the design stays last exactly 10 h and 30 h; b shipped 2 days after its due date
    base = datetime.now(UTC) - timedelta(days=5)
    with db.writing() as session:
        for case_id, hours in ((a, 10), (b, 30)):
            rows = session.execute(
                select(m.HistoryRow).where(m.HistoryRow.case_id == case_id)
                .order_by(m.HistoryRow.id)
            ).scalars().all()  # fmt: skip
            for index, row in enumerate(rows):
                row.at = base + timedelta(hours=index)
            entered = next(r for r in rows if r.to_status == "design")
            left = next(r for r in rows if r.from_status == "design")
            shift = timedelta(hours=hours) - (left.at - entered.at)
            for row in rows[rows.index(left) :]:
                row.at = row.at + shift
        session.execute(
            update(m.Case).where(m.Case.id == b).values(due_date=base.date() - timedelta(days=2))
        )
    figures = demo.as_("lab_admin").get("/workload", params={"clinic_id": clinic_id}).json()
    counts = {s["status"]: s["count"] for s in figures["by_status"]}
    assert counts == {
        "remake_requested": 1,
        "shipped": 1,
        "on_hold": 1,
        "cancelled": 1,
        "received": 1,
    }  # fmt: skip  (the remake's child is a new received case)
    design = next(x for x in figures["dwell"] if x["status"] == "design" and not x["catalog_code"])
    # stays in design: a 10 h, b 30 h, c a few seconds before its hold
    assert (design["stays"], design["median_hours"], design["p90_hours"]) == (3, 10.0, 30.0)
    assert sum(d["shipped"] for d in figures["shipped"]) == 2
    week = [w for w in figures["on_time"] if w["shipped"]]
    assert sum(w["shipped"] for w in week) == 2
    assert sum(w["on_time"] for w in week) == 1
    assert figures["remakes_by_reason"] == [
        {"key": "Open contact", "label": "Open contact", "remakes": 1, "shipped": 2}
    ]
    crown = next(r for r in figures["remakes_by_item"] if r["key"] == "ZR-CROWN")
    assert (crown["remakes"], crown["shipped"]) == (1, 2)
    due_in_3 = next(x for x in figures["due"] if x["day"] == (today + timedelta(3)).isoformat())
    # c on hold and the remake's child (received, due date copied or none) — c is counted
    assert due_in_3["counts"].get("on_hold") == 1
    assert figures["overdue"] == {}


def test_only_lab_people_see_the_workload(portal_api: PortalApi) -> None:
    assert portal_api.as_("dentist1").get("/workload").status_code == 403
    assert portal_api.as_("shipping").get("/workload").status_code == 200
    with portal_api.anonymous() as anonymous:  # closed here, not by a later test's GC
        assert anonymous.get("/workload").status_code == 401
