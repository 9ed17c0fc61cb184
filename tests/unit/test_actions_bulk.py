"""labdesk.client.bulk: planning a step for many cases, results, conflict views."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from labdesk.api.schemas import ActionRequest, HistoryEntry
from labdesk.client.bulk import (
    BulkCase,
    BulkResult,
    CaseOutcome,
    Outcome,
    bulk_actions,
    conflict_view,
    describe_request,
    plan_bulk,
    step_preview,
)
from labdesk.client.samples import sample_case
from labdesk.domain.lifecycle import Action, Role, Status


def cases(*statuses: Status) -> list:  # type: ignore[type-arg]
    return [sample_case(status, id=i + 1, number=f"C-{i + 1}") for i, status in enumerate(statuses)]


def test_plan_splits_cases_by_what_the_lifecycle_allows() -> None:
    chosen = cases(Status.FINISHING, Status.FINISHING, Status.QC, Status.FINISHING)
    plan = plan_bulk(chosen + chosen[:1], Action.SEND_TO_QC, [Role.CERAMIST])  # a duplicate
    assert [c.id for c in plan.eligible] == [1, 2, 4]
    assert [o.case_id for o in plan.refused] == [3]
    assert plan.refused[0].outcome is Outcome.REFUSED
    assert "only from: finishing" in plan.refused[0].message
    assert plan.total == 4


def test_plan_refuses_cases_the_role_may_not_move() -> None:
    plan = plan_bulk(cases(Status.FINISHING), Action.SEND_TO_QC, [Role.DESIGNER])
    assert plan.eligible == ()
    assert plan.refused[0].message.startswith("Only ")


def test_steps_that_carry_case_data_are_not_bulk() -> None:
    allowed = bulk_actions()
    assert Action.SEND_TO_QC in allowed
    assert Action.RESUME in allowed
    for one_by_one in (Action.ACCEPT, Action.REJECT, Action.SHIP, Action.QC_PASS, Action.HOLD):
        assert one_by_one not in allowed
    with pytest.raises(ValueError, match="one case at a time"):
        plan_bulk(cases(Status.RECEIVED), Action.ACCEPT, [Role.REVIEWER])


def test_result_counts_and_summary() -> None:
    plan = plan_bulk(cases(*[Status.FINISHING] * 4, Status.QC), Action.SEND_TO_QC, [Role.CERAMIST])
    result = BulkResult.from_plan(plan)
    assert (result.pending, result.refused, result.finished) == (4, 1, False)
    result.set(CaseOutcome(1, "C-1", Outcome.DONE))
    result.set(CaseOutcome(2, "C-2", Outcome.DONE))
    result.set(CaseOutcome(3, "C-3", Outcome.CONFLICT, "changed"))
    assert result.summary() == "2 done, 1 conflict, 1 refused, 1 waiting to be sent"
    result.set(CaseOutcome(4, "C-4", Outcome.DONE))
    assert result.finished
    assert result.summary() == "3 done, 1 conflict, 1 refused"
    assert [o.case_id for o in result.rows()] == [1, 2, 3, 4, 5]  # the order chosen


def test_step_preview_names_the_target() -> None:
    case = sample_case(Status.ON_HOLD, previous_status=Status.DESIGN)
    assert step_preview(BulkCase.of(case), Action.RESUME, [Role.LAB_ADMIN]) == "→ Design"


def test_conflict_view_puts_both_sides_and_says_whether_to_apply_again() -> None:
    at = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)
    current = sample_case(
        Status.QC,
        version=9,
        signed_off=True,
        history=[HistoryEntry(id=1, at=at, by="qc_manager", by_name="Quinn QC",
                              action=Action.QC_PASS, from_status=Status.QC, to_status=Status.QC)],
    )  # fmt: skip
    mine = ActionRequest(action=Action.SEND_TO_QC, note="tray 4")
    view = conflict_view(mine, 7, "stale", "stale version", current, [Role.CERAMIST])
    assert view.intent == "Finishing done → QC — note: tray 4"
    assert "version 7" in view.made_on
    assert view.current == "QC (signed off by QC) — version 9"
    assert view.changed_by == "Last change: QC sign-off, by Quinn QC, 02 Mar 10:15"
    assert not view.can_apply_again
    assert "only from: finishing" in view.why_not_again
    assert "Someone changed this case" in view.message

    hold = ActionRequest(action=Action.HOLD, reason="Missing shade information")
    again = conflict_view(hold, 7, "transition", "not now", current, [Role.LAB_ADMIN])
    assert again.can_apply_again
    assert "The portal said: not now" in again.message


def test_describe_request_mentions_what_the_person_gave() -> None:
    text = describe_request(
        ActionRequest(action=Action.QC_FAIL, reason="QC failed: Contacts", back_to=Status.FINISHING,
                      attachment_ids=[1, 2])
    )  # fmt: skip
    assert text == "QC fail — reason: QC failed: Contacts — back to finishing — 2 attachments"


def test_inbox_rows_plan_like_cases() -> None:
    from labdesk.client.inbox_rows import row_from_case

    rows = [row_from_case(c) for c in cases(Status.FINISHING, Status.DESIGN)]
    plan = plan_bulk(rows, Action.SEND_TO_QC, [Role.CERAMIST])
    assert [c.id for c in plan.eligible] == [1]
    assert [c.id for c in plan.skipped] == [2]
    assert plan.eligible[0].patient == "J.M. · RD-1187"
    held = row_from_case(sample_case(Status.ON_HOLD, previous_status=Status.DESIGN))
    resume = plan_bulk([held], Action.RESUME, [Role.LAB_ADMIN])
    assert step_preview(resume.eligible[0], Action.RESUME, [Role.LAB_ADMIN]).startswith("→")


def test_bulk_choices_count_the_cases_each_step_applies_to() -> None:
    from labdesk.client.bulk import bulk_choices
    from labdesk.client.inbox_rows import row_from_case

    rows = [row_from_case(c) for c in cases(Status.FINISHING, Status.FINISHING, Status.RECEIVED)]
    assert bulk_choices(rows, [Role.CERAMIST]) == [(Action.SEND_TO_QC, 2)]
    assert bulk_choices(rows[2:], [Role.CERAMIST]) == []  # accepting is one case at a time
    admin = bulk_choices(cases(Status.DESIGN, Status.PRODUCTION), [Role.LAB_ADMIN])
    assert admin == [(Action.START_PRODUCTION, 1), (Action.START_FINISHING, 1)]


def test_a_change_of_the_lab_fields_in_conflict() -> None:
    from datetime import date

    from labdesk.api.schemas import CasePatch

    change = CasePatch(expected_date=date(2026, 12, 2), expected_note="waiting for the shade")
    assert describe_request(change) == (
        "Change — expected date: 02 Dec 2026 — note: waiting for the shade"
    )
    assert describe_request(CasePatch.model_validate({"assignee": None})) == "Change — unassign"
    current = sample_case(Status.FINISHING, version=5)
    view = conflict_view(change, 4, "stale", "stale", current, [Role.REVIEWER])
    assert view.title.endswith("your change was not saved")
    assert view.can_apply_again
    by_ceramist = conflict_view(change, 4, "stale", "stale", current, [Role.CERAMIST])
    assert not by_ceramist.can_apply_again  # planning dates is the lab admin's and reviewer's
    assert "Your role may not" in by_ceramist.why_not_again
    assert "your change was not applied" in view.message
    shipped = sample_case(Status.SHIPPED, version=6)
    late = conflict_view(change, 4, "stale", "stale", shipped, [Role.CERAMIST])
    assert not late.can_apply_again
    assert late.why_not_again == "The case is no longer the lab's to change."
    memo = conflict_view(CasePatch(memo="x"), 4, "stale", "", shipped, [Role.CERAMIST])
    assert memo.can_apply_again  # tags and memo stay the lab's after shipping
