"""The rules with one home in the domain: the transition's effects on a case, what an action
must carry, the "left the lab" statuses, the patient label and the per-case offer; and the one
wire body and the one inbox row built on them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from labdesk.api.schemas import ActionRequest, CasePatch, wire_body
from labdesk.cache.optimistic import apply_action, intent_body
from labdesk.cache.quick_rows import INBOX_COLUMNS, InboxRow, inbox_rows
from labdesk.cache.rows import case_columns
from labdesk.client.inbox_rows import row_from_case
from labdesk.client.samples import sample_case
from labdesk.domain.lifecycle import (
    LEFT_THE_LAB,
    Action,
    LifecycleError,
    PermissionDenied,
    Role,
    Status,
    TransitionError,
)
from labdesk.domain.offer import offer_for
from labdesk.domain.patients import patient_label
from labdesk.domain.required import ActionInputError, check_required
from labdesk.domain.transition import CaseState, apply_to
from labdesk.errors import KnownError

ADMIN = [Role.LAB_ADMIN]

# --- the transition and its effects ---------------------------------------------------------


def state(status: Status, **changes: object) -> CaseState:
    fields: dict[str, object] = {"previous_status": None, "signed_off": False, "needs_quote": False}
    fields.update(changes)
    return CaseState(status, **fields)  # type: ignore[arg-type]


def test_hold_remembers_where_the_case_was_and_resume_goes_back() -> None:
    held = apply_to(state(Status.FINISHING), Action.HOLD, ADMIN)
    assert (held.status, held.previous_status) == (Status.ON_HOLD, Status.FINISHING)
    resumed = apply_to(held, Action.RESUME, ADMIN)
    assert (resumed.status, resumed.previous_status) == (Status.FINISHING, None)


def test_qc_pass_signs_off_and_qc_fail_takes_the_sign_off_back() -> None:
    passed = apply_to(state(Status.QC), Action.QC_PASS, [Role.QC_MANAGER])
    assert (passed.status, passed.signed_off) == (Status.QC, True)
    failed = apply_to(state(Status.QC), Action.QC_FAIL, [Role.QC_MANAGER], back_to="finishing")
    assert (failed.status, failed.signed_off) == (Status.FINISHING, False)
    shipped = apply_to(passed, Action.SHIP, [Role.SHIPPING])
    assert (shipped.status, shipped.signed_off) == (Status.SHIPPED, True)


def test_accept_goes_to_invoicing_when_a_quote_is_needed() -> None:
    assert apply_to(state(Status.RECEIVED), Action.ACCEPT, ADMIN).status is Status.DESIGN
    quote = state(Status.RECEIVED, needs_quote=True)
    assert apply_to(quote, Action.ACCEPT, ADMIN).status is Status.INVOICING


def test_apply_to_refuses_with_the_lifecycles_reasons() -> None:
    with pytest.raises(PermissionDenied):
        apply_to(state(Status.RECEIVED), Action.ACCEPT, [Role.CERAMIST])
    with pytest.raises(TransitionError):
        apply_to(state(Status.DESIGN), Action.SHIP, ADMIN)
    with pytest.raises(TransitionError, match="cannot be resumed"):
        apply_to(state(Status.ON_HOLD), Action.RESUME, ADMIN)


def test_the_prediction_of_a_queued_action_is_the_domains_transition() -> None:
    case = sample_case(Status.PRODUCTION)
    predicted = apply_action(case, ActionRequest(action=Action.HOLD, reason="kiln"), ADMIN)
    assert (predicted.status, predicted.previous_status) == (Status.ON_HOLD, Status.PRODUCTION)
    signed = apply_action(
        sample_case(Status.QC), ActionRequest(action=Action.QC_PASS), [Role.QC_MANAGER]
    )
    assert signed.signed_off is True


# --- what an action must carry -------------------------------------------------------------


def test_check_required_names_every_missing_field_in_one_error_a_person_can_act_on() -> None:
    with pytest.raises(ActionInputError) as caught:
        check_required(Action.SHIP, {"carrier": " ", "tracking_number": None})
    assert str(caught.value) == "Ship needs a carrier and a tracking number."
    assert caught.value.fields == ("carrier", "tracking_number")
    assert caught.value.field == "carrier"
    assert isinstance(caught.value, KnownError)
    with pytest.raises(ActionInputError, match="QC sign-off needs the QC checklist"):
        check_required(Action.QC_PASS, {"checklist": []})
    check_required(Action.REJECT, {"reason_code": "other"})
    check_required(Action.START_PRODUCTION, {})


def test_the_outbox_refuses_an_incomplete_request_with_the_same_error() -> None:
    request = ActionRequest(action=Action.CANCEL)
    with pytest.raises(ActionInputError, match="Cancel case needs a reason"):
        check_required(request.action, dict(request))


# --- left the lab ---------------------------------------------------------------------------


def test_left_the_lab_is_shipped_delivered_and_rejected() -> None:
    assert {Status.SHIPPED, Status.DELIVERED, Status.REJECTED} == LEFT_THE_LAB


# --- the patient label ----------------------------------------------------------------------


def test_patient_label_shows_the_name_only_when_shared() -> None:
    assert patient_label(True, "Mara Quist", "MQ", "P-1") == "Mara Quist"
    assert patient_label(False, "Mara Quist", "MQ", "P-1") == "MQ · P-1"
    assert patient_label(True, None, "MQ", "P-1") == "MQ · P-1"


def test_patient_label_with_an_empty_reference_is_just_the_initials() -> None:
    assert patient_label(False, None, "MQ", "") == "MQ"


@pytest.mark.parametrize("ref", ["P-7", ""])
def test_the_cache_row_and_the_portal_row_label_a_patient_alike(ref: str) -> None:
    case = sample_case(share_patient_name=False, patient_name=None, patient_ref=ref)
    assert case_columns(case)["patient"] == row_from_case(case).patient
    initials = case.patient_initials
    assert row_from_case(case).patient == (f"{initials} · {ref}" if ref else initials)


# --- the offer ------------------------------------------------------------------------------


def test_an_offer_holds_each_allowed_action_with_its_target_and_each_refusal_with_why() -> None:
    offer = offer_for(sample_case(Status.RECEIVED, needs_quote=True), [Role.REVIEWER])
    assert offer.allowed == {Action.ACCEPT: Status.INVOICING, Action.REJECT: Status.REJECTED}
    assert offer.target(Action.ACCEPT) is Status.INVOICING
    assert offer.why_not(Action.ACCEPT) is None
    assert offer.why_not(Action.SHIP) == (
        "“Ship” is not possible while the case is in “Received” (only from: qc)"
    )
    with pytest.raises(LifecycleError):
        offer.target(Action.SHIP)


def test_an_offer_knows_where_qc_fail_goes_back_to() -> None:
    offer = offer_for(sample_case(Status.QC), [Role.QC_MANAGER])
    assert offer.target(Action.QC_FAIL) is Status.PRODUCTION
    assert offer.target(Action.QC_FAIL, back_to=Status.FINISHING) is Status.FINISHING
    assert offer.may(Action.QC_PASS)
    assert not offer.may(Action.SHIP)
    assert offer.why_not(Action.SHIP) == "only lab admins and shipping may ship cases"
    shipping = offer_for(sample_case(Status.QC), [Role.SHIPPING])
    assert shipping.why_not(Action.SHIP) == "a case ships only after QC sign-off"


def test_resume_without_the_status_before_the_hold_is_offered_but_has_no_target() -> None:
    offer = offer_for(sample_case(Status.ON_HOLD), ADMIN)
    assert offer.may(Action.RESUME)
    with pytest.raises(TransitionError, match="cannot be resumed"):
        offer.target(Action.RESUME)


# --- one wire body, one inbox row -----------------------------------------------------------


def test_the_outbox_stores_the_body_the_client_sends() -> None:
    request = ActionRequest(action=Action.SHIP, carrier="UPS", tracking_number="1Z9")
    assert intent_body(request) == wire_body(request)
    assert json.loads(wire_body(request)) == {
        "action": "ship",
        "carrier": "UPS",
        "tracking_number": "1Z9",
    }
    assert json.loads(wire_body(CasePatch(memo="x"))) == {"memo": "x"}


def test_the_cache_builds_the_same_inbox_row_as_the_portals_case(tmp_path: Path) -> None:
    case = sample_case(Status.DESIGN)
    columns = case_columns(case)
    conn = sqlite3.connect(tmp_path / "rows.sqlite")
    names = [name.strip() for name in INBOX_COLUMNS.split(",")]
    conn.execute(f"CREATE TABLE cases ({', '.join(names)})")
    values = {
        **columns,
        "id": case.id,
        "server_status": columns["status"],
        "pending": 0,
        "conflict": 0,
        "version": case.version,
    }
    conn.execute(
        f"INSERT INTO cases VALUES ({', '.join('?' * len(names))})",
        [values.get(name) for name in names],
    )
    (row,) = inbox_rows(conn.execute(f"SELECT {INBOX_COLUMNS} FROM cases").fetchall())
    conn.close()
    assert isinstance(row, InboxRow)
    from_case = row_from_case(case)
    assert row == replace(from_case, seq=0, remake=False)  # the cache keeps neither
