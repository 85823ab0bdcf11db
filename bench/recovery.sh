#!/usr/bin/env bash
# Recovery times of the order handoff on the embedded default (sandbox ERP), with the retry lane (now) and with the
# redelivery policy before it (6 redeliveries in place up to 30 s, then parked; --before): N orders are won while the
# ERP is down; the ERP comes back after D seconds; printed: time from the ERP's recovery to the first and the last
# order's ERP number in the CRM. Then the restart case: orders waiting for the ERP, the ESB killed with SIGKILL and
# started again: time from the new start to the first and last delivery.
#
#   bench/recovery.sh [--orders N] [--down SECONDS] [--before] [--jar PATH --home DIR]
#
# --jar runs that ESB jar instead of building this one, in folder --home (its routes, adapters and mappings), e.g. an
# older commit's checkout for a before/after comparison.
#
# Builds the jar, runs the ESB on port 18080 with a fresh data folder (target/recovery-data), needs curl.
set -euo pipefail
cd "$(dirname "$0")/.."
ORDERS=20 DOWN=40 EXTRA=() JAR= HOME_DIR=.
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) ORDERS=$2; shift 2 ;;
    --down) DOWN=$2; shift 2 ;;
    --before) EXTRA=(--esb.retry.enabled=false --esb.redelivery.maximum-redeliveries=6); shift ;;
    --jar) JAR=$(realpath "$2"); shift 2 ;;
    --home) HOME_DIR=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
PORT=18080 BASE=http://localhost:18080 DATA=$PWD/target/recovery-data LOG=$PWD/target/recovery-esb.log
if [ -z "$JAR" ]; then
  mvn -q -B -DskipTests package
  JAR=$(realpath "$(ls target/conduit-esb-*.jar | head -1)")
else
  mvn -q -B test-compile
fi
rm -rf "$DATA"

start_esb() {
  (cd "$HOME_DIR" && exec java -Xmx1g -jar "$JAR" --server.port=$PORT --esb.embedded.data-dir=$DATA \
    --esb.embedded.kafka.port=19092 --esb.embedded.kafka.controller-port=19093 --esb.embedded.postgres.port=25432 \
    "${EXTRA[@]}") > "$LOG" 2>&1 &
  ESB_PID=$!
  for _ in $(seq 1 180); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' $BASE/actuator/health/readiness)" = 200 ] && return 0
    sleep 1
  done
  echo "the ESB did not become ready; see target/recovery-esb.log" >&2; exit 1
}
bench() {
  mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.conduit.esb.bench.RecoveryBenchmark \
    -Dexec.args="$BASE $ORDERS $DOWN $1"
}
trap '[ -n "${ESB_PID:-}" ] && kill "$ESB_PID" 2>/dev/null || true' EXIT

start_esb
bench outage
bench queue
kill -9 "$ESB_PID"; wait "$ESB_PID" 2>/dev/null || true
RESTART_MS=$(date +%s%3N)
start_esb
echo "restart: ready $(( $(date +%s%3N) - RESTART_MS )) ms after the start"
bench "since:$RESTART_MS"
kill "$ESB_PID"; wait "$ESB_PID" 2>/dev/null || true
