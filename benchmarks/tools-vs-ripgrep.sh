#!/usr/bin/env bash
# The sandboxed search tools against ripgrep, in one run, on a real repository:
#   sandbox : grep, glob and list_dir (default depth 2) through POST /api/tools/NAME/invoke on bin/boxagnts (keep-alive HTTP, as the
#             agent and the UI call them), the first call after a fresh start and warm
#   ripgrep : `rg -n PATTERN` / `rg -n -i LITERAL` / `rg --files -g GLOB` (default threads, process start included);
#             `find -maxdepth 2` for list_dir
# idle, and again with a CPU hog busy-looping on every core (same priority as the runtime).
#
# Usage: benchmarks/tools-vs-ripgrep.sh [runs=7] [warm-up calls=20]
#   CORPUS=DIR       the workspace (default: a copy of Debian's crate sources, /usr/share/cargo/registry, made once
#                    into /tmp/boxagnts-crates: ~2,700 files, 39 MB of real Rust)
#   FIRST_DELAY=S    seconds between "engine READY" and the first call (default 0: the worst case; an agent's first
#                    tool call comes after the model's first answer, seconds later)
#   WARMED=1         make the first call once the log says the background warm-up of the tools has finished
#                    (decision 0019; waits at most 300 s)
#   LOADS="idle hog" which load conditions to run
#   ONLY=WORD        only the rows whose label contains WORD (e.g. grep, glob, list_dir)
#   DIST=DIR         another built distribution (e.g. of the commit before, to compare in one session)
# Prerequisites: a built distribution (mvn -o package -DskipTests -pl distribution -am), python3, and ripgrep
# (apt-get install ripgrep; only this benchmark needs it, the runtime does not).
#
# Ignore rules: both honour .gitignore/.ignore without a .git directory (rg --no-require-git) and skip hidden files;
# rg also searches files over 16 MB and reports binary files' matches as "binary file matches" (grep skips both:
# counted as large_skipped/binary_skipped). Match counts are printed side by side.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
runs=${1:-7}
warmup=${2:-20}
dist=${DIST:-$repo/distribution/target/boxagnts}
[ -x "$dist/bin/boxagnts" ] || { echo "build first: mvn -B -o package -DskipTests -pl distribution -am" >&2; exit 1; }
command -v rg >/dev/null || { echo "needs ripgrep: apt-get install -y ripgrep" >&2; exit 1; }
corpus=${CORPUS:-/tmp/boxagnts-crates}
if [ ! -d "$corpus" ]; then
  cp -r /usr/share/cargo/registry "$corpus.tmp" && mv "$corpus.tmp" "$corpus"
fi
export BENCH_PORT=${BENCH_PORT:-33198}
. "$repo/benchmarks/bench-common.sh"

echo "corpus: $corpus, $(find "$corpus" -type f | wc -l) files, $(du -sm "$corpus" | cut -f1) MB;" \
     "$(nproc) cores; runs: $runs (medians) after $warmup warm-up calls; first call ${FIRST_DELAY:-0} s after READY$([ "${WARMED:-0}" = 1 ] && echo ', after the background warm-up')"
echo "ripgrep: $(rg --version | sed -n 1p); $(date -u +%FT%TZ)"
for load in ${LOADS:-idle hog}; do
  if [ "$load" = hog ]; then
    for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
  fi
  echo
  echo "### $load"
  PYTHONPATH="$repo/benchmarks" python3 - "$dist" "$corpus" "$work" "$token" "$runs" "$warmup" "${FIRST_DELAY:-0}" <<'EOF'
import http.client, json, os, subprocess, sys, time, statistics
import runtime
dist, corpus, work, token, runs, warmup, delay = sys.argv[1:8]
runs, warmup, delay = int(runs), int(warmup), float(delay)
port = int(os.environ["BENCH_PORT"])
H = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

CASES = [  # label, tool, request, reference command, counts: (sandbox result -> n, reference output -> n)
    ("grep `fn \\w+_new`", "grep", {"pattern": r"fn \w+_new", "max_results": 2000},
     ["rg", "-n", "--no-require-git", r"fn \w+_new", "."]),
    ("grep -i literal `hashmap`", "grep", {"pattern": "hashmap", "case_insensitive": True, "max_results": 2000},
     ["rg", "-n", "-i", "--no-require-git", "hashmap", "."]),
    ("grep no match", "grep", {"pattern": "zqx[0-9]+vv"}, ["rg", "-n", "--no-require-git", "zqx[0-9]+vv", "."]),
    ("glob `**/*.rs`", "glob", {"pattern": "**/*.rs", "max_results": 10000},
     ["rg", "--files", "--no-require-git", "-g", "*.rs", "."]),
    ("list_dir (depth 2)", "list_dir", {"max_entries": 5000}, ["find", ".", "-mindepth", "1", "-maxdepth", "2", "-not", "-path", "*/.*"]),
]

def start():
    return runtime.start(dist, corpus, work, port, H, "list_dir")

stop, rss_mb = runtime.stop, runtime.rss_mb

def call(conn, tool, req):
    body = json.dumps(req)
    t0 = time.perf_counter()
    conn.request("POST", f"/api/tools/{tool}/invoke", body=body, headers=H)
    r = conn.getresponse(); data = r.read()
    ms = (time.perf_counter() - t0) * 1000
    return ms, r.status, json.loads(data)

def count(tool, answer):
    r = answer.get("result")
    if r is None:
        return "error " + answer.get("error", {}).get("kind", "?")
    n = len(r.get("matches", r.get("entries", [])))
    return f"{n}{'+' if r.get('truncated') else ''}"

def ref(cmd):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=corpus, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    ms = (time.perf_counter() - t0) * 1000
    lines = out.count(b"\n")
    return ms, lines

print("| call | results (sandbox/reference) | 1st call | warm p50 | warm min-max | durationMs | reference | warm / ref | 1st / warm | RSS after | load avg |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for label, tool, req, cmd in CASES:
    if os.environ.get("ONLY", "") not in label:
        continue
    p = start()
    try:
        time.sleep(delay)
        if os.environ.get("WARMED") == "1":
            deadline = time.time() + 300
            while time.time() < deadline and "tools warmed up" not in open(os.path.join(work, "log")).read():
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        first, status, answer = call(conn, tool, req)
        for _ in range(warmup):
            call(conn, tool, req)
        warm, dur, refs = [], [], []
        for _ in range(runs):
            ms, status, answer = call(conn, tool, req)
            warm.append(ms); dur.append(answer.get("durationMs", -1))
            rms, rlines = ref(cmd)
            refs.append(rms)
        w, r = statistics.median(warm), statistics.median(refs)
        load = open("/proc/loadavg").read().split()[0]
        print(f"| {label} | {count(tool, answer)}/{rlines} | {first:.0f} ms | {w:.0f} ms | {min(warm):.0f}-{max(warm):.0f} ms"
              f" | {statistics.median(dur):.0f} ms | {r:.0f} ms | {w / r:.2f} | {first / w:.2f} | {rss_mb(p)} MB | {load} |",
              flush=True)
    finally:
        stop(p)
EOF
  for h in "${hogs[@]:-}"; do [ -n "$h" ] && kill "$h" 2>/dev/null || true; done
  hogs=()
done
