#!/bin/sh
# Packages each built tool (<name>.wasm + <name>.json from rust/build.sh) as an OSGi tool bundle:
#   io.boxagnts.tool.<name>-<version>.jar  with  BoxAgnts-Tool: <name>.json
# The bundle holds no code: the sandbox's extender registers the tool on its behalf. The same layout is what a third
# party's tool bundle needs (see README.md).
# Usage: package-bundles.sh WASM_DIR OUT_DIR JAR_COMMAND
set -eu
wasm_dir=$1 out=$2 jar=$3
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
done
