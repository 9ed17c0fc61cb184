"""Teeth: stored as FDI (ISO 3950) numbers, shown in the user's notation.

This module is the only place where tooth notation rules live. Everything else passes FDI
integers around and asks here for labels, names and ranges.

Notations:
- ``fdi``: two digits, quadrant then position (``18`` upper right third molar, ``55`` upper
  right primary second molar).
- ``universal`` (ADA): permanent teeth 1-32 from the upper right third molar clockwise (as
  the dentist faces the patient) to the lower right third molar; primary teeth A-T in the same
  order.
- ``palmer``: quadrant (``UR``, ``UL``, ``LL``, ``LR``) plus 1-8 for permanent teeth or A-E
  for primary teeth, written as text (``UR8``, ``URE``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Notation(StrEnum):
    FDI = "fdi"
    UNIVERSAL = "universal"
    PALMER = "palmer"


class ToothType(StrEnum):
    INCISOR = "incisor"
    CANINE = "canine"
    PREMOLAR = "premolar"
    MOLAR = "molar"


# Each arch as seen on a dental chart: from the patient's right (viewer's left) to the
# patient's left.
UPPER_PERMANENT: Final = (18, 17, 16, 15, 14, 13, 12, 11, 21, 22, 23, 24, 25, 26, 27, 28)
LOWER_PERMANENT: Final = (48, 47, 46, 45, 44, 43, 42, 41, 31, 32, 33, 34, 35, 36, 37, 38)
UPPER_PRIMARY: Final = (55, 54, 53, 52, 51, 61, 62, 63, 64, 65)
LOWER_PRIMARY: Final = (85, 84, 83, 82, 81, 71, 72, 73, 74, 75)

PERMANENT: Final = UPPER_PERMANENT + LOWER_PERMANENT
PRIMARY: Final = UPPER_PRIMARY + LOWER_PRIMARY
ALL_TEETH: Final = PERMANENT + PRIMARY

# Universal numbering runs clockwise: upper arch right to left, then lower arch left to right.
_UNIVERSAL_PERMANENT: Final = UPPER_PERMANENT + tuple(reversed(LOWER_PERMANENT))
_UNIVERSAL_PRIMARY: Final = UPPER_PRIMARY + tuple(reversed(LOWER_PRIMARY))
_PRIMARY_LETTERS: Final = "ABCDEFGHIJKLMNOPQRST"

_FDI_TO_UNIVERSAL: Final[dict[int, str]] = {
    **{fdi: str(i + 1) for i, fdi in enumerate(_UNIVERSAL_PERMANENT)},
    **{fdi: _PRIMARY_LETTERS[i] for i, fdi in enumerate(_UNIVERSAL_PRIMARY)},
}
_UNIVERSAL_TO_FDI: Final[dict[str, int]] = {v: k for k, v in _FDI_TO_UNIVERSAL.items()}

_PALMER_QUADRANT: Final = {1: "UR", 2: "UL", 3: "LL", 4: "LR", 5: "UR", 6: "UL", 7: "LL", 8: "LR"}
_PALMER_PRIMARY_POSITIONS: Final = "ABCDE"

_POSITION_NAMES_PERMANENT: Final = {
    1: "central incisor",
    2: "lateral incisor",
    3: "canine",
    4: "first premolar",
    5: "second premolar",
    6: "first molar",
    7: "second molar",
    8: "third molar",
}
_POSITION_NAMES_PRIMARY: Final = {
    1: "central incisor",
    2: "lateral incisor",
    3: "canine",
    4: "first molar",
    5: "second molar",
}
_VALID: Final = frozenset(ALL_TEETH)


def _check(fdi: int) -> int:
    if isinstance(fdi, bool) or not isinstance(fdi, int) or fdi not in _VALID:
        raise ValueError(
            f"{fdi!r} is not a tooth in FDI notation "
            "(permanent 11-18, 21-28, 31-38, 41-48; primary 51-55, 61-65, 71-75, 81-85)"
        )
    return fdi


def is_valid(fdi: object) -> bool:
    return isinstance(fdi, int) and not isinstance(fdi, bool) and fdi in _VALID


def quadrant(fdi: int) -> int:
    """FDI quadrant 1-8 (5-8 are the primary quadrants)."""
    return _check(fdi) // 10


def position(fdi: int) -> int:
    """Position from the midline, 1 (central incisor) to 8 (third molar) or 5 (primary)."""
    return _check(fdi) % 10


def is_primary(fdi: int) -> bool:
    return quadrant(fdi) >= 5


def arch(fdi: int) -> str:
    """``"upper"`` or ``"lower"``."""
    return "upper" if quadrant(fdi) in (1, 2, 5, 6) else "lower"


def side(fdi: int) -> str:
    """The patient's side: ``"right"`` or ``"left"``."""
    return "right" if quadrant(fdi) in (1, 4, 5, 8) else "left"


def tooth_type(fdi: int) -> ToothType:
    pos = position(fdi)
    if pos <= 2:
        return ToothType.INCISOR
    if pos == 3:
        return ToothType.CANINE
    if is_primary(fdi) or pos >= 6:
        return ToothType.MOLAR
    return ToothType.PREMOLAR


def name(fdi: int) -> str:
    """The tooth's name as a dental technician says it: ``"upper right first molar"``."""
    pos = position(fdi)
    if is_primary(fdi):
        return f"{arch(fdi)} {side(fdi)} primary {_POSITION_NAMES_PRIMARY[pos]}"
    return f"{arch(fdi)} {side(fdi)} {_POSITION_NAMES_PERMANENT[pos]}"


def to_label(fdi: int, notation: Notation | str) -> str:
    """The tooth's label in ``notation`` (``"fdi"``, ``"universal"`` or ``"palmer"``)."""
    _check(fdi)
    match _notation(notation):
        case Notation.FDI:
            return str(fdi)
        case Notation.UNIVERSAL:
            return _FDI_TO_UNIVERSAL[fdi]
        case Notation.PALMER:
            pos = position(fdi)
            mark = _PALMER_PRIMARY_POSITIONS[pos - 1] if is_primary(fdi) else str(pos)
            return _PALMER_QUADRANT[quadrant(fdi)] + mark


def parse(label: str, notation: Notation | str) -> int:
    """The FDI number of ``label`` written in ``notation``; ``ValueError`` if it is no tooth."""
    chosen = _notation(notation)
    text = label.strip().upper().replace(" ", "") if isinstance(label, str) else ""
    if not text:
        raise ValueError(f"no tooth given (empty {chosen.value} label)")
    match chosen:
        case Notation.FDI:
            if text.isdigit() and len(text) == 2 and int(text) in _VALID:
                return int(text)
            raise ValueError(
                f"{label!r} is not an FDI tooth number "
                "(permanent 11-18, 21-28, 31-38, 41-48; primary 51-55, 61-65, 71-75, 81-85)"
            )
        case Notation.UNIVERSAL:
            key = str(int(text)) if text.isdigit() else text
            if key in _UNIVERSAL_TO_FDI:
                return _UNIVERSAL_TO_FDI[key]
            raise ValueError(
                f"{label!r} is not a Universal tooth number (permanent 1-32, primary A-T)"
            )
        case Notation.PALMER:
            quad, mark = text[:2], text[2:]
            if quad in ("UR", "UL", "LL", "LR") and len(mark) == 1:
                base = {"UR": 1, "UL": 2, "LL": 3, "LR": 4}[quad]
                if mark in "12345678":
                    return base * 10 + int(mark)
                if mark in _PALMER_PRIMARY_POSITIONS:
                    return (base + 4) * 10 + _PALMER_PRIMARY_POSITIONS.index(mark) + 1
            raise ValueError(
                f"{label!r} is not a Palmer tooth "
                "(quadrant UR, UL, LL or LR followed by 1-8, or A-E for primary teeth)"
            )
    raise AssertionError("unreachable")  # pragma: no cover


def describe(fdi: int) -> str:
    """Name and all three notations, for tooltips and screen readers."""
    return (
        f"{name(fdi)[0].upper()}{name(fdi)[1:]} — FDI {to_label(fdi, Notation.FDI)} · "
        f"Universal {to_label(fdi, Notation.UNIVERSAL)} · "
        f"Palmer {to_label(fdi, Notation.PALMER)}"
    )


def arch_sequence(fdi: int) -> tuple[int, ...]:
    """The row ``fdi`` sits in on a chart: its arch and dentition, patient's right to left."""
    if arch(fdi) == "upper":
        return UPPER_PRIMARY if is_primary(fdi) else UPPER_PERMANENT
    return LOWER_PRIMARY if is_primary(fdi) else LOWER_PERMANENT


def teeth_between(first: int, last: int) -> list[int]:
    """The teeth from ``first`` to ``last`` inclusive, following the arch through the midline.

    ``teeth_between(13, 23) == [13, 12, 11, 21, 22, 23]``. Both teeth must be in the same arch
    and dentition.
    """
    row = arch_sequence(first)
    if _check(last) not in row:
        raise ValueError(
            f"teeth {first} and {last} are not in the same arch and dentition; "
            "a range follows one arch"
        )
    i, j = row.index(first), row.index(last)
    step = 1 if j >= i else -1
    return list(row[i : j + step if j + step >= 0 else None : step])


def format_teeth(teeth: list[int] | tuple[int, ...], notation: Notation | str) -> str:
    """A compact list for tables: runs along the arch become ``13-23`` (in the notation)."""
    chosen = _notation(notation)
    remaining = [t for t in ALL_TEETH if t in set(teeth)]
    parts: list[str] = []
    while remaining:
        start = remaining.pop(0)
        row = arch_sequence(start)
        end = start
        while remaining and row.index(end) + 1 < len(row):
            if remaining[0] != row[row.index(end) + 1]:
                break
            end = remaining.pop(0)
        if end == start:
            parts.append(to_label(start, chosen))
        else:
            parts.append(f"{to_label(start, chosen)}-{to_label(end, chosen)}")
    return ", ".join(parts)


def _notation(notation: Notation | str) -> Notation:
    try:
        return Notation(notation)
    except ValueError:
        raise ValueError(
            f"unknown tooth notation {notation!r}; use 'fdi', 'universal' or 'palmer'"
        ) from None
