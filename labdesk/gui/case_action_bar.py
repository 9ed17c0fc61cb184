"""The case detail's action bar: what this person may do with this case, and nothing else.

Built from :func:`labdesk.client.offers.offers`: the lifecycle's permitted actions first
(accept, reject, move on, QC, ship, hold, cancel), then the lab's own fields (expected date,
assign, tags and memo), each with its keyboard shortcut. Actions a person would expect here
but may not take are absent; a muted "ⓘ" at the end says why on hover ("Only QC managers and
lab admins may sign off QC").
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from labdesk.client.offers import Command, Offers
from labdesk.domain.lifecycle import Action
from labdesk.gui.theme import current_palette


class ActionBar(QWidget):
    """Buttons for the offered commands; ``command_clicked`` says which one was asked for.

    The keyboard shortcuts are added to ``shortcut_host`` (the case page), so they work
    wherever the focus is inside it.
    """

    command_clicked = Signal(object)  # Command

    def __init__(self, shortcut_host: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionBar")
        self._host = shortcut_host
        self._buttons: dict[Command, QPushButton] = {}
        self._shortcuts: list[QAction] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        # "ⓘ", drawn: not every font has the character.
        self.info = QLabel()
        self.info.setObjectName("actionsInfo")
        self.info.setCursor(Qt.CursorShape.WhatsThisCursor)
        self.info.setAccessibleName("ⓘ Why some actions are not offered")
        self.info.setContentsMargins(4, 0, 4, 0)
        self.nothing = QLabel("Nothing for you to do on this case in its current status.")
        self.nothing.setProperty("role", "muted")

    def show_offers(self, offers: Offers) -> None:
        self._clear()
        taken: set[str] = set()
        edits_started = False
        for offer in offers.offered:
            if not isinstance(offer.command, Action) and not edits_started:
                edits_started = True
                if self._buttons:  # the lab's own fields, apart from the lifecycle's steps
                    self._row.addWidget(_separator())
            button = QPushButton(offer.label.replace("&", "&&"))  # "Tags & memo", no mnemonic
            button.setObjectName(f"action_{offer.command.value}")
            button.setToolTip(offer.label)
            if offer.shortcut and offer.shortcut not in taken:
                taken.add(offer.shortcut)
                self._add_shortcut(offer.command, offer.shortcut)
                native = QKeySequence(offer.shortcut).toString(
                    QKeySequence.SequenceFormat.NativeText
                )
                button.setToolTip(f"{offer.label} ({native})")
            button.clicked.connect(lambda _=False, c=offer.command: self.command_clicked.emit(c))
            self._row.addWidget(button)
            self._buttons[offer.command] = button
        self._row.addWidget(self.nothing)
        self.nothing.setVisible(not offers.offered)
        self._row.addWidget(self.info)
        side = self.fontMetrics().height()
        self.info.setPixmap(info_pixmap(current_palette().muted, side, self.devicePixelRatioF()))
        self.info.setVisible(bool(offers.unavailable))
        self.info.setToolTip(unavailable_tooltip(offers))
        self._row.addStretch(1)

    def buttons(self) -> dict[Command, QPushButton]:
        return dict(self._buttons)

    def _add_shortcut(self, command: Command, keys: str) -> None:
        shortcut = QAction(self._host)
        shortcut.setShortcut(QKeySequence(keys))
        shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.triggered.connect(lambda _=False, c=command: self.on_shortcut_triggered(c))
        self._host.addAction(shortcut)
        self._shortcuts.append(shortcut)

    def on_shortcut_triggered(self, command: Command) -> None:
        if command in self._buttons:
            self.command_clicked.emit(command)

    def _clear(self) -> None:
        while self._row.count():
            item = self._row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget not in (self.info, self.nothing):
                widget.deleteLater()
        for shortcut in self._shortcuts:
            self._host.removeAction(shortcut)
            shortcut.deleteLater()
        self._shortcuts.clear()
        self._buttons.clear()


def unavailable_tooltip(offers: Offers) -> str:
    """Rich text: each expected but absent action with why ("Only QC managers …")."""
    if not offers.unavailable:
        return ""
    lines = "".join(
        f"<br>• <b>{escape(u.label)}</b> — {escape(u.reason)}" for u in offers.unavailable
    )
    return f"<p style='white-space:pre'>Not offered to you here:{lines}</p>"


def info_pixmap(color: QColor, side: int, ratio: float = 1.0) -> QPixmap:
    """A circled "i" of ``side`` pixels in ``color``."""
    pixmap = QPixmap(round(side * ratio), round(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, max(1.0, side / 12)))
    box = QRectF(1, 1, side - 2, side - 2)
    painter.drawEllipse(box)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(6, round(side * 0.62)))
    painter.setFont(font)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "i")
    painter.end()
    return pixmap


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
