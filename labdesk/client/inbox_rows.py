"""The inbox's row of a case made from the portal's wire ``Case``.

The row class itself is :class:`labdesk.cache.quick_rows.InboxRow` (one class: the cache
builds the same rows from its light columns); the patient's label follows the domain's
sharing rule (:func:`labdesk.domain.patients.patient_label`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labdesk.cache.quick_rows import InboxRow, ItemSummary
from labdesk.domain.patients import patient_label

if TYPE_CHECKING:
    from labdesk.api.schemas import Case

__all__ = ["InboxRow", "ItemSummary", "row_from_case"]


def row_from_case(
    case: Case, *, pending: int = 0, conflict: bool = False, failed: bool = False
) -> InboxRow:
    return InboxRow(
        case_id=case.id,
        number=case.number,
        patient=patient_label(
            case.share_patient_name, case.patient_name, case.patient_initials, case.patient_ref
        ),
        clinic=case.clinic_name,
        dentist=case.dentist_name,
        items=tuple((item.catalog_name, tuple(item.teeth)) for item in case.items),
        status=case.status,
        due_date=case.due_date,
        expected_date=case.expected_date,
        assignee=case.assignee,
        assignee_name=case.assignee_name,
        rush=case.rush,
        signed_off=case.signed_off,
        tags=tuple(case.tags),
        remake=case.parent is not None,
        pending=pending,
        conflict=conflict,
        failed=failed,
        seq=case.seq,
    )
