"""Geometry of the tooth chart: tooth outlines in occlusal view and where each tooth sits.

Kept apart from the widget so the layout is computed in one place from the widget's size and
can be read without the painting code. Everything is built in a model space in millimetres
and mapped onto the widget with one uniform scale, so teeth are never stretched and stay
vector-crisp at any size and device pixel ratio.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath, QTransform

from labdesk.domain import teeth
from labdesk.domain.teeth import ToothType


class Dentition(StrEnum):
    PERMANENT = "permanent"
    PRIMARY = "primary"
    MIXED = "mixed"


# Rows in the order they are listed: each dentition's upper arch, then its lower arch. The
# permanent oval is drawn first (left), the primary one beside it.
_ROWS: Final = (
    teeth.UPPER_PERMANENT,
    teeth.LOWER_PERMANENT,
    teeth.UPPER_PRIMARY,
    teeth.LOWER_PRIMARY,
)


def dentition_for(fdis: Iterable[int]) -> Dentition:
    """The smallest dentition that shows every tooth in ``fdis`` (permanent when empty)."""
    kinds = {teeth.is_primary(fdi) for fdi in fdis}
    if kinds == {True}:
        return Dentition.PRIMARY
    return Dentition.MIXED if kinds == {True, False} else Dentition.PERMANENT


def rows_for(dentition: Dentition) -> tuple[tuple[int, ...], ...]:
    """The rows of teeth a dentition shows, each from the viewer's left to right."""
    if dentition is Dentition.MIXED:
        return _ROWS
    return _ROWS[2:] if dentition is Dentition.PRIMARY else _ROWS[:2]


def row_of(rows: Sequence[tuple[int, ...]], fdi: int) -> tuple[int, ...]:
    return next(row for row in rows if fdi in row)


def step_along(rows: Sequence[tuple[int, ...]], fdi: int, step: int) -> int:
    """The next tooth along the arch; past its end, the same arch of the oval beside it."""
    row = row_of(rows, fdi)
    index = row.index(fdi) + step
    if 0 <= index < len(row):
        return row[index]
    neighbour = list(rows).index(row) + 2 * step  # rows come in (upper, lower) pairs
    if 0 <= neighbour < len(rows):
        return rows[neighbour][0 if step > 0 else -1]
    return fdi


def step_across(rows: Sequence[tuple[int, ...]], fdi: int, step: int) -> int:
    """The tooth facing ``fdi`` in the other arch (16 and 46, 55 and 85); -1 up, +1 down."""
    row = row_of(rows, fdi)
    index = list(rows).index(row)
    upper = index % 2 == 0
    if upper != (step > 0):
        return fdi  # already in the top (or bottom) arch
    return rows[index + 1 if upper else index - 1][row.index(fdi)]


# (mesiodistal width, buccolingual depth) in mm by position from the midline. Close to real
# averages; the smallest incisors are widened a little so a label and a click target fit.
# fmt: off
_SIZES: Final[dict[tuple[bool, bool], tuple[tuple[float, float], ...]]] = {
    # (upper, primary): positions 1 (central incisor) to 8 (third molar) or 5 (primary)
    (True, False): ((8.5, 7.0), (7.0, 6.2), (7.6, 8.0), (7.0, 9.0),
                    (6.8, 9.0), (10.2, 11.0), (9.2, 10.8), (8.6, 10.2)),
    (False, False): ((6.2, 6.0), (6.4, 6.2), (7.0, 7.6), (7.1, 7.8),
                     (7.2, 8.2), (11.0, 10.4), (10.5, 10.0), (10.0, 9.6)),
    (True, True): ((6.8, 5.4), (5.8, 5.0), (7.0, 6.6), (7.3, 8.6), (8.6, 9.8)),
    (False, True): ((5.6, 4.6), (5.6, 4.8), (6.0, 5.8), (7.7, 7.2), (9.6, 8.8)),
}
# fmt: on
_GAP: Final = 0.7  # mm between neighbouring teeth along the arch
LABEL_ROOM: Final = 6.5  # mm reserved beyond a tooth's edge for its label


def tooth_size(fdi: int) -> tuple[float, float]:
    """Width along the arch and depth across it, in mm."""
    upper = teeth.arch(fdi) == "upper"
    return _SIZES[(upper, teeth.is_primary(fdi))][teeth.position(fdi) - 1]


# Outlines as points around the tooth in unit coordinates: u across the tooth along the arch
# (+1 is mesial, towards the midline), v across the arch (+1 is buccal/labial, outward).
# fmt: off
_OUTLINES: Final[dict[ToothType, tuple[tuple[float, float], ...]]] = {
    # A shovel seen from above: broad labial edge narrowing to the lingual cingulum.
    ToothType.INCISOR: ((-1.0, 0.45), (-0.7, 0.9), (0.0, 1.0), (0.7, 0.9), (1.0, 0.45),
                        (0.6, -0.35), (0.25, -0.9), (-0.25, -0.9), (-0.6, -0.35)),
    # A shield: pointed at the labial ridge, widest at the contacts, round at the cingulum.
    ToothType.CANINE: ((-0.95, 0.12), (-0.5, 0.62), (-0.12, 0.94), (0.0, 1.04), (0.12, 0.94),
                       (0.5, 0.62), (0.95, 0.12), (0.85, -0.5), (0.45, -0.92), (0.0, -1.0),
                       (-0.45, -0.92), (-0.85, -0.5)),
    # An oval, deeper than wide, with a buccal and a lingual cusp.
    ToothType.PREMOLAR: ((-1.0, 0.3), (-0.75, 0.88), (0.0, 1.0), (0.75, 0.88), (1.0, 0.3),
                         (0.92, -0.4), (0.6, -0.9), (0.0, -1.0), (-0.6, -0.9), (-0.92, -0.4)),
    # A rounded rhomboid crown with four or five cusps.
    ToothType.MOLAR: ((-1.0, 0.72), (-0.72, 1.0), (0.0, 1.02), (0.72, 1.0), (1.0, 0.72),
                      (1.02, 0.0), (1.0, -0.72), (0.72, -1.0), (0.0, -1.02), (-0.72, -1.0),
                      (-1.0, -0.72), (-1.02, 0.0)),
}
# fmt: on


def _smooth_closed(points: Sequence[tuple[float, float]]) -> QPainterPath:
    """A closed Catmull-Rom curve through ``points``, as cubic Béziers."""
    path = QPainterPath(QPointF(*points[0]))
    n = len(points)
    for i in range(n):
        p0, p1, p2, p3 = (points[(i + k) % n] for k in (-1, 0, 1, 2))
        c1 = QPointF(p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = QPointF(p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        path.cubicTo(c1, c2, QPointF(*p2))
    path.closeSubpath()
    return path


def _polyline(path: QPainterPath, *points: tuple[float, float]) -> None:
    path.moveTo(QPointF(*points[0]))
    for point in points[1:]:
        path.lineTo(QPointF(*point))


def _unit_outline(fdi: int) -> QPainterPath:
    return _smooth_closed(_OUTLINES[teeth.tooth_type(fdi)])


def _unit_details(fdi: int) -> QPainterPath:
    """Ridges and fissures that make a tooth read as its type (open lines, not filled)."""
    path = QPainterPath()
    kind = teeth.tooth_type(fdi)
    if kind is ToothType.INCISOR:
        _polyline(path, (-0.72, 0.5), (0.0, 0.6), (0.72, 0.5))  # incisal edge
    elif kind is ToothType.CANINE:
        _polyline(path, (-0.66, 0.0), (0.0, 0.5), (0.66, 0.0))  # cusp ridges meet at the tip
        _polyline(path, (0.0, 0.5), (0.0, -0.45))  # lingual ridge
    elif kind is ToothType.PREMOLAR:
        _polyline(path, (-0.62, 0.05), (-0.2, -0.06), (0.2, -0.06), (0.62, 0.05))
    else:
        _polyline(path, (-0.68, 0.05), (-0.2, 0.0), (0.25, -0.05), (0.7, 0.02))  # central
        _polyline(path, (-0.2, 0.0), (-0.1, 0.78))  # buccal groove
        _polyline(path, (0.25, -0.05), (0.12, -0.76))  # lingual groove
        if teeth.arch(fdi) == "lower" and not teeth.is_primary(fdi):
            _polyline(path, (-0.5, 0.03), (-0.62, 0.72))  # distobuccal groove: five cusps
    return path


@dataclass(frozen=True)
class ToothPlace:
    """Where a tooth sits in model space (mm) and which way it faces."""

    fdi: int
    centre: QPointF
    along: QPointF  # unit tangent, in chart order (viewer's left to right)
    outward: QPointF  # unit normal, buccal
    width: float
    depth: float

    def local_to_model(self) -> QTransform:
        """Maps unit outline coordinates (u mesial, v buccal) onto the model."""
        mesial = 1.0 if teeth.side(self.fdi) == "right" else -1.0  # patient right = viewer left
        hw, hd = self.width / 2, self.depth / 2
        ax, ay = self.along.x() * hw * mesial, self.along.y() * hw * mesial
        ox, oy = self.outward.x() * hd, self.outward.y() * hd
        return QTransform(ax, ay, ox, oy, self.centre.x(), self.centre.y())


@dataclass(frozen=True)
class _Row:
    teeth: tuple[int, ...]
    upper: bool
    ratio: float  # depth of the curve of tooth centres over its half width
    power: float  # 2 is a parabola; higher flattens the front
    scale: float = 1.0


_CURVE_SAMPLES: Final = 240


def _place_row(row: _Row) -> list[ToothPlace]:
    """Teeth spaced by their widths along a U-shaped curve, front centre at the origin."""
    half = row.teeth[len(row.teeth) // 2 :]  # patient's left half, midline outwards
    sizes = [(w * row.scale, d * row.scale) for w, d in (tooth_size(t) for t in half)]
    distances, travelled = [], _GAP * row.scale / 2
    for w, _ in sizes:
        distances.append(travelled + w / 2)
        travelled += w + _GAP * row.scale
    # Arc length along the unit curve x = s, y = ratio * s**power.
    samples = [
        (i / _CURVE_SAMPLES, row.ratio * (i / _CURVE_SAMPLES) ** row.power)
        for i in range(_CURVE_SAMPLES + 1)
    ]
    lengths = [0.0]
    for (x0, y0), (x1, y1) in itertools.pairwise(samples):
        lengths.append(lengths[-1] + math.hypot(x1 - x0, y1 - y0))
    k = travelled / lengths[-1]
    sign = 1.0 if row.upper else -1.0  # upper arch opens downwards, lower upwards
    places: dict[int, ToothPlace] = {}
    for fdi, (w, d), dist in zip(half, sizes, distances, strict=True):
        target = min(dist / k, lengths[-1])
        i = next(i for i, length in enumerate(lengths) if length >= target)
        s0, s1 = samples[max(i - 1, 0)][0], samples[i][0]
        l0, l1 = lengths[max(i - 1, 0)], lengths[i]
        s = s0 + (s1 - s0) * ((target - l0) / (l1 - l0) if l1 > l0 else 0.0)
        slope = row.ratio * row.power * s ** (row.power - 1) * sign
        norm = math.hypot(1.0, slope)
        for mirror in (1.0, -1.0):
            tooth = fdi if mirror > 0 else row.teeth[len(row.teeth) - 1 - row.teeth.index(fdi)]
            centre = QPointF(mirror * k * s, sign * k * row.ratio * s**row.power)
            along = QPointF(1.0 / norm, mirror * slope / norm)
            outward = (
                QPointF(along.y(), -along.x()) if row.upper else QPointF(-along.y(), along.x())
            )
            places[tooth] = ToothPlace(tooth, centre, along, outward, w, d)
    return [places[t] for t in row.teeth]


def _bounds(places: Sequence[ToothPlace], with_labels: bool = True) -> QRectF:
    """The model rectangle of ``places``, with room for their labels outside the arch."""
    rect = QRectF()
    for place in places:
        box = place.local_to_model().mapRect(QRectF(-1, -1, 2, 2))
        rect = rect.united(box)
        if with_labels:
            reach = place.depth / 2 + LABEL_ROOM / 2 + 0.8
            c = place.centre + place.outward * reach
            rect = rect.united(QRectF(c.x() - 3.6, c.y() - 2.2, 7.2, 4.4))
    return rect


def _shifted(places: Sequence[ToothPlace], dx: float, dy: float) -> list[ToothPlace]:
    return [
        ToothPlace(p.fdi, p.centre + QPointF(dx, dy), p.along, p.outward, p.width, p.depth)
        for p in places
    ]


_OCCLUSAL_GAP: Final = 7.0  # mm between the upper and the lower arch
_PART_GAP: Final = 10.0  # mm between the permanent and the primary chart of a mixed dentition
TITLE_ROOM: Final = 7.0  # mm above a chart for its title, when there are two


@dataclass(frozen=True)
class ChartPart:
    """One oval of both arches (a mixed dentition shows two side by side)."""

    title: str
    places: tuple[ToothPlace, ...]
    bounds: QRectF  # model space, labels (and the title, if any) included


def _arches(primary: bool, flatness: float) -> list[ToothPlace]:
    """Upper arch on top, lower arch below, the front of the upper arch at y = 0."""
    if primary:
        upper = _place_row(_Row(teeth.UPPER_PRIMARY, True, 1.1 * flatness, 2.0))
        lower = _place_row(_Row(teeth.LOWER_PRIMARY, False, 1.1 * flatness, 2.0))
    else:
        upper = _place_row(_Row(teeth.UPPER_PERMANENT, True, 1.35 * flatness, 2.1))
        lower = _place_row(_Row(teeth.LOWER_PERMANENT, False, 1.3 * flatness, 2.1))
    dy = _bounds(upper).bottom() - _bounds(lower).top() + _OCCLUSAL_GAP
    return [*upper, *_shifted(lower, 0.0, dy)]


def place_chart(dentition: Dentition, flatness: float = 1.0) -> list[ChartPart]:
    """Every tooth of ``dentition`` in model space, as one oval or two side by side.

    ``flatness`` below 1 makes the arches shallower, for wide and short places (a strip in
    the case detail), where the anatomical oval would leave the teeth tiny. A mixed
    dentition gets the permanent and the primary oval next to each other rather than
    nested: nested arches leave no room for the labels of the small primary incisors.
    """
    if dentition is not Dentition.MIXED:
        places = _arches(dentition is Dentition.PRIMARY, flatness)
        return [ChartPart("", tuple(places), _bounds(places))]
    permanent = _arches(False, flatness)
    primary = _arches(True, flatness)
    outer, inner = _bounds(permanent), _bounds(primary)
    primary = _shifted(
        primary, outer.right() + _PART_GAP - inner.left(), outer.center().y() - inner.center().y()
    )
    return [_titled("Permanent", permanent), _titled("Primary", primary)]


def _titled(title: str, places: Sequence[ToothPlace]) -> ChartPart:
    bounds = _bounds(places)
    return ChartPart(title, tuple(places), bounds.adjusted(0, -TITLE_ROOM, 0, 0))


def chart_bounds(parts: Sequence[ChartPart]) -> QRectF:
    """The model rectangle the whole chart needs, labels and titles included."""
    rect = QRectF()
    for part in parts:
        rect = rect.united(part.bounds)
    return rect


@dataclass(frozen=True)
class ToothShape:
    """A tooth mapped onto the widget: what the painter draws and hit-testing uses."""

    fdi: int
    outline: QPainterPath
    details: QPainterPath
    centre: QPointF
    outward: QPointF
    along: QPointF
    depth: float  # px
    width: float  # px


def map_shapes(places: Sequence[ToothPlace], model_to_widget: QTransform) -> list[ToothShape]:
    shapes = []
    scale = model_to_widget.m11()
    for place in places:
        local = place.local_to_model() * model_to_widget
        shapes.append(
            ToothShape(
                place.fdi,
                local.map(_unit_outline(place.fdi)),
                local.map(_unit_details(place.fdi)),
                model_to_widget.map(place.centre),
                place.outward,
                place.along,
                place.depth * scale,
                place.width * scale,
            )
        )
    return shapes


def label_rect(shape: ToothShape, text_width: float, text_height: float, gap: float) -> QRectF:
    """An upright box for a label just outside the tooth (buccally), clear of its outline."""
    nx, ny = shape.outward.x(), shape.outward.y()
    reach = shape.depth / 2 + gap + abs(nx) * text_width / 2 + abs(ny) * text_height / 2
    cx, cy = shape.centre.x() + nx * reach, shape.centre.y() + ny * reach
    return QRectF(cx - text_width / 2, cy - text_height / 2, text_width, text_height)
