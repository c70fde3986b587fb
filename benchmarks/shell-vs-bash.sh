#!/usr/bin/env bash
# The sandboxed shell tool against bash + GNU coreutils, in one run, on a real repository:
#   sandbox   : POST /api/tools/shell/invoke on bin/boxagnts (keep-alive HTTP, as the agent and the UI call it), the
#               first call after a fresh start and warm
#   reference : `bash -c COMMAND` in the same directory (process starts included), LC_ALL=C
# idle, and again with a CPU hog busy-looping on every core (same priority as the runtime). Both outputs must be equal
# (compared in every run, printed as "same" or "DIFFERENT").
#
# Usage: benchmarks/shell-vs-bash.sh [runs=5] [warm-up calls=10]
#   CORPUS=DIR       the workspace (default: a copy of Debian's crate sources, /usr/share/cargo/registry, made once
#                    into /tmp/boxagnts-crates: ~2,700 files, 39 MB of real Rust)
#   LOADS="idle hog" which load conditions to run
#   ONLY=WORD        only the rows whose label contains WORD
#   DIST=DIR         another built distribution
# Prerequisites: a built distribution (mvn -B -o package -DskipTests -pl distribution -am) and python3.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
runs=${1:-5}
warmup=${2:-10}
dist=${DIST:-$repo/distribution/target/boxagnts}
[ -x "$dist/bin/boxagnts" ] || { echo "build first: mvn -B -o package -DskipTests -pl distribution -am" >&2; exit 1; }
corpus=${CORPUS:-/tmp/boxagnts-crates}
if [ ! -d "$corpus" ]; then
  cp -r /usr/share/cargo/registry "$corpus.tmp" && mv "$corpus.tmp" "$corpus"
fi
export BENCH_PORT=${BENCH_PORT:-37198}
. "$repo/benchmarks/bench-common.sh"

echo "corpus: $corpus, $(find "$corpus" -type f | wc -l) files, $(du -sm "$corpus" | cut -f1) MB;" \
     "$(nproc) cores; runs: $runs (medians) after $warmup warm-up calls; $(bash --version | head -n 1); $(date -u +%FT%TZ)"
for load in ${LOADS:-idle hog}; do
  if [ "$load" = hog ]; then
    for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
  fi
  echo
  echo "### $load"
  PYTHONPATH="$repo/benchmarks" python3 - "$dist" "$corpus" "$work" "$token" "$runs" "$warmup" <<'EOF'
import http.client, json, os, subprocess, sys, time, statistics
import runtime
dist, corpus, work, token, runs, warmup = sys.argv[1:7]
runs, warmup = int(runs), int(warmup)
port = int(os.environ["BENCH_PORT"])
H = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

CASES = [  # label, command
    ("trivial `echo hi`", "echo hi"),
    ("`find | xargs grep -l | wc -l`", "find . -name '*.rs' | xargs grep -l unsafe | wc -l"),
    ("`grep -rhoE | sort | uniq -c | sort -rn | head`",
     "grep -rhoE 'fn [a-z_]+' --include='*.rs' . | sort | uniq -c | sort -rn | head -5"),
    ("`cat | sort | uniq -c | sort -rn | head` (Cargo.toml)",
     "find . -name Cargo.toml | xargs cat | grep -E '^[a-z-]+ = ' | cut -d' ' -f1 | sort | uniq -c | sort -rn | head -5"),
]

def start():
    return runtime.start(dist, corpus, work, port, H, "shell")

stop, rss_mb = runtime.stop, runtime.rss_mb

def call(conn, command):
    body = json.dumps({"command": command})
    t0 = time.perf_counter()
    conn.request("POST", "/api/tools/shell/invoke", body=body, headers=H)
    r = conn.getresponse(); data = r.read()
    ms = (time.perf_counter() - t0) * 1000
    answer = json.loads(data)
    return ms, answer.get("durationMs", -1), answer.get("result", {}).get("stdout", "error: " + data.decode()[:200])

def ref(command):
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "TZ": "UTC"}
    t0 = time.perf_counter()
    out = subprocess.run(["bash", "-c", command], cwd=corpus, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    return (time.perf_counter() - t0) * 1000, out.decode()

print("| command | output | 1st call | warm p50 | warm min-max | durationMs | bash + GNU | warm / bash | RSS after | load avg |")
print("|---|---|---|---|---|---|---|---|---|---|")
p = start()
try:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for label, command in CASES:
        if os.environ.get("ONLY", "") not in label:
            continue
        first, _, out = call(conn, command)
        for _ in range(warmup):
            call(conn, command)
        warm, dur, refs, same = [], [], [], True
        for _ in range(runs):
            ms, d, out = call(conn, command)
            warm.append(ms); dur.append(d)
            rms, rout = ref(command)
            refs.append(rms)
            same = same and out == rout
        w, r = statistics.median(warm), statistics.median(refs)
        load = open("/proc/loadavg").read().split()[0]
        print(f"| {label} | {'same' if same else 'DIFFERENT'} | {first:.0f} ms | {w:.0f} ms | {min(warm):.0f}-{max(warm):.0f} ms"
              f" | {statistics.median(dur):.0f} ms | {r:.0f} ms | {w / r:.2f} | {rss_mb(p)} MB | {load} |", flush=True)
finally:
    stop(p)
EOF
  for h in "${hogs[@]:-}"; do [ -n "$h" ] && kill "$h" 2>/dev/null || true; done
  hogs=()
done
