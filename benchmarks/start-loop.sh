#!/usr/bin/env bash
# Starts and stops the built distribution N times, the ways users start it, and counts what went wrong:
#   crashes        exit status 134/139 (SIGABRT after a JVM crash report, SIGSEGV) or any hs_err*.log written
#                  (in the data directory's logs/, the current directory or the workspace)
#   never ready    no ready line within 60 s
#   tools failed   ready, but a read_file call through the API did not return the workspace file's content within
#                  60 s (a class-data archive without the compiler's classes once let every start say ready and fail
#                  every tool call: decision 0040)
# The ways, in turn: a fresh data directory (a first start); a reused one; two runtimes at once on one data directory;
# SIGKILL 0.2-2 s into a first start, then a normal start on that data directory; and a class-data archive
# (lib/boxagnts.jsa) that is truncated, corrupt (bytes overwritten in its middle) or from another build (a jar
# of the distribution rebuilt since), each on a copy of the distribution that was started once before the damage, so
# that its archive had been verified and stamped (decision 0039): the stamp must not let a damaged archive in.
# Usage: [DIST=dir] [BEFORE=dir] benchmarks/start-loop.sh [N=300]
#   DIST    the distribution to start (default distribution/target/boxagnts; build first: ./boxagnts --version)
#   BEFORE  another distribution (e.g. a copy of an earlier build): each round also starts it on a fresh and on a
#           reused data directory, alternating with DIST, for a before/after comparison under the same load
# SIGTERM prints the figures so far. Prints a Markdown table; the cold start is process spawn -> ready line, median
# over the starts of each kind.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
total=${1:-300}
dist=${DIST:-$repo/distribution/target/boxagnts}
before=${BEFORE:-}
[ -x "$dist/bin/boxagnts" ] || { echo "build first: ./boxagnts --version" >&2; exit 1; }
[ -f "$dist/lib/boxagnts.jsa" ] || echo "note: $dist has no lib/boxagnts.jsa (class-data archive)" >&2

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/ws" "$work/results"
check="start-loop check $$"; echo "$check" >"$work/ws/check.txt"
cd "$work"   # a crash report that ignored -XX:ErrorFile would land here
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); (umask 077; echo "$token" >"$work/token")

starts=0 crashes=0 never_ready=0 tools_failed=0 refused_second=0 both_ready=0 i=0
port=31000
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)); else print "-"}'; }
next_port() { port=$((port + 1)); [ "$port" -le 31990 ] || port=31001; }

# launch NAME DIST DATA: starts a runtime in the background; sets $pid, writes $work/NAME.log
launch() {
  next_port
  starts=$((starts + 1))
  "$2/bin/boxagnts" --workspace-dir "$work/ws" --data-dir "$3" --port "$port" --access-token-file "$work/token" \
    >"$work/$1.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  t0=$(now_ms)
}
# await_ready NAME KIND: waits for the ready line (or the end); records the time under KIND; 0 if ready
await_ready() {
  for _ in $(seq 6000); do
    if grep -q " is ready at " "$work/$1.log" 2>/dev/null; then
      echo $(( $(now_ms) - t0 )) >>"$work/results/$2"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  return 1
}
# finish PID DATA EXPECTED...: stops it (SIGTERM), counts a crash unless the status is one of EXPECTED
finish() {
  local p=$1 data=$2; shift 2
  kill -TERM "$p" 2>/dev/null || true
  local status=0
  wait "$p" 2>/dev/null || status=$?
  local ok=no
  for expected in "$@"; do [ "$status" = "$expected" ] && ok=yes; done
  if [ "$ok" = no ] || [ "$status" = 134 ] || [ "$status" = 139 ]; then
    crashes=$((crashes + 1)); echo "crash? exit status $status (data $data)" >&2
  fi
}
count_reports() {
  find "$work" -name 'hs_err*.log' 2>/dev/null | wc -l
}

# reads_a_file NAME KIND: after the ready line (and its time), one read_file call must answer the file's content
reads_a_file() {
  local answer
  answer=$(curl -s --max-time 60 -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"path":"check.txt"}' "http://127.0.0.1:$port/api/tools/read_file/invoke" 2>&1) || true
  case "$answer" in
    *"$check"*) ;;
    *) tools_failed=$((tools_failed + 1)); echo "tools failed: $2: ${answer:0:300}" >&2 ;;
  esac
}

run_normal() { # NAME KIND DIST DATA
  launch "$1" "$3" "$4"
  if await_ready "$1" "$2"; then reads_a_file "$1" "$2"
  else never_ready=$((never_ready + 1)); echo "never ready: $2" >&2; tail -3 "$work/$1.log" >&2; fi
  finish "$pid" "$4" 0 143
}

report() {
reports=$(count_reports)
[ "$reports" = 0 ] || find "$work" -name 'hs_err*.log' -exec head -n 12 {} \; >&2

cat <<TABLE
| measure | figure |
|---|---|
| starts (JVM launches) | $starts |
| crashes (exit status, hs_err files) | $crashes crashes, $reports crash reports |
| starts that never became ready | $never_ready |
| ready starts whose read_file call failed | $tools_failed |
| two at once on one data directory ($i pairs) | both ready: $both_ready, second refused with a message: $refused_second |
| cold start, first start (fresh data dir), median | $(median <"$work/results/first-start") ms ($(wc -l <"$work/results/first-start") starts) |
| cold start, reused data dir, median | $(median <"$work/results/reused") ms ($(wc -l <"$work/results/reused") starts) |
| start after a SIGKILLed first start, median | $(median <"$work/results/after-kill") ms |
| truncated / corrupt / foreign archive, median | $(median <"$work/results/truncated") / $(median <"$work/results/corrupt") / $(median <"$work/results/foreign") ms |
TABLE
if [ -n "$before" ]; then
  echo "| BEFORE ($before): first start, median | $(median <"$work/results/before-first-start") ms ($(wc -l <"$work/results/before-first-start") starts) |"
  echo "| BEFORE: reused data dir, median | $(median <"$work/results/before-reused") ms ($(wc -l <"$work/results/before-reused") starts) |"
fi
echo
echo "java: $("$dist/bin/boxagnts" --version)  machine: $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg)"
}
# Stopped early (SIGTERM or Ctrl-C): the figures so far.
trap 'report; exit 1' TERM INT

# Copies of the distribution with a damaged archive: each started once first (its archive verified and stamped),
# then damaged in place.
for kind in truncated corrupt foreign; do
  cp -a "$dist" "$work/dist-$kind"
  rm -f "$work/dist-$kind/lib/boxagnts.jsa.verified"
  [ -f "$dist/lib/boxagnts.jsa" ] || continue
  sleep 0.1   # the copy's change time a tick in the past: the check after the start may stamp it
  launch "stamp-$kind" "$work/dist-$kind" "$work/data-stamp-$kind"
  await_ready "stamp-$kind" stamping || true
  for _ in $(seq 600); do [ -f "$work/dist-$kind/lib/boxagnts.jsa.verified" ] && break; sleep 0.1; done
  finish "$pid" "$work/data-stamp-$kind" 0 143
  [ -f "$work/dist-$kind/lib/boxagnts.jsa.verified" ] || echo "note: the $kind copy's archive was not stamped" >&2
done
if [ -f "$dist/lib/boxagnts.jsa" ]; then
  size=$(wc -c <"$dist/lib/boxagnts.jsa")
  truncate -s $((size / 3)) "$work/dist-truncated/lib/boxagnts.jsa"
  head -c 4096 /dev/urandom | dd of="$work/dist-corrupt/lib/boxagnts.jsa" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
  touch -r "$dist/lib/boxagnts.jsa" "$work/dist-corrupt/lib/boxagnts.jsa"   # only its change time says it changed
  touch -d '2020-01-01' "$work/dist-foreign/lib/boxagnts-launcher.jar"   # the jar the archive recorded has changed
fi

reused=$work/data-reused
i=0
while [ "$starts" -lt "$total" ]; do
  i=$((i + 1))
  run_normal fresh first-start "$dist" "$work/data-fresh-$i"
  rm -rf "$work/data-fresh-$i"
  run_normal reused reused "$dist" "$reused"

  # Two at once on one data directory.
  shared=$work/data-shared-$i
  launch a "$dist" "$shared"; pa=$pid; ta=$t0
  launch b "$dist" "$shared"; pb=$pid
  pid=$pa; t0=$ta; ra=no; await_ready a two && ra=yes
  pid=$pb; rb=no; await_ready b two && rb=yes
  if [ "$ra" = yes ] && [ "$rb" = yes ]; then both_ready=$((both_ready + 1))
  elif [ "$ra" = yes ] || [ "$rb" = yes ]; then
    loser=b; [ "$rb" = yes ] && loser=a
    if grep -qi "data directory" "$work/$loser.log"; then refused_second=$((refused_second + 1))
    else never_ready=$((never_ready + 1)); echo "second runtime: $(tail -2 "$work/$loser.log")" >&2; fi
  else never_ready=$((never_ready + 2)); fi
  finish "$pa" "$shared" 0 1 2 143; finish "$pb" "$shared" 0 1 2 143
  rm -rf "$shared"

  # SIGKILL during a first start, then a normal start.
  killed=$work/data-killed-$i
  launch killed "$dist" "$killed"
  sleep "0.$((2 + RANDOM % 8))$((RANDOM % 10))"
  [ $((RANDOM % 2)) = 0 ] && sleep 1
  kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  run_normal after-kill after-kill "$dist" "$killed"
  rm -rf "$killed"

  for kind in truncated corrupt foreign; do
    run_normal "$kind" "$kind" "$work/dist-$kind" "$work/data-$kind"
  done

  if [ -n "$before" ]; then
    run_normal before-fresh before-first-start "$before" "$work/data-before-fresh-$i"
    rm -rf "$work/data-before-fresh-$i"
    run_normal before-reused before-reused "$before" "$work/data-before-reused"
  fi
done
report
