#!/usr/bin/env bash
# A session that overflowed once still completes its next turn, against a real llama.cpp llama-server (issue 15).
# Not a test in ./run-tests: building llama-server takes far longer than CI allows (see benchmarks/README.md).
#
#   1. llama-server is built once from the llama.cpp source that the node-llama-cpp npm package bundles
#      (llama/gitRelease.bundle, a git bundle), only the llama-server target, CPU only, under nice -n 19, into
#      ${XDG_CACHE_HOME:-~/.cache}/boxagnts-bench/ (outside the repository): later runs skip the build.
#   2. A tiny Qwen2.5-shaped GGUF with random weights and the real Qwen2 tokenizer (benchmarks/tiny-qwen2-gguf.py)
#      is written there too, once.
#   3. llama-server serves it with a 4,096-token context (-c 4096, one slot) on a free port from 34100; the built
#      distribution (bin/boxagnts) is started with --model-url pointing at it, and one session gets a message too
#      big for the whole context (a pasted build log, 30 KB by default), then normal turns.
# The model answers gibberish (random weights); what counts is that every request fits (the server refuses
# nothing) and every turn ends COMPLETED or MAX_TOKENS, not with an error. Prints a Markdown table; exits 1 if a turn
# failed or the server refused a request.
#
# Usage: benchmarks/real-llama-server.sh [message-kb=30] [normal turns after it=2]    (build first: ./run-tests -o)
# Environment: JOBS (build parallelism, 2), NODE_LLAMA_CPP (npm version, 3.22.1), BOXAGNTS_BENCH_CACHE (cache dir).
# Needs: npm, git, cmake, a C++ compiler, python3 with numpy, curl, jq.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
kb=${1:-30}
normal_turns=${2:-2}
dist=$repo/distribution/target/boxagnts
[ -x "$dist/bin/boxagnts" ] || { echo "build first: ./run-tests -o (or mvn -o -pl distribution -am package)" >&2; exit 1; }
version=${NODE_LLAMA_CPP:-3.22.1}
cache=${BOXAGNTS_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/boxagnts-bench}
src=$cache/llama.cpp
server=$src/build/bin/llama-server
model=$cache/tiny-qwen2.gguf
mkdir -p "$cache"
if [ -d "$src/.git" ] && [ "$(cat "$src/.node-llama-cpp-version" 2>/dev/null)" != "$version" ]; then
  echo "$src holds another node-llama-cpp version's source than $version: remove it to rebuild" >&2; exit 1
fi

if [ ! -x "$server" ]; then
  echo "building llama-server from node-llama-cpp@$version's llama.cpp source into $src (once; slow on 2 cores)" >&2
  if [ ! -d "$src/.git" ]; then
    unpack=$(mktemp -d)
    (cd "$unpack" && npm pack --silent "node-llama-cpp@$version" >/dev/null &&
      tar xzf node-llama-cpp-*.tgz package/llama/gitRelease.bundle)
    git clone -q "$unpack/package/llama/gitRelease.bundle" "$src"
    echo "$version" >"$src/.node-llama-cpp-version"
    rm -rf "$unpack"
  fi
  # Only what llama-server needs: no tests, examples or web UI download (LLAMA_USE_PREBUILT_UI would fetch it),
  # no HTTPS, CPU backend for any x86-64 (GGML_NATIVE=OFF), static so the binary stands alone.
  nice -n 19 cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF -DGGML_OPENMP=OFF >"$cache/cmake.log"
  nice -n 19 cmake --build "$src/build" --target llama-server -j "${JOBS:-2}" >"$cache/build.log" ||
    { tail -20 "$cache/build.log" >&2; exit 1; }
fi
[ -s "$model" ] || python3 "$repo/benchmarks/tiny-qwen2-gguf.py" "$src" "$model" >&2

work=$(mktemp -d)
llama_pid=; box_pid=
cleanup() {
  for p in $box_pid $llama_pid; do kill "$p" 2>/dev/null || true; done
  for p in $box_pid $llama_pid; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { # the first port from $1 that nothing listens on
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
wait_for() { # seconds, command...: until the command succeeds
  local until=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    [ "$(date +%s)" -lt "$until" ] || { echo "timed out: $*" >&2; tail -20 "$work"/*.log >&2; exit 1; }
    sleep 0.2
  done
}

# -lv 4 (trace) makes llama-server log every request's prompt size ("new prompt ... task.n_tokens = N") and the
# status of every HTTP request ("done request: POST /v1/chat/completions ... 400"): the server's own account.
llama_port=$(free_port 34100)
"$server" -m "$model" -c 4096 -np 1 -t 2 --host 127.0.0.1 --port "$llama_port" --no-webui -lv 4 \
  >"$work/llama.log" 2>&1 &
llama_pid=$!
wait_for 120 curl -sf -o /dev/null "http://127.0.0.1:$llama_port/health"

box_port=$(free_port $((llama_port + 1)))
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); (umask 077; echo "$token" >"$work/token")
mkdir -p "$work/ws" "$work/plugins"
echo "This project is a demo for the benchmark." >"$work/ws/README.md"
"$dist/bin/boxagnts" --workspace-dir "$work/ws" --data-dir "$work/data" --plugins-dir "$work/plugins" \
  --access-token-file "$work/token" --port "$box_port" --model-url "http://127.0.0.1:$llama_port/v1" \
  >"$work/boxagnts.log" 2>&1 &
box_pid=$!
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
base=http://127.0.0.1:$box_port
wait_for 120 sh -c "curl -sf -H 'Authorization: Bearer $token' $base/api/health | grep -q '\"state\":\"READY\"'"
session=$(api -X POST "$base/api/sessions" -d '{"title":"real llama-server"}' | jq -r .id)

# The turn as the UI reads it (the message's Server-Sent Events); one row per turn into $work/rows.
: >"$work/rows"
turn() { # name text
  local n0 t0 t1 events="$work/turn-$1.sse"
  n0=$(wc -l <"$work/llama.log")
  t0=$(now_ms)
  jq -n --arg text "$2" '{text: $text, mode: "plan"}' |
    api -N --max-time 600 -X POST "$base/api/sessions/$session/messages" --data-binary @- >"$events" || true
  t1=$(now_ms)
  sleep 0.5 # llama-server logs a request's end just after the last byte
  tail -n +"$((n0 + 1))" "$work/llama.log" >"$work/turn-$1.llama"
  local end prompts rejected notices
  end=$(sed -n 's/^data: //p' "$events" | jq -sc 'map(select(.type == "TurnFinished")) | last // {}')
  prompts=$(sed -n 's/.*new prompt,.* task\.n_tokens = \([0-9]*\).*/\1/p' "$work/turn-$1.llama" | paste -sd+ - | sed 's/+/ + /g')
  rejected=$(grep -c 'done request: POST /v1/chat/completions .* [45][0-9][0-9]$' "$work/turn-$1.llama" || true)
  notices=$(sed -n 's/^data: //p' "$events" | jq -r 'select(.type == "Notice") | .message' |
    cut -c1-60 | sed 's/|/\\|/g' | paste -sd';' - | sed 's/;/; /g')
  printf '| %s | %s KB | %s | %s | %s | %s | %s ms | %s ms | %s |\n' "$1" "$(( ${#2} / 1024 ))" \
    "$(jq -r '.reason // "no end (\(.))"' <<<"$end")" "${prompts:--}" "$rejected" \
    "$(jq -r '.usage.inputTokens // "-"' <<<"$end")" "$(jq -r '.millis // "-"' <<<"$end")" "$((t1 - t0))" \
    "${notices:--}" >>"$work/rows"
}

line="[ERROR] Failed to execute goal on project demo: compilation failure at src/main/java/Demo.java:[42,17] cannot find symbol"
big="Please look at this build log:"$'\n'
while [ "${#big}" -lt $((kb * 1024)) ]; do big+=$line$'\n'; done
big+="What is wrong?"
turn "1 (oversized)" "$big"
for i in $(seq "$normal_turns"); do
  turn "$((i + 1))" "Thanks. In one sentence: what should I fix first? ($i)"
done

box_rss=$(rss_mb "$box_pid"); llama_rss=$(rss_mb "$llama_pid")
context=$(api "$base/api/providers" | jq -c '[.. | objects | select(has("contextWindow")) | .contextWindow] | unique')
build_commit=$(git -C "$src" rev-parse --short HEAD)

echo "llama-server: node-llama-cpp@$version's llama.cpp ($build_commit), -c 4096 -np 1 -t 2, $(basename "$model")"\
" ($(( $(stat -c %s "$model") / 1024 / 1024 )) MB); context BoxAgnts read from it: $context tokens"
echo
echo "| turn | message | ended | prompt tokens per request (llama-server) | refused by the server | input tokens (TurnFinished) | turn (runtime) | turn (client) | notices |"
echo "|---|---|---|---|---|---|---|---|---|"
cat "$work/rows"
echo
completed=$(grep -cE '^\| [^|]+\| [^|]+\| (COMPLETED|MAX_TOKENS) \|' "$work/rows" || true)
refused=$(awk -F'|' '{s += $6} END {print s + 0}' "$work/rows")
turns=$(wc -l <"$work/rows")
echo "turns completed (COMPLETED or MAX_TOKENS): $completed of $turns; requests refused by llama-server: $refused;" \
  "RSS after the run: BoxAgnts $box_rss MB, llama-server $llama_rss MB"
[ "$completed" = "$turns" ] && [ "$refused" = 0 ]
