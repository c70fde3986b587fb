#!/bin/sh
# Packages each built tool (<name>.wasm + <name>.json from rust/build.sh) as an OSGi tool bundle:
#   io.boxagnts.tool.<name>-<version>.jar  with  BoxAgnts-Tool: <name>.json
# The bundle holds no code: the sandbox's extender registers the tool on its behalf. The same layout is what a third
# party's tool bundle needs (see README.md).
# Each bundle is then signed with jarsigner by the publisher key in SIGNING_DIR (by default the project's TEST-ONLY key,
# kept in the repository for tests), or by the key SIGNING_KEYSTORE, SIGNING_STOREPASS_FILE and SIGNING_ALIAS name
# (a publisher's own; signing/README.md).
# Usage: package-bundles.sh WASM_DIR OUT_DIR JAR_COMMAND [JARSIGNER_COMMAND SIGNING_DIR]
set -eu
wasm_dir=$1 out=$2 jar=$3 jarsigner=${4:-} signing=${5:-}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for descriptor in "$wasm_dir"/*.json; do
  name=$(basename "$descriptor" .json)
  version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$descriptor" | head -n 1)
  [ -n "$version" ] || { echo "package-bundles.sh: $descriptor has no version" >&2; exit 1; }
  rm -rf "$work/$name" && mkdir -p "$work/$name"
  cp "$descriptor" "$work/$name/$name.json"
  cp "$wasm_dir/$name.wasm" "$work/$name/$name.wasm"
  cat > "$work/$name.mf" <<MF
Bundle-ManifestVersion: 2
Bundle-SymbolicName: io.boxagnts.tool.$name
Bundle-Version: $version
Bundle-Name: BoxAgnts tool $name
Bundle-Vendor: BoxAgnts
BoxAgnts-Tool: $name.json
MF
  "$jar" --create --file "$out/io.boxagnts.tool.$name-$version.jar" --manifest "$work/$name.mf" \
    --date 2026-01-01T00:00:00Z -C "$work/$name" .
  if [ -n "$jarsigner" ]; then
    # SHA-256 digests, an ECDSA P-256 signature; no timestamp authority (offline build). jarsigner's advice about the
    # self-signed test certificate goes to its log, printed only if signing fails.
    if ! "$jarsigner" -keystore "${SIGNING_KEYSTORE:-$signing/TEST-ONLY-boxagnts-publisher.p12}" \
        -storepass:file "${SIGNING_STOREPASS_FILE:-$signing/TEST-ONLY-storepass.txt}" -digestalg SHA-256 \
        "$out/io.boxagnts.tool.$name-$version.jar" "${SIGNING_ALIAS:-boxagnts-test-only}" >"$work/jarsigner.log" 2>&1; then
      cat "$work/jarsigner.log" >&2
      echo "package-bundles.sh: signing io.boxagnts.tool.$name-$version.jar failed" >&2
      exit 1
    fi
  fi
done
