#!/usr/bin/env bash
# Stops the Tryton and Redmine servers started by start.sh (by the pids it recorded). Data stays.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib/common.sh"
stop_pid tryton "$TRYTON_PID"
stop_pid redmine "$REDMINE_PID"
log "stopped (data kept in $CONDUIT_REAL_DIR)"
