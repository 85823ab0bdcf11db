#!/usr/bin/env bash
# Tells whether Tryton and Redmine (started by start.sh) run and answer. Exit 0 only if both answer.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib/common.sh"
rc=0
report() { # report NAME PIDFILE CHECK URL
    local pid=stopped answer=no
    pid_alive "$2" && pid="pid $(cat "$2")"
    if $3; then answer=yes; else rc=1; fi
    printf '%-8s %-14s answering: %-3s %s\n' "$1" "$pid" "$answer" "$4"
}
report tryton "$TRYTON_PID" tryton_up "$TRYTON_URL"
report redmine "$REDMINE_PID" redmine_up "$REDMINE_URL"
if [ -s "$PROPERTIES" ]; then echo "properties: $PROPERTIES"; else echo "properties: none yet (run start.sh)"; rc=1; fi
exit $rc
