#!/usr/bin/env bash
# The fault suite: N orders through the order handoff, driven as a retrying CRM would (revisions included), while the
# Kafka broker and the Artemis broker are restarted, the ERP is away for 30 s, the CRM fails 10 % of the ESB's calls
# and times out 5 %, and the ESB is killed with SIGKILL three times; then everything settles, what is parked is
# replayed, and every order is checked in the CRM's and the ERP's tables. Ends with one line:
#
#   fault-suite: accepted=N erp-exactly-once=N crm-latest=N lost=0 duplicated=0 stale=0 parked=0
#
#   bench/fault-suite.sh [--orders N] [--rate ORDERS_PER_SECOND]      # defaults: 300 orders at 20/s
#   bench/fault-suite.sh --orders 100000 --rate 100                   # the documented full run (~20 min)
#
# PostgreSQL, Kafka and Artemis run as processes of their own (ops/infra.sh's InfrastructureMain, one each), the
# ESB from its jar against them (embedded brokers off, sandbox systems on). Data and logs in target/fault-suite
# (esb-<n>.log per start of the ESB). Exit status 0 when every order passed. A small run is FaultSuiteIT in mvn verify.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.conduit.esb.faults.FaultSuite \
  -Dexec.args="$*" -Dexec.cleanupDaemonThreads=false
