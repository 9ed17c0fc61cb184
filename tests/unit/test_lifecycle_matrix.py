"""Every action × state × role of DESIGN.md's table against the domain, exactly.

The row tests in test_lifecycle.py check one allowed and one forbidden role per row; a role
added to (or dropped from) a row survives them. Here each of the 16 actions is tried in each
of the 14 states (new, the 12 statuses, QC signed off) by each of the 10 roles alone, and the
answer must be the one the table (tests/lifecycle_spec.py) gives: the target, PermissionDenied
or TransitionError — and ``allowed_actions`` / ``who_may`` / ``why_not`` must agree with it.
"""

from __future__ import annotations

import pytest

from labdesk.domain import lifecycle as L
from tests.lifecycle_spec import ACTIONS, ROLES, STATES, STATUSES, expected, target_of

# The arguments a computed target needs, and what it must then be.
COMPUTED = {
    "accept": ({"needs_quote": False}, "design"),
    "qc_fail": ({"back_to": "finishing"}, "finishing"),
    "resume": ({"previous": "production"}, "production"),
}


def _state_id(state: tuple[str | None, bool]) -> str:
    status, signed = state
    return "new" if status is None else f"{status}{'-signed' if signed else ''}"


@pytest.mark.parametrize("state", STATES, ids=[_state_id(s) for s in STATES])
def test_every_action_by_every_role_in_this_state(state: tuple[str | None, bool]) -> None:
    status, signed = state
    for action in ACTIONS:
        for role in ROLES:
            answer = expected(status, signed, action, role)
            extra, computed = COMPUTED.get(action, ({}, None))
            where = (status, signed, action, role)
            if answer == "ok":
                got = L.apply(status, action, {role}, signed_off=signed, **extra)
                assert got.value == (target_of(status, action, role) or computed), where
                assert L.why_not(status, action, {role}, signed_off=signed) is None, where
            else:
                error = L.PermissionDenied if answer == "forbidden" else L.TransitionError
                with pytest.raises(error) as caught:
                    L.apply(status, action, {role}, signed_off=signed, **extra)
                assert type(caught.value) is error, where
                reason = L.why_not(status, action, {role}, signed_off=signed)
                assert reason == str(caught.value), where
                assert reason, where


@pytest.mark.parametrize("state", STATES, ids=[_state_id(s) for s in STATES])
@pytest.mark.parametrize("role", ROLES)
def test_allowed_actions_are_exactly_the_tables(state: tuple[str | None, bool], role: str) -> None:
    status, signed = state
    want = {a for a in ACTIONS if expected(status, signed, a, role) == "ok"}
    assert {a.value for a in L.allowed_actions(status, {role}, signed_off=signed)} == want


def test_several_roles_allow_the_union() -> None:
    roles = {"designer", "production_tech"}
    assert {a.value for a in L.allowed_actions("design", roles)} == {"start_production"}
    assert {a.value for a in L.allowed_actions("production", roles)} == {"start_finishing"}
    assert L.apply("production", "start_finishing", roles).value == "finishing"


@pytest.mark.parametrize("action", ACTIONS)
def test_who_may_is_exactly_the_tables(action: str) -> None:
    for status in STATUSES:
        want = {
            r
            for r in ROLES
            if expected(status, False, action, r) == "ok"
            or expected(status, True, action, r) == "ok"
        }
        assert {r.value for r in L.who_may(action, status)} == want, (action, status)
    # Without a status: the roles that may take it anywhere (also for a new case).
    anywhere = {r for s, signed in STATES for r in ROLES if expected(s, signed, action, r) == "ok"}
    assert {r.value for r in L.who_may(action)} == anywhere


def test_accept_needs_a_quote_goes_to_invoicing() -> None:
    assert L.apply("received", "accept", {"reviewer"}, needs_quote=True).value == "invoicing"
    assert L.apply("received", "accept", {"reviewer"}, needs_quote=False).value == "design"


def test_qc_fail_defaults_to_production_and_refuses_other_targets() -> None:
    assert L.apply("qc", "qc_fail", {"qc_manager"}).value == "production"
    assert L.apply("qc", "qc_fail", {"qc_manager"}, back_to="production").value == "production"
    with pytest.raises(L.TransitionError, match="not to design"):
        L.apply("qc", "qc_fail", {"qc_manager"}, back_to="design")


@pytest.mark.parametrize("previous", [None, "on_hold", "cancelled", "remake_requested"])
def test_resume_refuses_an_unknown_or_final_previous_status(previous: str | None) -> None:
    with pytest.raises(L.TransitionError, match="before the hold is unknown"):
        L.apply("on_hold", "resume", {"lab_admin"}, previous=previous)


def test_messages_name_who_may_and_where() -> None:
    assert L.why_not("production", "start_finishing", {"ceramist"}) == (
        "only lab admins and production techs may move cases from production to finishing"
    )
    assert L.why_not("production", "cancel", {"dentist"}) == (
        "only lab admins may cancel cases in “Production”"
    )
    assert L.why_not("qc", "resume", {"dentist"}) == (
        "“Resume” is not possible while the case is in “QC” (only from: on hold)"
    )
    assert L.why_not(None, "accept", {"reviewer"}) == (
        "“Accept case” is not possible while the case is in “new” (only from: received)"
    )
    assert L.why_not("cancelled", "hold", {"lab_admin"}) == (
        "the case is cancelled; nothing more can be done with it"
    )
    assert L.why_not("qc", "ship", {"shipping"}) == "a case ships only after QC sign-off"
    assert L.why_not("qc", "qc_pass", {"qc_manager"}, signed_off=True) == (
        "this case is already signed off by QC"
    )
    assert L.why_not("qc", "ship", {"ceramist"}, signed_off=True) == (
        "only lab admins and shipping may ship cases"
    )
