"""The settings dialog (form: ``ui/settings_dialog.ui``).

It edits a copy of :class:`labdesk.config.Settings`; the caller saves it through the
workstation facade. The cache size is measured in the background (a cache of scans can hold
thousands of files).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QWidget,
)

from labdesk.config import Settings
from labdesk.domain.paper import LABEL_SIZES, TICKET_SIZES
from labdesk.domain.teeth import Notation
from labdesk.gui.forms.ui_settings_dialog import Ui_SettingsDialog
from labdesk.gui.theme import THEME_LABELS, Theme

if TYPE_CHECKING:
    from labdesk.services.workstation import CacheSize

NOTATION_LABELS = {
    Notation.FDI: "FDI (ISO 3950) — 11 to 48",
    Notation.UNIVERSAL: "Universal (ADA) — 1 to 32",
    Notation.PALMER: "Palmer — UR1 to LL8",
}


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover


class SettingsDialog(QDialog):
    """Edits the settings; :attr:`result_settings` holds the choice after ``accept``."""

    def __init__(
        self,
        settings: Settings,
        *,
        measure_cache: Callable[[Callable[[CacheSize], None]], object] | None = None,
        default_cache_dir: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_SettingsDialog()
        cast(Any, self.ui).setupUi(self)  # generated forms are untyped
        self._original = settings
        self.result_settings = settings
        for notation, label in NOTATION_LABELS.items():
            self.ui.notationCombo.addItem(label, notation.value)
        for theme, label in THEME_LABELS.items():
            self.ui.themeCombo.addItem(label, theme.value)
        for paper in TICKET_SIZES.values():
            self.ui.ticketSizeCombo.addItem(paper.title, paper.key)
        for paper in LABEL_SIZES.values():
            self.ui.labelSizeCombo.addItem(paper.title, paper.key)
        self.ui.cacheDirEdit.setPlaceholderText(default_cache_dir or "the default folder")
        self._build_scanner_group()
        self._load(settings)
        self.ui.browseButton.clicked.connect(self.on_browse_clicked)
        self.ui.watchBrowseButton.clicked.connect(self.on_watch_browse_clicked)
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
        restore = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self.on_restore_clicked)
        if measure_cache is not None:
            measure_cache(self.on_cache_measured)
        else:
            self.ui.cacheSizeLabel.setText("—")

    def _build_scanner_group(self) -> None:
        """What the lab's barcode scanners send around a code (built here, not in the form:
        two plain fields)."""
        group = QGroupBox("Barcode scanner")
        form = QFormLayout(group)
        self.scanner_prefix = QLineEdit()
        self.scanner_prefix.setObjectName("scannerPrefixEdit")
        self.scanner_prefix.setPlaceholderText("none")
        self.scanner_suffix = QLineEdit()
        self.scanner_suffix.setObjectName("scannerSuffixEdit")
        self.scanner_suffix.setPlaceholderText("none (the scanner ends with Enter)")
        for edit in (self.scanner_prefix, self.scanner_suffix):
            edit.setMaxLength(8)
        form.addRow("Prefix", self.scanner_prefix)
        form.addRow("Suffix", self.scanner_suffix)
        group.setToolTip(
            "Only if your scanners are set to send characters before or after each code. "
            "With a prefix, a scan is recognised even while typing in a text field."
        )
        layout = self.ui.mainLayout
        layout.insertWidget(layout.indexOf(self.ui.buttonBox), group)

    def _load(self, settings: Settings) -> None:
        self.scanner_prefix.setText(settings.scanner_prefix)
        self.scanner_suffix.setText(settings.scanner_suffix)
        self.ui.serverEdit.setText(settings.server_url)
        self.ui.syncIntervalSpin.setValue(settings.sync_interval_s)
        self.ui.cacheDirEdit.setText(settings.cache_dir)
        self.ui.cacheLimitSpin.setValue(settings.cache_limit_mb)
        self.ui.watchDirEdit.setText(settings.intake_watch_dir)
        self._choose(self.ui.notationCombo, settings.tooth_notation)
        self._choose(self.ui.themeCombo, settings.theme)
        self._choose(self.ui.ticketSizeCombo, settings.ticket_size)
        self._choose(self.ui.labelSizeCombo, settings.label_size)
        self.ui.printOnAcceptCheck.setChecked(settings.print_ticket_on_accept)

    @staticmethod
    def _choose(combo: Any, value: str) -> None:
        i = combo.findData(value)
        combo.setCurrentIndex(max(i, 0))

    def settings(self) -> Settings:
        """The settings as currently shown in the dialog."""
        return dataclasses.replace(
            self._original,
            server_url=self.ui.serverEdit.text().strip() or self._original.server_url,
            sync_interval_s=self.ui.syncIntervalSpin.value(),
            cache_dir=self.ui.cacheDirEdit.text().strip(),
            cache_limit_mb=self.ui.cacheLimitSpin.value(),
            tooth_notation=str(self.ui.notationCombo.currentData() or Notation.FDI.value),
            theme=str(self.ui.themeCombo.currentData() or Theme.SYSTEM.value),
            intake_watch_dir=self.ui.watchDirEdit.text().strip(),
            scanner_prefix=self.scanner_prefix.text(),
            scanner_suffix=self.scanner_suffix.text(),
            ticket_size=str(self.ui.ticketSizeCombo.currentData() or self._original.ticket_size),
            label_size=str(self.ui.labelSizeCombo.currentData() or self._original.label_size),
            print_ticket_on_accept=self.ui.printOnAcceptCheck.isChecked(),
        )

    def on_cache_measured(self, result: CacheSize) -> None:
        if isinstance(result, BaseException):
            self.ui.cacheSizeLabel.setText(f"Could not measure: {result}")
            return
        size, files = result
        self.ui.cacheSizeLabel.setText(f"{human_size(size)} in {files} files")

    def on_browse_clicked(self) -> None:
        start = self.ui.cacheDirEdit.text() or self.ui.cacheDirEdit.placeholderText()
        chosen = QFileDialog.getExistingDirectory(self, "Cache folder", start)
        if chosen:
            self.ui.cacheDirEdit.setText(chosen)

    def on_watch_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Folder the scanners export to", self.ui.watchDirEdit.text()
        )
        if chosen:
            self.ui.watchDirEdit.setText(chosen)

    def on_restore_clicked(self) -> None:
        defaults = Settings()
        self._load(dataclasses.replace(defaults, server_url=self.ui.serverEdit.text()))

    def accept(self) -> None:
        self.result_settings = self.settings()
        super().accept()
