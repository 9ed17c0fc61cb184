"""Point at the problem on a snapshot of the scan view: an arrow or a circle, drawn by dragging.

The shapes are kept in the picture's own pixels, so the attachment has them exactly where the
person drew them whatever size the dialog had.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageWriter,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QDialog, QSizePolicy, QWidget

from labdesk.gui.dialogs.common import setup_buttons, use_form
from labdesk.gui.forms.ui_annotate_snapshot_dialog import Ui_AnnotateSnapshotDialog

MARK_COLOR = QColor("#e11d48")


class ShapeKind(StrEnum):
    ARROW = "arrow"
    CIRCLE = "circle"


@dataclass(frozen=True)
class Shape:
    kind: ShapeKind
    start: QPointF  # picture pixels; the arrow's tail or the circle's centre
    end: QPointF  # the arrow's head or a point on the circle


def _pen_width(image_size: QSize) -> float:
    return max(3.0, max(image_size.width(), image_size.height()) / 220)


def draw_shape(painter: QPainter, shape: Shape, width: float) -> None:
    pen = QPen(MARK_COLOR, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    start, end = shape.start, shape.end
    if shape.kind is ShapeKind.CIRCLE:
        radius = math.hypot(end.x() - start.x(), end.y() - start.y())
        painter.drawEllipse(start, radius, radius)
        return
    painter.drawLine(start, end)
    angle = math.atan2(end.y() - start.y(), end.x() - start.x())
    size = width * 4.5
    left = QPointF(
        end.x() - size * math.cos(angle - math.pi / 7),
        end.y() - size * math.sin(angle - math.pi / 7),
    )
    right = QPointF(
        end.x() - size * math.cos(angle + math.pi / 7),
        end.y() - size * math.sin(angle + math.pi / 7),
    )
    painter.setBrush(MARK_COLOR)
    painter.drawPolygon(QPolygonF([end, left, right]))


def annotate(image: QImage, shapes: list[Shape]) -> QImage:
    """A copy of ``image`` with ``shapes`` drawn on it."""
    result = image.convertToFormat(QImage.Format.Format_ARGB32)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for shape in shapes:
        draw_shape(painter, shape, _pen_width(image.size()))
    painter.end()
    return result


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image):
        raise OSError(f"the picture could not be encoded: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


class AnnotationCanvas(QWidget):
    """Shows the picture scaled to fit and lets the mouse draw on it."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.shapes: list[Shape] = []
        self.kind = ShapeKind.ARROW
        self._drawing: Shape | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 220)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def sizeHint(self) -> QSize:
        return self.image.size().scaled(760, 480, Qt.AspectRatioMode.KeepAspectRatio)

    def _target(self) -> QRectF:
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) / 2
        y = (self.height() - size.height()) / 2
        return QRectF(x, y, size.width(), size.height())

    def _scale(self) -> float:
        target = self._target()
        return target.width() / max(1, self.image.width())

    def to_image(self, point: QPointF) -> QPointF:
        target, scale = self._target(), self._scale()
        x = (point.x() - target.x()) / scale
        y = (point.y() - target.y()) / scale
        return QPointF(min(max(x, 0.0), self.image.width()), min(max(y, 0.0), self.image.height()))

    def add_shape(self, shape: Shape) -> None:
        self.shapes.append(shape)
        self.update()

    def clear(self) -> None:
        self.shapes.clear()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        target = self._target()
        painter.drawImage(target, self.image)
        painter.translate(target.topLeft())
        painter.scale(self._scale(), self._scale())
        width = _pen_width(self.image.size())
        for shape in [*self.shapes, *([self._drawing] if self._drawing else [])]:
            draw_shape(painter, shape, width)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            point = self.to_image(event.position())
            self._drawing = Shape(self.kind, point, point)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing is not None:
            self._drawing = Shape(self.kind, self._drawing.start, self.to_image(event.position()))
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing is None or event.button() != Qt.MouseButton.LeftButton:
            return
        shape = Shape(self.kind, self._drawing.start, self.to_image(event.position()))
        self._drawing = None
        if math.hypot(shape.end.x() - shape.start.x(), shape.end.y() - shape.start.y()) > 4:
            self.shapes.append(shape)
        self.update()


class AnnotateSnapshotDialog(QDialog):
    """OK attaches the picture with what was drawn on it (nothing drawn is fine too)."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = use_form(self, Ui_AnnotateSnapshotDialog())
        self.canvas = AnnotationCanvas(image, self.ui.canvasHost)
        self.ui.canvasLayout.addWidget(self.canvas)
        setup_buttons(self.ui.buttonBox, "&Attach picture")
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.arrowButton.toggled.connect(self.on_arrow_toggled)
        self.ui.circleButton.toggled.connect(self.on_circle_toggled)
        self.ui.clearButton.clicked.connect(self.canvas.clear)

    def on_arrow_toggled(self, checked: bool) -> None:
        if checked:
            self.canvas.kind = ShapeKind.ARROW

    def on_circle_toggled(self, checked: bool) -> None:
        if checked:
            self.canvas.kind = ShapeKind.CIRCLE

    def annotated_image(self) -> QImage:
        return annotate(self.canvas.image, self.canvas.shapes)
