#!/bin/sh
# Build step (distribution/pom.xml, package phase): one training start of the built image records the classes a
# start loads into lib/boxagnts.jsa, the class-data-sharing archive that bin/boxagnts maps read-only at every start
# (docs/decisions/0012). Nothing is written at run time: the JVM's dump of a dynamic archive at exit, with the
# runtime's threads still running, is what crashed (SIGSEGV in LambdaProxyClassDictionary::find_lambda_proxy_class).
# The training start may crash the same way; it is then repeated, and after three failures the distribution ships
# without an archive (it starts ~0.5 s slower, nothing else changes).
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
for attempt in 1 2 3; do
  port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 9000))
  # No Truffle compilation in the training start (-Dpolyglot.engine.Compilation=false): the tools' background
  # warm-up begins as the engine is built, so whether the Graal compiler had run when the start was stopped was a race
  # (archives of 30-55 MiB from build to build); without it the archive holds what every start loads up to the engine,
  # ~30 MiB, the same each build, and the compiler's classes load from lib/jvmci/ when it first compiles (decision 0039).
  BOXAGNTS_JAVA_OPTS="-Dpolyglot.engine.Compilation=false -XX:ArchiveClassesAtExit=$archive -Xlog:cds*=off -Xlog:aot*=off" \
    "$image/bin/boxagnts" --workspace-dir "$work/workspace" --data-dir "$work/data-$attempt" --port "$port" \
    >"$work/log" 2>&1 &
  pid=$!
  # Until the runtime is ready and the WASM engine built (what every start loads), or it ended; at most 2 minutes.
  waited=0
  until grep -q "WASM engine" "$work/log" 2>/dev/null || ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 1200 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -TERM "$pid" 2>/dev/null || true
  status=0
  wait "$pid" || status=$?
  pid=
  if [ -s "$archive" ] && { [ "$status" = 0 ] || [ "$status" = 143 ]; }; then
    [ -z "$copy_to" ] || cp -p "$archive" "$copy_to"
    say "lib/boxagnts.jsa written ($(($(wc -c <"$archive") / 1048576)) MiB, attempt $attempt)"
    exit 0
  fi
  say "attempt $attempt failed (exit status $status): $(tail -n 3 "$work/log" | tr '\n' ' ')"
  rm -f "$archive"
done
say "no class-data archive: BoxAgnts will start about 0.5 s slower"
