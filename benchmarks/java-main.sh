#!/bin/sh
# Runs a main class of benchmarks/jmh on its Maven class path with a JDK 21+, from any directory.
# Usage: benchmarks/java-main.sh [JVM options...] CLASS [arguments...]   (build first: mvn -q install -DskipTests)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd -P)
. "$repo/scripts/env.sh"
select_jdk
cd "$repo/benchmarks/jmh"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -q dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
classpath="target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec "$JAVA_HOME/bin/java" -Dboxagnts.dist="$repo/distribution/target/boxagnts" -cp "$classpath" "$@"
