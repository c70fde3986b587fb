#!/bin/sh
# Builds the WASI command module target/NAME.wasm from src/main/rust, offline: Rust 1.63+ with its wasm32-wasi
# standard library (Debian: rustc cargo libstd-rust-dev-wasm32 lld-14) and crates from Debian's librust-*-dev
# packages (.cargo/config.toml). A rustup toolchain with the wasm32-wasip1 target works too (TARGET=wasm32-wasip1).
set -eu
name=$1
target=${TARGET:-wasm32-wasi}
missing=
[ -x "$(command -v cargo)" ] || missing="$missing rustc cargo"
[ "$target" != wasm32-wasi ] || ls /usr/lib/rustlib/wasm32-wasi/lib/libstd-*.rlib >/dev/null 2>&1 || missing="$missing libstd-rust-dev-wasm32"
command -v lld-14 >/dev/null 2>&1 || command -v wasm-ld >/dev/null 2>&1 || missing="$missing lld-14"
ls -d /usr/share/cargo/registry/serde_json-[0-9]* >/dev/null 2>&1 || missing="$missing librust-serde-json-dev"
if [ -n "$missing" ]; then
  echo "wasm.sh: building the tool needs:$missing. Install with: sudo apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_TARGET  # the memory maximum is in .cargo/config.toml
PATH=/usr/bin:$PATH cargo build --offline --release -q --target "$target" --target-dir target/cargo
mkdir -p target
cp "target/cargo/$target/release/$name.wasm" "target/$name.wasm"
