"""labdesk.client.actions: what is offered to whom, and the requests the dialogs build."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from labdesk.client import actions as A
from labdesk.client.samples import sample_case
from labdesk.domain import qc
from labdesk.domain.lifecycle import Action, Role, Status

TODAY = date(2026, 3, 2)


# --- offers -------------------------------------------------------------------------------


def test_reviewer_is_offered_accept_and_reject_on_a_received_case() -> None:
    offers = A.offers(sample_case(Status.RECEIVED), [Role.REVIEWER])
    assert offers.commands[:2] == (Action.ACCEPT, Action.REJECT)
    assert Action.HOLD not in offers.commands  # only lab admins hold
    assert offers.unavailable == ()


def test_ceramist_sees_no_accept_and_learns_why_on_hover() -> None:
    offers = A.offers(sample_case(Status.RECEIVED), [Role.CERAMIST])
    assert Action.ACCEPT not in offers.commands
    assert Action.REJECT not in offers.commands
    why = {u.command: u.reason for u in offers.unavailable}
    assert why[Action.ACCEPT] == "Only lab admins and reviewers may accept cases."
    assert Action.HOLD not in why  # offered nowhere to them: no surprise, no noise


def test_ship_waits_for_sign_off_and_says_so() -> None:
    offers = A.offers(sample_case(Status.QC), [Role.SHIPPING])
    assert Action.SHIP not in offers.commands
    why = {u.command: u.reason for u in offers.unavailable}
    assert why[Action.SHIP] == "A case ships only after QC sign-off."
    assert "QC managers" in why[Action.QC_PASS]

    signed = A.offers(sample_case(Status.QC, signed_off=True), [Role.SHIPPING])
    assert Action.SHIP in signed.commands


def test_qc_is_one_entry_for_the_qc_manager() -> None:
    offers = A.offers(sample_case(Status.QC), [Role.QC_MANAGER])
    assert Action.QC_PASS in offers.commands
    assert Action.QC_FAIL not in offers.commands
    signed = A.offers(sample_case(Status.QC, signed_off=True), [Role.QC_MANAGER])
    assert Action.QC_FAIL in signed.commands  # a signed-off case can still be failed
    assert Action.QC_PASS not in signed.commands


def test_lab_admin_gets_hold_cancel_and_the_edits() -> None:
    offers = A.offers(sample_case(Status.PRODUCTION), [Role.LAB_ADMIN])
    for command in (Action.START_FINISHING, Action.HOLD, Action.CANCEL, *A.Edit):
        assert command in offers.commands
    assert all(o.shortcut for o in offers.offered)


def test_dentist_sees_no_lab_edits_and_final_cases_offer_nothing() -> None:
    assert not A.edits_allowed(sample_case(Status.RECEIVED), [Role.DENTIST])
    final = A.offers(sample_case(Status.CANCELLED), [Role.LAB_ADMIN])
    assert final.offered == ()


def test_next_step_follows_the_production_steps_for_the_role() -> None:
    assert A.next_step(sample_case(Status.DESIGN), [Role.DESIGNER]) is Action.START_PRODUCTION
    assert A.next_step(sample_case(Status.FINISHING), [Role.CERAMIST]) is Action.SEND_TO_QC
    assert A.next_step(sample_case(Status.FINISHING), [Role.DESIGNER]) is None
    assert A.next_step(sample_case(Status.QC), [Role.LAB_ADMIN]) is None


def test_accept_goes_to_invoicing_when_a_quote_is_needed() -> None:
    roles = [Role.REVIEWER]
    assert A.target_status(sample_case(), Action.ACCEPT, roles) is Status.DESIGN
    quote = sample_case(needs_quote=True)
    assert A.target_status(quote, Action.ACCEPT, roles) is Status.INVOICING
    assert A.transition_text(quote, Action.ACCEPT, roles) == "Received → Invoicing"


def test_accept_summary_shows_teeth_in_the_users_notation() -> None:
    case = sample_case()
    summary = A.accept_summary(case, [Role.REVIEWER], "universal", opened_file_ids={101})
    assert summary.items[0].teeth == "3"  # FDI 16
    assert summary.items[1].teeth == "6-8 (pontic 7)"  # FDI 13-11, pontic 12
    assert summary.items[0].shade == "A2"
    assert summary.files_opened == ("upper_jaw.stl",)
    assert summary.files_not_opened == ("lower_jaw.stl", "bite.ply")
    assert summary.goes_to is Status.DESIGN


# --- requests -----------------------------------------------------------------------------


def test_reject_needs_a_reason_and_other_needs_a_note() -> None:
    with pytest.raises(A.ActionInputError, match="needs a reason") as missing:
        A.reject_request(None, "anything")
    assert missing.value.field == "reason_code"
    with pytest.raises(A.ActionInputError, match="needs a note") as no_note:
        A.reject_request("other", "  ")
    assert no_note.value.field == "note"
    request = A.reject_request("unclear_margin", "  Margin on 16 not visible  ", [7, 8])
    assert request.action is Action.REJECT
    assert request.reason_code == "unclear_margin"
    assert request.reason == "Unclear margin"
    assert request.note == "Margin on 16 not visible"
    assert request.attachment_ids == [7, 8]


def test_hold_reason_is_mandatory_and_other_uses_the_note() -> None:
    with pytest.raises(A.ActionInputError, match="Choose why"):
        A.hold_request(None)
    with pytest.raises(A.ActionInputError, match="needs a note"):
        A.hold_request("other", "")
    plain = A.hold_request("missing_shade", "Please send a shade photo")
    assert (plain.reason, plain.note) == ("Missing shade information", "Please send a shade photo")
    other = A.hold_request("other", "Articulator broken")
    assert other.reason == "Articulator broken"


def test_required_fields_come_from_the_lifecycle() -> None:
    with pytest.raises(A.ActionInputError, match="Cancel case needs a reason"):
        A.cancel_request("   ")
    with pytest.raises(A.ActionInputError, match="Ship needs a tracking number") as exc:
        A.ship_request("UPS", "  ")
    assert exc.value.field == "tracking_number"
    with pytest.raises(A.ActionInputError, match="Ship needs a carrier"):
        A.ship_request("", "1Z999")
    with pytest.raises(A.ActionInputError, match="needs its own dialog"):
        A.request_for_step(Action.SHIP)


def test_ship_request_cleans_the_tracking_number_and_checks_the_date() -> None:
    request = A.ship_request("UPS", " 1Z 999 AA1 ", TODAY + timedelta(days=2), today=TODAY)
    assert request.tracking_number == "1Z999AA1"
    assert request.expected_delivery == TODAY + timedelta(days=2)
    with pytest.raises(A.ActionInputError, match="in the past"):
        A.ship_request("UPS", "1Z", TODAY - timedelta(days=1), today=TODAY)


def _answers(failed: dict[str, str] | None = None) -> list[A.CheckResult]:
    failed = failed or {}
    return [
        A.CheckResult(code, code not in failed, failed.get(code, "")) for code, _ in qc.CHECKLIST
    ]


def test_qc_all_pass_signs_off_with_the_checklist() -> None:
    request = A.qc_request(_answers())
    assert request.action is Action.QC_PASS
    assert request.checklist is not None
    assert [e.point for e in request.checklist] == [code for code, _ in qc.CHECKLIST]
    assert all(e.passed for e in request.checklist)


def test_qc_fail_carries_the_failed_points_and_where_back_to() -> None:
    answers = _answers({"contacts": "too tight mesial", "shade_match": ""})
    with pytest.raises(A.ActionInputError, match="back to"):
        A.qc_request(answers)
    request = A.qc_request(answers, Status.FINISHING)
    assert request.action is Action.QC_FAIL
    assert request.back_to is Status.FINISHING
    assert request.reason == "QC failed: Contacts (too tight mesial); Shade match"
    with pytest.raises(A.ActionInputError, match="production or finishing"):
        A.qc_request(answers, Status.DESIGN)


def test_qc_incomplete_checklist_names_what_is_missing() -> None:
    answers = [
        A.CheckResult(code, None if code == "occlusion" else True) for code, _ in qc.CHECKLIST
    ]
    with pytest.raises(A.ActionInputError, match="Occlusion not checked"):
        A.qc_request(answers)


def test_step_request_keeps_an_optional_note() -> None:
    assert A.request_for_step(Action.SEND_TO_QC).note is None
    assert A.request_for_step(Action.SEND_TO_QC, " polished ").note == "polished"


# --- patches ------------------------------------------------------------------------------


def test_expected_date_later_than_due_needs_a_note() -> None:
    case = sample_case(due_date=TODAY + timedelta(days=3))
    with pytest.raises(A.ActionInputError, match="tell the clinic why"):
        A.expected_date_patch(case, TODAY + timedelta(days=5), "", today=TODAY)
    with pytest.raises(A.ActionInputError, match="in the past"):
        A.expected_date_patch(case, TODAY - timedelta(days=1), "x", today=TODAY)
    patch = A.expected_date_patch(case, TODAY + timedelta(days=5), "Kiln repair", today=TODAY)
    assert patch.expected_date == TODAY + timedelta(days=5)
    assert patch.expected_note == "Kiln repair"
    assert (
        A.expected_date_patch(case, TODAY + timedelta(days=2), "", today=TODAY).expected_note == ""
    )


def test_tags_are_parsed_and_only_changes_are_sent() -> None:
    assert A.parse_tags(" tray 4,  Rush ;rush, , implant  ") == ["tray 4", "Rush", "implant"]
    with pytest.raises(A.ActionInputError, match="longer than"):
        A.parse_tags("x" * 41)
    case = sample_case(tags=["tray 4"], memo="call before 10")
    unchanged = A.tags_memo_patch(case, "tray 4", "call before 10")
    assert A.patch_is_empty(unchanged)
    memo_only = A.tags_memo_patch(case, "tray 4", "call after 2")
    assert memo_only.model_dump(exclude_unset=True) == {"memo": "call after 2"}
    cleared = A.tags_memo_patch(case, "", "call before 10")
    assert cleared.model_dump(exclude_unset=True) == {"tags": []}


def test_assign_patch_unassigns_with_an_empty_name() -> None:
    assert A.assign_patch("ceramist").assignee == "ceramist"
    assert A.assign_patch(None).model_dump(exclude_unset=True) == {"assignee": None}
    assert A.assign_patch("  ").model_dump(exclude_unset=True) == {"assignee": None}


def test_rejection_notice_reads_like_the_portals_message() -> None:
    case = sample_case()
    text = A.rejection_notice(case, "Unclear margin", "Margin on 16", ["margin.png"])
    assert "C-2026-00042" in text
    assert "Unclear margin" in text
    assert "Margin on 16" in text
    assert "margin.png" in text
