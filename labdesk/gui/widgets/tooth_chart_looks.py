"""What the tooth chart shows and says about each tooth: colour by restoration kind, conflicts
in red, missing teeth dashed, the selection highlighted, the legend, the tooltip.

These are decisions about a tooth, not about painting or layout: given what the chart holds
(:class:`ChartContent`) and the theme's colours (:class:`Ink`), they answer the same on screen,
in the legend and for a screen reader. The widget (:mod:`labdesk.gui.widgets.tooth_chart`)
asks them; the painter (:mod:`labdesk.gui.widgets.tooth_chart_painting`) draws the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from PySide6.QtGui import QColor

from labdesk.domain import teeth
from labdesk.domain.restorations import KIND_LABELS, RestorationKind, ToothConflict, ToothWork
from labdesk.domain.teeth import Notation
from labdesk.gui.widgets.tooth_chart_painting import Ink, ToothLook, blend

# Distinguishable for common colour blindness (Okabe-Ito based) and on light or dark
# backgrounds. Red is kept for conflicts only.
KIND_COLOURS: Final[dict[RestorationKind, QColor]] = {
    RestorationKind.CROWN: QColor("#E69F00"),
    RestorationKind.BRIDGE: QColor("#0072B2"),
    RestorationKind.VENEER: QColor("#CC79A7"),
    RestorationKind.INLAY_ONLAY: QColor("#009E73"),
    RestorationKind.IMPLANT_CROWN: QColor("#56B4E9"),
    RestorationKind.DENTURE: QColor("#F0E442"),
    RestorationKind.NIGHT_GUARD: QColor("#9A7FC8"),
    RestorationKind.EXTRACTION: QColor("#8C6D52"),
}
CONFLICT_COLOUR: Final = QColor("#D62728")


@dataclass(frozen=True)
class ChartContent:
    """What the chart holds right now: a case's work (display mode) or chosen teeth."""

    display: bool  # showing a case's work; otherwise picking teeth
    work: tuple[ToothWork, ...] = ()
    missing: frozenset[int] = frozenset()
    conflicts: Mapping[int, ToothConflict] | None = None
    selected: frozenset[int] = frozenset()

    def items_on(self, fdi: int) -> list[ToothWork]:
        return [item for item in self.work if fdi in item.teeth or fdi in item.pontics]

    def conflict(self, fdi: int) -> ToothConflict | None:
        return (self.conflicts or {}).get(fdi)

    def look(self, fdi: int, ink: Ink, *, focused: bool, hovered: bool) -> ToothLook:
        """What the tooth shows, in order of importance: conflict, work, missing, selection."""
        display = self.display
        items = self.items_on(fdi) if display else []
        marks = {
            "crossed": any(item.kind is RestorationKind.EXTRACTION for item in items),
            "implant": any(item.kind is RestorationKind.IMPLANT_CROWN for item in items),
            "focused": focused,
        }
        if display and self.conflict(fdi) is not None:
            fill = blend(ink.base, CONFLICT_COLOUR, 0.8)
            outline = CONFLICT_COLOUR.darker(130)
            return ToothLook((fill,), outline, 2.6, details=QColor(255, 255, 255, 170), **marks)
        if items:
            fills = tuple(KIND_COLOURS[kind] for kind in dict.fromkeys(i.kind for i in items))
            hatched = any(fdi in item.pontics for item in items)
            return ToothLook(fills, ink(0.85), details=QColor(0, 0, 0, 110), hatched=hatched,
                             **marks)  # fmt: skip
        if fdi in self.missing:
            return ToothLook((ink(0.12),), ink(0.4), 1.1, dashed=True, focused=focused)
        if not display and fdi in self.selected:
            details = QColor(ink.highlighted_text)
            details.setAlphaF(0.6)
            return ToothLook((ink.highlight,), ink.highlight.darker(150), 1.6, details=details,
                             focused=focused)  # fmt: skip
        fill = ink(0.05)
        if not display and hovered:
            fill = blend(fill, ink.highlight, 0.25)
        return ToothLook((fill,), ink(0.85), details=ink(0.45), focused=focused)

    def label_style(self, fdi: int, ink: Ink) -> tuple[QColor, bool]:
        """The colour of the tooth's label and whether it is bold."""
        if self.display and self.conflict(fdi) is not None:
            return CONFLICT_COLOUR, True
        if fdi in self.missing and not (self.display and self.items_on(fdi)):
            return ink(0.4), False
        if not self.display and fdi in self.selected:
            return ink.highlight, True
        return ink(0.85), False

    def legend(self, ink: Ink) -> list[tuple[str, str, ToothLook]]:
        """(key, text, look): the restoration kinds and marks the chart shows right now."""
        if not self.display:
            return []
        line = ink(0.7)
        entries = [
            (kind.value, KIND_LABELS[kind], ToothLook((KIND_COLOURS[kind],), line,
                                                      crossed=kind is RestorationKind.EXTRACTION))
            for kind in RestorationKind
            if any(item.kind is kind for item in self.work)
        ]  # fmt: skip
        bridge = KIND_COLOURS[RestorationKind.BRIDGE]
        if any(item.pontics for item in self.work):
            entries.append(("pontic", "Pontic", ToothLook((bridge,), line, hatched=True)))
        if any(item.kind is RestorationKind.IMPLANT_CROWN for item in self.work):
            entries.append(("implant", "Implant", ToothLook((), None, implant=True)))
        if self.missing:
            missing = ToothLook((ink(0.12),), ink(0.4), 1.0, dashed=True)
            entries.append(("missing", "Missing tooth", missing))
        if self.conflicts:
            conflict = ToothLook((blend(ink.base, CONFLICT_COLOUR, 0.8),),
                                 CONFLICT_COLOUR.darker(130), 2.0)  # fmt: skip
            entries.append(("conflict", "Conflict (see tooltip)", conflict))
        return entries

    def tooltip(self, fdi: int) -> str:
        """Name, all three notations and what the case does with the tooth."""
        lines = [teeth.describe(fdi)]
        if self.display:
            for item in self.items_on(fdi):
                text = item.label or KIND_LABELS[item.kind]
                if fdi in item.pontics:
                    text += " (pontic)"
                lines.append(text)
            if fdi in self.missing:
                lines.append("Missing")
            conflict = self.conflict(fdi)
            if conflict is not None:
                lines.append(f"Conflict: {conflict.explanation}")
        elif fdi in self.selected:
            lines.append("Selected")
        return "\n".join(lines)

    def spoken(self, notation: Notation, selection: list[int]) -> list[str]:
        """What a screen reader says about the content (``selection`` in chart order)."""
        if not self.display:
            return [f"selected teeth: {teeth.format_teeth(selection, notation) or 'none'}"]
        parts = []
        for item in self.work:
            where = teeth.format_teeth(list(item.teeth), notation)
            parts.append(f"{item.label or KIND_LABELS[item.kind]} on {where}")
        if self.missing:
            parts.append(f"missing: {teeth.format_teeth(list(self.missing), notation)}")
        for conflict in (self.conflicts or {}).values():
            parts.append(f"conflict: {conflict.explanation}")
        return parts
