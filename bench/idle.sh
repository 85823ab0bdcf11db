#!/usr/bin/env bash
# What an idle ESB spends its CPU on, thread by thread: the ESB on its embedded defaults with no traffic, its CPU per
# thread group over a window long after the start (the JIT compiler's start-up work is over by then, mostly), its
# resident memory and thread count, and how long a graceful stop takes.
#
#   bench/idle.sh [--wait SECONDS] [--seconds SECONDS] [--jar PATH] [-- ESB ARGUMENTS...]
#
#   --wait     seconds between ready and the window (default 300)
#   --seconds  the window (default 60)
#   --jar      the ESB's jar (default: built, offline)
#   after --:  extra arguments for the ESB, to try a setting (e.g. -- --esb.polling.idle-polls=5)
#   BENCH_JVM_OPTS: other JVM options (default: the product's, pom.xml esb.jvm.memory)
#
# Per-thread CPU comes from `jcmd <pid> Thread.print` (each thread's cpu= at both ends of the window), the process's
# from /proc/<pid>/stat. Thread names are grouped with their numbers replaced by #. Writes target/idle/threads.txt
# (every thread) and target/idle/groups.txt (the groups); the last line:
#   idle: cpu=<% of one core> rss=<MB> heap=<MB committed>/<MB used> threads=<n> code-cache=<MB used by JIT code>
#         stop=<s>
# bench/throughput.sh's idle figure is the whole process 20 s after ready, when the JIT compiler still dominates.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_hold_lock "$@"

WAIT_S=300 WINDOW_S=60 JAR=
while [ $# -gt 0 ]; do
  case $1 in
    --wait) WAIT_S=$2; shift 2 ;;
    --seconds) WINDOW_S=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: bench/idle.sh [--wait SECONDS] [--seconds SECONDS] [--jar PATH] [-- ESB ARGUMENTS...]" >&2; exit 2 ;;
  esac
done

OUT=$PWD/target/idle DATA=$PWD/target/idle/data PORT=18280 PG_PORT=15532
mkdir -p "$OUT"
if [ -z "$JAR" ]; then
  : > "$OUT/build.log"; BENCH_OUT=$OUT bench_mvn -DskipTests package
  JAR=$(realpath "$(ls target/conduit-esb-*.jar | head -1)")
fi
rm -rf "$DATA"
bench_flow_files "$OUT"

ESB_PID=
trap 'bench_stop_esb "$ESB_PID" "$DATA"' EXIT
BENCH_ESB_ARGS=("$@")
bench_start_esb idle "$OUT" "$DATA" "$JAR" $PORT $PG_PORT
echo "idle: ESB ready after $BENCH_READY_S s (pid $ESB_PID); waiting $WAIT_S s, then $WINDOW_S s measured"
sleep "$WAIT_S"

# thread name <TAB> cpu ms, summed over threads of the same name
threads() {
  jcmd "$ESB_PID" Thread.print 2>/dev/null | grep '^"' \
    | sed -nE 's/^"([^"]*)".* cpu=([0-9.]+)ms.*/\2\t\1/p' \
    | awk -F'\t' '{ c[$2] += $1 } END { for (k in c) print k "\t" c[k] }' | LC_ALL=C sort
}
T0=$(bench_cpu_ticks "$ESB_PID"); N0=$(date +%s%N); threads > "$OUT/threads-0.txt"
sleep "$WINDOW_S"
T1=$(bench_cpu_ticks "$ESB_PID"); N1=$(date +%s%N); threads > "$OUT/threads-1.txt"
CPU=$(awk -v t=$((T1 - T0)) -v hz="$(getconf CLK_TCK)" -v ns=$((N1 - N0)) 'BEGIN { printf "%.1f", 100 * t / hz / (ns / 1e9) }')
RSS=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$ESB_PID/status")
NTHREADS=$(ls "/proc/$ESB_PID/task" | wc -l)
CODE=$(jcmd "$ESB_PID" Compiler.codecache 2>/dev/null | sed -nE 's/.*used=([0-9]+)Kb.*/\1/p' | awk '{ s += $1 } END { printf "%d", s / 1024 }')
# the heap's generations, committed (total) and used, in MB: "def new generation total 78656K, used 41234K" (serial
# collector), "garbage-first heap total ..." (G1); also in target/idle/heap.txt
jcmd "$ESB_PID" GC.heap_info 2>/dev/null > "$OUT/heap.txt" || true
HEAP=$(sed -nE 's/^ *([a-z -]*[a-z]) +total ([0-9]+)K, used ([0-9]+)K.*/\1\t\2\t\3/p' "$OUT/heap.txt" \
  | awk -F'\t' '{ t += $2; u += $3; printf "idle: heap %s: %d MB committed, %d MB used\n", $1, $2 / 1024, $3 / 1024 > "/dev/stderr" }
                END { printf "%d/%d", t / 1024, u / 1024 }')

LC_ALL=C join -t $'\t' "$OUT/threads-0.txt" "$OUT/threads-1.txt" \
  | awk -F'\t' '{ d = $3 - $2; if (d >= 0.5) printf "%8.0f ms  %s\n", d, $1 }' | sort -rn > "$OUT/threads.txt"
awk '{ n = $0; sub(/^ *[0-9]+ ms  /, "", n); gsub(/[0-9]+/, "#", n); g[n] += $1; c[n]++ }
     END { for (k in g) printf "%8.0f ms  %3d  %s\n", g[k], c[k], k }' "$OUT/threads.txt" | sort -rn > "$OUT/groups.txt"
echo "idle: CPU over $WINDOW_S s, $WAIT_S s after ready, per thread group (ms, threads that used any, name):"
head -25 "$OUT/groups.txt"
echo "idle: the threads measured add up to $(awk '{ s += $1 } END { printf "%.0f", s }' "$OUT/threads.txt") ms; the process used $CPU % of one core"

S0=$(date +%s%N)
kill "$ESB_PID"
wait "$ESB_PID" 2>/dev/null || true
STOP=$(awk -v ns=$(( $(date +%s%N) - S0 )) 'BEGIN { printf "%.1f", ns / 1e9 }')
ESB_PID=
echo "idle: cpu=$CPU rss=$RSS heap=$HEAP threads=$NTHREADS code-cache=$CODE stop=$STOP"
