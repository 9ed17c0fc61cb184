"""Every row of DESIGN.md's lifecycle table, by an allowed and a forbidden role."""

from __future__ import annotations

import pytest

from labdesk.domain import lifecycle as L
from labdesk.domain.lifecycle import Action as A
from labdesk.domain.lifecycle import Role as R
from labdesk.domain.lifecycle import Status as S

# (action, from, to, an allowed role, a forbidden role, extra apply() arguments)
ROWS = [
    (A.SUBMIT, None, S.RECEIVED, R.DENTIST, R.REVIEWER, {}),
    (A.SUBMIT, None, S.RECEIVED, R.SYSTEM, R.LAB_ADMIN, {}),
    (A.RESUBMIT, S.REJECTED, S.RECEIVED, R.DENTIST, R.LAB_ADMIN, {}),
    (A.ACCEPT, S.RECEIVED, S.DESIGN, R.REVIEWER, R.CERAMIST, {}),
    (A.ACCEPT, S.RECEIVED, S.DESIGN, R.LAB_ADMIN, R.DENTIST, {}),
    (A.ACCEPT, S.RECEIVED, S.INVOICING, R.REVIEWER, R.DESIGNER, {"needs_quote": True}),
    (A.REJECT, S.RECEIVED, S.REJECTED, R.REVIEWER, R.QC_MANAGER, {}),
    (A.REJECT, S.RECEIVED, S.REJECTED, R.LAB_ADMIN, R.DENTIST, {}),
    (A.ACCEPT_QUOTE, S.INVOICING, S.DESIGN, R.DENTIST, R.LAB_ADMIN, {}),
    (A.START_PRODUCTION, S.DESIGN, S.PRODUCTION, R.DESIGNER, R.PRODUCTION_TECH, {}),
    (A.START_PRODUCTION, S.DESIGN, S.PRODUCTION, R.LAB_ADMIN, R.REVIEWER, {}),
    (A.START_FINISHING, S.PRODUCTION, S.FINISHING, R.PRODUCTION_TECH, R.DESIGNER, {}),
    (A.SEND_TO_QC, S.FINISHING, S.QC, R.CERAMIST, R.PRODUCTION_TECH, {}),
    (A.SEND_TO_QC, S.FINISHING, S.QC, R.FINISHING_TECH, R.SHIPPING, {}),
    (A.QC_PASS, S.QC, S.QC, R.QC_MANAGER, R.CERAMIST, {}),
    (A.QC_FAIL, S.QC, S.PRODUCTION, R.QC_MANAGER, R.SHIPPING, {"back_to": S.PRODUCTION}),
    (A.QC_FAIL, S.QC, S.FINISHING, R.LAB_ADMIN, R.REVIEWER, {"back_to": S.FINISHING}),
    (A.SHIP, S.QC, S.SHIPPED, R.SHIPPING, R.QC_MANAGER, {"signed_off": True}),
    (A.SHIP, S.QC, S.SHIPPED, R.LAB_ADMIN, R.DENTIST, {"signed_off": True}),
    (A.DELIVER, S.SHIPPED, S.DELIVERED, R.DENTIST, R.SHIPPING, {}),
    (A.DELIVER, S.SHIPPED, S.DELIVERED, R.SYSTEM, R.REVIEWER, {}),
    (A.DELIVER, S.SHIPPED, S.DELIVERED, R.LAB_ADMIN, R.QC_MANAGER, {}),
    (A.RESUME, S.ON_HOLD, S.PRODUCTION, R.LAB_ADMIN, R.PRODUCTION_TECH,
     {"previous": S.PRODUCTION}),
    (A.REQUEST_REMAKE, S.SHIPPED, S.REMAKE_REQUESTED, R.DENTIST, R.LAB_ADMIN, {}),
    (A.REQUEST_REMAKE, S.DELIVERED, S.REMAKE_REQUESTED, R.DENTIST, R.REVIEWER, {}),
]  # fmt: skip
HOLD_SOURCES = [S.RECEIVED, S.INVOICING, S.DESIGN, S.PRODUCTION, S.FINISHING, S.QC]
DENTIST_CANCEL = [S.RECEIVED, S.REJECTED, S.INVOICING, S.DESIGN]
LAB_CANCEL = [*DENTIST_CANCEL, S.PRODUCTION, S.FINISHING, S.QC, S.SHIPPED, S.ON_HOLD]


@pytest.mark.parametrize(("action", "source", "target", "allowed", "forbidden", "extra"), ROWS)
def test_row_allowed_role_reaches_target(action, source, target, allowed, forbidden, extra):
    assert L.apply(source, action, {allowed}, **extra) is target
    signed = extra.get("signed_off", False)
    assert action in L.allowed_actions(source, {allowed}, signed_off=signed)


@pytest.mark.parametrize(("action", "source", "target", "allowed", "forbidden", "extra"), ROWS)
def test_row_forbidden_role_is_denied(action, source, target, allowed, forbidden, extra):
    with pytest.raises(L.PermissionDenied, match="only"):
        L.apply(source, action, {forbidden}, **extra)
    signed = extra.get("signed_off", False)
    assert action not in L.allowed_actions(source, {forbidden}, signed_off=signed)


@pytest.mark.parametrize("source", HOLD_SOURCES)
def test_hold_from_every_working_status_and_resume_returns_there(source):
    assert L.apply(source, A.HOLD, {R.LAB_ADMIN}) is S.ON_HOLD
    assert L.apply(source, A.HOLD, {R.SYSTEM}) is S.ON_HOLD
    assert L.apply(S.ON_HOLD, A.RESUME, {R.LAB_ADMIN}, previous=source) is source
    with pytest.raises(L.PermissionDenied):
        L.apply(source, A.HOLD, {R.REVIEWER})


@pytest.mark.parametrize(
    "source", [S.REJECTED, S.SHIPPED, S.DELIVERED, S.ON_HOLD, S.CANCELLED, S.REMAKE_REQUESTED]
)
def test_hold_not_possible_outside_work(source):
    with pytest.raises(L.TransitionError):
        L.apply(source, A.HOLD, {R.LAB_ADMIN})


def test_resume_needs_the_previous_status():
    with pytest.raises(L.TransitionError, match="before the hold"):
        L.apply(S.ON_HOLD, A.RESUME, {R.LAB_ADMIN})


@pytest.mark.parametrize("source", list(S))
def test_cancel_dentist_only_before_production(source):
    if source in DENTIST_CANCEL:
        assert L.apply(source, A.CANCEL, {R.DENTIST}) is S.CANCELLED
    elif source in LAB_CANCEL:
        with pytest.raises(L.PermissionDenied, match="only lab admins may cancel cases in"):
            L.apply(source, A.CANCEL, {R.DENTIST})
    else:
        with pytest.raises(L.TransitionError):
            L.apply(source, A.CANCEL, {R.DENTIST})


@pytest.mark.parametrize("source", list(S))
def test_cancel_lab_admin_any_non_terminal(source):
    if source in LAB_CANCEL:
        assert L.apply(source, A.CANCEL, {R.LAB_ADMIN}) is S.CANCELLED
    else:
        with pytest.raises(L.TransitionError):
            L.apply(source, A.CANCEL, {R.LAB_ADMIN})


def test_ship_only_after_signoff():
    with pytest.raises(L.TransitionError, match="after QC sign-off"):
        L.apply(S.QC, A.SHIP, {R.SHIPPING})
    assert A.SHIP not in L.allowed_actions(S.QC, {R.SHIPPING})
    assert L.allowed_actions(S.QC, {R.SHIPPING}, signed_off=True) == {A.SHIP}


def test_signoff_only_once():
    with pytest.raises(L.TransitionError, match="already signed off"):
        L.apply(S.QC, A.QC_PASS, {R.QC_MANAGER}, signed_off=True)


def test_qc_fail_only_back_to_production_or_finishing():
    assert L.apply(S.QC, A.QC_FAIL, {R.QC_MANAGER}) is S.PRODUCTION
    with pytest.raises(L.TransitionError, match="production or finishing"):
        L.apply(S.QC, A.QC_FAIL, {R.QC_MANAGER}, back_to=S.DESIGN)


@pytest.mark.parametrize("source", [s for s in S if s not in (S.SHIPPED, S.DELIVERED)])
def test_remake_only_from_shipped_or_delivered(source):
    with pytest.raises(L.TransitionError):
        L.apply(source, A.REQUEST_REMAKE, {R.DENTIST})


@pytest.mark.parametrize("final", [S.CANCELLED, S.REMAKE_REQUESTED])
def test_final_statuses_allow_nothing(final):
    assert L.allowed_actions(final, set(R)) == set()
    with pytest.raises(L.TransitionError, match="nothing more"):
        L.apply(final, A.ACCEPT, {R.LAB_ADMIN})


def test_delivered_leads_only_to_remake():
    assert L.allowed_actions(S.DELIVERED, set(R)) == {A.REQUEST_REMAKE}


def test_every_action_has_a_row_label_and_verb():
    assert {row.action for row in L.TRANSITIONS} == set(A)
    assert set(L.ACTION_LABELS) == set(A) == set(L.ACTION_VERBS)
    assert set(L.STATUS_LABELS) == set(S)


def test_required_fields():
    assert L.required_fields(A.REJECT) == {"reason_code"}
    assert L.required_fields(A.SHIP) == {"carrier", "tracking_number"}
    assert L.required_fields(A.HOLD) == {"reason"}
    assert L.required_fields(A.CANCEL) == {"reason"}
    assert L.required_fields(A.REQUEST_REMAKE) == {"reason"}
    assert L.required_fields(A.QC_FAIL) == {"reason"}
    assert L.required_fields(A.QC_PASS) == {"checklist"}
    assert L.required_fields(A.ACCEPT) == set()


def test_enum_values_are_design_names():
    assert [s.value for s in S] == [
        "received", "rejected", "invoicing", "design", "production", "finishing", "qc",
        "shipped", "delivered", "on_hold", "cancelled", "remake_requested",
    ]  # fmt: skip
    assert {r.value for r in R} == {
        "lab_admin", "reviewer", "designer", "production_tech", "ceramist", "finishing_tech",
        "qc_manager", "shipping", "dentist", "system",
    }  # fmt: skip
    assert A("start_finishing") is A.START_FINISHING
    assert L.apply("received", "accept", ["reviewer"]) == "design"


def test_messages_read_as_sentences():
    assert L.why_not(S.RECEIVED, A.ACCEPT, {R.CERAMIST}) == (
        "only lab admins and reviewers may accept cases"
    )
    assert L.why_not(S.QC, A.QC_PASS, {R.CERAMIST}) == (
        "only QC managers and lab admins may sign off QC"
    )
    assert "only from: received" in (L.why_not(S.DESIGN, A.ACCEPT, {R.REVIEWER}) or "")
    assert L.why_not(S.RECEIVED, A.ACCEPT, {R.REVIEWER}) is None


def test_who_may():
    assert L.who_may(A.SEND_TO_QC) == {R.LAB_ADMIN, R.CERAMIST, R.FINISHING_TECH}
    assert L.who_may(A.CANCEL, S.PRODUCTION) == {R.LAB_ADMIN}
