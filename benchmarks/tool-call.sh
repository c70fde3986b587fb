#!/bin/sh
# JMH: a warm call of a trivial tool (echo) through the sandbox's Tool implementation, p50/p99 (SampleTime), on the
# optimizing runtime, with and without a workspace grant. Build first (mvn -q install -DskipTests).
# Usage: benchmarks/tool-call.sh [JMH options, e.g. -f 1 -wi 2 -i 3]
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd -P)
. "$repo/scripts/env.sh"
select_jdk
cd "$repo/benchmarks/jmh"
if [ $# -gt 0 ]; then
  exec mvn -q exec:exec -Dexec.appendArgs="$*"
fi
exec mvn -q exec:exec
