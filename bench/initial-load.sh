#!/usr/bin/env bash
# The customer master's initial load (issue 15): the flow's first start on a CRM that already holds 50,000 accounts
# (--quick: 5,000), measured end to end on the embedded defaults (embedded PostgreSQL, Kafka, Artemis and the sandbox
# CRM/ERP in the ESB's JVM, -Xmx1g, as bench/throughput.sh runs it). CustomerInitialLoadBench:
#
#  1. starts the ESB with the customer master OFF (ESB_CUSTOMER_MASTER_ENABLED=false: no capture, no watermark) on a
#     fresh data folder, so the sandbox schemas are migrated; creates 3 accounts through the sandbox CRM API and the
#     rest by bulk SQL (the API's INSERT, 1,000 per transaction; the CRM's trigger stamps revision and change capture
#     as for the API's accounts, checked by comparing the rows); 1% are deliberate conflicts (a second account with the
#     tax id of the one before it); stops the ESB;
#  2. starts it again on the same data with the customer master ON: its capture has no watermark yet and reads every
#     account - the initial load. From the launch of that process until every non-conflicting account is an ERP
#     customer and has its ERP number in the CRM, and every conflict is parked: a progress line every 10 s, then the
#     legs' records/s, peak RSS and heap, CPU, parked messages by reason, duplicates (must be 0), and as last line:
#
#   initial-load: customers=<n> erp-created=<n> crm-numbered=<n> conflicts-parked=<n> duplicates=<n> seconds=<s> records-per-s=<r> peak-rss-mb=<m> cpu-s=<c>
#
# records-per-s: accounts with their ERP number back in the CRM per second from the launch (boot included).
#
#   bench/initial-load.sh [--quick] [--jar PATH] [--accounts N] [--timeout SECONDS] [--until TIME] [--out DIR]
#
# Holds /tmp/conduit-mvn.lock for the whole run (build and load; taken here unless the caller holds it:
# `flock -o /tmp/conduit-mvn.lock bench/initial-load.sh` or CONDUIT_LOCK_HELD=1). Builds the jar and the test classes
# (Maven offline) unless --jar; free ports; data and logs (esb-seed.log, esb.log) in target/initial-load (--out); the output
# also in target/initial-load/result.txt. --timeout (default 3600 s, quick 900 s) ends a load that is not done and
# reports how far it got and what 50,000 would take at that rate; --until (a time `date -d` reads, e.g. 22:50) ends it
# then at the latest, whenever the load started (a shared machine's lock may keep it waiting).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_hold_lock "$@"
QUICK=0 JAR= N= TIMEOUT= UNTIL=0 OUT=$PWD/target/initial-load
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --jar) JAR=$(realpath "$2"); shift 2 ;;
    --accounts) N=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --out) OUT=$(realpath -m "$2"); shift 2 ;;
    --until) UNTIL=$(date -d "$2" +%s); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ $QUICK = 1 ]; then MODE=quick; N=${N:-5000}; TIMEOUT=${TIMEOUT:-900}
else MODE=full; N=${N:-50000}; TIMEOUT=${TIMEOUT:-3600}; fi
bench_build "$OUT" "$JAR"
JAR=$BENCH_JAR CP=$BENCH_CP
ulimit -n 65536 2>/dev/null || true
rm -rf "$OUT/data" "$OUT/app" "$OUT"/esb*.log
# the jar extracted (Spring Boot's jarmode tools): it starts faster than the nested jar
if java -Djarmode=tools -jar "$JAR" extract --destination "$OUT/app" > "$OUT/extract.log" 2>&1; then
  RUN_JAR=$OUT/app/$(basename "$JAR")
else
  RUN_JAR=$JAR
fi
java -version > "$OUT/java-version.txt" 2>&1

cleanup() {
  # the ESB is the bench's own child (stopped by it); its embedded PostgreSQL runs detached and may stay
  bench_stop_esb "" "$OUT/data"
}
trap cleanup EXIT
java -Xmx512m -Dclk.tck="$(getconf CLK_TCK)" -Dload.until="$UNTIL" -cp "$CP" io.conduit.esb.bench.throughput.CustomerInitialLoadBench \
  "$RUN_JAR" "$OUT" "$N" "$TIMEOUT" "$MODE" 2>&1 | tee "$OUT/result.txt"
