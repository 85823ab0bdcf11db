# Sourced by the benchmark scripts (bench/*.sh): what each of them did alike.
#
#   bench_hold_lock "$@"   re-runs the calling script under /tmp/conduit-mvn.lock for its whole run, unless the caller
#                          holds it (`flock -o /tmp/conduit-mvn.lock bench/<script>.sh` or CONDUIT_LOCK_HELD=1): one build
#                          or benchmark at a time on this machine
#   bench_build OUT [JAR]  the ESB's jar (built unless JAR is given), the test classes and their class path, offline
#                          (online for what this machine has not downloaded yet: bench_mvn),
#                          the build's output in OUT/build.log (shown if it fails); sets BENCH_JAR and BENCH_CP.
#                          BENCH_MVN_LOCK=1: each Maven call takes the lock itself (for a script that does not hold it)
BENCH_LOCK=/tmp/conduit-mvn.lock

bench_hold_lock() {
  if [ -z "${CONDUIT_LOCK_HELD:-}" ] && ! ps -o args= -p $PPID | grep -q "flock.*$BENCH_LOCK"; then
    exec env CONDUIT_LOCK_HELD=1 flock -o "$BENCH_LOCK" "$0" "$@"
  fi
}

# bench_mvn ARGS...            Maven offline; if that fails for an artifact never downloaded (a fresh machine: e.g. the
#                             dependency plugin's own dependencies, which `mvn verify` does not fetch), once more online
bench_mvn() {
  local lock=()
  [ "${BENCH_MVN_LOCK:-0}" = 1 ] && lock=(flock "$BENCH_LOCK")
  "${lock[@]}" mvn -o -q -B "$@" >> "$BENCH_OUT/build.log" 2>&1 && return
  if grep -q "has not been downloaded from it before" "$BENCH_OUT/build.log"; then
    echo "bench: Maven needs artifacts not downloaded yet; fetching them (online)" | tee -a "$BENCH_OUT/build.log"
    "${lock[@]}" mvn -q -B "$@" >> "$BENCH_OUT/build.log" 2>&1 && return
  fi
  cat "$BENCH_OUT/build.log" >&2; exit 1
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

# bench_flow_files OUT        the flows' folders (routes, mappings, adapters) copied into OUT, plus the simple flow's
#                             route file and mapping (bench/simple-flow), for an ESB started by bench_start_esb
bench_flow_files() {
  rm -rf "$1/routes" "$1/mappings" "$1/adapters"
  cp -r routes "$1/routes"; cp -r mappings "$1/mappings"; cp -r adapters "$1/adapters"
  cp bench/simple-flow/bench-simple-order.camel.yaml "$1/routes/"
  mkdir -p "$1/mappings/bench"; cp bench/simple-flow/order-to-row.jsonata "$1/mappings/bench/"
}

# bench_jvm_options          the JVM options the ESB runs with: BENCH_JVM_OPTS if set, else the product's own (pom.xml
#                             property esb.jvm.memory, also used by `mvn spring-boot:run`, the tests and the image)
bench_jvm_options() {
  if [ -n "${BENCH_JVM_OPTS:-}" ]; then
    echo "$BENCH_JVM_OPTS"
  else
    sed -n 's:.*<esb.jvm.memory>\(.*\)</esb.jvm.memory>.*:\1:p' pom.xml
  fi
}

# bench_cpu_ticks PID         the CPU time (user + system, in clock ticks: getconf CLK_TCK) process PID has used
bench_cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# bench_start_esb NAME OUT DATA JAR PORT PG_PORT
#                             the ESB from JAR on its embedded defaults (Kafka 19192/19193, PostgreSQL PG_PORT, data
#                             folder DATA, the flows of OUT), its log in OUT/esb.log; waits (240 s at most) until it is
#                             ready; the array BENCH_ESB_ARGS, if set, adds arguments. Sets ESB_PID and BENCH_READY_S;
#                             exits if it does not become ready
bench_start_esb() {
  local name=$1 out=$2 data=$3 jar=$4 port=$5 pg_port=$6 start
  local jvm
  jvm=$(bench_jvm_options)
  echo "$name: starting the ESB on :$port with $jvm (log ${out#$PWD/}/esb.log)"
  # shellcheck disable=SC2086 # the options are words
  ESB_ROUTES_DIR=$out/routes ESB_MAPPINGS_DIR=$out/mappings ESB_ADAPTERS_DIR=$out/adapters \
    java $jvm -jar "$jar" --server.port="$port" --esb.embedded.data-dir="$data" \
    --esb.embedded.kafka.port=19192 --esb.embedded.kafka.controller-port=19193 --esb.embedded.postgres.port="$pg_port" \
    --esb.sandbox.crm.webhook-url= ${BENCH_ESB_ARGS[@]+"${BENCH_ESB_ARGS[@]}"} > "$out/esb.log" 2>&1 &
  ESB_PID=$!
  start=$(date +%s)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/actuator/health/readiness")" = 200 ]; do
    if ! kill -0 "$ESB_PID" 2>/dev/null || [ $(( $(date +%s) - start )) -gt 240 ]; then
      echo "the ESB did not become ready; see ${out#$PWD/}/esb.log" >&2; exit 1
    fi
    sleep 1
  done
  BENCH_READY_S=$(( $(date +%s) - start ))
}

# bench_stop_esb PID DATA     stops the ESB (60 s, then SIGKILL) and then the embedded PostgreSQL of DATA, which runs
#                             detached and would outlive a SIGKILL of the ESB (only the one of this data folder)
bench_stop_esb() {
  local pid=$1 data=$2 pg
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  pg=$(head -1 "$data/postgres/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pg" ] && tr '\0' ' ' < "/proc/$pg/cmdline" 2>/dev/null | grep -q -- "-D $data/postgres"; then
    kill "$pg" 2>/dev/null || true
  fi
}
