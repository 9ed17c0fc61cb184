#!/usr/bin/env bash
# Set up LabDesk and start it with the embedded demo portal (real server on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/labdesk --demo "$@"
