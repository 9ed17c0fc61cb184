#!/usr/bin/env bash
# The whole check, as CI runs it: lint, types, layering, then the test suite in its passes.
#   1. everything but OpenGL with Qt's offscreen platform;
#   2. OpenGL tests (marker gl) on a virtual X screen (Xvfb + Mesa llvmpipe);
#   3. the server integration tests again on PostgreSQL (started here when we are root);
#   4. remember-me with a real keyring: gnome-keyring's Secret Service in a D-Bus session;
#   5. packaging (the full run only, or LABDESK_PACKAGING=1): the wheel installed into a fresh
#      venv and started (-m packaging), then the frozen app built once and started under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
LABDESK_WITH_POSTGRES=1 scripts/bootstrap.sh
export PATH="$PWD/.venv/bin:$PATH"
export PYTHONDONTWRITEBYTECODE=1
start=$(date +%s)

echo "== ruff"; ruff check . && ruff format --check .
echo "== mypy"; mypy
echo "== import-linter"; lint-imports

# pytest, where "no test selected" (exit 5) is fine only when the caller narrowed the run
# with arguments (scripts/test.sh -k teeth); the full run must execute tests in every pass.
narrowed=$#
run_pytest() {
  local rc=0
  "$@" || rc=$?
  if [[ $rc == 5 && $narrowed -gt 0 ]]; then return 0; fi
  return $rc
}

echo "== pytest: widgets and everything without OpenGL (offscreen)"
QT_QPA_PLATFORM=offscreen run_pytest pytest -m "not gl and not postgres and not packaging and not keyring_real" "$@"

echo "== pytest: OpenGL tests under Xvfb"
QT_QPA_PLATFORM=xcb run_pytest xvfb-run -a -s "-screen 0 1600x1000x24" \
  pytest -m "gl and not postgres and not keyring_real" "$@"

echo "== pytest: server integration tests on PostgreSQL"
if [[ -z "${LABDESK_TEST_PG_URL:-}" ]]; then
  LABDESK_TEST_PG_URL=$(scripts/postgres.sh)
fi
LABDESK_REQUIRE_PG=1 LABDESK_TEST_PG_URL="$LABDESK_TEST_PG_URL" QT_QPA_PLATFORM=offscreen \
  run_pytest pytest -m "postgres and not gl and not keyring_real" "$@"

echo "== pytest: remember-me with a real keyring (gnome-keyring Secret Service, D-Bus session)"
LABDESK_REQUIRE_KEYRING=1 QT_QPA_PLATFORM=offscreen \
  run_pytest scripts/keyring_session.sh pytest -m "keyring_real and not postgres" "$@"

if [[ $narrowed -eq 0 || ${LABDESK_PACKAGING:-0} == 1 ]]; then
  echo "== packaging: the wheel in a fresh virtual environment"
  step=$(date +%s)
  QT_QPA_PLATFORM=offscreen run_pytest pytest -m packaging "$@"
  echo "   wheel test: $(( $(date +%s) - step )) s"
  echo "== packaging: the frozen app (PyInstaller), desktop files, smoke under Xvfb"
  step=$(date +%s)
  PYTHON=.venv/bin/python LABDESK_DIST=build/frozen/dist LABDESK_BUILD=build/frozen/work \
    packaging/build.sh --smoke
  echo "   frozen app build and smoke: $(( $(date +%s) - step )) s"
fi

echo "== all checks passed in $(( $(date +%s) - start )) s"
