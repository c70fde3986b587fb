#!/bin/sh
# Build step (distribution/pom.xml, package phase, after the class-data training start): makes one distribution per
# descriptor in distribution/profiles/ from the one image built before (target/boxagnts), and packs each as
# boxagnts-NAME-VERSION.tar.gz and .zip. The expensive parts (the linked Java runtime, the class-data archive) are
# made once and shared: a profile only chooses tool bundles, configuration files and its trust policy, none of which
# the runtime or the archive depend on. The image itself becomes the developer distribution (what ./boxagnts runs).
#   profiles.sh IMAGE_DIR PROFILES_DIR OUT_DIR VERSION
# A descriptor (NAME.profile) is lines of "key = value" and "conf PID: key = value"; see profiles/README.md.
set -eu
image=$1 profiles=$2 out=$3 version=$4
DEFAULT=developer

die() { printf 'profiles.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'profiles: %s\n' "$*" >&2; }

# value KEY FILE: the value of "KEY = value" (first one), spaces around it trimmed
value() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\\(.*[^[:space:]]\\)[[:space:]]*\$/\\1/p" "$2" | head -n 1; }

check() { # check DESCRIPTOR: every key known, every value valid, every tool built
  descriptor=$1
  name=$(basename "$descriptor" .profile)
  [ "$(value name "$descriptor")" = "$name" ] || die "$descriptor: 'name = $name' must match the file name"
  bad=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' -e '^[[:space:]]*\(name\|description\|tools\|trust\|admin-token\)[[:space:]]*=' \
        -e '^[[:space:]]*conf[[:space:]][[:space:]]*[A-Za-z0-9._~-]*:[[:space:]]*[A-Za-z0-9._-]*[[:space:]]*=' "$descriptor" || true)
  [ -z "$bad" ] || die "$descriptor: not a descriptor line: $bad"
  case $(value trust "$descriptor") in any|signed-only) ;; *) die "$descriptor: trust must be any or signed-only" ;; esac
  case $(value admin-token "$descriptor") in optional|required) ;; *) die "$descriptor: admin-token must be optional or required" ;; esac
  [ -n "$(value tools "$descriptor")" ] || die "$descriptor: names no tools"
  for tool in $(value tools "$descriptor"); do
    ls "$image"/plugins/io.boxagnts.tool."$tool"-*.jar >/dev/null 2>&1 || die "$descriptor: no core tool '$tool' was built"
  done
}

apply() { # apply DESCRIPTOR DIR: make the distribution in DIR (a copy of the image) what the descriptor says
  descriptor=$1 dir=$2
  tools=" $(value tools "$descriptor") "
  for jar in "$dir"/plugins/io.boxagnts.tool.*.jar; do
    tool=$(basename "$jar" | sed 's/^io\.boxagnts\.tool\.\(.*\)-[^-]*\.jar$/\1/')
    case $tools in *" $tool "*) ;; *) rm -f "$jar" ;; esac
  done
  # Files are replaced, never written through: the copies share the image's files by hard links.
  rm -f "$dir/profile.properties" "$dir"/conf/*.cfg "$dir/.built-from-sources"
  {
    echo "# Which distribution this is (written by the build from distribution/profiles/$(basename "$descriptor"))."
    echo "name=$(value name "$descriptor")"
    echo "description=$(value description "$descriptor")"
    echo "trust=$(value trust "$descriptor")"
    echo "admin-token=$(value admin-token "$descriptor")"
  } >"$dir/profile.properties"
  sed -n 's/^[[:space:]]*conf[[:space:]][[:space:]]*\([^:]*\):[[:space:]]*\([^=[:space:]]*\)[[:space:]]*=[[:space:]]*\(.*\)$/\1 \2=\3/p' \
      "$descriptor" | while read -r pid setting; do
    printf '%s\n' "$setting" >>"$dir/conf/$pid.cfg"
  done
}

[ -f "$profiles/$DEFAULT.profile" ] || die "$profiles/$DEFAULT.profile is missing: ./boxagnts runs that distribution"
for descriptor in "$profiles"/*.profile; do check "$descriptor"; done

stamp=$image/.built-from-sources  # ./boxagnts's mark that the image is up to date; kept, but not shipped
[ -f "$stamp" ] || stamp=
mkdir -p "$out"
stage=$out/profiles
rm -rf "$stage"
mkdir -p "$stage"
for descriptor in "$profiles"/*.profile; do
  name=$(basename "$descriptor" .profile)
  base=boxagnts-$name-$version
  cp -al "$image" "$stage/$base"
  apply "$descriptor" "$stage/$base"
  rm -f "$out/$base.tar.gz" "$out/$base.zip"
  # gzip and deflate are single-threaded: the two archives of a profile are packed side by side.
  tar -C "$stage" -czf "$out/$base.tar.gz" "$base" &
  packing=$!
  (cd "$stage" && zip -q -r -y "$out/$base.zip" "$base")
  wait "$packing"
  say "$base.tar.gz $(($(wc -c <"$out/$base.tar.gz") / 1048576)) MiB, .zip $(($(wc -c <"$out/$base.zip") / 1048576)) MiB"
done
apply "$profiles/$DEFAULT.profile" "$image"
[ ! -f "$stamp" ] || touch "$image/.built-from-sources"
