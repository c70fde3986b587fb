#!/usr/bin/env bash
# grep.wasm under node:wasi vs grep -rE on a generated corpus (2,700 files, ~38 MB).
#   tests/bench-grep.sh [tools_dir]      (default: target/tools; run ./build.sh first)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="$(cd "${1:-$HERE/../target/tools}" && pwd)"
CORPUS="${CORPUS:-/tmp/boxagnts-grep-corpus}"
[ -d "$CORPUS" ] || python3 "$HERE/gen-corpus.py" "$CORPUS"
echo "corpus: $(find "$CORPUS" -type f | wc -l) files, $(( $(find "$CORPUS" -type f -printf "%s\n" | paste -sd+ | bc) / 1048576 )) MiB of text"
run() { # label, json, grep args...
    local label="$1" json="$2"; shift 2
    local t0 t1 t2 n_wasm n_grep
    t0=$(date +%s.%N)
    node --no-turbo-fast-api-calls --no-warnings "$HERE/wasi-run.mjs" "$TOOLS/grep.wasm" "$CORPUS" "$json" >/tmp/bench-grep.out
    t1=$(date +%s.%N)
    n_grep=$( (grep -rE "$@" "$CORPUS" || true) | wc -l)
    t2=$(date +%s.%N)
    n_wasm=$(node -e 'const o=JSON.parse(require("fs").readFileSync("/tmp/bench-grep.out","utf8"));console.log((o.matches||o.files).length+(o.truncated?"+":""))')
    printf '%-34s wasm %6.2fs (%s)   grep -rE %6.2fs (%s)\n' "$label" "$(echo "$t1 - $t0" | bc)" "$n_wasm" "$(echo "$t2 - $t1" | bc)" "$n_grep"
}
run "TODO\\(\\w+\\) (sparse)"   '{"pattern":"TODO\\(\\w+\\)","max_results":2000}'  'TODO\(\w+\)'
run "no match (full scan)"      '{"pattern":"zqx[0-9]+vv"}'                       'zqx[0-9]+vv'
run "case-insensitive literal"  '{"pattern":"illegalstate","case_insensitive":true,"max_results":2000}' -i 'illegalstate'
run "files_only alternation"    '{"pattern":"TODO|IllegalState","files_only":true,"max_results":2000}' -l 'TODO|IllegalState'
