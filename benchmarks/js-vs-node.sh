#!/usr/bin/env bash
# The js tool (Duktape in the sandbox, decision 0025) against node on the same CPU-bound script, in one run: a JSON
# transform of a generated ~10 MB file (parse, map/filter/reduce over every item, stringify). Starts the built
# distribution on a private workspace with a policy file that lifts js's limits to 60 s and 512 MiB, waits for the
# warm-up, calls the tool RUNS times over HTTP and prints each call's time as the tool reports it (durationMs) and
# the round trip, then node's time for the same code (its own fs), the ratio of the medians, and the runtime's RSS.
# Usage: benchmarks/js-vs-node.sh [RUNS]    (PORT=36101; DIST=distribution/target/boxagnts)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
dist=${DIST:-$repo/distribution/target/boxagnts}
runs=${1:-5}
port=${PORT:-36101}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ws" "$work/conf" "$work/data"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/token"; chmod 600 "$work/token"
printf 'timeoutMs=60000\nmaxMemoryMb=512\n' >"$work/conf/io.boxagnts.tool.policy-js.cfg"
python3 - "$work/ws/data.json" <<'PY'
import json, random, sys
random.seed(7)
items = [{"id": i, "name": "item-%d-%s" % (i, "abcdefgh"[i % 8] * 5), "values": [random.randint(0, 999) for _ in range(20)]}
         for i in range(100000)]
json.dump({"items": items}, open(sys.argv[1], "w"))
PY
cat >"$work/code.js" <<'JS'
var d = JSON.parse(fs.readFileSync('data.json', 'utf8'));
var out = d.items.map(function (x) {
  return {id: x.id, name: x.name.toUpperCase(), total: x.values.reduce(function (a, b) { return a + b; }, 0)};
}).filter(function (x) { return x.total % 2 === 0; });
JSON.stringify(out).length
JS
echo "data.json: $(($(wc -c <"$work/ws/data.json") / 1024)) KiB; $runs runs; load average $(cut -d' ' -f1 /proc/loadavg)"
python3 - "$dist" "$port" "$work" "$runs" <<'PY'
import http.client, json, os, statistics, subprocess, sys, time
dist, port, work, runs = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
H = {"Authorization": "Bearer " + open(work + "/token").read().strip()}
log = work + "/log"
p = subprocess.Popen([dist + "/bin/boxagnts", "--workspace-dir", work + "/ws", "--data-dir", work + "/data",
    "--conf-dir", work + "/conf", "--access-token-file", work + "/token", "--port", str(port)],
    stdout=open(log, "w"), stderr=subprocess.STDOUT)
def health():
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5); c.request("GET", "/api/health", headers=H)
        return json.loads(c.getresponse().read())
    except Exception: return None
try:
    while not (health() or {}).get("engine", {}).get("state") == "READY": time.sleep(0.1)
    while "tools warmed up" not in open(log).read(): time.sleep(0.2)
    code = open(work + "/code.js").read()
    body = json.dumps({"code": code})
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    tool, trip = [], []
    for i in range(runs):
        t = time.perf_counter(); c.request("POST", "/api/tools/js/invoke", body=body, headers=H)
        r = json.loads(c.getresponse().read()); trip.append(round((time.perf_counter() - t) * 1000))
        if "result" not in r or r["result"].get("error"): sys.exit("js failed: " + json.dumps(r)[:500])
        tool.append(r["durationMs"]); value = r["result"]["result"]
    rss = int(open(f"/proc/{p.pid}/status").read().split("VmRSS:")[1].split()[0]) // 1024 if os.path.exists(f"/proc/{p.pid}/status") else -1
    print(f"js tool: result {value}; durationMs {tool}; round trip {trip} ms; runtime RSS {rss} MiB")
    node = []
    for i in range(runs):
        t = time.perf_counter()
        v = subprocess.run(["node", "-e", "const fs = require('fs'); console.log(eval(require('fs').readFileSync(process.argv[1], 'utf8')))",
                            work + "/code.js"], cwd=work + "/ws", capture_output=True, text=True, check=True).stdout.strip()
        node.append(round((time.perf_counter() - t) * 1000))
    print(f"node: result {v}; {node} ms (process start included)")
    print(f"median js {statistics.median(tool)} ms / node {statistics.median(node)} ms = {statistics.median(tool) / statistics.median(node):.1f}x")
finally:
    p.terminate(); p.wait()
PY
