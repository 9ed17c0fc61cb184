"""Render resources/icons/labdesk.svg into the raster icons the platforms need.

    QT_QPA_PLATFORM=offscreen python scripts/build_icons.py

Writes, beside the SVG (all committed; run again when the SVG changes):
  hicolor/<n>x<n>/apps/labdesk.png   the Linux desktop entry's sizes (16 ... 512)
  labdesk.ico                        the Windows executable and installer (16 ... 256)
  labdesk.icns                       the macOS bundle (16 ... 512)
PyInstaller takes the .ico/.icns as they are; the Linux bundle installs the SVG and PNGs.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data.data()))).convert("RGBA")


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "labdesk.svg"))
    if not renderer.isValid():
        print("resources/icons/labdesk.svg is not a valid SVG", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in SIZES}
    for size, image in images.items():
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "labdesk.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, optimize=True)
    images[256].save(ICONS / "labdesk.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    images[512].save(ICONS / "labdesk.icns")
    del app
    print(f"icons written under {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
