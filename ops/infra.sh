#!/usr/bin/env bash
# The embedded default's infrastructure (PostgreSQL, Kafka in KRaft mode, Artemis) as a process of its own, from the
# ESB's own jar, so the ESB can be killed and restarted alone and a broker restarted under a running ESB:
#
#   ops/infra.sh                       # foreground; prints the ESB's settings on one line, Ctrl-C stops it
#   eval "$(ops/infra.sh --env)"       # (other shell) just the settings, as exports, from the running process
#   ESB_EMBEDDED_ENABLED=false ... java -jar target/conduit-esb-*.jar    # the ESB against it
#
# Data in $ESB_INFRA_DATA (default ./data-infra; durable, survives restarts). Ports: ESB_INFRA_PG_PORT (15432),
# ESB_INFRA_KAFKA_PORT (9092), ESB_INFRA_KAFKA_CONTROLLER_PORT (9093), ESB_INFRA_ARTEMIS_PORT (61616).
# ESB_INFRA_SERVICES=postgres,kafka,artemis (the default) or a part of it runs only those, e.g. each broker in a
# process of its own so it can be restarted alone (bench/fault-suite.sh does that; --env then shows the last one's).
# Needs the jar built (mvn -DskipTests package). See docs/ARCHITECTURE.md, "Reliability".
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${ESB_INFRA_DATA:-data-infra}/infra.env
if [ "${1:-}" = "--env" ]; then
  [ -f "$STATE" ] || { echo "no running infrastructure ($STATE missing)" >&2; exit 1; }
  tr ' ' '\n' < "$STATE" | sed 's/^/export /'
  exit 0
fi
JAR=$(ls target/conduit-esb-*.jar 2>/dev/null | head -1 || true)
[ -n "$JAR" ] || { echo "build the jar first: mvn -B -DskipTests package" >&2; exit 1; }
mkdir -p "$(dirname "$STATE")"
rm -f "$STATE"
exec java -Xmx768m -cp "$JAR" -Dloader.main=io.conduit.esb.embedded.InfrastructureMain \
  org.springframework.boot.loader.launch.PropertiesLauncher "$@" \
  | while IFS= read -r line; do
      echo "$line"
      case "$line" in "esb-settings: "*) echo "${line#esb-settings: }" > "$STATE" ;; esac
    done
