#!/usr/bin/env bash
# The complaint routing on a real Redmine by one switch, end to end: starts the whole ESB (embedded brokers, sandbox
# CRM) with ESB_OA_ADAPTER=redmine, opens a case in the sandbox CRM, waits for its Redmine issue, moves the issue to
# In Progress and then Resolved over Redmine's REST API as a person's client would, and waits for the CRM case to
# follow (Routed -> In Progress -> Resolved). Stops the ESB it started. Exit 0 only if the case followed.
# Reads $CONDUIT_REAL_DIR/real-systems.properties (written by start.sh). Needs the project built (mvn compile).
#   ops/real-systems/complaint-on-redmine.sh            ESB on port 18089, data in a fresh temporary folder
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib/common.sh"
[ -s "$PROPERTIES" ] || { echo "no $PROPERTIES: run start.sh first" >&2; exit 1; }
prop() { sed -n "s/^$1=//p" "$PROPERTIES"; }
cd "$HERE/../.."

PORT=${ESB_PORT:-18089}
DATA=$(mktemp -d /tmp/conduit-complaint-on-redmine.XXXXXX)
KEY=$(prop redmine.api-key)
REDMINE=$(prop redmine.url)
CF=$(prop redmine.custom-field.external-reference-id)
ESB=http://localhost:$PORT
LOG=$DATA/esb.log
export ESB_OA_ADAPTER=redmine OA_BASE_URL=$REDMINE ESB_OA_API_KEY=$KEY ESB_OA_CF_EXTERNAL_REFERENCE=$CF \
    ESB_OA_CF_SLA_DUE_AT=$(prop redmine.custom-field.sla-due-at-id) ESB_OA_TRACKER_ID=$(prop redmine.tracker-id) \
    ESB_OA_TASK_EVENTS_POLL_PERIOD=2000 PORT=$PORT ESB_DATA_DIR=$DATA

timeout 600 mvn -B -q spring-boot:run >"$LOG" 2>&1 &
APP=$!
stop() {
    local mvn kids
    mvn=$(ps -o pid= --ppid "$APP" 2>/dev/null)
    kids=$(for m in $mvn; do ps -o pid= --ppid "$m"; done)
    for p in $kids; do kill "$p" 2>/dev/null; done
    sleep 8
    for p in $kids $mvn $APP; do kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null; done
    wait "$APP" 2>/dev/null
}
trap stop EXIT
status() { curl -s "$ESB/sandbox/crm/api/cases/$CASE" | "$PY" -c 'import json,sys; print(json.load(sys.stdin).get("caseStatus"))'; }
await_status() { # await_status STATUS SECONDS
    for _ in $(seq 1 "$2"); do [ "$(status)" = "$1" ] && { log "CRM case $CASE: $1"; return 0; }; sleep 1; done
    log "CRM case $CASE is '$(status)', not '$1' after $2 s (ESB log: $LOG)"; return 1
}
move() { # move STATUS_ID
    curl -s -o /dev/null -w '%{http_code}' -X PUT -H "X-Redmine-API-Key: $KEY" -H 'Content-Type: application/json' \
        -d "{\"issue\": {\"status_id\": $1}}" "$REDMINE/issues/$ISSUE.json" | grep -q 204
}

for _ in $(seq 1 180); do
    curl -s -o /dev/null -w '%{http_code}' "$ESB/actuator/health" 2>/dev/null | grep -q 200 && break
    kill -0 $APP 2>/dev/null || { log "the ESB did not start (log: $LOG)"; exit 1; }
    sleep 2
done
log "ESB up with ESB_OA_ADAPTER=redmine on $ESB"
CASE=CS-RM$(date +%s)
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' "$ESB/sandbox/crm/api/cases" -d "{\"caseNumber\": \"$CASE\",
  \"accountNo\": \"ACC-204\", \"accountName\": \"Acme GmbH\", \"accountTier\": \"Gold\", \"categoryCode\": \"DMG\",
  \"priority\": \"High\", \"origin\": \"Email\", \"subject\": \"Complaint $CASE\", \"description\": \"Two pumps cracked.\",
  \"productSku\": \"P-100\", \"productName\": \"Hydraulic pump HP-10\"}"
ISSUE=
for _ in $(seq 1 60); do
    ISSUE=$(curl -s -H "X-Redmine-API-Key: $KEY" "$REDMINE/issues.json?status_id=*&cf_$CF=$CASE" \
        | "$PY" -c 'import json,sys; i=json.load(sys.stdin)["issues"]; print(i[0]["id"] if i else "")')
    [ -n "$ISSUE" ] && break
    sleep 1
done
[ -n "$ISSUE" ] || { log "no Redmine issue for $CASE (log: $LOG)"; exit 1; }
log "case $CASE is Redmine issue $REDMINE/issues/$ISSUE"
await_status Routed 30 || exit 1
move "$(prop redmine.status.in-progress-id)" && await_status "In Progress" 30 || exit 1
move "$(prop redmine.status.resolved-id)" && await_status Resolved 30 || exit 1
log "complaint on Redmine: passed"
