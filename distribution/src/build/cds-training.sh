#!/usr/bin/env bash
# Build step (distribution/pom.xml, package phase): one training start of the built image records the classes a
# start loads into lib/boxagnts.jsa, the class-data-sharing archive that bin/boxagnts maps read-only at every start
# (docs/decisions/0012). Nothing is written at run time: the JVM's dump of a dynamic archive at exit, with the
# runtime's threads still running, is what crashed (SIGSEGV in LambdaProxyClassDictionary::find_lambda_proxy_class).
# The training start may crash the same way; it is then repeated, and after three failures the distribution ships
# without an archive (it starts ~0.5 s slower, nothing else changes).
# An archive is shipped only once a start with it, from a copy of the image in another folder, has run a tool: an
# archive dumped before the Graal compiler had initialised left a moved distribution unable to initialise the
# compiler, and every tool call then failed (MODULE_TRAP; decision 0040). Such an archive is trained again.
#   cds-training.sh IMAGE_DIR [COPY_TO]      COPY_TO: where else to put the archive (the staging folder of the archives)
set -eu
image=$1
copy_to=${2:-}
archive=$image/lib/boxagnts.jsa
rm -f "$archive" "$archive.verified" ${copy_to:+"$copy_to"}   # .verified: a stamp of a verified archive (0039)
say() { printf 'cds-training: %s\n' "$*" >&2; }
if [ ! -x "$image/runtime/bin/java" ]; then
  say "no shipped runtime in $image; no class-data archive"
  exit 0
fi

work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/workspace"
echo "BoxAgnts class-data check" >"$work/workspace/check.txt"

# Waits up to 2 minutes until the start logging to $1 printed $2, or ended; false if it ended or the time ran out.
await_line() {
  local waited=0
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 1200 ] || return 1
    sleep 0.1
    waited=$((waited + 1))
  done
}

# read_file of check.txt through the API of the runtime started with data directory $1 on port $2: the response.
# A subshell, so that the connection's descriptor is not left open for the processes started later.
read_check_file() (
  token=$(cat "$1/access-token")
  body='{"path":"check.txt"}'
  exec 3<>"/dev/tcp/127.0.0.1/$2" &&
    printf 'POST /api/tools/read_file/invoke HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
      "$2" "$token" "${#body}" "$body" >&3 && timeout 60 cat <&3
)

# A start with the archive as users start it, from a copy of the image in another folder (as a distribution is
# unpacked: an archive that worked where it was trained failed every tool call once moved, decision 0040): once its
# engine is ready, read_file must read check.txt. Sets $failure to the reason when it cannot.
runs_a_tool() {
  local port installed=$work/installed-$1 response= status=0
  port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 9000))
  cp -al "$image" "$installed"
  "$installed/bin/boxagnts" --workspace-dir "$work/workspace" --data-dir "$work/check-$1" --port "$port" \
    >"$work/check.log" 2>&1 &
  pid=$!
  failure="it did not become ready: $(tail -n 3 "$work/check.log" | tr '\n' ' ')"
  if await_line "$work/check.log" "WASM engine" && await_line "$work/check.log" "tool read_file"; then
    response=$(read_check_file "$work/check-$1" "$port") || status=$?
    failure="read_file answered (status $status): $(printf %s "$response" | tail -n 1 | cut -c1-300)"
  fi
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
  rm -rf "$installed"
  case $response in
    "HTTP/1.1 200"*"BoxAgnts class-data check"*) grep -q "warm-up stopped" "$work/check.log" && {
        failure=$(grep "warm-up stopped" "$work/check.log" | head -n 1); return 1; }
      return 0 ;;
  esac
  return 1
}
for attempt in 1 2 3; do
  port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 9000))
  # Not -Dpolyglot.engine.Compilation=false: it gave an archive without the compiler's classes, the kind that left
  # a moved distribution unable to initialise the Graal compiler (decision 0040).
  BOXAGNTS_JAVA_OPTS="-XX:ArchiveClassesAtExit=$archive -Xlog:cds*=off -Xlog:aot*=off" \
    "$image/bin/boxagnts" --workspace-dir "$work/workspace" --data-dir "$work/data-$attempt" --port "$port" \
    >"$work/log" 2>&1 &
  pid=$!
  # Until the runtime is ready and the WASM engine built (what every start loads), or it ended; at most 2 minutes.
  # Then one tool call, and 3 s for the warm-up's first compilations: an archive dumped before the Graal compiler
  # had initialised (~30 MiB instead of ~50) is the kind that failed once the distribution was moved (0040).
  if await_line "$work/log" "WASM engine" && await_line "$work/log" "tool read_file"; then
    read_check_file "$work/data-$attempt" "$port" >/dev/null || true
    sleep 3
  fi
  kill -TERM "$pid" 2>/dev/null || true
  status=0
  wait "$pid" || status=$?
  pid=
  if [ -s "$archive" ] && { [ "$status" = 0 ] || [ "$status" = 143 ]; }; then
    if runs_a_tool "$attempt"; then
      [ -z "$copy_to" ] || cp -p "$archive" "$copy_to"
      say "lib/boxagnts.jsa written ($(($(wc -c <"$archive") / 1048576)) MiB, attempt $attempt)"
      exit 0
    fi
    say "attempt $attempt: a start with the archive could not run a tool: $failure"
  else
    say "attempt $attempt failed (exit status $status): $(tail -n 3 "$work/log" | tr '\n' ' ')"
  fi
  rm -f "$archive"
done
say "no class-data archive: BoxAgnts will start about 0.5 s slower"
