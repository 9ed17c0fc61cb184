"""The one way the application reads its non-code assets (icons, style sheets).

The assets live in ``resources/`` at the top of the project. ``scripts/build_ui.sh`` compiles
the ones the running app needs (listed in ``resources/labdesk.qrc``) with ``pyside6-rcc`` into
``labdesk/gui/forms/rc_resources.py``, which registers them with Qt under ``:/labdesk/``.

Why compiled into a module rather than shipped as data files found with importlib.resources:
a module travels wherever the package does — a source checkout run with ``PYTHONPATH``, an
editable install, a wheel and a PyInstaller bundle — with no package-data mapping, no path
lookup and no ``sys._MEIPASS`` branch, and Qt style sheets can name ``:/`` paths directly.
Everything that reads these assets is Qt code, so nothing is lost by going through Qt.
"""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtGui import QIcon

from labdesk.gui.forms import rc_resources

PREFIX = ":/labdesk"


def ensure_registered() -> None:
    """Importing the compiled module registers it; this keeps the import from looking unused
    and says where the registration happens."""
    assert rc_resources.qt_resource_data  # registered at import


def asset_path(relative: str) -> str:
    """The Qt path of an asset, e.g. ``icons/check.svg`` -> ``:/labdesk/icons/check.svg``."""
    return f"{PREFIX}/{relative}"


def icon(name: str) -> QIcon:
    """An icon from ``resources/icons/<name>.svg``."""
    return QIcon(asset_path(f"icons/{name}.svg"))


def read_text(relative: str) -> str:
    """A text asset (a style sheet); a missing one is a packaging bug, so it raises."""
    handle = QFile(asset_path(relative))
    if not handle.open(QIODevice.OpenModeFlag.ReadOnly | QIODevice.OpenModeFlag.Text):
        raise FileNotFoundError(f"asset {relative} is not in the compiled resources")
    try:
        return bytes(handle.readAll().data()).decode("utf-8")
    finally:
        handle.close()


ensure_registered()
