#!/usr/bin/env bash
# Run a command inside a private D-Bus session with an unlocked gnome-keyring (the Secret
# Service), so keyring's SecretService backend is real: scripts/keyring_session.sh pytest -m keyring_real
# The keyring lives in a throwaway home; the password only unlocks that throwaway keyring.
set -euo pipefail
if [[ $# == 0 ]]; then echo "usage: $0 COMMAND..." >&2; exit 2; fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_DATA_HOME=$home/.local/share XDG_RUNTIME_DIR=$home/run
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# dbus-daemon warns that it cannot raise its fd limit when not root-capable: harmless.
exec dbus-run-session -- bash -c '
  echo -n labdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  export PYTHON_KEYRING_BACKEND=keyring.backends.SecretService.Keyring
  exec "$@"' keyring-session "$@" 2> >(grep -v "Failed to set fd limit" >&2)
