"""How the lab names a patient, under the clinic's sharing rule.

A clinic may keep the patient's name to itself; the lab then sees the initials and the
clinic's reference. One rule for every place a patient is shown (the inbox row built from the
portal's case, the cache's stored row, the dialogs' headline, the bulk list).
"""

from __future__ import annotations


def patient_label(share: bool, name: str | None, initials: str, ref: str) -> str:
    """The name when shared, else ``"initials · reference"``; just the initials when the
    clinic gave no reference (never a dangling separator)."""
    if share and name:
        return name
    return f"{initials} · {ref}" if ref else initials
