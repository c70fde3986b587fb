#!/usr/bin/env bash
# What the Web Console costs at start and at rest: the built distribution (distribution/target/boxagnts) as it is, and
# the same distribution without the console's four bundles (org.apache.felix.webconsole, org.apache.felix.inventory,
# the OWASP encoder, io.boxagnts.console: moved out of system/ for those runs and back after, in place, because the
# shipped class-data archive only serves the distribution where it was built), started alternately in one run so that
# both meet the same machine load:
#   - cold start: process spawn -> /api/health answers 200, N runs each, as wall time and as the CPU time the JVM
#     used until then (user + system; bin/boxagnts execs java), which a busy machine distorts much less;
#   - idle RSS: VmRSS of the runtime 5 s after the WASM engine is READY, N runs each;
#   - the console's first page (with the console only): spawn -> /system/console/bundles.json answers 200.
# Usage: benchmarks/console-cost.sh [runs=5] [port=32199]      (build first: ./boxagnts --version)
# Prints a Markdown table. Polling uses curl every 5 ms, which itself costs CPU on a 2-core machine.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
runs=${1:-5}
port=${2:-32199}
dist=$repo/distribution/target/boxagnts
[ -x "$dist/bin/boxagnts" ] || { echo "build first: ./boxagnts --version" >&2; exit 1; }
ls "$dist"/system/org.apache.felix.webconsole-*.jar >/dev/null 2>&1 || { echo "this build has no Web Console" >&2; exit 1; }

work=$(mktemp -d)
pid=
mkdir -p "$work/ws" "$work/plugins" "$work/console-bundles"
console_jars() { ls "$1"/org.apache.felix.webconsole-*.jar "$1"/org.apache.felix.inventory-*.jar "$1"/encoder-*.jar \
  "$1"/io.boxagnts.console-*.jar 2>/dev/null || true; }
restore() { for jar in $(console_jars "$work/console-bundles"); do mv "$jar" "$dist/system/"; done; }
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; restore; rm -rf "$work"' EXIT
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); (umask 077; echo "$token" >"$work/token")
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
minmax() { sort -n | awk 'NR==1{min=$1} {max=$1} END {print min "-" max}'; }

start_runtime() { # distribution-dir
  "$1/bin/boxagnts" --workspace-dir "$work/ws" --data-dir "$work/data" --plugins-dir "$work/plugins" \
    --access-token-file "$work/token" --port "$port" >"$work/log" 2>&1 &
  pid=$!
}
stop_runtime() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

start_runtime "$dist"; until api -o /dev/null "http://127.0.0.1:$port/api/health"; do sleep 0.05; done; stop_runtime
: >"$work/with.start"; : >"$work/without.start"; : >"$work/with.cpu"; : >"$work/without.cpu"; : >"$work/with.rss"; : >"$work/without.rss"; : >"$work/console"
for _ in $(seq "$runs"); do
  for variant in with without; do
    if [ $variant = with ]; then restore; else mv $(console_jars "$dist/system") "$work/console-bundles/"; fi
    t0=$(now_ms)
    start_runtime "$dist"
    until api -o /dev/null "http://127.0.0.1:$port/api/health"; do sleep 0.005; done
    echo $(( $(now_ms) - t0 )) >>"$work/$variant.start"
    awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat" >>"$work/$variant.cpu"
    if [ $variant = with ]; then
      until api -o /dev/null "http://127.0.0.1:$port/system/console/bundles.json"; do sleep 0.005; done
      echo $(( $(now_ms) - t0 )) >>"$work/console"
    fi
    until api "http://127.0.0.1:$port/api/health" | grep -q '"state":"READY"'; do sleep 0.05; done
    sleep 5
    awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status" >>"$work/$variant.rss"
    stop_runtime
  done
done
restore

with=$(median <"$work/with.start"); without=$(median <"$work/without.start")
cat <<TABLE
| measure ($runs runs each, alternating) | with the console | without | ratio |
|---|---|---|---|
| cold start -> /api/health 200 | $with ms ($(minmax <"$work/with.start")) | $without ms ($(minmax <"$work/without.start")) | $(awk -v a="$with" -v b="$without" 'BEGIN {printf "%.2f", a / b}') |
| CPU time of the JVM until /api/health 200 | $(median <"$work/with.cpu") ms ($(minmax <"$work/with.cpu")) | $(median <"$work/without.cpu") ms ($(minmax <"$work/without.cpu")) | $(awk -v a="$(median <"$work/with.cpu")" -v b="$(median <"$work/without.cpu")" 'BEGIN {printf "%.2f", a / b}') |
| idle RSS, 5 s after engine ready | $(median <"$work/with.rss") MB ($(minmax <"$work/with.rss")) | $(median <"$work/without.rss") MB ($(minmax <"$work/without.rss")) | $(awk -v a="$(median <"$work/with.rss")" -v b="$(median <"$work/without.rss")" 'BEGIN {printf "%.2f", a / b}') |
| cold start -> /system/console/bundles.json 200 | $(median <"$work/console") ms ($(minmax <"$work/console")) | - | - |
TABLE
