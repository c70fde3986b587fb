#!/usr/bin/env bash
# The tools' Rust unit tests on the host (offline, Debian's toolchain, which rust/build.sh has made sure of).
# Run by the Maven build in the test phase; prints the failures and exits non-zero when a test fails.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_TARGET
if ! PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc /usr/bin/cargo test --offline -q >/tmp/boxagnts-tools-test.log 2>&1; then
    cat /tmp/boxagnts-tools-test.log >&2
    echo "tests/unit.sh: Rust unit tests failed" >&2
    exit 1
fi
grep -E '^test result' /tmp/boxagnts-tools-test.log | awk '{p+=$4; f+=$6} END {print "Rust unit tests: " p " passed, " f " failed"}'
