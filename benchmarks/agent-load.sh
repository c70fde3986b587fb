#!/bin/sh
# Load test of the agent loop: S sessions at once x T turns, two parallel tool calls per turn, instant model and
# tools, real session store (fsync per event). Prints one Markdown table row. Build first (mvn -q install -DskipTests).
# Usage: benchmarks/agent-load.sh [sessions=200] [turns=10]
set -eu
exec "$(dirname "$0")/java-main.sh" -XX:+UseSerialGC -Xmx1g io.boxagnts.agent.AgentLoad "${1:-200}" "${2:-10}"
