#!/usr/bin/env bash
# Starts the distribution N times, each on a fresh data directory, while a client asks GET /api/health and
# GET /api/tools (with the token, alternately, a new connection each, no pause) as fast as it can from before the port
# opens until health says "ok"; then stops it (SIGTERM) and checks that the port is closed. Counts the answers that
# are not the API's JSON (issue 10: "requests that arrive before the API is registered get the same JSON error shape
# as later ones, not Jetty's HTML"; decision 0034). With several distributions their starts alternate (A B A B ...),
# so that each sees the same load; one row each. Ports 31500-31899.
# Usage: [HOG=1] benchmarks/startup-answers.sh [N=20] [DIST...=distribution/target/boxagnts]
#   HOG=1  a CPU hog busy-loops on every core meanwhile (a slower start widens every gap)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
n=${1:-20}
shift || true
dists=("$@")
[ ${#dists[@]} -gt 0 ] || dists=("$repo/distribution/target/boxagnts")
for dist in "${dists[@]}"; do
  [ -x "$dist/bin/boxagnts" ] || { echo "no $dist/bin/boxagnts: build first (./boxagnts --version)" >&2; exit 1; }
done
. "$repo/benchmarks/bench-common.sh"
mkdir -p "$work/ws"
if [ "${HOG:-0}" = 1 ]; then
  for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
fi
python3 - "$work" "$n" "${dists[@]}" <<'PY'
import http.client, json, socket, subprocess, sys, time

work, n, dists = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
headers = {"Authorization": "Bearer " + open(work + "/token").read().strip()}
keys = ("answers", "json", "not_json", "starting", "broken", "starts_not_json", "never_ok", "open_after_stop")
total = {d: dict.fromkeys(keys, 0) for d in dists}
first_ms, ok_ms = {d: [] for d in dists}, {d: [] for d in dists}
examples = []

def median(values):
    values = sorted(values)
    return f"{values[len(values) // 2]} ms" if values else "-"

def start(dist, i, port):
    t = total[dist]
    log = open(f"{work}/log{port}", "w")
    t0 = time.monotonic()
    p = subprocess.Popen([dist + "/bin/boxagnts", "--workspace-dir", work + "/ws", "--data-dir", f"{work}/data{port}",
                          "--access-token-file", work + "/token", "--port", str(port)], stdout=log, stderr=log)
    ok, k, first, not_json = False, 0, None, 0
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
            t["broken"] += 1
            examples.append(f"{dist} start {i}: {path}: {e!r}")
            continue
        if first is None:
            first = time.monotonic() - t0
        t["answers"] += 1
        try:
            if not r.getheader("Content-Type", "").startswith("application/json"):
                raise ValueError("not JSON")
            answer = json.loads(body)
            if r.status >= 400 and not isinstance(answer.get("error", {}).get("kind"), str):
                raise ValueError("not the error shape")
            t["json"] += 1
            if r.status == 503 and answer["error"]["kind"] == "STARTING":
                t["starting"] += 1
            ok = path == "/api/health" and r.status == 200 and answer.get("status") == "ok"
        except ValueError:
            t["not_json"] += 1
            not_json += 1
            examples.append(f"{dist} start {i} ({round((time.monotonic() - t0) * 1000)} ms): {path} -> {r.status} "
                            f"{r.getheader('Content-Type')} {body[:300]!r}")
    t["starts_not_json"] += 1 if not_json else 0
    if ok:
        first_ms[dist].append(round(first * 1000))
        ok_ms[dist].append(round((time.monotonic() - t0) * 1000))
    else:
        t["never_ok"] += 1
    p.terminate()
    p.wait(30)
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
        t["open_after_stop"] += 1
    except OSError:
        pass

port = 31500
for i in range(n):
    for dist in dists:
        start(dist, i, port)
        port = port + 1 if port < 31899 else 31500

print("| distribution | starts | answers | JSON | not JSON (in starts) | of them 503 STARTING | broken | never ok "
      "| port open after stop | first answer (median) | health ok (median) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for d in dists:
    t = total[d]
    print(f"| {d} | {n} | {t['answers']} | {t['json']} | {t['not_json']} ({t['starts_not_json']}) | {t['starting']} "
          f"| {t['broken']} | {t['never_ok']} | {t['open_after_stop']} | {median(first_ms[d])} | {median(ok_ms[d])} |")
for d in dists:
    for line in [e for e in examples if e.startswith(d + " ")][:4]:
        print("  " + line)
PY
