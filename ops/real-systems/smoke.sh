#!/usr/bin/env bash
# Proves the running systems accept what the adapters will send: in Tryton a party (with address), a product
# and a sale with one line and a reference, quoted and confirmed; in Redmine an issue in a department project.
# Reads $CONDUIT_REAL_DIR/real-systems.properties (written by start.sh). --trace prints every Tryton call.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib/common.sh"
[ -s "$PROPERTIES" ] || { echo "no $PROPERTIES: run start.sh first" >&2; exit 1; }
prop() { sed -n "s/^$1=//p" "$PROPERTIES"; }

log "smoke: tryton sale"
"$PY" "$HERE/lib/tryton_rpc.py" "$@" smoke "$(prop tryton.url)" "$(prop tryton.user)" "$(prop tryton.password)" \
    "$PROPERTIES"
log "smoke: redmine issue"
"$PY" "$HERE/lib/redmine_smoke.py" "$PROPERTIES"
log "smoke: passed"
