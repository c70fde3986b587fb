#!/usr/bin/env bash
# Builds the js tool (Duktape in a WASI command module) offline and copies js.wasm + js.json into ${1:-target/tools}.
#
# Everything comes from Debian: the engine's sources from duktape-dev (/usr/share/duktape/duktape.c), clang-14 and
# wasi-libc for wasm32-wasi, and Binaryen's wasm-opt, whose Asyncify pass gives Duktape the setjmp/longjmp that
# WASI lacks (src/sjlj.c, decision 0025). Missing packages are installed with apt-get when running as root;
# otherwise the exact command is printed. Quiet on success; rebuilds only when a source is newer than the module.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/target/tools}"
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
APT_PACKAGES="clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 duktape-dev binaryen"
DUKTAPE=/usr/share/duktape
WORK="$HERE/target"
# The module's memory maximum: 128 MiB, the descriptor's maxMemoryMb.
MAX_MEMORY=134217728

die() { echo "js/build.sh: $*" >&2; exit 1; }

have_all() {
    command -v clang-14 >/dev/null && command -v wasm-opt >/dev/null && command -v wasm-ld-14 >/dev/null \
        && [ -f /usr/lib/wasm32-wasi/libc.a ] && [ -f "$DUKTAPE/duktape.c" ] \
        && ls /usr/lib/llvm-14/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1
}

if ! have_all; then
    if [ "$(id -u)" != 0 ]; then
        die "missing build prerequisites; install them with:
  sudo apt-get install -y --no-install-recommends $APT_PACKAGES"
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/tmp/boxagnts-js-apt.log 2>&1; then
        apt-get update -qq >>/tmp/boxagnts-js-apt.log 2>&1 || true
        apt-get install -y -qq --no-install-recommends $APT_PACKAGES >>/tmp/boxagnts-js-apt.log 2>&1 \
            || die "apt-get install failed (log: /tmp/boxagnts-js-apt.log)"
    fi
    have_all || die "the packages are installed but clang-14, wasm-opt, wasi-libc or duktape.c is still missing"
fi

mkdir -p "$WORK" "$OUT"
module="$WORK/js.wasm"
newest=$(ls -t "$HERE"/src/* "$HERE/build.sh" "$DUKTAPE/duktape.c" | head -n 1)
if [ ! -f "$module" ] || [ "$newest" -nt "$module" ]; then
    # src/prelude.js (JavaScript run before the tool's code) becomes a C string literal
    { echo "static const char PRELUDE[] ="; sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' \
        "$HERE/src/prelude.js"; echo "    ;"; } >"$WORK/prelude.h"
    CFLAGS="--target=wasm32-wasi -O2 -I$HERE/src/include -I$DUKTAPE -I$WORK -Wall -Werror -Wno-unused-function"
    # Duktape's own source is compiled as Debian ships it, without our warnings.
    clang-14 --target=wasm32-wasi -O2 -I"$HERE/src/include" -I"$DUKTAPE" -c "$DUKTAPE/duktape.c" -o "$WORK/duktape.o"
    clang-14 $CFLAGS -c "$HERE/src/js.c" -o "$WORK/js.o"
    clang-14 $CFLAGS -c "$HERE/src/sjlj.c" -o "$WORK/sjlj.o"
    clang-14 --target=wasm32-wasi -c "$HERE/src/sp.s" -o "$WORK/sp.o"
    clang-14 --target=wasm32-wasi -fuse-ld=lld "$WORK/duktape.o" "$WORK/js.o" "$WORK/sjlj.o" "$WORK/sp.o" -lm \
        -Wl,--max-memory=$MAX_MEMORY -Wl,-z,stack-size=1048576 -o "$WORK/js-plain.wasm"
    # Asyncify only what can be on the stack when setjmp or longjmp runs (no import unwinds); the driver (main)
    # is the runtime that stops and restarts it.
    wasm-opt "$WORK/js-plain.wasm" --asyncify --pass-arg=asyncify-ignore-imports \
        --pass-arg=asyncify-removelist@__original_main -O2 --strip-debug -o "$module.tmp"
    mv "$module.tmp" "$module"
fi
cmp -s "$module" "$OUT/js.wasm" 2>/dev/null || cp "$module" "$OUT/js.wasm"
cmp -s "$HERE/js.json" "$OUT/js.json" 2>/dev/null || cp "$HERE/js.json" "$OUT/js.json"
