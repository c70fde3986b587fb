#!/usr/bin/env bash
# A long session on a small local model (issue 15), in two parts, offline, nothing installed:
#   1. SmallContextSessionIT against bin/boxagnts and a scripted llama-server with a 4,096-token context (llama.cpp's
#      wire, limits and overflow error): N turns, each with a real tool output larger than the whole context; turns
#      completed, requests the server rejected, summaries, the largest prompt; and the fixed part of a request
#      (system prompt + the six tool definitions), full (a 32,768-token server) vs compact (the 4,096 one).
#   2. ContextBudgetCost: the agent's own time per turn on a 4,096-token window against a window where the budget
#      never acts, same sessions, same JVM, alternating (instant model and tool, real session store).
# BUSY=1 runs both with two more processes spinning on the 2 cores (the "both cores busy" figures).
# Usage: benchmarks/small-context.sh [turns=20] [sessions per window for part 2=30]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$repo"
. scripts/env.sh
select_jdk
turns=${1:-20}
runs=${2:-30}

busy=()
trap 'for p in "${busy[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
if [ "${BUSY:-0}" = 1 ]; then
  for _ in 1 2; do sh -c 'while :; do :; done' & busy+=($!); done
  echo "(with two spinning processes: both cores busy)"
fi

mvn -o -B -q -pl integration-tests -am verify -Dit.test=SmallContextSessionIT -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dboxagnts.small.turns="$turns"
cat integration-tests/target/small-context-report.md

mvn -o -B -q -pl benchmarks/jmh -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=runtime
echo
echo "## The budget's cost per turn (ContextBudgetCost, $turns turns x $runs sessions per window)"
echo
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx1g \
  -cp "benchmarks/jmh/target/classes:$(cat benchmarks/jmh/target/jmh.classpath)" \
  io.boxagnts.agent.ContextBudgetCost "$turns" "$runs"
