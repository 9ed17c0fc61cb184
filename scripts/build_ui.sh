#!/usr/bin/env bash
# Compile the Qt Designer sources in ui/ into labdesk/gui/forms/ui_<name>.py, and the assets
# listed in resources/labdesk.qrc into labdesk/gui/forms/rc_resources.py (read through
# labdesk/gui/assets.py as :/labdesk/...).
#   ui/sign_in_dialog.ui          -> labdesk/gui/forms/ui_sign_in_dialog.py
#   ui/dialogs/reject_dialog.ui   -> labdesk/gui/forms/ui_reject_dialog.py
#   resources/labdesk.qrc         -> labdesk/gui/forms/rc_resources.py
# The generated files are committed (so a checkout runs without the Qt tools) and carry a
# "do not edit" first line; tests/gui/test_workstation_dialogs.py (forms) and
# tests/gui/test_assets.py (resources) fail when one is stale.
# Usage: scripts/build_ui.sh [OUT_DIR]   (OUT_DIR: for that test; default the package)
set -euo pipefail
cd "$(dirname "$0")/.."
uic=${PYSIDE6_UIC:-.venv/bin/pyside6-uic}
rcc=${PYSIDE6_RCC:-$(dirname "$uic")/pyside6-rcc}
out=${1:-labdesk/gui/forms}
mkdir -p "$out"
find ui -name '*.ui' -print0 | sort -z | while IFS= read -r -d '' src; do
  name=$(basename "$src" .ui)
  dest="$out/ui_$name.py"
  tmp=$(mktemp)
  "$uic" --generator python "$src" -o "$tmp"
  { printf '# Generated from %s by pyside6-uic — do not edit\n' "$src"; cat "$tmp"; } > "$dest"
  rm -f "$tmp"
done

# Format version 1 carries no file times, so the output depends only on the files' contents.
tmp=$(mktemp)
"$rcc" -g python --format-version 1 resources/labdesk.qrc -o "$tmp"
{ printf '# Generated from resources/labdesk.qrc by pyside6-rcc — do not edit\n'; cat "$tmp"; } \
  > "$out/rc_resources.py"
rm -f "$tmp"
