#!/usr/bin/env bash
# Builds the BoxAgnts core tools (WASI preview-1 command modules) fully offline and copies
#   <name>.wasm + <name>.json   into   ${1:-<this dir>/target/tools}
#
# Toolchain (primary): Debian's rustc/cargo 1.63 + wasm32-wasi std + lld, crates from Debian's
# librust-*-dev packages (directory source /usr/share/cargo/registry, see .cargo/config.toml).
# Missing packages are installed with apt-get when running as root; otherwise the exact command
# is printed. Alternative: a rustup toolchain that has the wasm32-wasip1 target installed (it
# still takes the crate sources from the Debian registry). TOOLCHAIN=debian|rustup forces one.
#
# Idempotent; prints nothing on success (VERBOSE=1 for progress).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/target/tools}"
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
TOOLS="read_file write_file edit_file glob grep list_dir web_fetch shell"

# Everything the build needs from Debian, in one place.
APT_TOOLCHAIN="rustc cargo libstd-rust-dev-wasm32 lld-14"
APT_CRATES="librust-serde-dev librust-serde-json-dev librust-regex-dev librust-memchr-dev librust-globset-dev librust-ignore-dev librust-similar-dev librust-sha2-dev librust-base64-dev"
# Crates that must then be present in the registry (directory name prefixes).
NEEDED_CRATES="serde- serde_json- regex- memchr- globset- ignore- similar- sha2- base64-"
REGISTRY=/usr/share/cargo/registry

say() { if [ "${VERBOSE:-0}" = 1 ]; then echo "build.sh: $*" >&2; fi; }
die() { echo "build.sh: $*" >&2; exit 1; }

debian_ok() {
    [ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] || return 1
    ls /usr/lib/rustlib/wasm32-wasi/lib/libstd-*.rlib >/dev/null 2>&1 || return 1
    command -v lld-14 >/dev/null 2>&1 || command -v wasm-ld-14 >/dev/null 2>&1 || return 1
    return 0
}

crates_ok() {
    local c
    for c in $NEEDED_CRATES; do
        ls -d "$REGISTRY/$c"[0-9]* >/dev/null 2>&1 || return 1
    done
}

rustup_ok() {
    command -v rustup >/dev/null 2>&1 && command -v cargo >/dev/null 2>&1 || return 1
    rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip1
}

apt_install() {
    local pkgs="$*"
    if [ "$(id -u)" != 0 ]; then
        die "missing build prerequisites; install them with:
  sudo apt-get install -y --no-install-recommends $pkgs"
    fi
    say "installing: $pkgs"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends $pkgs >/tmp/boxagnts-tools-apt.log 2>&1; then
        apt-get update -qq >>/tmp/boxagnts-tools-apt.log 2>&1 || true
        apt-get install -y -qq --no-install-recommends $pkgs >>/tmp/boxagnts-tools-apt.log 2>&1 \
            || die "apt-get install failed (log: /tmp/boxagnts-tools-apt.log)"
    fi
}

# --- choose the toolchain ---------------------------------------------------------------
TOOLCHAIN="${TOOLCHAIN:-}"
if [ -z "$TOOLCHAIN" ]; then
    if debian_ok; then TOOLCHAIN=debian
    elif rustup_ok; then TOOLCHAIN=rustup
    else TOOLCHAIN=debian
    fi
fi
case "$TOOLCHAIN" in
    debian)
        need=""
        debian_ok || need="$APT_TOOLCHAIN"
        crates_ok || need="$need $APT_CRATES"
        [ -z "$need" ] || apt_install $need
        debian_ok || die "Debian Rust toolchain still incomplete after install (need /usr/bin/cargo, wasm32-wasi std, lld-14)"
        CARGO=/usr/bin/cargo
        export RUSTC=/usr/bin/rustc
        TARGET=wasm32-wasi
        # rustup's proxies earlier in PATH must not take over rustdoc/rustc lookups
        export PATH="/usr/bin:$PATH"
        ;;
    rustup)
        rustup_ok || die "TOOLCHAIN=rustup needs 'rustup target add wasm32-wasip1'"
        CARGO="$(command -v cargo)"
        TARGET=wasm32-wasip1
        ;;
    *) die "TOOLCHAIN must be debian or rustup" ;;
esac
crates_ok || apt_install $APT_CRATES
crates_ok || die "crate sources missing in $REGISTRY after install"

# --- build ------------------------------------------------------------------------------
# The max-memory link argument lives in .cargo/config.toml; RUSTFLAGS would override it.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_TARGET
cd "$HERE"
say "building with $TOOLCHAIN ($("$CARGO" --version)) for $TARGET"
pkgs=""
for t in $TOOLS; do pkgs="$pkgs -p tool_$t"; done
if ! "$CARGO" build --offline --release --target "$TARGET" -q $pkgs 2>/tmp/boxagnts-tools-build.log; then
    cat /tmp/boxagnts-tools-build.log >&2
    die "cargo build failed"
fi

mkdir -p "$OUT"
for t in $TOOLS; do
    src="$HERE/target/$TARGET/release/$t.wasm"
    [ -f "$src" ] || die "missing $src"
    cmp -s "$src" "$OUT/$t.wasm" 2>/dev/null || cp "$src" "$OUT/$t.wasm"
    cmp -s "$HERE/$t/tool.json" "$OUT/$t.json" 2>/dev/null || cp "$HERE/$t/tool.json" "$OUT/$t.json"
done
say "wrote $(echo $TOOLS | wc -w) tools to $OUT"
