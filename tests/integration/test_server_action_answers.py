"""What an action answers besides the case (found unpinned by the mutation run): the ETag of
the new version, the same bytes for a replay, and the words of a 422 for missing fields."""

from __future__ import annotations

from typing import Any


def test_an_action_answers_the_new_version_as_etag_and_a_replay_the_same_bytes(
    portal_api: Any,
) -> None:
    case = portal_api.new_case("dentist1", patient_name="Zoë Ørsted")
    key = portal_api.key()
    first = portal_api.act("reviewer", case["id"], "accept", key=key)
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == f'"{first.json()["version"]}"'
    assert first.headers["content-type"] == "application/json"
    assert first.json()["version"] == case["version"] + 1
    again = portal_api.act("reviewer", case["id"], "accept", key=key, version=case["version"])
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.content == first.content


def test_missing_fields_are_named_in_the_answer(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    refused = portal_api.act("reviewer", case["id"], "reject")
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "missing_fields"
    assert error["message"] == "Reject case needs a reason."
    assert error["details"] == {"fields": ["reason_code"]}
    portal_api.advance(case["id"], "qc")
    both = portal_api.act("qc_manager", case["id"], "qc_fail").json()["error"]
    assert both["message"] == "QC fail needs a reason."
    signed = portal_api.act("qc_manager", case["id"], "qc_pass", checklist="all")
    assert signed.status_code == 200, signed.text
    ship = portal_api.act("shipping", case["id"], "ship").json()["error"]
    assert ship["message"] == "Ship needs a carrier and a tracking number."
    assert ship["details"] == {"fields": ["carrier", "tracking_number"]}


def test_an_action_carries_only_files_of_its_own_case(portal_api: Any) -> None:
    mine, other = portal_api.new_case("dentist1"), portal_api.new_case("dentist1")
    pdf = b"%PDF-1.4\n%%EOF\n"
    reviewer = portal_api.as_("reviewer")
    own = reviewer.post(f"/cases/{mine['id']}/attachments", files={"file": ("a.pdf", pdf)})
    foreign = reviewer.post(f"/cases/{other['id']}/attachments", files={"file": ("b.pdf", pdf)})
    assert own.status_code == foreign.status_code == 201
    own_id, foreign_id = own.json()["id"], foreign.json()["id"]

    refused = portal_api.act(
        "reviewer", mine["id"], "reject", reason_code="unclear_margin",
        attachment_ids=[own_id, foreign_id, 999_999],
    )  # fmt: skip
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["message"] == "attachments must be files of this case"
    assert error["details"] == {"unknown": sorted([foreign_id, 999_999])}
    assert portal_api.get("reviewer", mine["id"])["status"] == "received"

    done = portal_api.act(
        "reviewer", mine["id"], "reject", reason_code="unclear_margin", attachment_ids=[own_id]
    )
    assert done.status_code == 200, done.text
    assert done.json()["history"][-1]["attachment_ids"] == [own_id]


def _domain_refusal(check: Any, *args: Any) -> str:
    """The words the domain refuses an input with (the portal answers with the same)."""
    try:
        check(*args)
    except ValueError as exc:
        return str(exc)
    raise AssertionError("the domain accepted it")


def test_an_invalid_field_is_named_with_its_words(portal_api: Any) -> None:
    from labdesk.domain import qc, reasons

    other = reasons.hold_reason("other")
    cases: list[tuple[str, str, str, dict[str, Any], str, str]] = [
        ("received", "reviewer", "reject", {"reason_code": "bad_vibes"}, "reason_code",
         _domain_refusal(reasons.check_rejection, "bad_vibes", None)),
        ("received", "reviewer", "reject", {"reason_code": "other"}, "reason_code",
         _domain_refusal(reasons.check_rejection, "other", None)),
        ("production", "lab_admin", "hold", {"reason_code": "bad_vibes"}, "reason_code",
         _domain_refusal(reasons.hold_reason, "bad_vibes")),
        ("production", "lab_admin", "hold", {"reason_code": "other"}, "note",
         f"the reason “{other.label}” needs a note"),
        ("qc", "qc_manager", "qc_pass", {"checklist": [{"point": "contacts", "passed": True}]},
         "checklist", _domain_refusal(qc.check_complete, {"contacts": True})),
        ("qc", "qc_manager", "qc_fail", {"reason": "x", "back_to": "design"}, "back_to",
         "QC can send a case back to production or finishing"),
    ]  # fmt: skip
    for start, user, action, fields, field, words in cases:
        case = portal_api.new_case("dentist1")
        portal_api.advance(case["id"], start)
        refused = portal_api.act(user, case["id"], action, **fields)
        assert refused.status_code == 422, (action, fields, refused.text)
        error = refused.json()["error"]
        assert (error["code"], error["message"]) == ("validation_error", words), (action, fields)
        assert error["details"] == {"field": field}, (action, fields)


def test_a_hold_with_a_note_needs_no_further_words_and_records_the_reason(
    portal_api: Any,
) -> None:
    from labdesk.domain import reasons

    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "production")
    held = portal_api.act(
        "lab_admin", case["id"], "hold", reason_code="other", note="Call us about the bite"
    )
    assert held.status_code == 200, held.text
    last = held.json()["history"][-1]
    assert (last["reason_code"], last["reason"], last["note"]) == (
        "other", reasons.hold_reason("other").label, "Call us about the bite"
    )  # fmt: skip


def test_a_failed_qc_point_refuses_sign_off_naming_the_point(portal_api: Any) -> None:
    from labdesk.domain.qc import CHECKLIST

    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "qc")
    checklist = [{"point": p, "passed": p not in ("contacts", "shade_match")} for p, _ in CHECKLIST]
    refused = portal_api.act("qc_manager", case["id"], "qc_pass", checklist=checklist)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == (
        "QC points failed (Contacts, Shade match): use “QC fail” instead of sign-off"
    )
    assert error["details"] == {
        "field": "checklist", "failed": ["Contacts", "Shade match"], "use": "qc_fail"
    }  # fmt: skip


def test_a_hold_reason_typed_by_the_person_needs_no_note_and_is_kept(portal_api: Any) -> None:
    case = portal_api.new_case("dentist1")
    portal_api.advance(case["id"], "production")
    held = portal_api.act(
        "lab_admin", case["id"], "hold", reason_code="other", reason="Waiting for the bite"
    )
    assert held.status_code == 200, held.text
    last = held.json()["history"][-1]
    assert (last["reason_code"], last["reason"]) == ("other", "Waiting for the bite")
