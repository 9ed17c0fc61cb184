"""The lifecycle state an action leaves, what the lifecycle offers one person for one case,
and how missing input is named — rules the mutation run (docs/testing.md) found unpinned
after the "rules" branch moved them into the domain."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from labdesk.domain import lab_fields
from labdesk.domain.lifecycle import Action, LifecycleError, PermissionDenied, Role, Status
from labdesk.domain.offer import offer_for
from labdesk.domain.required import ActionInputError, is_missing
from labdesk.domain.transition import CaseState, apply_to, state_of


def _case(
    status: str | None,
    previous: str | None = None,
    *,
    signed_off: object = False,
    needs_quote: object = False,
) -> SimpleNamespace:
    """A case as the lifecycle sees it (the wire case and the portal's row look alike)."""
    return SimpleNamespace(
        status=status, previous_status=previous, signed_off=signed_off, needs_quote=needs_quote
    )


def test_the_state_of_a_case_parses_its_statuses_and_flags() -> None:
    held = _case("on_hold", "production", signed_off=1, needs_quote=1)
    assert state_of(held) == CaseState(Status.ON_HOLD, Status.PRODUCTION, True, True)
    # a new case has no status yet: it is received; no status before a hold: none
    assert state_of(_case(None, "", signed_off=None, needs_quote=None)) == CaseState(
        Status.RECEIVED, None, False, False
    )


def test_a_new_case_is_submitted_into_received() -> None:
    assert apply_to(_case(None), Action.SUBMIT, [Role.DENTIST]) == CaseState(
        Status.RECEIVED, None, False, False
    )


def test_an_action_keeps_the_case_needing_a_quote() -> None:
    accepted = apply_to(_case("received", needs_quote=1), Action.ACCEPT, [Role.REVIEWER])
    assert accepted == CaseState(Status.INVOICING, None, False, True)
    held = apply_to(_case("design", needs_quote=True), Action.HOLD, [Role.LAB_ADMIN])
    assert held == CaseState(Status.ON_HOLD, Status.DESIGN, False, True)


def test_the_offer_for_a_new_case_is_to_submit_it() -> None:
    offer = offer_for(_case(None), [Role.DENTIST])
    assert dict(offer.allowed) == {Action.SUBMIT: Status.RECEIVED}
    assert offer.case.status is Status.RECEIVED


def test_ship_is_offered_only_after_sign_off_and_refused_with_the_reason() -> None:
    before = offer_for(_case("qc"), [Role.SHIPPING])
    assert not before.may(Action.SHIP)
    assert before.why_not(Action.SHIP) == "a case ships only after QC sign-off"
    with pytest.raises(LifecycleError, match=r"^a case ships only after QC sign-off$"):
        before.target(Action.SHIP)
    signed = offer_for(_case("qc", signed_off=True), [Role.SHIPPING])
    assert dict(signed.allowed) == {Action.SHIP: Status.SHIPPED}
    assert signed.why_not(Action.SHIP) is None
    assert signed.target(Action.SHIP) is Status.SHIPPED
    # every action not offered says why, in words
    assert all(signed.refused[a] for a in Action if a is not Action.SHIP)


def test_resume_leads_where_the_case_was_before_the_hold() -> None:
    offer = offer_for(_case("on_hold", "finishing"), [Role.LAB_ADMIN])
    assert offer.target(Action.RESUME) is Status.FINISHING
    unknown = offer_for(_case("on_hold"), [Role.LAB_ADMIN])
    assert unknown.allowed[Action.RESUME] is None  # the lifecycle cannot say; the portal decides


def test_input_errors_name_their_fields() -> None:
    plain = ActionInputError("Say why.")
    assert (plain.field, plain.fields) == ("", ())
    one = ActionInputError("Ship needs a carrier.", "carrier")
    assert (one.field, one.fields) == ("carrier", ("carrier",))
    several = ActionInputError("m", "carrier", ("carrier", "tracking_number"))
    assert several.fields == ("carrier", "tracking_number")


@pytest.mark.parametrize(
    ("value", "missing"),
    [
        (None, True),
        ("", True),
        ("  \n", True),
        ([], True),
        ((), True),
        ("x", False),
        ([{"point": "margins", "passed": True}], False),
        (("carrier",), False),
        (0, False),
        (False, False),
    ],
)
def test_missing_is_nothing_an_empty_list_or_only_blanks(value: object, missing: bool) -> None:
    assert is_missing(value) is missing


def test_a_refused_lab_edit_names_every_role_that_may_make_it() -> None:
    with pytest.raises(PermissionDenied) as refused:
        lab_fields.check_edit("design", [Role.SHIPPING], ["assignee"])
    assert str(refused.value) == (
        "only QC managers, ceramists, designers, finishing techs, lab admins, production techs "
        "and reviewers may change the assignee"
    )


def test_a_signed_off_case_refuses_a_second_sign_off_saying_why() -> None:
    offer = offer_for(_case("qc", signed_off=True), [Role.QC_MANAGER])
    assert dict(offer.allowed) == {Action.QC_FAIL: Status.PRODUCTION}
    assert offer.why_not(Action.QC_PASS) == "this case is already signed off by QC"


def test_a_carrier_is_known_however_it_is_spaced_or_cased() -> None:
    from labdesk.domain.carriers import tracking_url

    assert tracking_url(" Fed Ex ", "7946 1234") == (
        "https://www.fedex.com/fedextrack/?trknbr=79461234"
    )
    assert tracking_url("U P S", "1Z/9") == "https://www.ups.com/track?tracknum=1Z%2F9"
