#!/bin/sh
# Packs target/NAME.wasm and tool.json as the tool bundle target/NAME-VERSION.jar: an OSGi bundle with no code whose
# manifest names the descriptor (BoxAgnts-Tool); BoxAgnts' sandbox registers the tool on its behalf. Signs it with
# jarsigner when a key store is given (for distributions that run only signed tools).
set -eu
name=$1 version=$2 group=$3 keystore=${4:-} storepass=${5:-} alias=${6:-}
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}
work=target/bundle
rm -rf "$work" && mkdir -p "$work/content"
cp tool.json "$work/content/$name.json"
cp "target/$name.wasm" "$work/content/$name.wasm"
cat > "$work/MANIFEST.MF" <<MF
Bundle-ManifestVersion: 2
Bundle-SymbolicName: $group.$name
Bundle-Version: $version
Bundle-Name: BoxAgnts tool $name
BoxAgnts-Tool: $name.json
MF
jar=target/$name-$version.jar
rm -f "$jar"
"${java_bin}jar" --create --file "$jar" --manifest "$work/MANIFEST.MF" -C "$work/content" .
if [ -n "$keystore" ]; then
  "${java_bin}jarsigner" -keystore "$keystore" ${storepass:+-storepass:file "$storepass"} -digestalg SHA-256 \
    "$jar" "$alias" >"$work/jarsigner.log" 2>&1 || { cat "$work/jarsigner.log" >&2; exit 1; }
fi
