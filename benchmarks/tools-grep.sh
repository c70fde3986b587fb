#!/usr/bin/env bash
# The grep tool on a generated corpus (~2,700 files, ~38 MB), in one run:
#   sandbox  : the same grep.wasm in BoxAgnts' GraalWasm sandbox, POST /api/tools/grep/invoke on a warm runtime
#   node V8  : the same grep.wasm under node's node:wasi (speed reference only; node:wasi is no sandbox)
#   grep -rE : native GNU grep
# Usage: benchmarks/tools-grep.sh [runs=5] [warm-up calls=20]   (build first: mvn install; needs node and python3)
# Each figure is the median of the runs; sandbox and node include their per-call overheads (HTTP, process start).
# The sandbox is measured warm: a 1 MB module keeps the Graal compiler busy for its first ~20 calls on 2 cores (the
# first call is reported on its own).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
runs=${1:-5}
warmup=${2:-20}
dist=$repo/distribution/target/boxagnts
wasm=$repo/tool-plugins/target/wasm/grep.wasm
corpus=${CORPUS:-/tmp/boxagnts-grep-corpus}
[ -x "$dist/bin/boxagnts" ] && [ -f "$wasm" ] || { echo "build first: mvn -q install -DskipTests" >&2; exit 1; }
[ -d "$corpus" ] || python3 "$repo/tool-plugins/rust/tests/gen-corpus.py" "$corpus"
work=$(mktemp -d)
port=30198
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
# The API needs the access token: the run uses one the script makes (the way a user brings their own).
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); (umask 077; echo "$token" >"$work/token")
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
"$dist/bin/boxagnts" --workspace-dir "$corpus" --data-dir "$work/data" --access-token-file "$work/token" --port "$port" >"$work/log" 2>&1 &
pid=$!
until api "http://127.0.0.1:$port/api/tools" | grep -q '"name":"grep"'; do sleep 0.1; done

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

measure() { # label json grep-args...
  local label=$1 json=$2; shift 2
  : >"$work/s"; : >"$work/n"; : >"$work/g"
  first=$(now); api -X POST "http://127.0.0.1:$port/api/tools/grep/invoke" -d "$json" >/dev/null; first=$(( ($(now) - first) / 1000000 ))
  for _ in $(seq "$warmup"); do api -X POST "http://127.0.0.1:$port/api/tools/grep/invoke" -d "$json" >/dev/null; done
  for _ in $(seq "$runs"); do
    t0=$(now); api -X POST "http://127.0.0.1:$port/api/tools/grep/invoke" -d "$json" >"$work/sandbox.json"; t1=$(now)
    node --no-turbo-fast-api-calls --no-warnings "$repo/tool-plugins/rust/tests/wasi-run.mjs" "$wasm" "$corpus" "$json" >"$work/node.json"; t2=$(now)
    (grep -rE "$@" "$corpus" || true) >"$work/grep.out"; t3=$(now)
    echo $(( (t1 - t0) / 1000000 )) >>"$work/s"; echo $(( (t2 - t1) / 1000000 )) >>"$work/n"; echo $(( (t3 - t2) / 1000000 )) >>"$work/g"
  done
  s=$(median <"$work/s"); n=$(median <"$work/n"); g=$(median <"$work/g")
  count=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["result"]; print(len(r.get("matches", r.get("files", []))))' "$work/sandbox.json")
  printf '| %s | %s | %s ms | %s ms | %s ms | %s ms | %.2f | %.2f |\n' "$label" "$count/$(wc -l <"$work/grep.out")" "$first" "$s" "$n" "$g" \
    "$(echo "$s / $n" | bc -l)" "$(echo "$s / $g" | bc -l)"
}

echo "corpus: $(find "$corpus" -type f | wc -l) files, $(du -sm "$corpus" | cut -f1) MB; runs: $runs (medians) after $warmup warm-up calls per search"
echo
echo "| search | matches (sandbox/grep) | sandbox, 1st call | sandbox, warm | node V8 | grep -rE | sandbox / V8 | sandbox / grep |"
echo "|---|---|---|---|---|---|---|---|"
measure 'TODO\(\w+\)' '{"pattern":"TODO\\(\\w+\\)","max_results":2000}' 'TODO\(\w+\)'
measure 'no match (full scan)' '{"pattern":"zqx[0-9]+vv"}' 'zqx[0-9]+vv'
measure 'case-insensitive literal' '{"pattern":"illegalstate","case_insensitive":true,"max_results":2000}' -i 'illegalstate'
