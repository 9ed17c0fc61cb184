"""labdesk.client.offers: what is offered to whom, where it leads, the accept summary."""

from __future__ import annotations

from labdesk.client import offers as O
from labdesk.client.samples import sample_case
from labdesk.domain.lifecycle import Action, Role, Status
from labdesk.domain.offer import offer_for


def test_reviewer_is_offered_accept_and_reject_on_a_received_case() -> None:
    offers = O.offers(sample_case(Status.RECEIVED), [Role.REVIEWER])
    assert offers.commands[:2] == (Action.ACCEPT, Action.REJECT)
    assert Action.HOLD not in offers.commands  # only lab admins hold
    assert offers.unavailable == ()


def test_ceramist_sees_no_accept_and_learns_why_on_hover() -> None:
    offers = O.offers(sample_case(Status.RECEIVED), [Role.CERAMIST])
    assert Action.ACCEPT not in offers.commands
    assert Action.REJECT not in offers.commands
    why = {u.command: u.reason for u in offers.unavailable}
    assert why[Action.ACCEPT] == "Only lab admins and reviewers may accept cases."
    assert Action.HOLD not in why  # offered nowhere to them: no surprise, no noise


def test_ship_waits_for_sign_off_and_says_so() -> None:
    offers = O.offers(sample_case(Status.QC), [Role.SHIPPING])
    assert Action.SHIP not in offers.commands
    why = {u.command: u.reason for u in offers.unavailable}
    assert why[Action.SHIP] == "A case ships only after QC sign-off."
    assert "QC managers" in why[Action.QC_PASS]

    signed = O.offers(sample_case(Status.QC, signed_off=True), [Role.SHIPPING])
    assert Action.SHIP in signed.commands


def test_qc_is_one_entry_for_the_qc_manager() -> None:
    offers = O.offers(sample_case(Status.QC), [Role.QC_MANAGER])
    assert Action.QC_PASS in offers.commands
    assert Action.QC_FAIL not in offers.commands
    signed = O.offers(sample_case(Status.QC, signed_off=True), [Role.QC_MANAGER])
    assert Action.QC_FAIL in signed.commands  # a signed-off case can still be failed
    assert Action.QC_PASS not in signed.commands


def test_lab_admin_gets_hold_cancel_and_the_edits() -> None:
    offers = O.offers(sample_case(Status.PRODUCTION), [Role.LAB_ADMIN])
    for command in (Action.START_FINISHING, Action.HOLD, Action.CANCEL, *O.Edit):
        assert command in offers.commands
    assert all(o.shortcut for o in offers.offered)


def test_dentist_sees_no_lab_edits_and_final_cases_offer_nothing() -> None:
    assert not O.edits_allowed(sample_case(Status.RECEIVED), [Role.DENTIST])
    final = O.offers(sample_case(Status.CANCELLED), [Role.LAB_ADMIN])
    assert final.offered == ()


def test_next_step_follows_the_production_steps_for_the_role() -> None:
    assert O.next_step(sample_case(Status.DESIGN), [Role.DESIGNER]) is Action.START_PRODUCTION
    assert O.next_step(sample_case(Status.FINISHING), [Role.CERAMIST]) is Action.SEND_TO_QC
    assert O.next_step(sample_case(Status.FINISHING), [Role.DESIGNER]) is None
    assert O.next_step(sample_case(Status.QC), [Role.LAB_ADMIN]) is None


def test_accept_goes_to_invoicing_when_a_quote_is_needed() -> None:
    roles = [Role.REVIEWER]
    assert offer_for(sample_case(), roles).target(Action.ACCEPT) is Status.DESIGN
    quote = sample_case(needs_quote=True)
    assert offer_for(quote, roles).target(Action.ACCEPT) is Status.INVOICING
    assert O.transition_text(offer_for(quote, roles), Action.ACCEPT) == "Received → Invoicing"


def test_accept_summary_shows_teeth_in_the_users_notation() -> None:
    case = sample_case()
    summary = O.accept_summary(
        case, offer_for(case, [Role.REVIEWER]), "universal", opened_file_ids={101}
    )
    assert summary.items[0].teeth == "3"  # FDI 16
    assert summary.items[1].teeth == "6-8 (pontic 7)"  # FDI 13-11, pontic 12
    assert summary.items[0].shade == "A2"
    assert summary.files_opened == ("upper_jaw.stl",)
    assert summary.files_not_opened == ("lower_jaw.stl", "bite.ply")
    assert summary.goes_to is Status.DESIGN
