#!/usr/bin/env bash
# Set up LabDesk on a Debian/Ubuntu machine: the Debian libraries Qt and OpenGL need, a
# virtual environment in .venv, and the project with its development tools.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's xcb platform, Mesa OpenGL and Xvfb (for screenshots and GL tests on machines without
# a screen). Keep this list in one place: README and CI both come through here.
DEB_PACKAGES=(xvfb xauth libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0
  libxcb-image0 libxcb-xinerama0 libglib2.0-0 libfontconfig1 libdbus-1-3
  libgl1-mesa-dri fonts-dejavu-core  # Mesa's llvmpipe renderer; a font for Qt's text
  poppler-utils libzbar0  # tests read printed tickets as a scanner does: PDF -> pixels -> zbar
  desktop-file-utils appstream  # validate the desktop entry and AppStream file of the app
  dbus dbus-x11 gnome-keyring)  # a real Secret Service for the remember-me tests (keyring_real)
if [[ "${LABDESK_WITH_POSTGRES:-0}" == 1 ]]; then
  DEB_PACKAGES+=(postgresql)  # with postgresql-client: pg_dump/pg_restore for backups
fi

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  missing+=(python3-venv)
fi
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    echo "bootstrap: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: these Debian packages are missing; install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "bootstrap: LabDesk needs Python 3.11 or newer ($PY is $("$PY" --version))" >&2
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  echo "bootstrap: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.labdesk-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  echo "bootstrap: installing LabDesk and its tools into .venv (a few minutes the first time)"
  # (pip's notes about local index folders that do not exist on this machine are noise)
  quiet() { grep -v -e "^WARNING: Location 'file:" || true; }
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | quiet
  .venv/bin/python -m pip install -q -e '.[dev,freeze]' 2>&1 | quiet
  touch "$stamp"
fi
echo "bootstrap: ready"
