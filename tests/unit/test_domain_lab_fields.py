"""Who may change the lab's own fields of a case, and in which status (domain/lab_fields)."""

from __future__ import annotations

import pytest

from labdesk.domain.lab_fields import LabField, check_edit, editable_fields
from labdesk.domain.lifecycle import LAB_ROLES, PermissionDenied, Role, Status, TransitionError

F = LabField


def test_shipping_cannot_move_the_expected_date() -> None:
    assert editable_fields(Status.QC, [Role.SHIPPING]) == {F.TAGS, F.MEMO}
    with pytest.raises(PermissionDenied, match="only lab admins and reviewers"):
        check_edit(Status.QC, [Role.SHIPPING], ["expected_date"])


def test_planners_set_the_date_the_floor_hands_work_on() -> None:
    assert editable_fields(Status.DESIGN, [Role.REVIEWER]) == set(LabField)
    assert editable_fields(Status.DESIGN, [Role.DESIGNER]) == {F.ASSIGNEE, F.TAGS, F.MEMO}
    assert editable_fields(Status.DESIGN, [Role.LAB_ADMIN]) == set(LabField)


def test_late_and_final_statuses() -> None:
    for status in (Status.SHIPPED, Status.DELIVERED, Status.REJECTED):
        assert editable_fields(status, [Role.LAB_ADMIN]) == {F.TAGS, F.MEMO}
    for status in (Status.CANCELLED, Status.REMAKE_REQUESTED):
        assert editable_fields(status, LAB_ROLES) == set()
    with pytest.raises(TransitionError, match="shipped"):
        check_edit(Status.SHIPPED, [Role.LAB_ADMIN], ["assignee"])


def test_clinics_edit_no_lab_field() -> None:
    assert editable_fields(Status.RECEIVED, [Role.DENTIST]) == set()
