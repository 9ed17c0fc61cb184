"""Reason catalogs with stable codes: why a case is rejected, why it is put on hold.

The server owns the catalog it serves (``GET /reference/rejection-reasons``) and serves this
one; the codes are stable because clinics' systems and reports key on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    note_required: bool = False


REJECTION_REASONS: Final[tuple[Reason, ...]] = (
    Reason("incomplete_prescription", "Incomplete or missing prescription details"),
    Reason("unreadable_scan", "Unreadable or incorrect scan files"),
    Reason("missing_opposing_or_bite", "Missing opposing arch or bite registration"),
    Reason("unclear_margin", "Unclear margin"),
    Reason("unsupported_service", "Unsupported service or material"),
    Reason("invalid_timeline", "Invalid delivery timeline"),
    Reason("insufficient_clearance", "Insufficient occlusal clearance"),
    Reason("other", "Other (explain in the note)", note_required=True),
)

HOLD_REASONS: Final[tuple[Reason, ...]] = (
    Reason("unclear_impression", "Unclear impression or scan"),
    Reason("missing_shade", "Missing shade information"),
    Reason("conflicting_teeth", "Conflicting tooth selections"),
    Reason("awaiting_dentist", "Waiting for the dentist's answer"),
    Reason("payment", "Payment or account issue"),
    Reason("other", "Other (explain in the note)", note_required=True),
)

_REJECTION_BY_CODE: Final = {r.code: r for r in REJECTION_REASONS}
_HOLD_BY_CODE: Final = {r.code: r for r in HOLD_REASONS}


def rejection_reason(code: str) -> Reason:
    """The rejection reason with ``code``; ``ValueError`` names the valid codes otherwise."""
    try:
        return _REJECTION_BY_CODE[code]
    except KeyError:
        raise ValueError(
            f"unknown rejection reason {code!r}; valid codes: {', '.join(_REJECTION_BY_CODE)}"
        ) from None


def hold_reason(code: str) -> Reason:
    try:
        return _HOLD_BY_CODE[code]
    except KeyError:
        raise ValueError(
            f"unknown hold reason {code!r}; valid codes: {', '.join(_HOLD_BY_CODE)}"
        ) from None


def check_rejection(code: str | None, note: str | None) -> Reason:
    """Validate a rejection: a known code, and a note when the reason needs one."""
    if not code:
        raise ValueError("a rejection needs a reason")
    reason = rejection_reason(code)
    if reason.note_required and not (note and note.strip()):
        raise ValueError(f"the reason “{reason.label}” needs a note for the clinic")
    return reason
