#!/usr/bin/env bash
# Host unit tests + build + end-to-end smoke test of every module under node:wasi.
#   tests/run-all.sh            (installs missing Debian packages when root, like build.sh)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
"$HERE/build.sh"                       # also makes sure the toolchain is there
PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc /usr/bin/cargo test --offline -q 2>&1 | grep -E '^(test result|failures|----|thread|error)' || true
PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc /usr/bin/cargo test --offline -q >/dev/null 2>&1   # exit status
node --no-warnings --no-turbo-fast-api-calls "$HERE/tests/smoke.mjs" "$HERE/target/tools"
