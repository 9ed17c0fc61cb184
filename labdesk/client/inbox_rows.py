"""The light row the inbox shows for one case, and how it is made from a wire ``Case``.

The inbox holds up to 100,000 of these; they carry only what the table shows, sorts, filters
and searches on. The full case (history, files, comments) is fetched when a case is opened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from labdesk.domain.lifecycle import Status

if TYPE_CHECKING:
    from labdesk.api.schemas import Case

# (catalog name, teeth as FDI numbers)
ItemSummary = tuple[str, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class InboxRow:
    case_id: int
    number: str
    patient: str  # the name, or "initials · reference" when the clinic does not share it
    clinic: str
    dentist: str
    items: tuple[ItemSummary, ...]
    status: Status
    due_date: date | None = None
    expected_date: date | None = None
    assignee: str | None = None  # username
    assignee_name: str | None = None
    rush: bool = False
    signed_off: bool = False
    tags: tuple[str, ...] = ()
    remake: bool = False  # this case is the remake of another
    pending: int = 0  # actions in the outbox not yet accepted by the server
    conflict: bool = False  # an action of ours met someone else's change
    failed: bool = False  # an action the server refused; the user must look at it
    seq: int = 0

    @property
    def needs_attention(self) -> bool:
        return self.conflict or self.failed

    def with_sync_state(self, *, pending: int, conflict: bool, failed: bool) -> InboxRow:
        return replace(self, pending=pending, conflict=conflict, failed=failed)


def patient_label(share: bool, name: str | None, initials: str, ref: str) -> str:
    if share and name:
        return name
    return f"{initials} · {ref}" if ref else initials


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


def row_from_mapping(data: dict[str, Any]) -> InboxRow:
    """A row from a plain mapping (the cache's light inbox columns, or a benchmark)."""
    items: Iterable[Any] = data.get("items") or ()
    return InboxRow(
        case_id=int(data["case_id"] if "case_id" in data else data["id"]),
        number=str(data["number"]),
        patient=str(data["patient"]),
        clinic=str(data.get("clinic") or data.get("clinic_name") or ""),
        dentist=str(data.get("dentist") or data.get("dentist_name") or ""),
        items=tuple((str(name), tuple(int(t) for t in teeth)) for name, teeth in items),
        status=Status(data["status"]),
        due_date=data.get("due_date"),
        expected_date=data.get("expected_date"),
        assignee=data.get("assignee"),
        assignee_name=data.get("assignee_name"),
        rush=bool(data.get("rush")),
        signed_off=bool(data.get("signed_off")),
        tags=tuple(data.get("tags") or ()),
        remake=bool(data.get("remake")),
        pending=int(data.get("pending") or 0),
        conflict=bool(data.get("conflict")),
        failed=bool(data.get("failed")),
        seq=int(data.get("seq") or 0),
    )
