#!/usr/bin/env bash
# End-to-end start-up benchmark of the built distribution (distribution/target/boxagnts):
#   - cold start: process spawn -> /api/health answers 200 (and -> the WASM engine is READY), N runs, with the
#     shipped runtime and its CDS archive; the same for a first start (fresh data dir) and, as the reference, on a
#     system JDK (compiler on the upgrade module path, CDS off; REFERENCE_JDK=path to choose it)
#   - idle RSS: resident memory of the runtime 5 s after the engine is ready
#   - hot deploy: fixture bundle moved into plugins/ -> /api/health lists it ACTIVE, and removal -> gone, M cycles
# Usage: [PORT=30199] benchmarks/startup.sh [runs=10] [deploy-cycles=10]      (build first: ./boxagnts --version)
# Prints a Markdown table. Polling uses curl every 5 ms, which itself costs CPU on a 2-core machine: figures are
# upper bounds.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
runs=${1:-10}
cycles=${2:-10}
dist=$repo/distribution/target/boxagnts
fixture=$(ls "$repo"/integration-tests/fixtures/hello-plugin/target/io.boxagnts.test.hello-*.jar 2>/dev/null | head -n 1)
[ -x "$dist/bin/boxagnts" ] || { echo "build first: ./boxagnts --version" >&2; exit 1; }
[ -n "$fixture" ] || { echo "build the test fixture first: ./run-tests (or mvn -pl integration-tests/fixtures/hello-plugin -am install)" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/ws" "$work/plugins"
port=${PORT:-30199}   # PORT=31199: a helper's own range
health=http://127.0.0.1:$port/api/health
# The API needs the access token: the runs use one the script makes (the way a user brings their own).
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); (umask 077; echo "$token" >"$work/token")
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
minmax() { sort -n | awk 'NR==1{min=$1} {max=$1} END {print min "-" max}'; }

start_runtime() { # [data-dir]
  "$dist/bin/boxagnts" --workspace-dir "$work/ws" --data-dir "${1:-$work/data}" --plugins-dir "$work/plugins" \
    --access-token-file "$work/token" --port "$port" >"$work/log" 2>&1 &
  pid=$!
}
stop_runtime() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

cold_runs() { # name data-dir-per-run(yes|no): N runs, spawn -> health 200 into $work/name, -> engine READY into name.engine
  : >"$work/$1"; : >"$work/$1.engine"
  for i in $(seq "$runs"); do
    data=$work/data
    [ "$2" = yes ] && data=$work/data-$1-$i
    t0=$(now_ms)
    start_runtime "$data"
    until api -o /dev/null "$health"; do sleep 0.005; done
    t1=$(now_ms)
    until api "$health" | grep -q '"state":"READY"'; do sleep 0.005; done
    t2=$(now_ms)
    echo $((t1 - t0)) >>"$work/$1"; echo $((t2 - t0)) >>"$work/$1.engine"
    stop_runtime
  done
}

start_runtime; until api -o /dev/null "$health"; do sleep 0.05; done; stop_runtime  # writes the CDS archive
cold_runs cold no                              # shipped runtime, CDS archive in place: every start after the first
cold_runs first yes                            # shipped runtime, fresh data dir: the very first start
BOXAGNTS_JAVA_HOME=${REFERENCE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64} cold_runs jdk yes  # system JDK, upgrade module path

start_runtime
until api "$health" | grep -q '"state":"READY"'; do sleep 0.05; done
sleep 5
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

: >"$work/deploy"; : >"$work/undeploy"
for _ in $(seq "$cycles"); do
  cp "$fixture" "$work/hello.part"
  t0=$(now_ms); mv "$work/hello.part" "$work/plugins/hello.jar"
  until api "$health" | grep -q '"file":"hello.jar","symbolicName":"io.boxagnts.test.hello","version":"[^"]*","state":"ACTIVE"'; do sleep 0.005; done
  echo $(( $(now_ms) - t0 )) >>"$work/deploy"
  t0=$(now_ms); rm "$work/plugins/hello.jar"
  while api "$health" | grep -q '"file":"hello.jar"'; do sleep 0.005; done
  echo $(( $(now_ms) - t0 )) >>"$work/undeploy"
done
stop_runtime

cat <<TABLE
| measure (runs) | median | range | goal |
|---|---|---|---|
| cold start -> /api/health 200 ($runs) | $(median <"$work/cold") ms | $(minmax <"$work/cold") ms | <= 1500 ms |
| cold start -> WASM engine READY ($runs) | $(median <"$work/cold.engine") ms | $(minmax <"$work/cold.engine") ms | - |
| first start ever (no CDS archive yet) -> health 200 ($runs) | $(median <"$work/first") ms | $(minmax <"$work/first") ms | - |
| reference: system JDK, upgrade module path -> health 200 ($runs) | $(median <"$work/jdk") ms | $(minmax <"$work/jdk") ms | - |
| ratio cold start / reference | $(awk -v a="$(median <"$work/cold")" -v b="$(median <"$work/jdk")" 'BEGIN {printf "%.2f", a/b}') | - | - |
| idle RSS, 5 s after engine ready | $((rss_kb / 1024)) MB | - | <= 250 MB |
| hot deploy: jar moved in -> bundle ACTIVE ($cycles) | $(median <"$work/deploy") ms | $(minmax <"$work/deploy") ms | <= 300 ms |
| removal: jar deleted -> bundle gone ($cycles) | $(median <"$work/undeploy") ms | $(minmax <"$work/undeploy") ms | - |
TABLE
echo
echo "java: $("$dist/bin/boxagnts" --version)  machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB"
