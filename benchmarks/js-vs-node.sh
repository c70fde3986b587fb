#!/usr/bin/env bash
# The js tool (Duktape in the sandbox, decision 0025) against node on the same CPU-bound script, in one run: a JSON
# transform of a generated JSON file (parse, map/filter/reduce over every item, stringify), ~1 MB and ~10 MB. Starts
# the built distribution on a private workspace with a policy file that lifts js's time limit to 60 s (the sandbox's
# cap), waits for the warm-up, calls the tool RUNS times over HTTP and prints each call's time as the tool reports it
# (durationMs) and the round trip, then node's time for the same code (its own fs, process start included), the
# ratio of the medians, and the runtime's RSS. A size the tool cannot finish within its limits is reported as such.
# Idle, and again with a CPU hog busy-looping on every core (LOADS="idle hog").
# Usage: benchmarks/js-vs-node.sh [RUNS]    (PORT=36101; DIST=distribution/target/boxagnts; ITEMS="6600 66000")
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
dist=${DIST:-$repo/distribution/target/boxagnts}
runs=${1:-5}
port=${PORT:-36101}
. "$repo/benchmarks/bench-common.sh"
mkdir -p "$work/ws" "$work/conf" "$work/data"
printf 'timeoutMs=60000\n' >"$work/conf/io.boxagnts.tool.policy-js.cfg"
for n in ${ITEMS:-6600 66000}; do
python3 - "$work/ws/data-$n.json" "$n" <<'PY'
import json, random, sys
random.seed(7)
items = [{"id": i, "name": "item-%d-%s" % (i, "abcdefgh"[i % 8] * 5), "values": [random.randint(0, 999) for _ in range(20)]}
         for i in range(int(sys.argv[2]))]
json.dump({"items": items}, open(sys.argv[1], "w"))
PY
done
cat >"$work/code.js" <<'JS'
var d = JSON.parse(fs.readFileSync(args.file, 'utf8'));
var out = d.items.map(function (x) {
  return {id: x.id, name: x.name.toUpperCase(), total: x.values.reduce(function (a, b) { return a + b; }, 0)};
}).filter(function (x) { return x.total % 2 === 0; });
JSON.stringify(out).length
JS
echo "$runs runs; $(nproc) cores; node $(node --version); $(date -u +%FT%TZ)"
for load in ${LOADS:-idle hog}; do
if [ "$load" = hog ]; then
  for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
fi
echo; echo "### $load (load average $(cut -d' ' -f1 /proc/loadavg))"
PYTHONPATH="$repo/benchmarks" python3 - "$dist" "$port" "$work" "$runs" ${ITEMS:-6600 66000} <<'PY'
import http.client, json, os, statistics, subprocess, sys, time
import runtime
dist, port, work, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
sizes = sys.argv[5:]
H = {"Authorization": "Bearer " + open(work + "/token").read().strip()}
p = runtime.start(dist, work + "/ws", work, port, H, "js", ["--conf-dir", work + "/conf"])
try:
    runtime.await_warm_up(p, work)
    code = open(work + "/code.js").read()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    for n in sizes:
        name = "data-%s.json" % n
        kib = os.path.getsize(work + "/ws/" + name) // 1024
        body = json.dumps({"code": code, "args": {"file": name}})
        tool, trip, value, failed = [], [], None, None
        for i in range(runs):
            t = time.perf_counter(); c.request("POST", "/api/tools/js/invoke", body=body, headers=H)
            r = json.loads(c.getresponse().read()); trip.append(round((time.perf_counter() - t) * 1000))
            if "result" not in r or r["result"].get("error"):
                failed = json.dumps(r)[:300]; break
            tool.append(r["durationMs"]); value = r["result"]["result"]
        rss = runtime.rss_mb(p)
        node = []
        for i in range(runs):
            t = time.perf_counter()
            v = subprocess.run(["node", "-e", "const fs = require('fs'); const args = {file: process.argv[2]}; "
                                "console.log(eval(fs.readFileSync(process.argv[1], 'utf8')))", work + "/code.js", name],
                               cwd=work + "/ws", capture_output=True, text=True, check=True).stdout.strip()
            node.append(round((time.perf_counter() - t) * 1000))
        print(f"{name} ({kib} KiB): node result {v}, {node} ms (process start included)")
        if failed:
            print(f"  js tool did not finish: {failed}; round trip {trip} ms; runtime RSS {rss} MiB")
            continue
        print(f"  js tool: result {value}; durationMs {tool}; round trip {trip} ms; runtime RSS {rss} MiB")
        print(f"  median js {statistics.median(tool)} ms / node {statistics.median(node)} ms = "
              f"{statistics.median(tool) / statistics.median(node):.1f}x")
finally:
    runtime.stop(p)
PY
for h in "${hogs[@]:-}"; do [ -n "$h" ] && kill "$h" 2>/dev/null || true; done
hogs=()
done
