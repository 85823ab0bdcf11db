#!/usr/bin/env bash
# The sandbox CRM, ERP and OA as a process of their own (io.conduit.esb.sandbox.SandboxMain), from the embedded build's
# jar, so an ESB without them (ESB_SANDBOX_ENABLED=false: the image, a -Dexternal build) can run against them:
#
#   eval "$(ops/infra.sh --env)"            # PostgreSQL and Artemis, e.g. ops/infra.sh's (or your own)
#   SANDBOX_DB_URL=$ESB_DB_URL SANDBOX_DB_USER=$ESB_DB_USER SANDBOX_DB_PASSWORD=$ESB_DB_PASSWORD \
#     SANDBOX_ESB_URL=http://localhost:8080 ops/sandbox.sh        # foreground on SANDBOX_PORT (8090); Ctrl-C stops it
#   ESB_SANDBOX_ENABLED=false CRM_BASE_URL=http://localhost:8090/sandbox/crm/api \
#     OA_BASE_URL=http://localhost:8090/sandbox/oa/api ERP_DB_URL=$ESB_DB_URL ... java -jar target/conduit-esb-*.jar
#
# Settings: src/embedded/resources/sandbox.yaml (SANDBOX_PORT, SANDBOX_DB_URL/_USER/_PASSWORD, ARTEMIS_URL/_USER/
# _PASSWORD, SANDBOX_ESB_URL, ESB_INTAKE_CRM_SECRET); arguments are passed on (--server.port=...).
# Needs the jar of the embedded build (mvn -B -DskipTests package). See README, "Deploy".
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$(ls target/conduit-esb-*.jar 2>/dev/null | head -1 || true)
[ -n "$JAR" ] || { echo "build the jar first: mvn -B -DskipTests package" >&2; exit 1; }
exec java ${SANDBOX_JAVA_OPTIONS:--Xms64m -Xmx256m -XX:+ExitOnOutOfMemoryError} -cp "$JAR" \
  -Dloader.main=io.conduit.esb.sandbox.SandboxMain org.springframework.boot.loader.launch.PropertiesLauncher "$@"
