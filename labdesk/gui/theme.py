"""Light and dark themes: the Qt palette, the few colours LabDesk adds, and the style sheet.

``system`` follows the desktop's colour scheme when Qt can tell; otherwise it is light. All
widgets take their colours from the ``QPalette`` so both themes stay readable; the extra
colours (due dates, status chips, highlighted rows) come from :class:`Palette`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from labdesk.domain.due import DueState
from labdesk.domain.lifecycle import Status
from labdesk.gui.assets import read_text


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


THEME_LABELS: Final[dict[Theme, str]] = {
    Theme.SYSTEM: "Same as the system",
    Theme.LIGHT: "Light",
    Theme.DARK: "Dark",
}


@dataclass(frozen=True)
class Palette:
    dark: bool
    due: dict[DueState, QColor]
    new_row: QColor
    attention_row: QColor
    chip: dict[Status, tuple[QColor, QColor]] = field(default_factory=dict)  # (bg, fg)
    muted: QColor = field(default_factory=lambda: QColor("#6b7280"))
    online: QColor = field(default_factory=lambda: QColor("#15803d"))
    offline: QColor = field(default_factory=lambda: QColor("#b91c1c"))
    badge_bg: QColor = field(default_factory=lambda: QColor("#b45309"))
    badge_fg: QColor = field(default_factory=lambda: QColor("#ffffff"))

    def chip_colors(self, status: Status) -> tuple[QColor, QColor]:
        return self.chip.get(status, (self.muted, QColor("#ffffff")))

    def due_overdue_name(self) -> str:
        return self.due[DueState.OVERDUE].name()


def _chips(pairs: dict[Status, tuple[str, str]]) -> dict[Status, tuple[QColor, QColor]]:
    return {s: (QColor(bg), QColor(fg)) for s, (bg, fg) in pairs.items()}


LIGHT: Final = Palette(
    dark=False,
    due={
        DueState.OVERDUE: QColor("#b91c1c"),
        DueState.TODAY: QColor("#c2410c"),
        DueState.SOON: QColor("#a16207"),
    },
    new_row=QColor("#dbeafe"),
    attention_row=QColor("#fee2e2"),
    chip=_chips(
        {
            Status.RECEIVED: ("#1d4ed8", "#ffffff"),
            Status.REJECTED: ("#b91c1c", "#ffffff"),
            Status.INVOICING: ("#7c3aed", "#ffffff"),
            Status.DESIGN: ("#0e7490", "#ffffff"),
            Status.PRODUCTION: ("#0f766e", "#ffffff"),
            Status.FINISHING: ("#15803d", "#ffffff"),
            Status.QC: ("#a16207", "#ffffff"),
            Status.SHIPPED: ("#4b5563", "#ffffff"),
            Status.DELIVERED: ("#374151", "#ffffff"),
            Status.ON_HOLD: ("#c2410c", "#ffffff"),
            Status.CANCELLED: ("#6b7280", "#ffffff"),
            Status.REMAKE_REQUESTED: ("#be185d", "#ffffff"),
        }
    ),
    muted=QColor("#6b7280"),
)

DARK: Final = Palette(
    dark=True,
    due={
        DueState.OVERDUE: QColor("#f87171"),
        DueState.TODAY: QColor("#fb923c"),
        DueState.SOON: QColor("#facc15"),
    },
    new_row=QColor("#1e3a5f"),
    attention_row=QColor("#4c1d1d"),
    chip=_chips(
        {
            Status.RECEIVED: ("#3b82f6", "#0b1220"),
            Status.REJECTED: ("#f87171", "#1f0b0b"),
            Status.INVOICING: ("#a78bfa", "#140b24"),
            Status.DESIGN: ("#22d3ee", "#05191d"),
            Status.PRODUCTION: ("#2dd4bf", "#041a17"),
            Status.FINISHING: ("#4ade80", "#05190c"),
            Status.QC: ("#facc15", "#1c1503"),
            Status.SHIPPED: ("#9ca3af", "#111827"),
            Status.DELIVERED: ("#d1d5db", "#111827"),
            Status.ON_HOLD: ("#fb923c", "#1f0f03"),
            Status.CANCELLED: ("#9ca3af", "#111827"),
            Status.REMAKE_REQUESTED: ("#f472b6", "#1f0614"),
        }
    ),
    muted=QColor("#9ca3af"),
    online=QColor("#4ade80"),
    offline=QColor("#f87171"),
    badge_bg=QColor("#f59e0b"),
    badge_fg=QColor("#111827"),
)

_current: Palette = LIGHT


def current_palette() -> Palette:
    return _current


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark)


def _qt_palette(dark: bool) -> QPalette:
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    if dark:
        colors = {
            role.Window: "#1d2127",
            role.WindowText: "#e5e7eb",
            role.Base: "#252a32",
            role.AlternateBase: "#2a3038",
            role.ToolTipBase: "#2b3038",
            role.ToolTipText: "#e5e7eb",
            role.PlaceholderText: "#8b929c",
            role.Text: "#e5e7eb",
            role.Button: "#2a2f37",
            role.ButtonText: "#e5e7eb",
            role.BrightText: "#ffffff",
            role.Light: "#3a404a",
            role.Midlight: "#323842",
            role.Mid: "#262b32",
            role.Dark: "#15181c",
            role.Shadow: "#000000",
            role.Highlight: "#2f6fde",
            role.HighlightedText: "#ffffff",
            role.Link: "#7cb3ff",
            role.LinkVisited: "#c4a7ff",
        }
        disabled = {role.WindowText: "#6b7280", role.Text: "#6b7280", role.ButtonText: "#6b7280"}
    else:
        colors = {
            role.Window: "#f3f4f6",
            role.WindowText: "#111827",
            role.Base: "#ffffff",
            role.AlternateBase: "#f6f8fb",
            role.ToolTipBase: "#ffffe1",
            role.ToolTipText: "#111827",
            role.PlaceholderText: "#6b7280",
            role.Text: "#111827",
            role.Button: "#e9ebef",
            role.ButtonText: "#111827",
            role.BrightText: "#ffffff",
            role.Light: "#ffffff",
            role.Midlight: "#f3f4f6",
            role.Mid: "#c7cbd1",
            role.Dark: "#9aa1ab",
            role.Shadow: "#4b5563",
            role.Highlight: "#2563eb",
            role.HighlightedText: "#ffffff",
            role.Link: "#1d4ed8",
            role.LinkVisited: "#6d28d9",
        }
        disabled = {role.WindowText: "#9ca3af", role.Text: "#9ca3af", role.ButtonText: "#9ca3af"}
    for r, c in colors.items():
        p.setColor(r, QColor(c))
    for r, c in disabled.items():
        p.setColor(group.Disabled, r, QColor(c))
    return p


def style_sheet(palette: Palette) -> str:
    """The few rules a palette cannot express (``resources/styles``), in this palette's
    colours; the dark theme adds visible check boxes."""
    values = {
        "muted": palette.muted.name(),
        "badge_bg": palette.badge_bg.name(),
        "badge_fg": palette.badge_fg.name(),
        "error": palette.due[DueState.OVERDUE].name(),
        # a toolbar's "»" (what did not fit): Fusion draws it near-black, lost on a dark window
        "more": "dark" if palette.dark else "light",
    }
    sheet = read_text("styles/labdesk.qss")
    for name, value in values.items():
        sheet = sheet.replace(f"@{name}@", value)
    return sheet + (read_text("styles/dark.qss") if palette.dark else "")


def apply_theme(app: QApplication, theme: Theme | str) -> Palette:
    """Switch the whole application to ``theme``; returns the palette now in use."""
    global _current
    chosen = Theme(theme)
    dark = chosen is Theme.DARK or (chosen is Theme.SYSTEM and system_prefers_dark())
    app.setStyle("Fusion")
    app.setPalette(_qt_palette(dark))
    _current = DARK if dark else LIGHT
    app.setStyleSheet(style_sheet(_current))
    return _current
