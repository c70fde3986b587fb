#!/usr/bin/env bash
# Starts the distribution N times, each on a fresh data directory, while a client asks GET /api/health and
# GET /api/tools (with the token, alternately, a new connection each, no pause) as fast as it can from before the port
# opens until health says "ok"; then stops it (SIGTERM) and checks that the port is closed. Counts the answers that
# are not the API's JSON (issue 10: "requests that arrive before the API is registered get the same JSON error shape
# as later ones, not Jetty's HTML"; decision 0034). Ports 31500-31899.
# Usage: benchmarks/startup-answers.sh [N=20] [DIST=distribution/target/boxagnts]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
n=${1:-20}
dist=${2:-$repo/distribution/target/boxagnts}
[ -x "$dist/bin/boxagnts" ] || { echo "build first: ./boxagnts --version" >&2; exit 1; }
. "$repo/benchmarks/bench-common.sh"
mkdir -p "$work/ws"
python3 - "$dist" "$work" "$n" <<'PY'
import http.client, json, socket, subprocess, sys, time

dist, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
headers = {"Authorization": "Bearer " + open(work + "/token").read().strip()}
total = {"answers": 0, "json": 0, "not_json": 0, "starting": 0, "broken": 0, "never_ok": 0, "open_after_stop": 0}
examples = []
first_ms, ok_ms = [], []

def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else "-"

for i in range(n):
    port = 31500 + i % 400
    log = open(f"{work}/log{i}", "w")
    t0 = time.monotonic()
    p = subprocess.Popen([dist + "/bin/boxagnts", "--workspace-dir", work + "/ws", "--data-dir", f"{work}/data{i}",
                          "--access-token-file", work + "/token", "--port", str(port)], stdout=log, stderr=log)
    ok, k, first = False, 0, None
    while not ok and time.monotonic() - t0 < 120 and p.poll() is None:
        path = ("/api/health", "/api/tools")[k % 2]
        k += 1
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", path, headers=headers)
            r = c.getresponse()
            body = r.read()
            c.close()
        except ConnectionRefusedError:
            continue  # not listening yet
        except (OSError, http.client.HTTPException) as e:  # accepted, then no (complete) answer
            total["broken"] += 1
            examples.append(f"start {i}: {path}: {e!r}")
            continue
        if first is None:
            first = time.monotonic() - t0
        total["answers"] += 1
        try:
            if not r.getheader("Content-Type", "").startswith("application/json"):
                raise ValueError("not JSON")
            answer = json.loads(body)
            if r.status >= 400 and not isinstance(answer.get("error", {}).get("kind"), str):
                raise ValueError("not the error shape")
            total["json"] += 1
            if r.status == 503 and answer["error"]["kind"] == "STARTING":
                total["starting"] += 1
            ok = path == "/api/health" and r.status == 200 and answer.get("status") == "ok"
        except ValueError:
            total["not_json"] += 1
            examples.append(f"start {i}: {path} -> {r.status} {r.getheader('Content-Type')} {body[:80]!r}")
    if ok:
        first_ms.append(round(first * 1000))
        ok_ms.append(round((time.monotonic() - t0) * 1000))
    else:
        total["never_ok"] += 1
    p.terminate()
    p.wait(30)
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
        total["open_after_stop"] += 1
    except OSError:
        pass

print(f"| starts | answers | JSON | not JSON | of them 503 STARTING | broken | never ok | port open after stop "
      f"| first answer (median) | health ok (median) |")
print("|---|---|---|---|---|---|---|---|---|---|")
print(f"| {n} | {total['answers']} | {total['json']} | {total['not_json']} | {total['starting']} | {total['broken']} "
      f"| {total['never_ok']} | {total['open_after_stop']} | {median(first_ms)} ms | {median(ok_ms)} ms |")
for line in examples[:10]:
    print("  " + line)
PY
