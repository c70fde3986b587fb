#!/usr/bin/env bash
# Cold start and idle RSS of each distribution profile, in one run: every archive distribution/target/
# boxagnts-PROFILE-VERSION.tar.gz is unpacked and started N times (spawn -> /api/health 200 and -> WASM engine READY,
# the shipped runtime and its class-data archive, a data directory kept across runs as a user's is), then once more
# for its resident memory 5 s after the engine is ready. The profiles take turns run by run, so that a busy machine
# weighs on all alike; the developer profile is the reference of the ratios.
# Usage: benchmarks/profiles.sh [runs=5] [port=35100]        (build first: mvn package -pl distribution -am)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
runs=${1:-5}
port=${2:-35100}
target=$repo/distribution/target
ls "$target"/boxagnts-*-*.tar.gz >/dev/null 2>&1 || { echo "build first: mvn package -pl distribution -am" >&2; exit 1; }

work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); (umask 077; echo "$token" >"$work/token")
admin=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); (umask 077; echo "$admin" >"$work/admin")
api() { curl -sf -H "Authorization: Bearer $token" "$@"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
minmax() { sort -n | awk 'NR==1{min=$1} {max=$1} END {print min "-" max}'; }

profiles=
for archive in "$target"/boxagnts-*-*.tar.gz; do
  name=$(basename "$archive" .tar.gz | sed 's/^boxagnts-\([a-z0-9-]*\)-[0-9].*$/\1/')
  mkdir -p "$work/$name/ws"
  tar -xzf "$archive" -C "$work/$name"
  profiles="$profiles $name"
done

start() { # profile data-dir
  dist=$(ls -d "$work/$1"/boxagnts-"$1"-*/)
  "$dist/bin/boxagnts" --workspace-dir "$work/$1/ws" --data-dir "$2" --access-token-file "$work/token" \
    --admin-token-file "$work/admin" --port "$port" >"$work/$1/log" 2>&1 &
  pid=$!
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

for p in $profiles; do start "$p" "$work/$p/data"; until api -o /dev/null "http://127.0.0.1:$port/api/health"; do sleep 0.05; done; stop; done
for _ in $(seq "$runs"); do
  for p in $profiles; do
    t0=$(now_ms)
    start "$p" "$work/$p/data"
    until api -o /dev/null "http://127.0.0.1:$port/api/health"; do sleep 0.005; done
    t1=$(now_ms)
    until api "http://127.0.0.1:$port/api/health" | grep -q '"state":"READY"'; do sleep 0.005; done
    t2=$(now_ms)
    echo $((t1 - t0)) >>"$work/$p.health"; echo $((t2 - t0)) >>"$work/$p.engine"
    stop
  done
done
for p in $profiles; do
  start "$p" "$work/$p/data"
  until api "http://127.0.0.1:$port/api/health" | grep -q '"state":"READY"'; do sleep 0.05; done
  sleep 5
  awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status" >"$work/$p.rss"
  stop
done

ref=developer
echo "machine: $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg); $(date -u +%FT%TZ); $runs runs per profile"
echo
echo "| profile | cold start -> health 200 (median, range) | -> engine READY | idle RSS | start / developer | RSS / developer |"
echo "|---|---|---|---|---|---|"
for p in $profiles; do
  h=$(median <"$work/$p.health"); r=$(cat "$work/$p.rss")
  printf '| %s | %s ms (%s) | %s ms | %s MB | %s | %s |\n' "$p" "$h" "$(minmax <"$work/$p.health")" \
    "$(median <"$work/$p.engine")" "$r" \
    "$(awk -v a="$h" -v b="$(median <"$work/$ref.health")" 'BEGIN {printf "%.2f", a/b}')" \
    "$(awk -v a="$r" -v b="$(cat "$work/$ref.rss")" 'BEGIN {printf "%.2f", a/b}')"
done
