"""Assets: resources/ is their only home, the compiled module is fresh, and the app reads them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from labdesk.gui.assets import asset_path, icon, read_text
from labdesk.gui.theme import DARK, LIGHT, style_sheet

ROOT = Path(__file__).resolve().parents[2]
ASSET_SUFFIXES = {".svg", ".png", ".jpg", ".ico", ".icns", ".qss", ".qrc", ".wav", ".ogg", ".qm"}


def test_compiled_resources_are_up_to_date(tmp_path: Path) -> None:
    """``scripts/build_ui.sh`` compiles resources/labdesk.qrc exactly as committed."""
    uic = Path(sys.executable).with_name("pyside6-uic")
    subprocess.run(
        ["bash", str(ROOT / "scripts/build_ui.sh"), str(tmp_path)],
        cwd=ROOT,
        check=True,
        env={"PATH": "/usr/bin:/bin", "PYSIDE6_UIC": str(uic)},
    )
    committed = ROOT / "labdesk/gui/forms/rc_resources.py"
    assert committed.read_text() == (tmp_path / "rc_resources.py").read_text(), (
        "rc_resources.py is stale; run scripts/build_ui.sh"
    )


def test_no_asset_lives_outside_resources() -> None:
    """Icons, style sheets and sounds have one home; docs/ screenshots are documentation."""
    tracked = subprocess.run(
        ["git", "ls-files", "labdesk", "ui", "packaging", "scripts", "tests"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    strays = [p for p in tracked if Path(p).suffix.lower() in ASSET_SUFFIXES]
    assert strays == []


def test_every_asset_the_qrc_lists_exists_and_loads(qapp: Any) -> None:
    assert not icon("labdesk").isNull()
    assert not icon("check").isNull()
    assert "QLabel" in read_text("styles/labdesk.qss")
    assert asset_path("icons/check.svg") in read_text("styles/dark.qss").replace("url(", " ")


def test_style_sheets_have_every_placeholder_filled(qapp: QApplication) -> None:
    for palette in (LIGHT, DARK):
        sheet = style_sheet(palette)
        assert "@" not in sheet
        assert palette.muted.name() in sheet
    assert "QCheckBox::indicator" in style_sheet(DARK)
    assert "QCheckBox::indicator" not in style_sheet(LIGHT)
