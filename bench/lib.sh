# Sourced by the benchmark scripts (bench/*.sh): what each of them did alike.
#
#   bench_hold_lock "$@"   re-runs the calling script under /tmp/conduit-mvn.lock for its whole run, unless the caller
#                          holds it (`flock -o /tmp/conduit-mvn.lock bench/<script>.sh` or CONDUIT_LOCK_HELD=1): one build
#                          or benchmark at a time on this machine
#   bench_build OUT [JAR]  the ESB's jar (built unless JAR is given), the test classes and their class path, offline,
#                          the build's output in OUT/build.log (shown if it fails); sets BENCH_JAR and BENCH_CP.
#                          BENCH_MVN_LOCK=1: each Maven call takes the lock itself (for a script that does not hold it)
BENCH_LOCK=/tmp/conduit-mvn.lock

bench_hold_lock() {
  if [ -z "${CONDUIT_LOCK_HELD:-}" ] && ! ps -o args= -p $PPID | grep -q "flock.*$BENCH_LOCK"; then
    exec env CONDUIT_LOCK_HELD=1 flock -o "$BENCH_LOCK" "$0" "$@"
  fi
}

bench_mvn() {
  local lock=()
  [ "${BENCH_MVN_LOCK:-0}" = 1 ] && lock=(flock "$BENCH_LOCK")
  "${lock[@]}" mvn -o -q -B "$@" >> "$BENCH_OUT/build.log" 2>&1 || { cat "$BENCH_OUT/build.log" >&2; exit 1; }
}

bench_build() {
  BENCH_OUT=$1 BENCH_JAR=${2:-}
  mkdir -p "$BENCH_OUT"
  : > "$BENCH_OUT/build.log"
  if [ -z "$BENCH_JAR" ]; then
    bench_mvn -DskipTests package
    BENCH_JAR=$(realpath "$(ls target/conduit-esb-*.jar | head -1)")
  fi
  bench_mvn test-compile
  bench_mvn dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$BENCH_OUT/cp.txt"
  BENCH_CP="target/test-classes:target/classes:$(cat "$BENCH_OUT/cp.txt")"
}
