"""What an action records besides the status (docs/server.md ``POST /cases/{id}/actions``):
the lab's committed date on accept, the QC record of a failed check, the shipment as typed,
the audit entry, the person's own time, the words of a refusal. Found unpinned by the
mutation run (docs/testing.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from labdesk.domain import due

BRIDGE_AND_CROWN = [
    {"catalog_code": "PFM-BRIDGE", "teeth": [34, 35, 36], "pontics": [35]},  # 8 days
    {"catalog_code": "ZR-CROWN", "teeth": [11]},  # 5 days
]


def _error_of(response: Any) -> tuple[int, str, str]:
    error = response.json()["error"]
    return response.status_code, error["code"], error["message"]


def _audit(portal_api: Any, case_id: int, event: str) -> list[dict[str, Any]]:
    entries = portal_api.as_("lab_admin").get("/audit", params={"case_id": case_id}).json()
    return [e for e in entries if e["event"] == event]


def test_accept_commits_the_longest_turnaround_unless_the_lab_set_a_date(
    portal_api: Any,
) -> None:
    today = datetime.now(UTC).date()
    plain = portal_api.new_case("dentist1", items=BRIDGE_AND_CROWN)
    accepted = portal_api.act("reviewer", plain["id"], "accept").json()
    assert accepted["expected_date"] == due.due_date(today, 8).isoformat()

    rush = portal_api.new_case("dentist1", items=BRIDGE_AND_CROWN, rush=True)
    accepted = portal_api.act("reviewer", rush["id"], "accept").json()
    assert accepted["expected_date"] == due.due_date(today, 8, rush=True).isoformat()

    planned = portal_api.new_case("dentist1", items=BRIDGE_AND_CROWN)
    patched = portal_api.as_("lab_admin").patch(
        f"/cases/{planned['id']}", json={"expected_date": "2031-03-04"},
        headers={"If-Match": str(planned["version"])},
    )  # fmt: skip
    assert patched.status_code == 200, patched.text
    accepted = portal_api.act("reviewer", planned["id"], "accept").json()
    assert accepted["expected_date"] == "2031-03-04"


def test_a_failed_qc_check_is_the_cases_qc_record(portal_api: Any) -> None:
    from labdesk.domain.qc import CHECKLIST

    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "qc")
    checklist = [{"point": p, "passed": p not in ("contacts", "occlusion")} for p, _ in CHECKLIST]
    failed = portal_api.act(
        "qc_manager", case["id"], "qc_fail", checklist=checklist, back_to="finishing"
    )
    assert failed.status_code == 200, failed.text
    after = failed.json()
    assert (after["status"], after["signed_off"]) == ("finishing", False)
    record = after["qc_record"]
    assert (record["passed"], record["by"]) == (False, "qc_manager")
    assert [(e["point"], e["passed"]) for e in record["checklist"]] == [
        (e["point"], e["passed"]) for e in checklist
    ]
    assert record["reason"] == "Failed: Contacts, Occlusion"

    portal_api.act("ceramist", case["id"], "send_to_qc")
    own = portal_api.act(
        "qc_manager", case["id"], "qc_fail", checklist=checklist, reason="Contacts too tight"
    ).json()
    assert own["qc_record"]["reason"] == "Contacts too tight"  # the QC's own words win
    portal_api.act("production_tech", case["id"], "start_finishing")
    portal_api.act("ceramist", case["id"], "send_to_qc")
    words = portal_api.act("qc_manager", case["id"], "qc_fail", reason="Chipped cusp").json()
    assert words["status"] == "production"  # back to production unless QC says finishing
    record = words["qc_record"]  # the last check replaces the earlier one: no points sent
    assert (record["passed"], record["checklist"], record["reason"]) == (False, [], "Chipped cusp")


def test_a_shipment_is_recorded_as_typed_without_the_spaces(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "signed_off")
    before = datetime.now(UTC) - timedelta(seconds=5)
    shipped = portal_api.act(
        "shipping", case["id"], "ship", carrier="  DHL ", tracking_number=" JD0146 "
    ).json()
    tracking = shipped["tracking"]
    assert (tracking["carrier"], tracking["tracking_number"]) == ("DHL", "JD0146")
    assert tracking["expected_delivery"] is None
    assert (tracking["shipped_by"], tracking["delivered_at"]) == ("shipping", None)
    shipped_at = datetime.fromisoformat(tracking["shipped_at"])
    assert before <= shipped_at <= datetime.now(UTC) + timedelta(seconds=5)


def test_every_action_is_audited_with_its_step(portal_api: Any, portal: Any) -> None:
    from sqlalchemy import select

    from labdesk.server import models

    case = portal_api.new_case("dentist1")
    portal_api.act("reviewer", case["id"], "accept")
    portal_api.act("designer", case["id"], "start_production")
    steps = [(e["actor"], e["details"]) for e in _audit(portal_api, case["id"], "case_action")]
    with portal.app.state.portal.db.read_session() as session:  # the row links the user too
        linked = session.execute(
            select(models.AuditRow.actor, models.User.username)
            .join(models.User, models.User.id == models.AuditRow.actor_id)
            .where(models.AuditRow.case_id == case["id"])
        ).all()
    assert sorted(linked) == [
        ("dentist1", "dentist1"), ("designer", "designer"), ("reviewer", "reviewer")
    ]  # fmt: skip
    assert sorted(steps, key=lambda s: s[1]["action"]) == [
        ("reviewer", {"action": "accept", "from_status": "received", "to_status": "design"}),
        ("designer", {"action": "start_production", "from_status": "design",
                      "to_status": "production"}),
    ]  # fmt: skip


def test_a_refusal_names_the_action_and_the_status(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    from labdesk.domain import lifecycle

    forbidden = portal_api.act("ceramist", case["id"], "accept").json()["error"]
    assert (forbidden["code"], forbidden["details"]) == ("forbidden", {"action": "accept"})
    assert forbidden["message"] == lifecycle.why_not("received", "accept", ["ceramist"])
    not_now = portal_api.act("shipping", case["id"], "ship", carrier="UPS", tracking_number="1")
    error = not_now.json()["error"]
    assert not_now.status_code == 409
    assert (error["code"], error["details"]) == (
        "transition_not_allowed", {"action": "ship", "status": "received"}
    )  # fmt: skip
    submit = portal_api.act("dentist1", case["id"], "submit")
    assert _error_of(submit) == (
        409, "transition_not_allowed", "new cases are submitted with POST /cases"
    )  # fmt: skip


def test_the_history_keeps_the_persons_time_and_the_files_sent(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    submitted_at = datetime.fromisoformat(case["history"][0]["at"])
    pdf = portal_api.as_("reviewer").post(
        f"/cases/{case['id']}/attachments", files={"file": ("why.pdf", b"%PDF-1.4\n%%EOF\n")}
    )
    assert pdf.status_code == 201, pdf.text
    taken = datetime.now(UTC)  # after the submission, before the portal records the step
    assert taken > submitted_at
    rejected = portal_api.act(
        "reviewer", case["id"], "reject", reason_code="unclear_margin", note="see photo",
        attachment_ids=[pdf.json()["id"]], occurred_at=taken.isoformat(),
    ).json()  # fmt: skip
    step = rejected["history"][-1]
    assert step["attachment_ids"] == [pdf.json()["id"]]
    assert datetime.fromisoformat(step["occurred_at"]) == taken
    assert datetime.fromisoformat(step["at"]) >= taken
    assert step["note"] == "see photo"
    # nobody acts on a state before it exists: a time before the last step is raised to it
    resubmitted = portal_api.act(
        "dentist1", case["id"], "resubmit",
        occurred_at=(datetime.now(UTC) - timedelta(hours=3)).isoformat(),
    ).json()  # fmt: skip
    step = resubmitted["history"][-1]
    assert step["occurred_at"] == rejected["history"][-1]["at"]
