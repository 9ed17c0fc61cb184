"""labdesk.client.actions: the requests the dialogs build from what a person typed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from labdesk.client import actions as A
from labdesk.client.samples import sample_case
from labdesk.domain import qc
from labdesk.domain.lifecycle import Action, Status

TODAY = date(2026, 3, 2)


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


def test_rejection_notice_reads_like_the_portals_message() -> None:
    case = sample_case()
    text = A.rejection_notice(case, "Unclear margin", "Margin on 16", ["margin.png"])
    assert "C-2026-00042" in text
    assert "Unclear margin" in text
    assert "Margin on 16" in text
    assert "margin.png" in text
