#!/usr/bin/env bash
# Memory of the built distribution under a mixed workload, and after it:
#   workspace  a copy of /usr/share/cargo/registry (the crate sources Debian's librust-*-dev packages install;
#              ~2,700 files, ~39 MB)
#   workload   CALLS tool calls over HTTP (read_file, glob, grep, list_dir, edit_file, CALLS/5 each, one tool after
#              the other), then TURNS agent turns against a scripted OpenAI-compatible model
#              (benchmarks/memory/scripted_model.py: each turn asks for one tool call, then answers)
#   prints     VmRSS of the runtime's JVM: idle, peak during the workload, 30 s after it, and 6 s after a full GC
#              (jcmd GC.run) that follows: what the collector could give back; per tool, the bytes the
#              JVM allocated per call (heap used after - before + what each GC in between freed, from -Xlog:gc and
#              jstat), and the GC count
# Usage: benchmarks/memory.sh [calls=1000] [turns=50]      (build first: ./boxagnts --version)
# GC settings to compare: BOXAGNTS_JAVA_OPTS='-XX:+UseG1GC ...' benchmarks/memory.sh (options after the launcher's win).
# CLIENTS=N sends each tool's calls from N clients at once (default 1: one call after the other), so that up to N
# calls hold linear memory at the same time (the sandbox runs at most 4 at once, within its memory budget).
# NMT=1 also prints the JVM's own account of its memory (Native Memory Tracking: heap, code cache, metaspace, compiler,
# threads, ...) at the end of the workload and 30 s after it, to tell heap the collector keeps from memory outside it.
# DIAG=DIR writes, 30 s after the workload (before the full GC), what the heap and the code cache hold into DIR:
# class-histogram.txt (jcmd GC.class_histogram: live objects, itself a full GC), codecache.txt (Compiler.codecache),
# codeheap-analytics.txt (Compiler.CodeHeap_Analytics) and, with NMT=1, nmt.txt (VM.native_memory summary).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
calls=${1:-1000}
turns=${2:-50}
clients=${CLIENTS:-1}
dist=$repo/distribution/target/boxagnts
jdk=${JSTAT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$dist/bin/boxagnts" ] || { echo "build first: ./boxagnts --version" >&2; exit 1; }
[ -d /usr/share/cargo/registry ] || { echo "needs /usr/share/cargo/registry (apt-get install librust-*-dev)" >&2; exit 1; }

work=$(mktemp -d)
pid= model= sampler=
trap '[ -z "$sampler" ] || kill "$sampler" 2>/dev/null; [ -z "$pid" ] || kill "$pid" 2>/dev/null; [ -z "$model" ] || kill "$model" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
cp -rL /usr/share/cargo/registry "$work/ws"
for client in $(seq "$clients"); do printf 'alpha\n' >"$work/ws/SCRATCH-$client.txt"; done
port=${PORT:-31500}; model_port=$((port + 1))
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); (umask 077; echo "$token" >"$work/token")
api() { curl -s -H "Authorization: Bearer $token" "$@"; }
base=http://127.0.0.1:$port

python3 "$repo/benchmarks/memory/scripted_model.py" "$model_port" & model=$!
nmt_opts=; [ "${NMT:-0}" = 0 ] || nmt_opts=-XX:NativeMemoryTracking=summary
BOXAGNTS_JAVA_OPTS="${BOXAGNTS_JAVA_OPTS:-} $nmt_opts -Xlog:gc:file=$work/gc.log" "$dist/bin/boxagnts" \
  --workspace-dir "$work/ws" --data-dir "$work/data" --port "$port" --access-token-file "$work/token" \
  --model-url "http://127.0.0.1:$model_port/v1" >"$work/log" 2>&1 &
pid=$!
ready_by=$((SECONDS + 180))
until api "$base/api/health" 2>/dev/null | grep -q '"state":"READY"'; do
  kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$ready_by" ] || { echo "the runtime never became ready:" >&2; tail -n 20 "$work/log" >&2; exit 1; }
  sleep 0.1
done
until [ "$(api "$base/api/tools" | grep -o '"name":"' | wc -l)" -ge 6 ]; do sleep 0.1; done
sleep 2
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status"; }
rss_idle=$(rss)
(while kill -0 "$pid" 2>/dev/null; do rss >>"$work/rss"; sleep 0.5; done) & sampler=$!

used_kb() { "$jdk/bin/jstat" -gc "$pid" | awk 'NR==2 {print int($3 + $4 + $6 + $8)}'; }  # S0U S1U EU OU
freed_kb() { # freed by the GCs logged after line $1 of the GC log ("45M->12M(60M)")
  tail -n +"$(( $1 + 1 ))" "$work/gc.log" | grep -o '[0-9]*M->[0-9]*M' | awk -F'M->|M' '{s += $1 - $2} END {print s * 1024}'
}
gc_lines() { wc -l <"$work/gc.log"; }

mapfile -t files < <(cd "$work/ws" && find . -name '*.rs' -size -64k | sed 's|^\./||' | sort | head -n 400)
mapfile -t crates < <(cd "$work/ws" && ls -d */ | sed 's|/$||')
per_tool=$((calls / 5))
args() { # TOOL I CLIENT
  local c=${crates[$(( $2 % ${#crates[@]} ))]}
  case $1 in
    read_file) printf '{"path":"%s"}' "${files[$(( $2 % ${#files[@]} ))]}" ;;
    glob) case $(( $2 % 3 )) in 0) echo '{"pattern":"**/*.rs"}' ;; 1) echo '{"pattern":"**/Cargo.toml"}' ;;
          *) printf '{"pattern":"**/*.rs","path":"%s"}' "$c" ;; esac ;;
    grep) printf '{"pattern":"fn new|impl Default","path":"%s"}' "$c" ;;
    list_dir) printf '{"path":"%s","depth":2}' "$c" ;;
    # each client edits its own file, alpha -> beta -> alpha: edits of one file by several clients would race
    edit_file) if [ $(( ($2 - $3) / clients % 2 )) = 0 ]; then printf '{"path":"SCRATCH-%s.txt","old_string":"alpha","new_string":"beta"}' "$3"
               else printf '{"path":"SCRATCH-%s.txt","old_string":"beta","new_string":"alpha"}' "$3"; fi ;;
  esac
}
results=
started=$(date +%s)
for tool in read_file glob grep list_dir edit_file; do
  before=$(used_kb); lines=$(gc_lines); : >"$work/codes"; t0=$(date +%s%N)
  clients_pids=()
  for client in $(seq "$clients"); do
    (for i in $(seq "$client" "$clients" "$per_tool"); do
       api -o /dev/null -w '%{http_code}\n' -X POST "$base/api/tools/$tool/invoke" -d "$(args "$tool" "$i" "$client")" >>"$work/codes"
     done) &
    clients_pids+=($!)
  done
  wait "${clients_pids[@]}"  # not the runtime, the model and the sampler
  failed=$(grep -vc '^200$' "$work/codes" || true)
  t1=$(date +%s%N)
  after=$(used_kb); freed=$(freed_kb "$lines"); gcs=$(( $(gc_lines) - lines ))
  alloc_kb=$(( after - before + freed ))
  results+="| $tool | $per_tool | $failed | $(( alloc_kb / per_tool )) KB | $gcs | $(( (t1 - t0) / 1000000 / per_tool )) ms |"$'\n'
done
turns_failed=0
for i in $(seq "$turns"); do
  session=$(api -X POST "$base/api/sessions" -d '{"title":"memory"}' | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  api -N -X POST "$base/api/sessions/$session/messages" -d '{"text":"look around","mode":"ask"}' >"$work/turn" || true
  grep -q '"reason":"COMPLETED"' "$work/turn" || turns_failed=$((turns_failed + 1))
done
ended=$(date +%s)
peak=$(sort -n "$work/rss" | tail -n 1)
at_end=$(rss)
nmt() { # committed MB per NMT category, on one line
  [ -n "$nmt_opts" ] || return 0
  "$jdk/bin/jcmd" "$pid" VM.native_memory summary scale=MB |
    sed -n 's/^-  *\([A-Za-z ]*[a-z]\) (reserved=[0-9]*MB, committed=\([0-9]*\)MB[,)].*/\1 \2/p; s/^Total: reserved=[0-9]*MB, committed=\([0-9]*\)MB.*/Total \1/p' |
    awk '$NF > 0 {printf "%s%s=%s MB", sep, substr($0, 1, length($0) - length($NF) - 1), $NF; sep=", "} END {print ""}'
}
nmt_end=$(nmt)
sleep 30
after30=$(rss)
nmt_after=$(nmt)
if [ -n "${DIAG:-}" ]; then
  mkdir -p "$DIAG"
  "$jdk/bin/jcmd" "$pid" Compiler.codecache >"$DIAG/codecache.txt"
  "$jdk/bin/jcmd" "$pid" Compiler.CodeHeap_Analytics >"$DIAG/codeheap-analytics.txt"
  [ -z "$nmt_opts" ] || "$jdk/bin/jcmd" "$pid" VM.native_memory summary scale=KB >"$DIAG/nmt.txt"
  "$jdk/bin/jcmd" "$pid" GC.class_histogram >"$DIAG/class-histogram.txt"
  [ "${DIAG_HEAP:-0}" = 0 ] || "$jdk/bin/jcmd" "$pid" GC.heap_dump "$DIAG/heap.hprof" >/dev/null
fi
# What is left when the collector has given back all it can: a full GC, then one C-heap trim interval (5 s) and a bit
"$jdk/bin/jcmd" "$pid" GC.run >/dev/null
sleep 6
after_gc=$(rss)
nmt_gc=$(nmt)
kill "$sampler" 2>/dev/null || true; sampler=

cat <<TABLE
| tool | calls | failed | allocated per call | GCs | time per call |
|---|---|---|---|---|---|
${results}
| measure | figure | goal |
|---|---|---|
| agent turns (scripted model, one tool call each) | $turns, $turns_failed not completed | - |
| RSS idle, before the workload | $rss_idle MB | - |
| RSS peak during the workload ($((ended - started)) s) | $peak MB | <= 250 MB |
| RSS at the end of the workload | $at_end MB | - |
| RSS 30 s after the workload | $after30 MB | <= 200 MB |
| RSS after that, 6 s after a full GC (\`jcmd GC.run\`): the floor | $after_gc MB | - |
| GCs in all | $(grep -c 'Pause' "$work/gc.log") ($(grep -c 'Pause Full' "$work/gc.log") full) | - |
TABLE
if [ -n "$nmt_opts" ]; then
  echo
  echo "NMT committed at the end of the workload: $nmt_end"
  echo "NMT committed 30 s after: $nmt_after"
  echo "NMT committed 6 s after a full GC: $nmt_gc"
fi
echo
echo "clients at once: $clients; JVM options added: ${BOXAGNTS_JAVA_OPTS:-none}; java: $("$dist/bin/boxagnts" --version); machine: $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg)"
