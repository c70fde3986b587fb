#!/usr/bin/env bash
# The cost of race-free resolution (decision 0011), before and after in one run:
#   trivial call : JMH ToolCallBenchmark (echo through WasmTool, workspace grant none/read) of each build, one
#                  right after the other;
#   grep, glob   : the tools over HTTP on two runtimes started side by side on the same workspace, each the whole
#                  distribution built from its tree (before: BEFORE; after: AFTER, default this tree), warmed, then
#                  called in turns (before, after, before, ...); medians, and each runtime's RSS at the end.
#                  (Mixing bundles of two trees into one distribution breaks as soon as another bundle needs the
#                  newer API, so each side is built whole.)
# Corpora: the generated one of tools-grep.sh, and /usr/share/cargo/registry (real crates installed from Debian).
# Usage: [AFTER=tree] benchmarks/file-boundary-cost.sh BEFORE [runs=7] [warm-up calls=20]
#   BEFORE: a clone at the commit before the change, AFTER one at the change (default: this tree), e.g.
#     git clone -q --shared . /tmp/before && git -C /tmp/before checkout -q c2baa66
#     git clone -q --shared . /tmp/after && git -C /tmp/after checkout -q 4e5b447
#   Both trees are built here, offline and package only (nothing is installed).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
before=$(cd "$1" && pwd -P)
after=$(cd "${AFTER:-$repo}" && pwd -P)
runs=${2:-7}
warmup=${3:-20}
. "$repo/scripts/env.sh"
select_jdk

build() { # tree modules: package, and write the JMH module's class path (reactor jars + third-party jars)
  (cd "$1" && mvn -o -B -q -pl "$2" -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=runtime)
}
build "$before" distribution,benchmarks/jmh
build "$after" distribution,benchmarks/jmh

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
dist=$after/distribution/target/boxagnts

echo "## trivial call (JMH ToolCallBenchmark, SampleTime, 1 fork, 3x2 s warm-up, 5x2 s)"
echo
jvmci=$dist/lib/jvmci
modules=$(ls "$jvmci"/compiler-*.jar "$jvmci"/truffle-compiler-*.jar "$jvmci"/word-*.jar "$jvmci"/collections-*.jar | paste -sd:)
jmh() { # tree label
  "$JAVA_HOME/bin/java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path="$modules" \
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dboxagnts.bench.wasm="$1/bundles/sandbox/target/wasm" \
    -cp "$1/benchmarks/jmh/target/classes:$(cat "$1/benchmarks/jmh/target/jmh.classpath")" \
    org.openjdk.jmh.Main ToolCallBenchmark -f 1 -wi 3 -w 2 -i 5 -r 2 -rf json -rff "$work/$2.json" >"$work/$2.log" 2>&1
}
jmh "$before" before
jmh "$after" after
python3 - "$work/before.json" "$work/after.json" <<'EOF'
import json, sys
rows = {}
for label, path in (("before", sys.argv[1]), ("after", sys.argv[2])):
    for r in json.load(open(path)):
        p = r["primaryMetric"]["scorePercentiles"]
        rows.setdefault(r["params"]["workspace"], {})[label] = (p["50.0"], p["90.0"], p["99.0"], r["primaryMetric"]["scoreUnit"])
print("| workspace grant | p50 before | p50 after | p90 before | p90 after | p99 before | p99 after | p50 after / before |")
print("|---|---|---|---|---|---|---|---|")
for grant, v in rows.items():
    b, a = v["before"], v["after"]
    print(f"| {grant} | {b[0]:.1f} {b[3]} | {a[0]:.1f} | {b[1]:.1f} | {a[1]:.1f} | {b[2]:.1f} | {a[2]:.1f} | {a[0] / b[0]:.2f} |")
EOF

token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
(umask 077; echo "$token" >"$work/token")
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

start() { # dist port workspace -> the runtime's pid in $started
  "$1/bin/boxagnts" --workspace-dir "$3" --data-dir "$work/data-$2" --access-token-file "$work/token" \
    --port "$2" >"$work/log-$2" 2>&1 &
  started=$!
  pids+=("$started")
  until api "http://127.0.0.1:$2/api/tools" | grep -q '"name":"grep"'; do sleep 0.2; done
}

measure() { # label tool json
  local label=$1 tool=$2 json=$3 port
  for port in 31101 31102; do
    for _ in $(seq "$warmup"); do api -X POST "http://127.0.0.1:$port/api/tools/$tool/invoke" -d "$json" >/dev/null; done
  done
  : >"$work/t-31101"; : >"$work/t-31102"
  for _ in $(seq "$runs"); do
    for port in 31101 31102; do
      t0=$(now); api -X POST "http://127.0.0.1:$port/api/tools/$tool/invoke" -d "$json" >"$work/out-$port"; t1=$(now)
      echo $(( (t1 - t0) / 1000000 )) >>"$work/t-$port"
    done
  done
  same=$(python3 -c 'import json,sys; a,b=(json.load(open(f))["result"] for f in sys.argv[1:]); print("same" if a==b else "DIFFERENT")' \
    "$work/out-31101" "$work/out-31102")
  b=$(median <"$work/t-31101"); a=$(median <"$work/t-31102")
  printf '| %s | %s | %s ms | %s ms | %.2f | %s |\n' "$label" "$tool" "$b" "$a" "$(echo "$a / $b" | bc -l)" "$same"
}

rss() { # pid of bin/boxagnts (it execs java)
  awk '/VmRSS/ {printf "%d MB", $2 / 1024}' "/proc/$1/status"
}

corpus=${CORPUS:-/tmp/boxagnts-grep-corpus}
[ -d "$corpus" ] || python3 "$repo/tool-plugins/rust/tests/gen-corpus.py" "$corpus" >/dev/null
for ws in "$corpus" /usr/share/cargo/registry; do
  echo
  echo "## $ws: $(find "$ws" -type f | wc -l) files, $(du -sm "$ws" | cut -f1) MB; $runs runs in turns after $warmup warm-up calls each"
  echo
  start "$before/distribution/target/boxagnts" 31101 "$ws"; before_pid=$started
  start "$dist" 31102 "$ws"; after_pid=$started
  echo "| search | tool | before | after | after / before | answers |"
  echo "|---|---|---|---|---|---|"
  measure 'TODO\(\w+\)' grep '{"pattern":"TODO\\(\\w+\\)","max_results":2000}'
  measure 'no match (full scan)' grep '{"pattern":"zqx[0-9]+vv"}'
  measure 'unsafe' grep '{"pattern":"unsafe","max_results":2000}'
  measure '**/*.rs' glob '{"pattern":"**/*.rs","max_results":5000}'
  echo
  echo "RSS at the end: before $(rss "$before_pid"), after $(rss "$after_pid")"
  kill "$before_pid" "$after_pid"
  wait "$before_pid" "$after_pid" 2>/dev/null || true
done
