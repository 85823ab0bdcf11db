#!/usr/bin/env bash
# Throughput of the ESB on one machine, on its embedded defaults (embedded PostgreSQL, Kafka, Artemis and the sandbox
# CRM/ERP/OA in the ESB's JVM, as `mvn spring-boot:run` has them), with what it costs compared to plain Java:
#
#  1. idle: the ESB process's CPU (/proc/<pid>/stat utime+stime) over 30 s after a 20 s settle, % of one core, once
#     at start (the JIT compiler still busy) and once after all the load below (the figure of the last line);
#  2. simple flow: POST of a ~600-byte order JSON -> JSONata mapping -> INSERT ... RETURNING -> 201 with the order
#     number, as one extra route file in the running product (bench/simple-flow/bench-simple-order.camel.yaml and its
#     mapping, copied into the run's routes and mappings folders; HTTP Basic as an OPERATOR, like any route an IT team
#     adds), against RawOrderServer, the same work in plain Java (JDK HttpServer + HikariCP + Jackson) on the same
#     PostgreSQL; both driven by wrk (closed model): 60 s at 16 connections for the JIT, then at 1, 16 and 64
#     connections, 10 s each after a 5 s warm-up:
#     req/s, p50/p99, non-2xx (must be 0, else the script fails), socket errors (reported), CPU ms per request and
#     RSS of the serving process;
#  3. order handoff, open model: signed CRM "closed won" webhooks at a fixed arrival rate (at most 256 in flight, as
#     from a sender's connection pool), after a 90 s warm-up at 50/s (the JIT compiles for minutes), stepped up
#     (25 .. 2000/s, 20 s each), the opportunities created in the sandbox CRM beforehand; per order, from the webhook's
#     due time:
#     202, ERP row, acknowledgement back in the CRM (end to end). Result: the highest rate at which every order was
#     acknowledged (within a 60 s drain) with end-to-end p99 <= 100 ms, and the figures at 1,000 orders/s (always
#     run), CPU ms per order, RSS, Kafka producer batch figures where the ESB exposes them;
#  4. the same handoff by hand-written Java (RawHandoffServer: HMAC check, Kafka, the ERP adapter's statements, Kafka,
#     the CRM's PATCH; no journal, validation, versioning, breakers or parking) on the same broker, PostgreSQL and
#     sandbox CRM, driven the same way after a 30 s warm-up: the handoff's reference, as plain Java is the simple
#     flow's. Reported on the line before the last:  throughput: raw handoff=<orders/s> p99@1000=<ms> (...)
#
#   bench/throughput.sh [--quick] [--jar PATH]
#
# --quick: 10 s idle, simple runs 5 s after 2 s warm-up (JIT warm-up 20 s), handoff 30 s warm-up then 50, 100, 200, 1000/s at 5 s each
# (a check that it all works, not figures to quote). --jar: run that ESB jar instead of building this one (the test classes are built).
#
# Builds the jar and the test classes (Maven offline, under /tmp/conduit-mvn.lock), installs wrk if missing (apt-get),
# runs the ESB on port 18180 (Kafka 19192/19193, PostgreSQL 25532) with a fresh data folder in target/throughput, the
# raw server on 18181. Figures: target/throughput/results.json, a table, and as the last line:
#
#   throughput: simple=<req/s> raw=<req/s> ratio=<simple/raw> handoff=<orders/s> p99@1000=<ms> rss=<MB> idle-cpu=<%>
#
# Logs in target/throughput (esb.log, raw.log, wrk-*.txt). The driver and the servers share the machine's cores: on a
# small machine the figures include the load generator's own CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=0 JAR=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --jar) JAR=$(realpath "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ $QUICK = 1 ]; then
  MODE=quick IDLE_S=10 JIT_WARM_S=20 WARM_S=2 RUN_S=5 RATES=50,100,200,1000 PHASE_S=5 HANDOFF_WARM_S=30 RAW_HANDOFF_WARM_S=10
else
  MODE=full IDLE_S=30 JIT_WARM_S=60 WARM_S=5 RUN_S=10 RATES=25,50,75,100,125,150,200,300,400,600,800,1000,1500,2000 PHASE_S=20 HANDOFF_WARM_S=90
  RAW_HANDOFF_WARM_S=30
fi
DRAIN_S=60 SETTLE_S=20
PORT=18180 RAW_PORT=18181 RAW_HANDOFF_PORT=18182 PG_PORT=25532
BASE=http://localhost:$PORT RAW=http://localhost:$RAW_PORT JDBC=jdbc:postgresql://localhost:$PG_PORT/postgres
OUT=$PWD/target/throughput DATA=$PWD/target/throughput/data
# Maven offline, one build at a time on this machine (each call takes the lock); its output in
# target/throughput/build.log, shown if it fails
. bench/lib.sh
BENCH_MVN_LOCK=1 bench_build "$OUT" "$JAR"
JAR=$BENCH_JAR CP=$BENCH_CP
if ! command -v wrk >/dev/null; then
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
ulimit -n 65536 2>/dev/null || true

# a fresh data folder; the flows' folders copied, plus the bench's route file and mapping
rm -rf "$DATA" "$OUT"/wrk-*.txt "$OUT"/*.json
bench_flow_files "$OUT"
java -version > "$OUT/java-version.txt" 2>&1
CLK_TCK=$(getconf CLK_TCK)

ESB_PID= RAW_PID=
cleanup() {
  [ -n "$RAW_PID" ] && kill "$RAW_PID" 2>/dev/null || true
  bench_stop_esb "$ESB_PID" "$DATA"
}
trap cleanup EXIT

bench_start_esb "throughput ($MODE)" "$OUT" "$DATA" "$JAR" $PORT $PG_PORT
echo "throughput: ESB ready after $BENCH_READY_S s (pid $ESB_PID); settling ${SETTLE_S} s, then idle CPU over ${IDLE_S} s"

sleep $SETTLE_S
T0=$(bench_cpu_ticks $ESB_PID); N0=$(date +%s%N)
sleep $IDLE_S
T1=$(bench_cpu_ticks $ESB_PID); N1=$(date +%s%N)
IDLE=$(awk -v t=$((T1 - T0)) -v hz="$CLK_TCK" -v ns=$((N1 - N0)) 'BEGIN { printf "%.1f", 100 * t / hz / (ns / 1e9) }')
echo "throughput: idle CPU of the ESB: $IDLE % of one core"

java -Xmx1g -cp "$CP" io.conduit.esb.bench.throughput.RawOrderServer $RAW_PORT "$JDBC" > "$OUT/raw.log" 2>&1 &
RAW_PID=$!
until grep -q "listening" "$OUT/raw.log" 2>/dev/null; do
  kill -0 "$RAW_PID" 2>/dev/null || { echo "the raw server did not start; see target/throughput/raw.log" >&2; exit 1; }
  sleep 0.2
done

java -Dclk.tck="$CLK_TCK" -Dpg.data="$DATA/postgres" -Dsimple.jit-warmup-seconds=$JIT_WARM_S -cp "$CP" io.conduit.esb.bench.throughput.SimpleFlowBench \
  $BASE $ESB_PID $RAW $RAW_PID "$JDBC" $WARM_S $RUN_S "$OUT/simple.json"
kill "$RAW_PID"; wait "$RAW_PID" 2>/dev/null || true; RAW_PID=

java -Dclk.tck="$CLK_TCK" -Dpg.data="$DATA/postgres" -Dload.warmup-seconds=$HANDOFF_WARM_S -cp "$CP" io.conduit.esb.bench.throughput.HandoffLoad \
  $BASE $ESB_PID "$JDBC" $RATES $PHASE_S $DRAIN_S "$OUT/handoff.json"

# a load the ESB did not keep up with leaves a backlog it works through after the drain: wait (at most 10 min) until a
# 10 s window uses less than a quarter of a core before the idle figure is taken again
echo "throughput: load done; waiting for the ESB to go quiet, settling ${SETTLE_S} s, then idle CPU over ${IDLE_S} s again"
QUIET_START=$(date +%s)
while :; do
  Q0=$(bench_cpu_ticks $ESB_PID); sleep 10; Q1=$(bench_cpu_ticks $ESB_PID)
  [ $(( (Q1 - Q0) * 100 / CLK_TCK )) -lt 250 ] && break
  if [ $(( $(date +%s) - QUIET_START )) -gt 600 ]; then echo "throughput: the ESB did not go quiet within 10 min"; break; fi
done
echo "throughput: quiet after $(( $(date +%s) - QUIET_START )) s"
sleep $SETTLE_S
T0=$(bench_cpu_ticks $ESB_PID); N0=$(date +%s%N)
sleep $IDLE_S
T1=$(bench_cpu_ticks $ESB_PID); N1=$(date +%s%N)
IDLE_AFTER=$(awk -v t=$((T1 - T0)) -v hz="$CLK_TCK" -v ns=$((N1 - N0)) 'BEGIN { printf "%.1f", 100 * t / hz / (ns / 1e9) }')
echo "throughput: idle CPU of the ESB after the load: $IDLE_AFTER % of one core"

# 4. the same handoff by hand-written Java (RawHandoffServer) on the ESB's broker, database and sandbox CRM, driven the
# same way (HandoffLoad), after the ESB's figures above so it disturbs none of them; its CPU per order is its own
# process's, the broker's and the CRM's (the ESB's process) as infra_cpu_ms_per_order in raw-handoff.json
java -Xmx1g -cp "$CP" io.conduit.esb.bench.throughput.RawHandoffServer $RAW_HANDOFF_PORT "$JDBC" localhost:19192 \
  $BASE/sandbox/crm/api > "$OUT/raw-handoff.log" 2>&1 &
RAW_PID=$!
until grep -q "listening" "$OUT/raw-handoff.log" 2>/dev/null; do
  kill -0 "$RAW_PID" 2>/dev/null || { echo "the raw handoff server did not start; see target/throughput/raw-handoff.log" >&2; exit 1; }
  sleep 0.2
done
echo "throughput: the raw handoff path (RawHandoffServer, pid $RAW_PID), the same rates"
java -Dclk.tck="$CLK_TCK" -Dpg.data="$DATA/postgres" -Dload.warmup-seconds=$RAW_HANDOFF_WARM_S -Dload.infra-pids=$ESB_PID \
  -cp "$CP" io.conduit.esb.bench.throughput.HandoffLoad \
  http://localhost:$RAW_HANDOFF_PORT $RAW_PID "$JDBC" $RATES $PHASE_S $DRAIN_S "$OUT/raw-handoff.json"
kill "$RAW_PID"; wait "$RAW_PID" 2>/dev/null || true; RAW_PID=

ERRORS=$(grep -c ' ERROR ' "$OUT/esb.log" || true)
[ "$ERRORS" = 0 ] || echo "note: target/throughput/esb.log has $ERRORS ERROR lines"
java -cp "$CP" io.conduit.esb.bench.throughput.ThroughputReport "$OUT" "$IDLE" $IDLE_S $MODE "$IDLE_AFTER"
