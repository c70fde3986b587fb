#!/usr/bin/env bash
# Small tool calls end to end: read_file of a small file, list_dir of a small directory and grep of one file through
# POST /api/tools/NAME/invoke on bin/boxagnts, over one keep-alive HTTP connection (as the agent and the UI call them),
# after the background warm-up (decision 0019) and WARMUP calls of each tool. Prints per tool the round trip's
# p50/p90/p99/max and the response's durationMs (p50/p99: the module's run, from its Context's creation to its close),
# the difference being what the call costs outside the module (HTTP, JSON, registry, audit, hand-off), and the
# runtime's RSS after. The same calls again from curl (one process, one keep-alive connection), whose round trip
# leaves out the ~0.15 ms a call costs the Python client. Idle, and again with a CPU hog busy-looping on every core
# (same priority as the runtime).
#
# Usage: benchmarks/small-calls.sh [calls=300] [warm-up calls=300]
#   DIST=DIR          the distribution under test (default: distribution/target/boxagnts of this checkout)
#   DIST_BEFORE=DIR   also run this distribution (e.g. one built from the commit before), in the same run, and print
#                     the ratio of the p50s
#   LOADS="idle hog"  which load conditions to run
#   BENCH_PORT=N      the port (default 33510)
# Run it under the build lock on a shared machine: flock /tmp/boxagnts-build.lock benchmarks/small-calls.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
calls=${1:-300}
warmup=${2:-300}
dist=${DIST:-$repo/distribution/target/boxagnts}
[ -x "$dist/bin/boxagnts" ] || { echo "build first: mvn -B -o package -DskipTests -pl distribution -am" >&2; exit 1; }
command -v curl >/dev/null || { echo "needs curl: apt-get install -y curl" >&2; exit 1; }
export BENCH_PORT=${BENCH_PORT:-33510}
. "$repo/benchmarks/bench-common.sh"
# The workspace: one small source file (2 KiB) and a directory of ten entries.
mkdir -p "$work/ws/src"
for i in $(seq 40); do echo "fn line_$i() -> u32 { $i } // a small file of Rust-like code, fifty bytes"; done \
  >"$work/ws/src/lib.rs"
for i in $(seq 9); do echo "entry $i" >"$work/ws/src/e$i.txt"; done

echo "small calls: $calls per tool after $warmup warm-up calls, one keep-alive connection; $(nproc) cores;" \
     "$(date -u +%FT%TZ)"
dists=("$dist")
[ -n "${DIST_BEFORE:-}" ] && dists+=("$DIST_BEFORE")
for load in ${LOADS:-idle hog}; do
  if [ "$load" = hog ]; then
    for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
  fi
  echo
  echo "### $load"
  PYTHONPATH="$repo/benchmarks" python3 - "$work" "$token" "$calls" "$warmup" "${dists[@]}" <<'EOF'
import http.client, json, os, shutil, subprocess, sys, time
import runtime
work, token, calls, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
dists = sys.argv[5:]
port = int(os.environ["BENCH_PORT"])
H = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
CALLS = [("read_file", {"path": "src/lib.rs"}), ("list_dir", {"path": "src"}),
         ("grep", {"pattern": r"fn line_\d+", "path": "src/lib.rs"})]

def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]

def curl(tool, body):
    """The same calls from one curl process over one keep-alive connection: round trips in ms, as curl saw them."""
    config = os.path.join(work, "curl.cfg")
    with open(config, "w") as f:
        for i in range(calls):
            if i:
                f.write("next\n")
            f.write('url = "http://127.0.0.1:%d/api/tools/%s/invoke"\n' % (port, tool))
            for name, value in H.items():
                f.write('header = "%s: %s"\n' % (name, value))
            f.write("data = %s\n" % json.dumps(body))
            f.write('output = "/dev/null"\nwrite-out = "%{http_code} %{time_total}\\n"\nsilent\n')
    out = subprocess.run(["curl", "-K", config], capture_output=True, text=True, check=True).stdout.split("\n")
    answers = [line.split() for line in out if line]
    if len(answers) != calls or any(code != "200" for code, _ in answers):
        raise SystemExit("curl: %s of %d calls answered 200" % (sum(code == "200" for code, _ in answers), calls))
    return [float(seconds) * 1000 for _, seconds in answers]

p50s = {}
for n, dist in enumerate(dists):
    run = os.path.join(work, "run%d" % n)
    shutil.rmtree(run, ignore_errors=True); os.makedirs(run)
    shutil.copy(os.path.join(work, "token"), run)
    p = runtime.start(dist, os.path.join(work, "ws"), run, port, H, "grep")
    try:
        runtime.await_warm_up(p, run)
        print("%s (warm-up done; load average %s)" % (dist, open("/proc/loadavg").read().split()[0]))
        print("%-10s %8s %8s %8s %8s   %-20s %s" % ("tool", "p50 ms", "p90 ms", "p99 ms", "max ms",
                                                  "durationMs p50/p99", "curl p50/p90/p99 ms"))
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for tool, args in CALLS:
            body = json.dumps(args)
            rtt, dur = [], []
            for i in range(warmup + calls):
                t = time.perf_counter()
                c.request("POST", "/api/tools/%s/invoke" % tool, body=body, headers=H)
                r = c.getresponse()
                answer = json.loads(r.read())
                elapsed = (time.perf_counter() - t) * 1000
                if r.status != 200:
                    raise SystemExit("%s answered %d: %s" % (tool, r.status, answer))
                if i >= warmup:
                    rtt.append(elapsed); dur.append(answer["durationMs"])
            p50s[(n, tool)] = pct(rtt, 50)
            curled = curl(tool, body)
            print("%-10s %8.2f %8.2f %8.2f %8.2f   %-20s %.2f/%.2f/%.2f" % (
                tool, pct(rtt, 50), pct(rtt, 90), pct(rtt, 99), max(rtt), "%d/%d" % (pct(dur, 50), pct(dur, 99)),
                pct(curled, 50), pct(curled, 90), pct(curled, 99)))
        time.sleep(1)
        print("RSS after: %d MB" % runtime.rss_mb(p))
    finally:
        runtime.stop(p)
if len(dists) > 1:
    print("p50 ratio (under test / before): " + ", ".join(
        "%s %.2f" % (tool, p50s[(0, tool)] / p50s[(1, tool)]) for tool, _ in CALLS))
EOF
  for h in "${hogs[@]:-}"; do [ -n "$h" ] && kill "$h" 2>/dev/null || true; done
  hogs=()
done
