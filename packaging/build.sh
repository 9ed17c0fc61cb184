#!/usr/bin/env bash
# Build a one-folder LabDesk bundle in dist/labdesk with PyInstaller (into the project venv).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
.venv/bin/python -m pip install -q "pyinstaller>=6.10"
.venv/bin/pyinstaller --noconfirm --clean packaging/labdesk.spec
install -Dm644 packaging/labdesk.desktop dist/labdesk/share/applications/labdesk.desktop
install -Dm644 packaging/icons/labdesk.svg dist/labdesk/share/icons/hicolor/scalable/apps/labdesk.svg
echo "built dist/labdesk (run dist/labdesk/labdesk)"
