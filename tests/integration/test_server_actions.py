"""``POST /cases/{id}/actions``: every row of the lifecycle table by an allowed and a forbidden
role, and the 409 / 412 / 422 answers, idempotent replay, remakes."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from labdesk.api.schemas import Case

QUOTE_ITEM = [{"catalog_code": "IMPL-CUSTOM", "shade": "A3", "teeth": [36]}]

# action, status the case is walked to, a role that may not, one that may, fields, result
TABLE = [
    ("resubmit", "rejected", "reviewer", "dentist1", {}, "received"),
    ("accept", "received", "designer", "reviewer", {}, "design"),
    ("accept", "received", "dentist1", "lab_admin", {}, "design"),
    ("reject", "received", "shipping", "reviewer", {"reason_code": "unreadable_scan"}, "rejected"),
    ("accept_quote", "invoicing", "lab_admin", "dentist1", {}, "design"),
    ("start_production", "design", "reviewer", "designer", {}, "production"),
    ("start_finishing", "production", "designer", "production_tech", {}, "finishing"),
    ("send_to_qc", "finishing", "production_tech", "ceramist", {}, "qc"),
    ("send_to_qc", "finishing", "qc_manager", "finishing_tech", {}, "qc"),
    ("qc_pass", "qc", "ceramist", "qc_manager", {"checklist": "all"}, "qc"),
    ("qc_fail", "qc", "shipping", "qc_manager",
     {"reason": "Open contact mesial", "back_to": "finishing"}, "finishing"),
    ("ship", "signed_off", "qc_manager", "shipping",
     {"carrier": "DHL", "tracking_number": "JD014600006281"}, "shipped"),
    ("deliver", "shipped", "shipping", "dentist1", {}, "delivered"),
    ("deliver", "shipped", "reviewer", "lab_admin", {}, "delivered"),
    ("hold", "production", "dentist1", "lab_admin", {"reason_code": "missing_shade"}, "on_hold"),
    ("hold", "received", "reviewer", "lab_admin", {"reason": "Call the clinic"}, "on_hold"),
    ("resume", "on_hold", "designer", "lab_admin", {}, "received"),
    ("cancel", "received", "reviewer", "dentist1", {"reason": "Patient moved away"}, "cancelled"),
    ("cancel", "production", "dentist1", "lab_admin", {"reason": "Clinic asked"}, "cancelled"),
    ("request_remake", "delivered", "lab_admin", "dentist1",
     {"reason": "Shade too dark"}, "remake_requested"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "start", "forbidden", "allowed", "fields", "result"),
    TABLE,
    ids=[f"{row[0]}-by-{row[3]}" for row in TABLE],
)
def test_lifecycle_action_by_allowed_and_forbidden_role(
    portal_api: Any,
    action: str,
    start: str,
    forbidden: str,
    allowed: str,
    fields: dict[str, Any],
    result: str,
) -> None:
    case = portal_api.new_case("dentist1", items=QUOTE_ITEM if start == "invoicing" else None)
    if start == "invoicing":
        portal_api.advance(case["id"], "design")  # accept → invoicing: the case needs a quote
    else:
        portal_api.advance(case["id"], start)
    before = portal_api.get(allowed, case["id"])
    assert before["status"] == ("qc" if start == "signed_off" else start)

    denied = portal_api.act(forbidden, case["id"], action, **dict(fields))
    assert denied.status_code == 403, denied.text
    assert denied.json()["error"]["code"] == "forbidden"
    assert portal_api.get(allowed, case["id"])["version"] == before["version"]

    done = portal_api.act(allowed, case["id"], action, **dict(fields))
    assert done.status_code == 200, done.text
    after = Case.model_validate(done.json())
    assert after.status.value == result
    assert after.version == before["version"] + 1
    assert after.seq > before["seq"]
    last = after.history[-1]
    assert (last.action.value, last.by, last.to_status.value) == (action, allowed, result)
    assert last.from_status is not None
    assert last.from_status.value == before["status"]


def test_submit_is_for_dentists(portal_api: Any) -> None:
    case = portal_api.new_case("dentist5", patient_name="Ola Nordmann")
    assert case["status"] == "received"
    assert case["history"][0]["action"] == "submit"
    assert case["number"].startswith("C-20")
    response = portal_api.as_("lab_admin").post(
        "/cases", json={"patient_name": "X", "items": [{"catalog_code": "ZR-CROWN", "teeth": [11]}]}
    )
    assert response.status_code == 403


def test_submit_validates_items(portal_api: Any) -> None:
    client = portal_api.as_("dentist1")
    bad_tooth = client.post(
        "/cases", json={"patient_name": "X", "items": [{"catalog_code": "ZR-CROWN", "teeth": [19]}]}
    )
    assert bad_tooth.status_code == 422
    assert "FDI" in bad_tooth.json()["error"]["message"]
    unknown = client.post(
        "/cases", json={"patient_name": "X", "items": [{"catalog_code": "GOLD", "teeth": [11]}]}
    )
    assert unknown.status_code == 422
    no_items = client.post("/cases", json={"patient_name": "X", "items": []})
    assert no_items.status_code == 422
    assert no_items.json()["error"]["code"] == "validation_error"


def test_a_case_can_go_to_the_second_lab(portal_api: Any) -> None:
    case = portal_api.new_case("dentist7", lab_id=2)
    assert case["lab_id"] == 2
    assert portal_api.get("lab2_admin", case["id"])["id"] == case["id"]
    assert portal_api.as_("reviewer").get(f"/cases/{case['id']}").status_code == 404


def test_accept_goes_to_invoicing_when_an_item_needs_a_quote(portal_api: Any) -> None:
    case = portal_api.new_case("dentist2", items=QUOTE_ITEM)
    assert case["needs_quote"] is True
    accepted = portal_api.act("reviewer", case["id"], "accept").json()
    assert accepted["status"] == "invoicing"
    assert accepted["expected_date"] is not None


@pytest.mark.parametrize(
    ("start", "user", "action", "fields", "message"),
    [
        ("received", "designer", "start_production", {}, "only from"),
        ("qc", "shipping", "ship", {"carrier": "UPS", "tracking_number": "1Z"}, "sign-off"),
        ("signed_off", "qc_manager", "qc_pass", {"checklist": "all"}, "already signed off"),
        ("design", "reviewer", "accept", {}, "only from"),
        ("delivered", "lab_admin", "hold", {"reason": "x"}, "only from"),
    ],
)
def test_an_action_the_status_does_not_allow_is_409(
    portal_api: Any, start: str, user: str, action: str, fields: dict[str, Any], message: str
) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], start)
    response = portal_api.act(user, case["id"], action, **fields)
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "transition_not_allowed"
    assert message in error["message"]


def test_nothing_more_happens_to_a_cancelled_case(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.act("dentist1", case["id"], "cancel", reason="Duplicate")
    response = portal_api.act("lab_admin", case["id"], "accept")
    assert response.status_code == 409
    assert "cancelled" in response.json()["error"]["message"]


def test_a_stale_if_match_is_412_with_the_current_case(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "design")
    response = portal_api.act("designer", case["id"], "start_production", version=case["version"])
    assert response.status_code == 412
    error = response.json()["error"]
    assert error["code"] == "stale_version"
    current = Case.model_validate(error["details"]["current"])
    assert current.status.value == "design"
    assert current.version == case["version"] + 1
    assert portal_api.get("designer", case["id"])["status"] == "design"


@pytest.mark.parametrize(
    ("start", "user", "action", "fields", "code", "missing"),
    [
        ("received", "reviewer", "reject", {}, "missing_fields", ["reason_code"]),
        ("received", "reviewer", "reject", {"reason_code": "other"}, "validation_error", None),
        ("received", "reviewer", "reject", {"reason_code": "bad_vibes"}, "validation_error", None),
        ("signed_off", "shipping", "ship", {"carrier": "UPS"}, "missing_fields",
         ["tracking_number"]),
        ("signed_off", "shipping", "ship", {}, "missing_fields", ["carrier", "tracking_number"]),
        ("production", "lab_admin", "hold", {}, "missing_fields", ["reason"]),
        ("production", "lab_admin", "hold", {"reason_code": "other"}, "validation_error", None),
        ("qc", "qc_manager", "qc_pass", {}, "missing_fields", ["checklist"]),
        ("qc", "qc_manager", "qc_pass", {"checklist": [{"point": "contacts", "passed": True}]},
         "validation_error", None),
        ("qc", "qc_manager", "qc_fail", {}, "missing_fields", ["reason"]),
        ("qc", "qc_manager", "qc_fail", {"reason": "x", "back_to": "design"},
         "validation_error", None),
        ("received", "dentist1", "cancel", {"reason": "  "}, "missing_fields", ["reason"]),
    ],
)  # fmt: skip
def test_a_missing_or_invalid_field_is_422(
    portal_api: Any,
    start: str,
    user: str,
    action: str,
    fields: dict[str, Any],
    code: str,
    missing: list[str] | None,
) -> None:
    case = portal_api.new_case("dentist1")
    before = portal_api.advance(case["id"], start) or case
    response = portal_api.act(user, case["id"], action, **fields)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == code
    if missing is not None:
        assert error["details"]["fields"] == missing
    assert portal_api.get(user, case["id"])["version"] == before["version"]


def test_qc_pass_with_a_failed_point_says_to_use_qc_fail(portal_api: Any) -> None:
    from labdesk.domain.qc import CHECKLIST

    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "qc")
    checklist = [{"point": p, "passed": p != "shade_match"} for p, _ in CHECKLIST]
    response = portal_api.act("qc_manager", case["id"], "qc_pass", checklist=checklist)
    assert response.status_code == 422
    error = response.json()["error"]
    assert "qc_fail" in error["details"]["use"]
    assert "Shade match" in error["message"]
    failed = portal_api.act("qc_manager", case["id"], "qc_fail", checklist=checklist).json()
    assert failed["status"] == "production"
    assert failed["history"][-1]["reason"] == "Failed: Shade match"


def test_qc_sign_off_and_shipping_are_recorded(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    signed = portal_api.advance(case["id"], "signed_off")
    assert signed["signed_off"] is True
    assert signed["qc_signoff"]["by"] == "qc_manager"
    assert len(signed["qc_signoff"]["checklist"]) == 6
    shipped = portal_api.advance(case["id"], "shipped") if False else portal_api.act(
        "shipping", case["id"], "ship", carrier="UPS", tracking_number="1Z12345E0205271688",
        expected_delivery="2030-01-02",
    ).json()  # fmt: skip
    assert shipped["tracking"]["carrier"] == "UPS"
    assert shipped["tracking"]["tracking_number"] == "1Z12345E0205271688"
    assert shipped["tracking"]["expected_delivery"] == "2030-01-02"


def test_hold_remembers_where_the_case_was_and_resume_returns_there(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "finishing")
    held = portal_api.act(
        "lab_admin", case["id"], "hold", reason_code="conflicting_teeth", note="14 twice"
    ).json()
    assert (held["status"], held["previous_status"]) == ("on_hold", "finishing")
    entry = held["history"][-1]
    assert (entry["reason_code"], entry["reason"], entry["note"]) == (
        "conflicting_teeth", "Conflicting tooth selections", "14 twice",
    )  # fmt: skip
    resumed = portal_api.act("lab_admin", case["id"], "resume").json()
    assert (resumed["status"], resumed["previous_status"]) == ("finishing", None)


def test_rejection_history_and_resubmission(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    rejected = portal_api.act(
        "reviewer", case["id"], "reject", reason_code="other", note="Scan of 21 is missing"
    ).json()
    entry = rejected["history"][-1]
    assert entry["reason_code"] == "other"
    assert entry["note"] == "Scan of 21 is missing"
    assert portal_api.act("dentist1", case["id"], "resubmit").json()["status"] == "received"


def test_the_same_key_and_body_replays_the_first_answer(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    key = portal_api.key()
    first = portal_api.act("reviewer", case["id"], "accept", version=case["version"], key=key)
    assert first.status_code == 200
    again = portal_api.act("reviewer", case["id"], "accept", version=case["version"], key=key)
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    now = portal_api.get("reviewer", case["id"])
    assert now["version"] == first.json()["version"]
    assert [h["action"] for h in now["history"]] == ["submit", "accept"]
    # Still the first answer after the case moved on.
    portal_api.act("designer", case["id"], "start_production")
    late = portal_api.act("reviewer", case["id"], "accept", version=case["version"], key=key)
    assert late.json() == first.json()


def test_the_same_key_with_another_body_is_422(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    key = portal_api.key()
    assert portal_api.act("reviewer", case["id"], "accept", key=key).status_code == 200
    other = portal_api.act("reviewer", case["id"], "reject", key=key, reason_code="unclear_margin")
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_mismatch"
    assert portal_api.get("reviewer", case["id"])["status"] == "design"


def test_one_key_sent_twice_at_once_is_applied_once(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    client = portal_api.as_("reviewer")
    headers = {"If-Match": str(case["version"]), "Idempotency-Key": portal_api.key()}
    answers: list[Any] = []

    def send() -> None:
        answers.append(
            client.post(f"/cases/{case['id']}/actions", json={"action": "accept"}, headers=headers)
        )

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [200] * 4
    assert len({a.text for a in answers}) == 1
    history = portal_api.get("reviewer", case["id"])["history"]
    assert [h["action"] for h in history] == ["submit", "accept"]


def test_two_changes_on_one_version_one_wins_one_is_stale(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    answers: list[int] = []

    def send(user: str, action: str, **fields: Any) -> None:
        answers.append(
            portal_api.act(user, case["id"], action, version=case["version"], **fields).status_code
        )

    threads = [
        threading.Thread(target=send, args=("reviewer", "accept")),
        threading.Thread(target=send, args=("lab_admin", "hold"), kwargs={"reason": "Wait"}),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200, 412]


def test_headers_are_required(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    client = portal_api.as_("reviewer")
    url = f"/cases/{case['id']}/actions"
    no_key = client.post(url, json={"action": "accept"}, headers={"If-Match": "1"})
    assert no_key.status_code == 400
    assert no_key.json()["error"]["code"] == "idempotency_key_required"
    no_version = client.post(url, json={"action": "accept"}, headers={"Idempotency-Key": "k"})
    assert no_version.status_code == 428
    quoted = client.post(
        url, json={"action": "accept"},
        headers={"If-Match": f'"{case["version"]}"', "Idempotency-Key": portal_api.key()},
    )  # fmt: skip
    assert quoted.status_code == 200
    unknown = client.post(
        url, json={"action": "fly"}, headers={"If-Match": "1", "Idempotency-Key": "z"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"]["fields"][0]["loc"] == ["body", "action"]


def test_request_remake_creates_the_linked_child_case(portal_api: Any) -> None:
    case = portal_api.new_case(
        "dentist1", items=[{"catalog_code": "PFM-BRIDGE", "shade": "B2", "teeth": [34, 35, 36],
                            "pontics": [35]}],
    )  # fmt: skip
    scan = portal_api.as_("dentist1").post(
        f"/cases/{case['id']}/files",
        files={"file": ("lower.stl", b"solid x\nfacet normal 0 0 1\nendsolid x\n")},
        data={"kind": "scan", "jaw": "lower"},
    )
    assert scan.status_code == 201, scan.text
    portal_api.advance(case["id"], "delivered")
    original = portal_api.act(
        "dentist1", case["id"], "request_remake", reason="Bridge rocks on 36"
    ).json()
    assert original["status"] == "remake_requested"
    assert len(original["children"]) == 1
    child_ref = original["children"][0]
    assert child_ref["status"] == "received"
    child = portal_api.get("reviewer", child_ref["id"])
    assert child["parent"] == {"id": case["id"], "number": case["number"],
                               "status": "remake_requested"}  # fmt: skip
    assert child["number"] != case["number"]
    assert [(i["catalog_code"], i["teeth"], i["pontics"]) for i in child["items"]] == [
        ("PFM-BRIDGE", [34, 35, 36], [35])
    ]
    assert [f["sha256"] for f in child["files"]] == [scan.json()["sha256"]]
    assert child["history"][0]["action"] == "request_remake"
    assert child["history"][0]["reason"] == "Bridge rocks on 36"
    assert child["status"] == "received"
    # The remake goes on like any case; the original is final.
    assert portal_api.act("reviewer", child["id"], "accept").status_code == 200
    assert portal_api.act("dentist1", case["id"], "request_remake", reason="x").status_code == 409


def test_patch_lab_fields(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    client = portal_api.as_("lab_admin")
    url = f"/cases/{case['id']}"
    body = {"assignee": "designer", "tags": ["VIP", " VIP ", "rush"], "memo": "Call first",
            "expected_date": "2030-05-06", "expected_note": "waiting for the bite"}  # fmt: skip
    patched = client.patch(url, json=body, headers={"If-Match": str(case["version"])})
    assert patched.status_code == 200, patched.text
    after = patched.json()
    assert (after["assignee"], after["assignee_name"]) == ("designer", "Mia Sørensen")
    assert after["tags"] == ["VIP", "rush"]
    assert after["expected_date"] == "2030-05-06"
    assert after["version"] == case["version"] + 1
    stale = client.patch(url, json={"memo": "x"}, headers={"If-Match": str(case["version"])})
    assert stale.status_code == 412
    stranger = client.patch(
        url, json={"assignee": "lab2_admin"}, headers={"If-Match": str(after["version"])}
    )
    assert stranger.status_code == 422
    unassign = client.patch(
        url, json={"assignee": None}, headers={"If-Match": str(after["version"])}
    )
    assert unassign.json()["assignee"] is None
    clinic_field = client.patch(url, json={"instructions": "x"}, headers={"If-Match": "99"})
    assert clinic_field.status_code == 403
    assert client.patch(url, json={"memo": "x"}).status_code == 428


def test_the_clinic_edits_only_until_the_lab_accepts(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    client = portal_api.as_("dentist1")
    url = f"/cases/{case['id']}"
    edited = client.patch(
        url, json={"instructions": "Slightly lighter"}, headers={"If-Match": str(case["version"])}
    )
    assert edited.status_code == 200
    assert edited.json()["instructions"] == "Slightly lighter"
    lab_field = client.patch(url, json={"memo": "x"}, headers={"If-Match": "1"})
    assert lab_field.status_code == 403
    accepted = portal_api.act("reviewer", case["id"], "accept").json()
    locked = client.patch(
        url, json={"instructions": "Darker"}, headers={"If-Match": str(accepted["version"])}
    )
    assert locked.status_code == 409
    assert locked.json()["error"]["code"] == "case_locked"
    upload = client.post(
        f"/cases/{case['id']}/files",
        files={"file": ("x.pdf", b"%PDF-1.4\n%%EOF\n")},
        data={"kind": "document"},
    )
    assert upload.status_code == 409


def test_comments_show_up_for_both_sides_without_making_actions_stale(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    commented = portal_api.as_("dentist1").post(
        f"/cases/{case['id']}/comments", json={"body": "Patient prefers Friday delivery"}
    )
    assert commented.status_code == 200
    after = commented.json()
    assert after["seq"] > case["seq"]
    assert after["version"] == case["version"]
    seen = portal_api.get("reviewer", case["id"])
    assert seen["comments"][0]["body"] == "Patient prefers Friday delivery"
    assert seen["comments"][0]["author"] == "dentist1"
    accepted = portal_api.act("reviewer", case["id"], "accept", version=case["version"])
    assert accepted.status_code == 200


def test_every_action_is_in_the_audit_log(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "production")
    entries = portal_api.as_("lab_admin").get("/audit", params={"case_id": case["id"]}).json()
    actions = [e["details"].get("action") for e in entries if e["event"] == "case_action"]
    assert actions == ["start_production", "accept"]
    assert {e["event"] for e in entries} >= {"case_submit", "case_action"}
