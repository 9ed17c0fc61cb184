#!/usr/bin/env bash
# Build the one-folder LabDesk app with PyInstaller into dist/labdesk, then check it:
#   packaging/build.sh            build, validate the desktop entry and AppStream metadata
#   packaging/build.sh --smoke    ... and start the frozen app under Xvfb with --demo, wait for
#                                 the inbox after a sync, open a scan in the 3D view, exit 0
# PYTHON selects the environment that has LabDesk and its dependencies (default .venv, set up
# by scripts/bootstrap.sh); PyInstaller is installed into it (the `freeze` extra).
# Linux only as written; docs/packaging.md gives the Windows and macOS commands.
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=0
[[ ${1:-} == --smoke ]] && smoke=1
if [[ -z ${PYTHON:-} ]]; then
  scripts/bootstrap.sh
  PYTHON=.venv/bin/python
fi
dist=${LABDESK_DIST:-dist}
work=${LABDESK_BUILD:-build}
"$PYTHON" -c 'import PyInstaller' 2>/dev/null || "$PYTHON" -m pip install -q "pyinstaller>=6.10"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$dist" --workpath "$work" packaging/labdesk.spec
app="$dist/labdesk"
# The Linux desktop integration beside the program (a package installs share/ under /usr).
install -Dm644 packaging/org.labdesk.LabDesk.desktop "$app/share/applications/org.labdesk.LabDesk.desktop"
install -Dm644 packaging/org.labdesk.LabDesk.metainfo.xml "$app/share/metainfo/org.labdesk.LabDesk.metainfo.xml"
install -Dm644 resources/icons/labdesk.svg "$app/share/icons/hicolor/scalable/apps/labdesk.svg"
for png in resources/icons/hicolor/*/apps/labdesk.png; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  install -Dm644 "$png" "$app/share/icons/hicolor/$size/apps/labdesk.png"
done
echo "built $app in $(( $(date +%s) - start )) s ($(du -sh "$app" | cut -f1)); run $app/labdesk"

desktop-file-validate "$app/share/applications/org.labdesk.LabDesk.desktop"
appstreamcli validate --no-net "$app/share/metainfo/org.labdesk.LabDesk.metainfo.xml"

if ((smoke)); then
  # A fresh home: the smoke proves a first start (new cache, demo portal, first sync).
  home=$(mktemp -d)
  trap 'rm -rf "$home"' EXIT
  start=$(date +%s)
  HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
    XDG_CACHE_HOME=$home/.cache XDG_STATE_HOME=$home/.local/state QT_QPA_PLATFORM=xcb \
    timeout 300 xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$app/labdesk" --demo --quit-when-ready --smoke-scan
  echo "frozen app smoke passed in $(( $(date +%s) - start )) s"
fi
