#!/usr/bin/env bash
# Checks route, adapter and mapping files without starting the ESB or any broker (io.conduit.esb.tools.ConfigCheck):
# every route file loads, every JSON Schema compiles, every mapping compiles and matches its fixtures.
#   ops/check-config.sh [--routes DIR] [--adapters DIR] [--mappings DIR]     (defaults: the project's folders)
# Exit status 1 when anything is wrong. Builds the classes once if needed (mvn -q compile).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/classes/io/conduit/esb/tools/ConfigCheck.class ] || [ ! -f target/check-config.classpath ]; then
  mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/check-config.classpath >/dev/null
fi
exec java -cp "target/classes:$(cat target/check-config.classpath)" io.conduit.esb.tools.ConfigCheck "$@"
