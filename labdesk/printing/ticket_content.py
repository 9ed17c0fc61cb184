"""What a work ticket and a tray label say about a case (no Qt: the same words on paper, in
the PDF and in tests).

The patient appears as the clinic allows: the name when it is shared, else initials and the
clinic's reference — the full name of an unshared patient is never on paper. Teeth are in the
lab's notation, the same as on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

from labdesk.api.schemas import Case
from labdesk.domain.patients import patient_label
from labdesk.domain.teeth import Notation, format_teeth

# One box per production step for the initials of who did it (what travels with the tray).
PRODUCTION_STEPS: Final = ("Design", "Production", "Finishing", "QC", "Shipping")


@dataclass(frozen=True)
class TicketItem:
    name: str
    teeth_text: str  # in the lab's notation
    material: str
    shade: str
    notes: str


@dataclass(frozen=True)
class TicketContent:
    lab_name: str
    number: str
    rush: bool
    patient: str
    clinic: str
    dentist: str
    due: date | None
    expected: date | None
    items: tuple[TicketItem, ...]
    teeth: frozenset[int]  # FDI, every tooth an item names (the small chart marks them)
    instructions: str
    answers: tuple[tuple[str, str], ...]
    notation: Notation
    steps: tuple[str, ...] = field(default=PRODUCTION_STEPS)


@dataclass(frozen=True)
class LabelContent:
    number: str
    patient_initials: str
    due: date | None
    rush: bool


def ticket_for(case: Case, *, lab_name: str, notation: Notation | str) -> TicketContent:
    notation = Notation(notation)
    items = tuple(
        TicketItem(
            name=item.catalog_name,
            teeth_text=format_teeth(item.teeth, notation) if item.teeth else "",
            material=item.material,
            shade=item.shade or "",
            notes=item.notes,
        )
        for item in case.items
    )
    return TicketContent(
        lab_name=lab_name,
        number=case.number,
        rush=case.rush,
        patient=patient_label(
            case.share_patient_name, case.patient_name, case.patient_initials, case.patient_ref
        ),
        clinic=case.clinic_name,
        dentist=case.dentist_name,
        due=case.due_date,
        expected=case.expected_date,
        items=items,
        teeth=frozenset(tooth for item in case.items for tooth in item.teeth),
        instructions=case.instructions,
        answers=tuple((a.question, a.answer) for a in case.prescription),
        notation=notation,
    )


def label_for(case: Case) -> LabelContent:
    return LabelContent(case.number, case.patient_initials, case.due_date, case.rush)


def date_text(value: date | None) -> str:
    return value.strftime("%a %d %b %Y") if value else "—"
