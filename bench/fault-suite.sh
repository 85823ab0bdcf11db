#!/usr/bin/env bash
# The fault suite: N orders through the order handoff, driven as a retrying CRM would (revisions included), and among
# them, one per ten orders (at least one each), employees through the onboarding, driven as a retrying HR system
# would (hires, then for some a transfer and/or a leave), and complaints through the complaint routing, driven as a
# retrying CRM would and worked in the OA (assigned, in progress, done); all while the Kafka broker and the Artemis
# broker are restarted, the ERP is away for 30 s, the CRM fails 10 % of the ESB's calls and times out 5 %, and the
# ESB is killed with SIGKILL three times. Then everything settles, what is parked (every flow) is replayed, and every
# order is checked in the CRM's and the ERP's tables, every employee in the ERP's, the OA's and the CRM's and the
# ESB's sync record, every complaint in the OA's tasks, the ESB's record and the CRM case. Ends with three lines:
#
#   fault-suite: accepted=N erp-exactly-once=N crm-latest=N lost=0 duplicated=0 stale=0 parked=0
#   fault-suite onboarding: accepted=N each-target-once=N lost=0 duplicated=0 stale=0 parked=0
#   fault-suite complaints: accepted=N one-task=N crm-final=N lost=0 duplicated=0 stale=0 parked=0
#
#   bench/fault-suite.sh [--orders N] [--rate ORDERS_PER_SECOND]      # defaults: 300 orders at 20/s
#   bench/fault-suite.sh --orders 100000 --rate 12                    # the documented full run: ~2.5 h on 2 cores
#
# The rate is what the whole chain sustains on one machine: on 2 cores, with the brokers, the ESB, the sandbox systems
# and this driver all on it, about 12 orders/s (6,000 orders at 12/s took 10 min); above it the ESB's backlog grows
# and the run mostly measures the wait. What holds it there is the CRM's faults: each of the 3 delivery consumers
# waits out the 5 s timeouts and the in-place backoffs of the 500s. The ESB takes its settings from the environment
# too, so a run can widen that (docs/ARCHITECTURE.md, "Reliability"):
#   ESB_TOPICS_PARTITIONS=12 ESB_ORDERHANDOFF_DELIVERYCONSUMERS=12 ESB_COMPLAINTS_DELIVERYCONSUMERS=6 \
#     bench/fault-suite.sh --orders 3000 --rate 30       # passed in 6 min 40 s at 9bd1aa8, every check at zero
# (a short run: its backlog drains after the driving. Sustained, the chain holds 12-20 orders/s on 2 cores with those
# settings, CPU-bound at 24 consumers: docs/ARCHITECTURE.md, "Reliability")
#
# PostgreSQL, Kafka and Artemis run as processes of their own (ops/infra.sh's InfrastructureMain, one each), the
# ESB from its jar against them (embedded brokers off, sandbox systems on, the sandbox CRM's own webhooks off). Data
# and logs in target/fault-suite (esb-<n>.log per start of the ESB). Exit status 0 when every order, employee and
# complaint passed. A small run is FaultSuiteIT in mvn verify.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.conduit.esb.faults.FaultSuite \
  -Dexec.args="$*" -Dexec.cleanupDaemonThreads=false
