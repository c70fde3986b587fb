#!/bin/sh
# Builds the C tool line_count.c into OUT_DIR/line_count.wasm with Debian's clang and wasi-libc, offline:
#   apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32
# The linear memory's maximum (16 MiB) goes into the module, as BoxAgnts requires; the descriptor beside it declares
# the same limit.
#   build.sh OUT_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
clang=$(command -v clang-14 || command -v clang || true)
if [ -z "$clang" ] || [ ! -f /usr/lib/wasm32-wasi/libc.a ]; then
  echo "build.sh: the C tool needs Debian's clang and wasi-libc: sudo apt-get install -y --no-install-recommends clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32" >&2
  exit 1
fi
mkdir -p "$out"
"$clang" --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror -Wl,--max-memory=16777216 \
  -o "$out/line_count.wasm" "$here/line_count.c"
cp "$here/line_count.json" "$out/line_count.json"
