"""The tooth chart: both arches drawn the way dental people read them, to show or pick teeth.

Display mode shows a case's items on the teeth (colour by restoration kind, bridges as one
unit, pontics, implants, missing teeth, conflicts in red); selection mode lets the user pick
teeth with the mouse or the keyboard. Teeth are FDI integers throughout; labels, names and
ranges come from :mod:`labdesk.domain.teeth`, conflicts from
:func:`labdesk.domain.restorations.conflicting_teeth`, so no notation rule lives here.

What each tooth shows and says is decided in :mod:`labdesk.gui.widgets.tooth_chart_looks`.
Run ``python -m labdesk.gui.widgets.tooth_chart_preview`` for a standalone preview.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Final

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import QToolTip, QWhatsThis, QWidget

from labdesk.domain import teeth
from labdesk.domain.restorations import (
    RestorationKind,
    ToothConflict,
    ToothWork,
    conflicting_teeth,
)
from labdesk.domain.teeth import Notation
from labdesk.gui.widgets.tooth_chart_geometry import (
    TITLE_ROOM,
    ChartPart,
    Dentition,
    ToothShape,
    chart_bounds,
    dentition_for,
    label_rect,
    map_shapes,
    place_chart,
    row_of,
    rows_for,
    step_across,
    step_along,
)
from labdesk.gui.widgets.tooth_chart_looks import KIND_COLOURS, ChartContent
from labdesk.gui.widgets.tooth_chart_painting import (
    Ink,
    ToothLook,
    paint_bridge,
    paint_legend,
    paint_orientation,
    paint_tooth,
)

__all__ = ["KIND_COLOURS", "ChartMode", "Dentition", "ToothChart", "dentition_for"]


class ChartMode(StrEnum):
    DISPLAY = "display"
    SELECTION = "selection"


# From the anatomical arch to a shallow one for wide, short places; roundest that fits wins.
_FLATNESS: Final = (1.0, 0.8, 0.62, 0.48, 0.36)
_USAGE: Final = (
    "Click a tooth to select it, Shift-click to select the run along the arch, drag across "
    "teeth to select several. Arrow keys move along the arch (Up and Down change arch), "
    "Space selects, Home and End jump to the ends."
)


class ToothChart(QWidget):
    """Both arches of a dentition; shows a case's work or lets the user choose teeth."""

    selection_changed = Signal(list)  # FDI numbers in chart order

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        notation: Notation | str = Notation.FDI,
        dentition: Dentition | str = Dentition.PERMANENT,
        mode: ChartMode | str = ChartMode.SELECTION,
    ) -> None:
        super().__init__(parent)
        self._notation = Notation(notation)
        self._dentition = Dentition(dentition)
        self._mode = ChartMode(mode)
        self._selected: set[int] = set()
        self._work: tuple[ToothWork, ...] = ()
        self._missing: frozenset[int] = frozenset()
        self._conflicts: dict[int, ToothConflict] = {}
        self._shapes: dict[int, ToothShape] = {}
        self._labels: dict[int, str] = {}
        self._label_rects: dict[int, QRectF] = {}
        self._legend_rect = QRectF()
        self._legend_per_column = 1
        self._parts: list[tuple[str, QRectF, tuple[int, ...]]] = []  # title, widget rect, teeth
        self._title_height = 0.0
        self._label_font = QFont()
        self._focus: int = self._rows()[0][0]
        self._anchor: int | None = None
        self._hover: int | None = None
        self._drag_state: bool | None = None
        self._drag_last: int | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName("Tooth chart")
        self.setWhatsThis(_USAGE)
        self._relabel()
        self._relayout()

    # -- public API -------------------------------------------------------------------------

    def notation(self) -> Notation:
        return self._notation

    def set_notation(self, notation: Notation | str) -> None:
        """Relabel every tooth at once; the selection and the work stay as they are."""
        self._notation = Notation(notation)
        self._relabel()
        self._relayout()

    def dentition(self) -> Dentition:
        return self._dentition

    def set_dentition(self, dentition: Dentition | str) -> None:
        """Show other rows of teeth; selected teeth that are no longer shown are dropped."""
        self._dentition = Dentition(dentition)
        shown = set(self.visible_teeth())
        if self._focus not in shown:
            self._focus = self._rows()[0][0]
        self._anchor = self._anchor if self._anchor in shown else None
        self._relabel()
        self._relayout()
        self._change_selection(self._selected & shown)

    def mode(self) -> ChartMode:
        return self._mode

    def set_mode(self, mode: ChartMode | str) -> None:
        self._mode = ChartMode(mode)
        self._drag_state = None
        self._relayout()

    def set_work(self, items: Sequence[ToothWork], missing: Iterable[int] = ()) -> None:
        """The case's items and missing teeth, drawn in display mode."""
        missing = frozenset(missing)
        for fdi in missing:
            if not teeth.is_valid(fdi):
                raise ValueError(f"{fdi!r} is not an FDI tooth number")
        self._work = tuple(items)
        self._missing = missing
        self._conflicts = conflicting_teeth(self._work)
        self._relayout()

    def work(self) -> tuple[ToothWork, ...]:
        return self._work

    def conflicts(self) -> dict[int, ToothConflict]:
        """Teeth drawn in red, with the domain's explanation."""
        return dict(self._conflicts)

    def selection(self) -> list[int]:
        return [fdi for fdi in teeth.ALL_TEETH if fdi in self._selected]

    def set_selection(self, fdis: Iterable[int]) -> None:
        """Select exactly ``fdis``; emits ``selection_changed`` when that changes anything."""
        chosen = set(fdis)
        shown = set(self.visible_teeth())
        for fdi in chosen:
            if not teeth.is_valid(fdi):
                raise ValueError(f"{fdi!r} is not an FDI tooth number")
            if fdi not in shown:
                raise ValueError(f"tooth {fdi} is not shown in the {self._dentition} dentition")
        self._change_selection(chosen)

    def clear(self) -> None:
        self._change_selection(set())

    def visible_teeth(self) -> tuple[int, ...]:
        """The teeth drawn, row by row from the top, each from the viewer's left."""
        return tuple(fdi for row in self._rows() for fdi in row)

    def focused_tooth(self) -> int:
        """The tooth the keyboard acts on."""
        return self._focus

    def tooth_center(self, fdi: int) -> QPointF:
        """The tooth's centre in widget coordinates (where a click lands on it)."""
        return QPointF(self._shape(fdi).centre)

    def tooth_path(self, fdi: int) -> QPainterPath:
        """The tooth's outline in widget coordinates."""
        return QPainterPath(self._shape(fdi).outline)

    def tooth_at(self, pos: QPointF) -> int | None:
        """The tooth whose outline contains ``pos`` (widget coordinates), if any."""
        point = QPointF(pos)
        for fdi, shape in self._shapes.items():
            if shape.outline.contains(point):
                return fdi
        return None

    def label_for(self, fdi: int) -> str:
        """The label drawn next to the tooth, in the current notation."""
        self._shape(fdi)
        return self._labels[fdi]

    def tooltip_for(self, fdi: int) -> str:
        """Name, all three notations and what the case does with the tooth."""
        return self._content().tooltip(fdi)

    def sizeHint(self) -> QSize:
        return QSize(720, 460)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 200)

    # -- state ------------------------------------------------------------------------------

    def _rows(self) -> tuple[tuple[int, ...], ...]:
        return rows_for(self._dentition)

    def _shape(self, fdi: int) -> ToothShape:
        try:
            return self._shapes[fdi]
        except KeyError:
            teeth.quadrant(fdi)  # a clear ValueError for a non-tooth
            raise ValueError(
                f"tooth {fdi} is not shown in the {self._dentition} dentition"
            ) from None

    def _content(self) -> ChartContent:
        return ChartContent(
            self._mode is ChartMode.DISPLAY,
            self._work,
            self._missing,
            self._conflicts,
            frozenset(self._selected),
        )

    def _change_selection(self, chosen: set[int]) -> None:
        if chosen == self._selected:
            self.update()
            return
        self._selected = chosen
        self._describe_for_screen_readers()
        self.update()
        self.selection_changed.emit(self.selection())

    def _relabel(self) -> None:
        self._labels = {fdi: teeth.to_label(fdi, self._notation) for fdi in self.visible_teeth()}

    def _describe_for_screen_readers(self) -> None:
        parts = [f"{self._dentition.capitalize()} dentition, {self._notation.upper()} notation"]
        parts += self._content().spoken(self._notation, self.selection())
        if self._focus in self._shapes:
            parts.append(f"current tooth: {self.tooltip_for(self._focus)}")
        self.setAccessibleDescription("; ".join(parts).replace("\n", ", "))

    # -- layout -----------------------------------------------------------------------------

    def _legend_entries(self, ink: Ink | None = None) -> list[tuple[str, str, ToothLook]]:
        """(key, text, look): the restoration kinds and marks the chart shows right now."""
        return self._content().legend(ink or Ink.from_palette(self.palette()))

    def _fit(self, width: float, height: float) -> tuple[list[ChartPart], QRectF, float]:
        """The arch shape that suits the room: anatomical unless that leaves the teeth small."""
        fits = []
        for flatness in _FLATNESS:
            parts = place_chart(self._dentition, flatness)
            model = chart_bounds(parts)
            scale = max(min(width / model.width(), height / model.height()), 0.5)
            fits.append((parts, model, scale))
        best = max(scale for _, _, scale in fits)
        return next(fit for fit in fits if fit[2] >= 0.8 * best)

    def _relayout(self) -> None:
        """Fit the chart (and the legend) into the widget; called whenever either changes."""
        metrics = QFontMetricsF(self.font())
        entries = self._legend_entries()
        rect = QRectF(self.rect()).adjusted(8, 8, -8, -8)
        line, pad = metrics.height() * 1.5, metrics.height() * 0.8
        legend_w = column_w = 0.0
        if entries:  # as many columns as a short widget needs to show every entry
            columns = math.ceil(len(entries) / max(1, int((rect.height() - pad) // line)))
            self._legend_per_column = math.ceil(len(entries) / columns)
            column_w = max(metrics.horizontalAdvance(text) for _, text, _ in entries)
            column_w += metrics.height() * 2.6
            legend_w = columns * column_w
        gap = metrics.height() * 2 if legend_w else 0.0
        room = rect.width() - legend_w - gap
        parts, model, scale = self._fit(room, rect.height())
        # The chart and its legend are centred together, the legend close to the teeth.
        left = rect.left() + (rect.width() - model.width() * scale - gap - legend_w) / 2
        dx = left - model.left() * scale
        dy = rect.center().y() - model.center().y() * scale
        to_widget = QTransform(scale, 0, 0, scale, dx, dy)
        self._title_height = TITLE_ROOM * scale
        places = [place for part in parts for place in part.places]
        self._shapes = {s.fdi: s for s in map_shapes(places, to_widget)}
        self._parts = [
            (part.title, to_widget.mapRect(part.bounds), tuple(p.fdi for p in part.places))
            for part in parts
        ]
        self._label_font = QFont(self.font())
        self._label_font.setPixelSize(max(8, min(16, round(scale * 3.2))))
        label_metrics = QFontMetricsF(self._label_font)
        self._label_rects = {
            fdi: label_rect(
                shape,
                label_metrics.horizontalAdvance(self._labels[fdi]) + 2,
                label_metrics.height(),
                max(2.0, scale * 0.8),
            )
            for fdi, shape in self._shapes.items()
        }
        if entries:
            height = line * self._legend_per_column + pad
            x = left + model.width() * scale + gap
            self._legend_rect = QRectF(x, rect.center().y() - height / 2, legend_w, height)
        else:
            self._legend_rect = QRectF()
        self._describe_for_screen_readers()
        self.update()

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        ink = Ink.from_palette(self.palette())
        painter.fillRect(self.rect(), ink.base)
        for title, part_rect, fdis in self._parts:
            caption = None
            if title:
                caption = (title, QRectF(part_rect.topLeft(), part_rect.topRight()))
                caption[1].setHeight(self._title_height)
            shapes = [self._shapes[fdi] for fdi in fdis]
            labels = [self._label_rects[fdi] for fdi in fdis]
            paint_orientation(painter, ink, self._label_font, shapes, labels, caption)
        if self._mode is ChartMode.DISPLAY:
            for units in self._bridge_units():
                paint_bridge(painter, units, KIND_COLOURS[RestorationKind.BRIDGE])
        content = self._content()
        for fdi, shape in self._shapes.items():
            focused = fdi == self._focus and self.hasFocus()
            look = content.look(fdi, ink, focused=focused, hovered=fdi == self._hover)
            paint_tooth(painter, shape, look, ink)
        self._paint_labels(painter, ink, content)
        if self._legend_rect.isValid():
            entries = [(text, look) for _, text, look in content.legend(ink)]
            per_column = self._legend_per_column
            paint_legend(painter, self._legend_rect, entries, self.font(), ink, per_column)
        painter.end()

    def _bridge_units(self) -> list[list[ToothShape]]:
        """The teeth of each bridge span, in arch order (a span never leaves its arch)."""
        spans = []
        for item in self._work:
            if item.kind is RestorationKind.BRIDGE:
                units = set(item.teeth) | set(item.pontics)
                for row in self._rows():
                    run = [self._shapes[fdi] for fdi in row if fdi in units]
                    if len(run) > 1:
                        spans.append(run)
        return spans

    def _paint_labels(self, painter: QPainter, ink: Ink, content: ChartContent) -> None:
        for fdi, rect in self._label_rects.items():
            font = QFont(self._label_font)
            colour, bold = content.label_style(fdi, ink)
            font.setBold(bold)
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._labels[fdi])

    # -- events -----------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def changeEvent(self, event: QEvent) -> None:
        """Follow theme and font changes (light/dark switch, system font size)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._relayout()
        elif event.type() == QEvent.Type.PaletteChange:
            self.update()

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.update()  # the focus ring comes and goes
        elif event.type() in (QEvent.Type.ToolTip, QEvent.Type.WhatsThis) and isinstance(
            event, QHelpEvent
        ):
            fdi = self.tooth_at(QPointF(event.pos()))
            if fdi is None:
                if event.type() == QEvent.Type.WhatsThis:
                    return super().event(event)
                QToolTip.hideText()
                event.ignore()
                return True
            text = self.tooltip_for(fdi)
            if event.type() == QEvent.Type.ToolTip:
                rect = self._shapes[fdi].outline.boundingRect().toAlignedRect()
                QToolTip.showText(event.globalPos(), text, self, rect)
            else:
                QWhatsThis.showText(event.globalPos(), f"{text}\n\n{_USAGE}", self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        fdi = self.tooth_at(event.position())
        if (
            event.button() != Qt.MouseButton.LeftButton
            or self._mode is not ChartMode.SELECTION
            or fdi is None
        ):
            super().mousePressEvent(event)
            return
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._set_focus_tooth(fdi)
        if shift and self._anchor is not None and self._same_row(self._anchor, fdi):
            self._change_selection(self._selected | set(teeth.teeth_between(self._anchor, fdi)))
            self._drag_state = True
        else:
            self._anchor = fdi
            self._drag_state = fdi not in self._selected
            self._change_selection(self._selected ^ {fdi})
        self._drag_last = fdi
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        fdi = self.tooth_at(event.position())
        if fdi != self._hover:
            self._hover = fdi
            cursor = Qt.CursorShape.PointingHandCursor
            clickable = fdi is not None and self._mode is ChartMode.SELECTION
            self.setCursor(cursor if clickable else Qt.CursorShape.ArrowCursor)
            self.update()
        if self._drag_state is None or fdi is None or fdi == self._drag_last:
            return
        # A fast drag skips teeth; fill the run along the arch from the last one painted.
        last = self._drag_last
        same_row = last is not None and self._same_row(last, fdi)
        run = teeth.teeth_between(last, fdi) if last is not None and same_row else [fdi]
        chosen = set(self._selected)
        if self._drag_state:
            chosen |= set(run)
        else:
            chosen -= set(run)
        self._drag_last = fdi
        self._set_focus_tooth(fdi)
        self._change_selection(chosen)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_state = None
        self._drag_last = None
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        rows = self._rows()
        row = row_of(rows, self._focus)
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Left):
            target = step_along(rows, self._focus, 1 if key == Qt.Key.Key_Right else -1)
        elif key == Qt.Key.Key_Home:
            target = row[0]
        elif key == Qt.Key.Key_End:
            target = row[-1]
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            target = step_across(rows, self._focus, -1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_Space and self._mode is ChartMode.SELECTION:
            self._anchor = self._focus
            self._change_selection(self._selected ^ {self._focus})
            return
        else:
            super().keyPressEvent(event)
            return
        if (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            and self._mode is ChartMode.SELECTION
        ):
            self._change_selection(
                self._selected | set(teeth.teeth_between(self._focus, target))
                if self._same_row(self._focus, target)
                else self._selected
            )
        self._set_focus_tooth(target)

    # -- helpers ----------------------------------------------------------------------------

    def _set_focus_tooth(self, fdi: int) -> None:
        if fdi != self._focus:
            self._focus = fdi
            self._describe_for_screen_readers()
            self.update()

    def _same_row(self, first: int, second: int) -> bool:
        return second in row_of(self._rows(), first)
