#!/usr/bin/env bash
# The order handoff's throughput with one ESB instance and with two (replicas) against ONE set of infrastructure
# (issue 17): PostgreSQL, Kafka and Artemis, a JVM each from the ESB's jar (InfrastructureMain, as ops/infra.sh and
# the fault suite run them), started once; then
#
#  1. one ESB instance (embedded brokers off, the sandbox CRM/ERP/OA in it on the shared database, leadership of the
#     singleton pollers on PostgreSQL), 20 s settle, the open-model handoff load of bench/throughput.sh (HandoffLoad:
#     signed CRM "closed won" webhooks at fixed rates, latency from each webhook's due time to the acknowledgement in
#     the sandbox CRM), a warm-up of 180 s at 20/s (a fresh JVM compiles for minutes; a faster warm-up fell behind on 2
#     cores and left the JIT's work in the first steps), then stepped rates until the first step that fails; stopped;
#  2. two instances, each on its own port and data folder, the webhooks spread over both in turn (round robin, as a
#     load balancer would), the same warm-up and rates.
#
# A step passes when every webhook got 202, every order was acknowledged within the drain (60 s) and the end-to-end
# p99 is at most 500 ms (LOAD_E2E_LIMIT_MS): the bound separates "keeps up" from "falls behind"; the p50/p99 of each
# step are reported whatever the bound. Besides, per configuration: rows written per order in each table (PostgreSQL's
# counters over the load), the journal's hops of one order, connections on PostgreSQL, the orders' topics and consumer
# groups as Kafka describes them (ReplicasBench).
#
#   bench/replicas.sh [--quick] [--jar PATH]
#
# full: warm-up 180 s at 20/s, then 10, 20, 30, 40, 50, 60, 80, 100, 150, 200/s at 20 s each (about 16 minutes
# with the build on 2 cores); --quick: warm-up 30 s, 10, 20, 40/s at 5 s each (a check that it works, not figures).
# --jar: run that ESB jar instead of building this one (the test classes are built).
#
# Holds /tmp/conduit-mvn.lock for the whole run, builds and load (taken here unless the caller is
# `flock -o /tmp/conduit-mvn.lock bench/replicas.sh` or sets CONDUIT_LOCK_HELD=1), so no other build or benchmark
# shares the cores meanwhile. Builds the jar and the test classes (Maven offline); free ports chosen at start. Logs (infra-*.log, esb-*.log, esb1-*.log) in target/replicas/run, figures in target/replicas/results.json
# and handoff-one.json / handoff-two.json; the last line:
#
#   replicas: one=<orders/s> two=<orders/s> ratio=<two/one> p99-one@R=<ms> p99-two@R=<ms> cpu-ms-per-order-one=.. two=..
#
# The machine's cores are shared by the infrastructure, the ESB instances and the load driver: on a small machine
# two instances compete for the same cores, so the figure is bounded by the machine, not by the ESB's design.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_hold_lock "$@"
QUICK=0 JAR=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --jar) JAR=$(realpath "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ $QUICK = 1 ]; then
  MODE=quick RATES=10,20,40 PHASE_S=5 WARM_S=30
else
  MODE=full RATES=10,20,30,40,50,60,80,100,150,200 PHASE_S=20 WARM_S=180
fi
DRAIN_S=60 E2E_LIMIT_MS=${LOAD_E2E_LIMIT_MS:-500}
OUT=$PWD/target/replicas
# Maven offline (the lock is held: see above)
bench_build "$OUT" "$JAR"
JAR=$BENCH_JAR CP=$BENCH_CP
ulimit -n 65536 2>/dev/null || true
rm -f "$OUT"/*.json
java -version > "$OUT/java-version.txt" 2>&1
echo "replicas ($MODE): infrastructure once, then 1 and 2 ESB instances; rates $RATES/s x ${PHASE_S} s, p99 bound ${E2E_LIMIT_MS} ms"
java -Xmx512m -Dclk.tck="$(getconf CLK_TCK)" -Dload.warmup-rate=20 -Dload.warmup-seconds=$WARM_S -Dload.e2e-limit-ms=$E2E_LIMIT_MS \
  -cp "$CP" io.conduit.esb.bench.throughput.ReplicasBench "$JAR" "$OUT" $RATES $PHASE_S $DRAIN_S $MODE
