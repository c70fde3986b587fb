#!/usr/bin/env bash
# The grep tool's own Rust code compiled for the host (no WASM, no sandbox, one thread, in-process) against ripgrep,
# in one run, on the crate corpus: the floor for what the sandboxed grep could reach, separating what the code costs
# from what GraalWasm and the WASI layer add (tools-vs-ripgrep.sh measures the sandboxed tool).
#
# Usage: benchmarks/grep-native.sh [runs=21]      CORPUS=DIR (default /tmp/boxagnts-crates, as tools-vs-ripgrep.sh)
# Prerequisites: Debian's rustc/cargo (tool-plugins/rust/build.sh installs them) and ripgrep.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
runs=${1:-21}
corpus=${CORPUS:-/tmp/boxagnts-crates}
command -v rg >/dev/null || { echo "needs ripgrep: apt-get install -y ripgrep" >&2; exit 1; }
if [ ! -d "$corpus" ]; then
  cp -r /usr/share/cargo/registry "$corpus.tmp" && mv "$corpus.tmp" "$corpus"
fi
export CARGO_TARGET_DIR="$repo/tool-plugins/rust/target/native"
(cd "$repo/tool-plugins/rust" && env -u RUSTFLAGS cargo build -q --release --example native_grep -p tool_grep)
native=$CARGO_TARGET_DIR/release/examples/native_grep

# median wall time of a command in ms, process start included
rg_ms() {
  local i t0 t1 all=()
  for i in $(seq "$runs"); do
    t0=$(date +%s%N); "$@" >/dev/null || true; t1=$(date +%s%N)
    all+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${all[@]}" | sort -n | sed -n "$((runs / 2 + 1))p" | awk '{printf "%.1f", $1 / 1000}'
}

echo "corpus: $corpus, $(find "$corpus" -type f | wc -l) files; $(nproc) cores; $runs runs (medians); $(date -u +%FT%TZ)"
echo "| search | native grep tool, 1 thread | ripgrep (default threads) | ripgrep -j1 | native / rg | native / rg -j1 |"
echo "|---|---|---|---|---|---|"
row() {
  local label=$1 request=$2; shift 2
  local native_ms rg_all rg_one
  read -r native_ms _ _ < <("$native" "$corpus" "$request" "$runs")
  rg_all=$(cd "$corpus" && rg_ms rg --no-require-git "$@" .)
  rg_one=$(cd "$corpus" && rg_ms rg -j1 --no-require-git "$@" .)
  echo "| $label | $native_ms ms | $rg_all ms | $rg_one ms | $(awk "BEGIN{printf \"%.2f\", $native_ms/$rg_all}") | $(awk "BEGIN{printf \"%.2f\", $native_ms/$rg_one}") |"
}
row 'grep `fn \w+_new`' '{"pattern":"fn \\w+_new","max_results":2000}' -n 'fn \w+_new'
row 'grep -i literal `hashmap`' '{"pattern":"hashmap","case_insensitive":true,"max_results":2000}' -n -i hashmap
row 'grep no match' '{"pattern":"zq_never_9x","max_results":2000}' -n zq_never_9x
row 'the walk only (a glob no file matches)' '{"pattern":"x","glob":"*.nomatch","max_results":2000}' --files -g '*.nomatch'
