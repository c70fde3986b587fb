#!/bin/sh
# Load test of the agent loop: S sessions at once x T turns, two parallel tool calls per turn, instant model and
# tools, real session store (fsync per event). Prints one Markdown table row. Build first (mvn -q install -DskipTests).
# Usage: benchmarks/agent-load.sh [sessions=200] [turns=10]
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd -P)
. "$repo/scripts/env.sh"
select_jdk
cd "$repo/benchmarks/jmh"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -q dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx1g -cp "target/classes:$(cat "$cp_file")" io.boxagnts.agent.AgentLoad "${1:-200}" "${2:-10}"
