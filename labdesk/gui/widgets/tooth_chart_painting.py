"""How the tooth chart's pieces look: teeth, bridges, marks, orientation and legend swatches.

The widget decides *what* a tooth shows (a :class:`ToothLook`: its fill, outline, marks);
this module only draws it. All colours that are not a restoration kind's come from the
widget's palette through :class:`Ink`, so the chart follows light and dark themes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QTransform,
)

from labdesk.domain import teeth
from labdesk.gui.widgets.tooth_chart_geometry import ToothShape


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved towards ``b`` by ``t`` (0 is ``a``, 1 is ``b``)."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


@dataclass(frozen=True)
class Ink:
    """The theme's colours; ``ink(t)`` is the text colour faded towards the background."""

    base: QColor
    text: QColor
    highlight: QColor
    highlighted_text: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> Ink:
        role = QPalette.ColorRole
        return cls(
            palette.color(role.Base),
            palette.color(role.Text),
            palette.color(role.Highlight),
            palette.color(role.HighlightedText),
        )

    def __call__(self, t: float = 1.0) -> QColor:
        return blend(self.base, self.text, t)


@dataclass(frozen=True)
class ToothLook:
    """What one tooth (or a legend swatch) shows."""

    fills: tuple[QColor, ...]  # several side by side along the arch
    outline: QColor | None
    outline_width: float = 1.3
    dashed: bool = False
    details: QColor | None = None  # ridges and fissures; None hides them
    hatched: bool = False  # a pontic
    crossed: bool = False  # an extraction
    implant: bool = False
    focused: bool = False


_HATCH = QColor(255, 255, 255, 190)


def paint_tooth(painter: QPainter, shape: ToothShape, look: ToothLook, ink: Ink) -> None:
    _fill(painter, shape.outline, look.fills, shape.along, shape.centre)
    if look.hatched:
        hatch(painter, shape.outline, _HATCH)
    if look.details is not None:
        width = max(0.8, shape.width * 0.03)
        painter.setPen(_round_pen(look.details, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(shape.details)
    size = min(shape.width, shape.depth)
    if look.crossed:
        paint_cross(painter, shape.centre, size * 0.42, ink(0.9))
    if look.implant:
        paint_implant(painter, shape.centre, size * 0.2)
    if look.outline is not None:
        pen = QPen(look.outline, look.outline_width)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if look.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(shape.outline)
    if look.focused:
        stroker = QPainterPathStroker()
        stroker.setWidth(7.0)
        stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        ring = stroker.createStroke(shape.outline).united(shape.outline).simplified()
        painter.setPen(QPen(ink.highlight, 1.5, Qt.PenStyle.DotLine))
        painter.drawPath(ring)


def _round_pen(colour: QColor, width: float) -> QPen:
    return QPen(
        colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )


def _fill(
    painter: QPainter,
    outline: QPainterPath,
    fills: Sequence[QColor],
    along: QPointF,
    centre: QPointF,
) -> None:
    """One colour fills the outline; several share it in bands across the arch."""
    if not fills:
        return
    painter.setPen(Qt.PenStyle.NoPen)
    if len(fills) == 1:
        painter.setBrush(fills[0])
        painter.drawPath(outline)
        return
    painter.save()
    painter.setClipPath(outline)
    bounds = outline.boundingRect()
    size = max(bounds.width(), bounds.height())
    turn = QTransform().rotateRadians(math.atan2(along.y(), along.x()))
    place = turn * QTransform.fromTranslate(centre.x(), centre.y())
    for i, colour in enumerate(fills):
        band = QPainterPath()
        band.addRect(
            QRectF(-size + 2 * size * i / len(fills), -size, 2 * size / len(fills), 2 * size)
        )
        painter.setBrush(colour)
        painter.drawPath(place.map(band))
    painter.restore()


def hatch(painter: QPainter, outline: QPainterPath, colour: QColor) -> None:
    """Diagonal hatching: the pontic of a bridge, a tooth with nothing underneath."""
    painter.save()
    painter.setClipPath(outline)
    painter.setPen(QPen(colour, 1.3))
    bounds = outline.boundingRect()
    step = max(3.5, min(bounds.width(), bounds.height()) / 5)
    x = bounds.left() - bounds.height()
    while x < bounds.right():
        painter.drawLine(QPointF(x, bounds.bottom()), QPointF(x + bounds.height(), bounds.top()))
        x += step
    painter.restore()


def paint_cross(painter: QPainter, centre: QPointF, radius: float, colour: QColor) -> None:
    """An extraction, marked the way it is on paper: a cross over the tooth."""
    painter.setPen(_round_pen(colour, max(1.5, radius * 0.22)))
    painter.drawLine(centre + QPointF(-radius, -radius), centre + QPointF(radius, radius))
    painter.drawLine(centre + QPointF(-radius, radius), centre + QPointF(radius, -radius))


def paint_implant(painter: QPainter, centre: QPointF, radius: float) -> None:
    """An implant's screw head seen from above: a metal disc with a hex socket."""
    painter.setPen(QPen(QColor("#1B1B1B"), 1.0))
    painter.setBrush(QColor("#5A6470"))
    painter.drawEllipse(centre, radius * 1.25, radius * 1.25)
    hexagon = QPainterPath()
    for i in range(6):
        angle = math.radians(60 * i)
        point = centre + QPointF(math.cos(angle), math.sin(angle)) * (radius * 0.6)
        if i == 0:
            hexagon.moveTo(point)
        else:
            hexagon.lineTo(point)
    hexagon.closeSubpath()
    painter.setBrush(QColor("#E8EAED"))
    painter.drawPath(hexagon)


def paint_bridge(painter: QPainter, units: Sequence[ToothShape], colour: QColor) -> None:
    """A bridge span as one piece: its teeth joined by a band, with one contour around all."""
    line = QPainterPath(units[0].centre)
    for shape in units[1:]:
        line.lineTo(shape.centre)
    stroker = QPainterPathStroker()
    stroker.setWidth(min(shape.depth for shape in units) * 0.5)
    stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
    stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    piece = stroker.createStroke(line)
    for shape in units:
        piece = piece.united(shape.outline)
    painter.setPen(_round_pen(colour, 5.0))
    painter.setBrush(colour)
    painter.drawPath(piece.simplified())


def paint_orientation(
    painter: QPainter,
    ink: Ink,
    font: QFont,
    shapes: Sequence[ToothShape],
    labels: Sequence[QRectF],
    caption: tuple[str, QRectF] | None = None,
) -> None:
    """One oval's dashed midline, occlusal line and the patient's R and L, as on paper."""
    upper = [s for s in shapes if teeth.arch(s.fdi) == "upper"]
    lower = [s for s in shapes if teeth.arch(s.fdi) == "lower"]
    middle_x = (upper[len(upper) // 2 - 1].centre.x() + upper[len(upper) // 2].centre.x()) / 2
    middle_y = (
        max(s.outline.boundingRect().bottom() for s in upper)
        + min(s.outline.boundingRect().top() for s in lower)
    ) / 2
    top, bottom = min(r.top() for r in labels), max(r.bottom() for r in labels)
    left, right = min(r.left() for r in labels), max(r.right() for r in labels)
    painter.setPen(QPen(ink(0.25), 1.0, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(middle_x, top), QPointF(middle_x, bottom))
    painter.drawLine(QPointF(left + 20, middle_y), QPointF(right - 20, middle_y))
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.setPen(ink(0.55))
    box = QRectF(0, 0, 20, 20)
    for text, x in (("R", left + 8), ("L", right - 8)):
        box.moveCenter(QPointF(x, middle_y))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    if caption is not None:
        painter.setPen(ink(0.7))
        painter.drawText(caption[1], Qt.AlignmentFlag.AlignCenter, caption[0])


def paint_swatch(painter: QPainter, box: QRectF, look: ToothLook, ink: Ink) -> None:
    """A legend key: a rounded square that looks like the teeth it stands for."""
    if not look.fills and look.outline is None:  # a mark alone, drawn as large as a key
        if look.implant:
            paint_implant(painter, box.center(), box.width() * 0.36)
        return
    path = QPainterPath()
    path.addRoundedRect(box, 3, 3)
    shape = ToothShape(0, path, QPainterPath(), box.center(), QPointF(0, -1), QPointF(1, 0),
                       box.height() * 0.9, box.width() * 0.9)  # fmt: skip
    paint_tooth(painter, shape, look, ink)


def paint_legend(
    painter: QPainter,
    rect: QRectF,
    entries: Sequence[tuple[str, ToothLook]],
    font: QFont,
    ink: Ink,
    per_column: int,
) -> None:
    """A key of swatches and texts, one a line, in columns of ``per_column`` lines."""
    metrics = QFontMetricsF(font)
    line = metrics.height() * 1.5
    swatch = metrics.height() * 1.1
    columns = math.ceil(len(entries) / per_column)
    column_w = rect.width() / columns
    for i, (text, look) in enumerate(entries):
        x = rect.left() + column_w * (i // per_column)
        y = rect.top() + metrics.height() * 0.4 + line * (i % per_column)
        box = QRectF(x, y + (line - swatch) / 2, swatch, swatch)
        paint_swatch(painter, box, look, ink)
        painter.setFont(font)
        painter.setPen(ink(0.9))
        text_rect = QRectF(box.right() + swatch * 0.6, y, column_w - swatch * 1.6, line)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, text)
