"""Paint work tickets and tray labels on a paged device: a ``QPdfWriter`` (vector PDF) or a
``QPrinter`` (the print preview and the printer).

Everything is laid out in millimetres on the page and drawn in black only, so a ticket stays
legible on a black-and-white printer; the barcode is filled rectangles (vector), each module at
least 0.3 mm wide, with the quiet zone a scanner needs. Needs a ``QGuiApplication`` (fonts).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from labdesk.domain import teeth as teeth_rules
from labdesk.domain.paper import LABEL_SIZES, TICKET_SIZES, PaperSize
from labdesk.printing import code128
from labdesk.printing.ticket_content import LabelContent, TicketContent, date_text

MIN_MODULE_MM: Final = 0.3  # narrower bars blur on a 203/300 dpi label printer


_APPS: list[QGuiApplication] = []  # one made here lives as long as the process


def ensure_gui_app() -> None:
    """Qt lays text out with the system's fonts, which needs a ``QGuiApplication``; make one
    for a command-line run (offscreen when there is no display)."""
    if QGuiApplication.instance() is not None:
        return
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform == "linux" and no_display and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _APPS.append(QGuiApplication(["labdesk"]))


def page_size(size: PaperSize) -> QPageSize:
    return QPageSize(QSizeF(size.width_mm, size.height_mm), QPageSize.Unit.Millimeter, size.title)


def prepare(device: QPagedPaintDevice, size: PaperSize) -> None:
    """Give ``device`` the paper size, portrait, no margins (the layout has its own)."""
    layout = QPageLayout(page_size(size), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    layout.setMode(QPageLayout.Mode.FullPageMode)
    device.setPageLayout(layout)


def write_pdf(
    path: Path,
    tickets: Sequence[TicketContent] = (),
    labels: Sequence[LabelContent] = (),
    *,
    paper: str = "a5",
    title: str = "LabDesk work tickets",
) -> None:
    """One ticket (or label) per page, in the order given."""
    size = LABEL_SIZES[paper] if labels else TICKET_SIZES[paper]
    writer = QPdfWriter(str(path))
    writer.setResolution(600)
    writer.setTitle(title)
    writer.setCreator("LabDesk")
    prepare(writer, size)
    if labels:
        paint_labels(writer, labels, size)
    else:
        paint_tickets(writer, tickets)


def paint_tickets(device: QPagedPaintDevice, tickets: Sequence[TicketContent]) -> None:
    painter = QPainter(device)
    try:
        for index, ticket in enumerate(tickets):
            if index:
                device.newPage()
            _Ticket(_Canvas(painter, device), ticket).paint()
    finally:
        painter.end()


def paint_labels(
    device: QPagedPaintDevice, labels: Sequence[LabelContent], size: PaperSize
) -> None:
    painter = QPainter(device)
    try:
        for index, label in enumerate(labels):
            if index:
                device.newPage()
            _paint_label(_Canvas(painter, device), label, size)
    finally:
        painter.end()


class _Canvas:
    """Millimetre drawing on a painter (device pixels hidden)."""

    def __init__(self, painter: QPainter, device: QPagedPaintDevice) -> None:
        self.p = painter
        self.k = device.logicalDpiX() / 25.4  # device pixels per millimetre
        rect = device.pageLayout().fullRectPoints()
        self.width_mm = rect.width() * 25.4 / 72
        self.height_mm = rect.height() * 25.4 / 72

    def r(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(x * self.k, y * self.k, w * self.k, h * self.k)

    def font(self, pt: float, *, bold: bool = False) -> QFont:
        font = QFont("DejaVu Sans")
        font.setPointSizeF(pt)
        font.setBold(bold)
        return font

    def text(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        pt: float = 9,
        *,
        bold: bool = False,
        flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
        color: QColor | Qt.GlobalColor = Qt.GlobalColor.black,
        wrap: bool = False,
    ) -> float:
        """Draw ``text`` in the box; the height it took, in mm."""
        font = self.font(pt, bold=bold)
        self.p.setFont(font)
        self.p.setPen(QPen(color))
        options = int(flags) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0)
        box = self.r(x, y, w, h)
        used = self.p.boundingRect(box, options, text)
        self.p.drawText(box, options, text)
        return min(used.height(), box.height()) / self.k

    def text_height(self, w: float, text: str, pt: float) -> float:
        metrics = QFontMetricsF(self.font(pt), self.p.device())
        flags = int(Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(QRectF(0, 0, w * self.k, 1e6), flags, text).height() / self.k

    def box(
        self, x: float, y: float, w: float, h: float, *, fill: bool = False, line: float = 0.25
    ) -> None:
        self.p.setPen(QPen(Qt.GlobalColor.black, line * self.k))
        if fill:
            self.p.fillRect(self.r(x, y, w, h), Qt.GlobalColor.black)
        else:
            self.p.setBrush(Qt.BrushStyle.NoBrush)
            self.p.drawRect(self.r(x, y, w, h))

    def hline(self, x: float, y: float, w: float, line: float = 0.2) -> None:
        self.p.setPen(QPen(Qt.GlobalColor.black, line * self.k))
        self.p.drawLine(self.r(x, y, w, 0).topLeft(), self.r(x, y, w, 0).topRight())

    def barcode(self, x: float, y: float, w: float, h: float, text: str) -> float:
        """Code 128 of ``text`` inside the box (quiet zones included); the width used."""
        bars = code128.encode(text)
        total = bars.modules + 2 * code128.QUIET_ZONE_MODULES
        module = max(MIN_MODULE_MM, w / total)
        left = x + code128.QUIET_ZONE_MODULES * module
        for start, width in bars.runs:
            self.p.fillRect(
                self.r(left + start * module, y, width * module, h), Qt.GlobalColor.black
            )
        return total * module


class _Ticket:
    MARGIN: Final = 8.0

    def __init__(self, canvas: _Canvas, ticket: TicketContent) -> None:
        self.c = canvas
        self.t = ticket
        self.w = canvas.width_mm - 2 * self.MARGIN

    def paint(self) -> None:
        c, t, m = self.c, self.t, self.MARGIN
        c.text(m, m, self.w - 34, 7, t.lab_name, 12, bold=True)
        c.text(m, m + 6, self.w - 34, 5, "Work ticket", 8)
        if t.rush:
            c.box(m + self.w - 30, m, 30, 10, fill=True)
            c.text(
                m + self.w - 30,
                m,
                30,
                10,
                "RUSH",
                15,
                bold=True,
                flags=Qt.AlignmentFlag.AlignCenter,
                color=Qt.GlobalColor.white,
            )
        c.text(m, m + 13, 80, 10, t.number, 20, bold=True)
        c.barcode(m - 3, m + 24, 72, 15, t.number)
        self._tooth_chart(m + 76, m + 22, self.w - 76)
        y = self._facts(m + 44)
        y = self._items(y + 2)
        y = self._notes(y + 2, self._steps_top() - 2)
        self._steps()

    def _facts(self, y: float) -> float:
        c, t, m = self.c, self.t, self.MARGIN
        rows = [
            ("Patient", t.patient),
            ("Clinic", t.clinic),
            ("Dentist", t.dentist),
            ("Due", date_text(t.due)),
            ("Expected", date_text(t.expected)),
        ]
        for label, value in rows:
            c.text(m, y, 22, 5, label, 8)
            c.text(m + 22, y, self.w - 22, 5, value, 10, bold=label in ("Patient", "Due"))
            y += 5.2
        return y

    def _items(self, y: float) -> float:
        c, t, m = self.c, self.t, self.MARGIN
        cols = (0.0, 44.0, 72.0, 114.0)
        heads = ("Item", "Teeth", "Material", "Shade")
        c.hline(m, y, self.w, 0.4)
        for x, head in zip(cols, heads, strict=True):
            c.text(m + x, y + 0.5, 40, 5, head, 8, bold=True)
        y += 5.5
        shown = t.items[:6]
        for item in shown:
            widths = (43.0, 27.0, 41.0, self.w - cols[3])
            values = (item.name, item.teeth_text, item.material, item.shade)
            for x, width, value in zip(cols, widths, values, strict=True):
                c.text(m + x, y, width, 5, value, 9)
            y += 5
            if item.notes:
                y += c.text(m + 3, y, self.w - 3, 8, item.notes, 8, wrap=True)
        if len(t.items) > len(shown):
            c.text(m, y, self.w, 5, f"+ {len(t.items) - len(shown)} more items (see LabDesk)", 8)
            y += 5
        c.hline(m, y + 0.5, self.w, 0.4)
        return y + 1

    def _notes(self, y: float, bottom: float) -> float:
        c, t, m = self.c, self.t, self.MARGIN
        parts = []
        if t.instructions:
            parts.append(("Instructions", t.instructions))
        parts += list(t.answers)
        for title, body in parts:
            if y + 9 > bottom:
                c.text(m, y, self.w, 5, "… more in LabDesk", 8)
                break
            c.text(m, y, self.w, 4.5, title, 8, bold=True)
            y += 4.2
            y += c.text(m, y, self.w, max(4.0, min(30.0, bottom - y)), body, 9, wrap=True) + 1.2
        return y

    def _steps_top(self) -> float:
        return self.c.height_mm - self.MARGIN - 20

    def _steps(self) -> None:
        c, t, m = self.c, self.t, self.MARGIN
        top = self._steps_top()
        width = self.w / len(t.steps)
        for index, step in enumerate(t.steps):
            x = m + index * width
            c.box(x, top, width, 20, line=0.3)
            c.text(x + 1.5, top + 1, width - 3, 5, step, 8, bold=True)
            c.text(x + 1.5, top + 9, width - 3, 4, "Initials", 6)
            c.text(x + 1.5, top + 15, width - 3, 4, "Date", 6)

    def _tooth_chart(self, x: float, y: float, w: float) -> None:
        """Two arches as rows of boxes, the case's teeth filled (readable in black and white)."""
        c, t = self.c, self.t
        upper = [*range(18, 10, -1), *range(21, 29)]
        lower = [*range(48, 40, -1), *range(31, 39)]
        rows = [upper, lower]
        if any(teeth_rules.is_primary(tooth) for tooth in t.teeth):
            rows += [[*range(55, 50, -1), *range(61, 66)], [*range(85, 80, -1), *range(71, 76)]]
        cell = min(4.2, (w - 1) / 16)
        for r, row in enumerate(rows):
            offset = (16 - len(row)) / 2 * cell
            for i, tooth in enumerate(row):
                gap = 0.8 if i >= len(row) // 2 else 0.0  # the midline
                bx, by = x + offset + i * cell + gap, y + r * (cell + 0.6)
                marked = tooth in t.teeth
                c.box(bx, by, cell, cell, fill=marked, line=0.15)
                c.text(
                    bx,
                    by,
                    cell,
                    cell,
                    teeth_rules.to_label(tooth, t.notation),
                    4.2,
                    bold=marked,
                    flags=Qt.AlignmentFlag.AlignCenter,
                    color=Qt.GlobalColor.white if marked else Qt.GlobalColor.black,
                )
        c.text(
            x,
            y + len(rows) * (cell + 0.6) + 0.5,
            w,
            4,
            f"Teeth ({t.notation.value.upper()})"
            if t.notation.value == "fdi"
            else f"Teeth ({t.notation.value.title()})",
            6,
        )


def _paint_label(c: _Canvas, label: LabelContent, size: PaperSize) -> None:
    if size.height_mm < 60:
        _paint_small_label(c, label)
    else:
        _paint_large_label(c, label)


def _paint_small_label(c: _Canvas, label: LabelContent) -> None:
    """62 × 29 mm: number and rush on top, the barcode, initials and due date below."""
    m = 2.0
    w = c.width_mm - 2 * m
    c.text(m, m, w, 6, label.number, 10, bold=True)
    if label.rush:
        c.box(m + w - 14, m, 14, 5, fill=True)
        c.text(
            m + w - 14,
            m,
            14,
            5,
            "RUSH",
            8,
            bold=True,
            flags=Qt.AlignmentFlag.AlignCenter,
            color=Qt.GlobalColor.white,
        )
    bar_h = c.height_mm - 2 * m - 5.5 - 5.5
    c.barcode(m - 1, m + 5.5, w + 2, bar_h, label.number)
    line = f"{label.patient_initials}   Due {date_text(label.due)}"
    c.text(m, m + 5.5 + bar_h + 0.6, w, 5, line, 7, bold=True)


def _paint_large_label(c: _Canvas, label: LabelContent) -> None:
    """4 × 6 in: big enough to read across the bench."""
    m = 6.0
    w = c.width_mm - 2 * m
    c.text(m, m, w, 12, label.number, 24, bold=True)
    c.barcode(m - 2, m + 13, w + 4, 45, label.number)
    y = m + 62
    c.text(m, y, w, 6, "Patient", 10)
    c.text(m, y + 5, w, 16, label.patient_initials, 34, bold=True)
    c.text(m, y + 24, w, 6, "Due", 10)
    c.text(m, y + 29, w, 12, date_text(label.due), 22, bold=True)
    if label.rush:
        c.box(m, c.height_mm - m - 22, w, 22, fill=True)
        c.text(
            m,
            c.height_mm - m - 22,
            w,
            22,
            "RUSH",
            40,
            bold=True,
            flags=Qt.AlignmentFlag.AlignCenter,
            color=Qt.GlobalColor.white,
        )
