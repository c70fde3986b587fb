"""Starting and stopping bin/boxagnts for the benchmark scripts (tools-vs-ripgrep.sh, shell-vs-bash.sh, js-vs-node.sh), which run
their Python with `PYTHONPATH=benchmarks`."""
import http.client, json, os, subprocess, time


def start(dist, corpus, work, port, headers, tool, extra_args=()):
    """Starts bin/boxagnts on `corpus` and waits until the engine is READY and `tool` is listed."""
    log = open(os.path.join(work, "log"), "w")  # one start per log: a caller may look for this start's lines
    p = subprocess.Popen([dist + "/bin/boxagnts", "--workspace-dir", corpus, "--data-dir", work + "/data",
                          "--access-token-file", work + "/token", "--port", str(port), *extra_args],
                         stdout=log, stderr=log)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/api/health", headers=headers)
            h = json.loads(c.getresponse().read())
            if h.get("engine", {}).get("state") == "READY":
                tools = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                tools.request("GET", "/api/tools", headers=headers)
                if ('"' + tool + '"').encode() in tools.getresponse().read():
                    return p
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    p.kill()
    raise SystemExit("the runtime did not become ready; see " + work + "/log")


def stop(p):
    p.terminate()
    try:
        p.wait(20)
    except subprocess.TimeoutExpired:
        p.kill(); p.wait()


def rss_mb(p):
    # bin/boxagnts execs java, so the pid is the JVM's
    for line in open(f"/proc/{p.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def await_warm_up(p, work, seconds=180):
    """Waits until the runtime logged that its background warm-up of the tools is done (decision 0019)."""
    deadline = time.time() + seconds
    while "tools warmed up" not in open(os.path.join(work, "log")).read():
        if time.time() > deadline:
            stop(p)
            raise SystemExit("the tools' warm-up did not end within %d s; see %s/log" % (seconds, work))
        time.sleep(0.2)
