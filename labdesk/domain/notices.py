"""What the dentist is told when the lab rejects, holds or ships a case.

The portal sends these texts (e-mail, and SMS for a hold); the workstation shows the very same
text as a preview before a reviewer rejects ("exactly what the clinic will read").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Notice:
    subject: str
    body: str


def rejection(case_number: str, patient_ref: str, reason: str, note: str | None) -> Notice:
    body = f"The lab rejected case {case_number} ({patient_ref}): {reason}."
    if note and note.strip():
        body += f"\n\nNote from the lab: {note.strip()}"
    body += "\n\nCorrect the case and resubmit it in the portal."
    return Notice(f"Case {case_number} was rejected", body)


def hold(case_number: str, patient_ref: str, reason: str, note: str | None) -> Notice:
    body = f"Case {case_number} ({patient_ref}) is on hold: {reason}."
    if note and note.strip():
        body += f" {note.strip()}"
    body += " Please contact the lab."
    return Notice(f"Case {case_number} is on hold", body)


def shipped(
    case_number: str,
    patient_ref: str,
    carrier: str,
    tracking_number: str,
    expected_delivery: date | None,
) -> Notice:
    body = (
        f"Case {case_number} ({patient_ref}) has shipped with {carrier}, "
        f"tracking number {tracking_number}."
    )
    if expected_delivery:
        body += f" Expected delivery: {expected_delivery.isoformat()}."
    return Notice(f"Case {case_number} has shipped", body)
