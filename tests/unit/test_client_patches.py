"""labdesk.client.patches: changes to the lab's own fields of a case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from labdesk.client import patches as P
from labdesk.client.samples import sample_case
from labdesk.domain.required import ActionInputError

TODAY = date(2026, 3, 2)


def test_expected_date_later_than_due_needs_a_note() -> None:
    case = sample_case(due_date=TODAY + timedelta(days=3))
    with pytest.raises(ActionInputError, match="tell the clinic why"):
        P.expected_date_patch(case, TODAY + timedelta(days=5), "", today=TODAY)
    with pytest.raises(ActionInputError, match="in the past"):
        P.expected_date_patch(case, TODAY - timedelta(days=1), "x", today=TODAY)
    patch = P.expected_date_patch(case, TODAY + timedelta(days=5), "Kiln repair", today=TODAY)
    assert patch.expected_date == TODAY + timedelta(days=5)
    assert patch.expected_note == "Kiln repair"
    assert (
        P.expected_date_patch(case, TODAY + timedelta(days=2), "", today=TODAY).expected_note == ""
    )


def test_tags_are_parsed_and_only_changes_are_sent() -> None:
    assert P.parse_tags(" tray 4,  Rush ;rush, , implant  ") == ["tray 4", "Rush", "implant"]
    with pytest.raises(ActionInputError, match="longer than"):
        P.parse_tags("x" * 41)
    case = sample_case(tags=["tray 4"], memo="call before 10")
    unchanged = P.tags_memo_patch(case, "tray 4", "call before 10")
    assert P.patch_is_empty(unchanged)
    memo_only = P.tags_memo_patch(case, "tray 4", "call after 2")
    assert memo_only.model_dump(exclude_unset=True) == {"memo": "call after 2"}
    cleared = P.tags_memo_patch(case, "", "call before 10")
    assert cleared.model_dump(exclude_unset=True) == {"tags": []}


def test_assign_patch_unassigns_with_an_empty_name() -> None:
    assert P.assign_patch("ceramist").assignee == "ceramist"
    assert P.assign_patch(None).model_dump(exclude_unset=True) == {"assignee": None}
    assert P.assign_patch("  ").model_dump(exclude_unset=True) == {"assignee": None}
