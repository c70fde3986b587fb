#!/usr/bin/env bash
# The file boundary race, long: FileBoundaryRaceIT against the distribution with N seconds per target (every core
# tool and /api/workspace/*) while two loops flip `flip` (file <-> link to a file outside) and `dir` (directory <->
# link to a directory outside). Prints calls, leaks (answers holding the outside marker) and outside changes per tool.
# Usage: benchmarks/file-race.sh [seconds per tool=60]   (7 targets: ~8 minutes at 60 s; builds what it needs, offline)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$repo"
mvn -o -B -q -pl integration-tests -am verify -Dit.test=FileBoundaryRaceIT -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dboxagnts.race.seconds="${1:-60}"
cat integration-tests/target/file-race-report.md
