"""The paper LabDesk prints on, in millimetres (no Qt: the settings and the command line name
these sizes too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class PaperSize:
    key: str
    title: str
    width_mm: float
    height_mm: float


TICKET_SIZES: Final = {
    "a5": PaperSize("a5", "A5", 148.0, 210.0),
    "half-letter": PaperSize("half-letter", "Half letter", 139.7, 215.9),
}
LABEL_SIZES: Final = {
    "62x29mm": PaperSize("62x29mm", "62 × 29 mm label", 62.0, 29.0),
    "4x6in": PaperSize("4x6in", "4 × 6 in label", 101.6, 152.4),
}
