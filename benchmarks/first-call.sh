#!/usr/bin/env bash
# The first grep after a start, with and without the background warm-up (decision 0019), in one run:
#   DIST_BEFORE (a build without the warm-up) is called as soon as its engine is READY;
#   the distribution under test is called once its log says the warm-up has finished.
# Each then runs `fn \w+_new` 8 times on one crate (regex-1.7.1, 83 files), another (serde-1.0.152) and the whole
# corpus, printing every call's round trip in ms (the first is the first call of grep after the start).
# Usage: DIST_BEFORE=DIR benchmarks/first-call.sh     (corpus as in tools-vs-ripgrep.sh: /tmp/boxagnts-crates)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
corpus=${CORPUS:-/tmp/boxagnts-crates}
[ -d "$corpus" ] || cp -r /usr/share/cargo/registry "$corpus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/token"; chmod 600 "$work/token"
run() { # label dist port wait-for-warm-up
  echo "== $1"
  python3 - "$2" "$3" "$4" "$corpus" "$work" <<'PY'
import http.client, json, os, subprocess, sys, time
dist, port, wait_warm, corpus, work = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4], sys.argv[5]
out = f"{work}/{port}"; os.makedirs(out)
H = {"Authorization": "Bearer " + open(work + "/token").read().strip()}
log = out + "/log"
p = subprocess.Popen([dist + "/bin/boxagnts", "--workspace-dir", corpus, "--data-dir", out + "/data",
    "--access-token-file", work + "/token", "--port", str(port)], stdout=open(log, "w"), stderr=subprocess.STDOUT)
def ready():
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5); c.request("GET", "/api/health", headers=H)
        return json.loads(c.getresponse().read())["engine"]["state"] == "READY"
    except Exception: return False
try:
    t0 = time.time()
    while not ready(): time.sleep(0.05)
    if wait_warm:
        while "tools warmed up" not in open(log).read(): time.sleep(0.2)
    print("called", round(time.time() - t0, 1), "s after start;", *[l.strip()[13:] for l in open(log) if "warmed up" in l])
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for path in ["regex-1.7.1", "serde-1.0.152", ""]:
        req = json.dumps({"pattern": r"fn \w+_new", "path": path, "max_results": 2000})
        ts = []
        for i in range(8):
            t = time.perf_counter(); c.request("POST", "/api/tools/grep/invoke", body=req, headers=H)
            r = json.loads(c.getresponse().read()); ts.append(round((time.perf_counter() - t) * 1000))
        print(f"{path or '(whole corpus)'}: first {ts[0]} ms, then {ts[1:]} ms; {len(r['result']['matches'])} matches;"
              f" load average {open('/proc/loadavg').read().split()[0]}")
finally:
    p.terminate(); p.wait()
PY
}
run "after the warm-up: $repo" "$repo/distribution/target/boxagnts" 33221 1
run "no warm-up: ${DIST_BEFORE:?set DIST_BEFORE to a build without the warm-up}" "$DIST_BEFORE" 33222 0
