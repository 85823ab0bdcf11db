#!/usr/bin/env bash
# Where the ESB spends its CPU under load: a CPU profile of the running ESB (async-profiler, from Maven Central) while
# bench/throughput.sh's simple flow or order handoff drives it, on its embedded defaults.
#
#   bench/profile.sh [--flow simple|handoff] [--warm SECONDS] [--seconds SECONDS] [--rate ORDERS_PER_S] [--jar PATH]
#
#   simple  (default): the simple flow's route file (bench/simple-flow), wrk at 16 connections: --warm s for the JIT
#           (default 60), then --seconds s profiled (default 20)
#   handoff: signed CRM webhooks at --rate orders/s (default 30), open model (HandoffLoad): --warm s (default 120),
#           then --seconds s profiled (default 60)
#
# Builds the jar and test classes like bench/throughput.sh (offline, under /tmp/conduit-mvn.lock), fetches
# tools.profiler:async-profiler into the local Maven repository if missing, runs the ESB on port 18180 with a fresh
# data folder in target/profile, attaches the profiler (event itimer: no perf_events needed in a container), and writes:
#   target/profile/<flow>.collapsed   every sampled stack with its thread, one line each (flame graph input:
#                                     e.g. https://github.com/brendangregg/FlameGraph flamegraph.pl)
#   target/profile/<flow>-summary.txt the share of the CPU samples per part of the ESB (HTTP and security, the
#                                     route's steps, Kafka, SQL, journal, JIT compiler, GC ...) and the 30 hottest
#                                     frames; printed at the end (ProfileSummary)
# A profile names what costs; the figures to quote come from bench/throughput.sh, which runs without a profiler.
set -euo pipefail
cd "$(dirname "$0")/.."
FLOW=simple WARM= SECONDS_= RATE=30 JAR=
while [ $# -gt 0 ]; do
  case "$1" in
    --flow) FLOW=$2; shift 2 ;;
    --warm) WARM=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --jar) JAR=$(realpath "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$FLOW" in
  simple) WARM=${WARM:-60} SECONDS_=${SECONDS_:-20} ;;
  handoff) WARM=${WARM:-120} SECONDS_=${SECONDS_:-60} ;;
  *) echo "--flow is simple or handoff" >&2; exit 2 ;;
esac
PORT=18180 PG_PORT=25532 BASE=http://localhost:18180
OUT=$PWD/target/profile DATA=$PWD/target/profile/data
. bench/lib.sh
BENCH_MVN_LOCK=1 bench_build "$OUT" "$JAR"
JAR=$BENCH_JAR CP=$BENCH_CP
if ! command -v wrk >/dev/null; then
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
AP_VERSION=3.0
AP_JAR=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
[ -f "$AP_JAR" ] || flock "$BENCH_LOCK" mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION -Dtransitive=false >> "$OUT/build.log" 2>&1
rm -rf "$OUT/async-profiler" && mkdir -p "$OUT/async-profiler"
unzip -q -o "$AP_JAR" 'linux-x64/*' -d "$OUT/async-profiler"
LIB=$OUT/async-profiler/linux-x64/libasyncProfiler.so

rm -rf "$DATA" "$OUT/$FLOW.collapsed"
bench_flow_files "$OUT"

ESB_PID= LOAD_PID=
cleanup() {
  [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null || true
  bench_stop_esb "$ESB_PID" "$DATA"
}
trap cleanup EXIT

bench_start_esb "profile ($FLOW)" "$OUT" "$DATA" "$JAR" $PORT $PG_PORT
echo "profile: ESB ready after $BENCH_READY_S s; ${WARM} s of load before the profile, then ${SECONDS_} s profiled"

profile() {
  # jcmd splits its arguments at commas: the profiler's options go quoted
  jcmd "$ESB_PID" JVMTI.agent_load "$LIB" "\"start,event=itimer,interval=1ms,threads\"" > "$OUT/profiler.log" 2>&1
  sleep "$SECONDS_"
  jcmd "$ESB_PID" JVMTI.agent_load "$LIB" "\"stop,file=$OUT/$FLOW.collapsed,collapsed\"" >> "$OUT/profiler.log" 2>&1
}

if [ "$FLOW" = simple ]; then
  java -cp "$CP" io.conduit.esb.bench.throughput.SimpleFlowBench --create-table "jdbc:postgresql://localhost:$PG_PORT/postgres"
  export BENCH_AUTH=$(printf operator:operator | base64)
  wrk -t2 -c16 -d"${WARM}s" -s bench/simple-flow/post-order.lua $BASE/bench/orders > "$OUT/wrk-warm.txt"
  wrk -t2 -c16 -d"$(( SECONDS_ + 2 ))s" -s bench/simple-flow/post-order.lua $BASE/bench/orders > "$OUT/wrk.txt" &
  LOAD_PID=$!
  sleep 1
  profile
  wait "$LOAD_PID"; LOAD_PID=
  echo "profile: wrk during the profile: $(grep -E 'Requests/sec' "$OUT/wrk.txt")"
else
  java -Dclk.tck="$(getconf CLK_TCK)" -Dpg.data="$DATA/postgres" -Dload.warmup-seconds="$WARM" -Dload.warmup-rate="$RATE" \
    -Dload.skip-reference=true -cp "$CP" io.conduit.esb.bench.throughput.HandoffLoad \
    $BASE $ESB_PID "jdbc:postgresql://localhost:$PG_PORT/postgres" "$RATE" "$(( SECONDS_ + 10 ))" 60 "$OUT/handoff.json" > "$OUT/load.log" 2>&1 &
  LOAD_PID=$!
  sleep $(( WARM + 5 ))
  profile
  wait "$LOAD_PID" || true; LOAD_PID=
  grep -E "^handoff " "$OUT/load.log" || true
fi
java -cp "$CP" io.conduit.esb.bench.throughput.ProfileSummary "$OUT/$FLOW.collapsed" | tee "$OUT/$FLOW-summary.txt"
