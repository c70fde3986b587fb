# Sourced by ./boxagnts and ./run-tests: finds what the build needs and says precisely what is missing.
# Sets JAVA_HOME to a JDK 22 or newer and checks for Maven. POSIX sh.

say() { printf '%s\n' "$*" >&2; }
die() { say "boxagnts: $*"; exit 1; }

jdk_feature() { # feature release of the JDK at $1 (8, 17, 21, 25...), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\)\(\.\([0-9][0-9]*\)\)\{0,1\}.*/\1 \3/p' | head -n 1 |
    { read -r major minor; if [ "$major" = 1 ]; then echo "$minor"; else echo "$major"; fi; }
}

select_jdk() {
  for home in ${JAVA_HOME:+"$JAVA_HOME"} \
              "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")" \
              /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    feature=$(jdk_feature "$home")
    if [ -n "$feature" ] && [ "$feature" -ge 22 ]; then
      if [ -n "${JAVA_HOME:-}" ] && [ "$home" != "$JAVA_HOME" ]; then
        say "boxagnts: JAVA_HOME=$JAVA_HOME is not a JDK 22+; building with $home instead"
      fi
      JAVA_HOME=$home
      export JAVA_HOME
      return 0
    fi
  done
  die "building BoxAgnts needs a JDK 22 or newer (javac included) and none was found (JAVA_HOME, PATH, /usr/lib/jvm). Install one (e.g. Temurin 25) and set JAVA_HOME to it."
}

require_maven() {
  command -v mvn >/dev/null 2>&1 ||
    die "building BoxAgnts needs Apache Maven 3.8+ ('apt-get install maven')."
}

# apt_install PKG... : installs Debian packages that are missing, as root; otherwise says what to install.
apt_install() {
  missing=
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
  done
  [ -n "$missing" ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "boxagnts: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends $missing >/dev/null ||
      { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $missing >/dev/null; } ||
      die "could not install:$missing"
  else
    die "the build needs these Debian packages:$missing. Install them with: sudo apt-get install$missing"
  fi
}

# Debian packages the build needs (./boxagnts and ./run-tests): wabt (wat2wasm, which compiles the WASM test modules
# even when the tests are skipped) and zip (the distributions' .zip archives). The Rust toolchain for the core tools is
# installed by tool-plugins/rust/build.sh.
BUILD_PACKAGES="wabt zip"
# What only ./run-tests needs: chromium, chromium-driver and a font for the browser tests of the web UI; unzip for
# the test that unpacks a .zip distribution; clang and wasi-libc for the tool in C (tool-plugins/c); GNU patch, which
# the shell tool's tests compare its patch with (bash, coreutils, grep, sed, findutils and diffutils are part of every
# Debian system).
TEST_PACKAGES="chromium chromium-driver fonts-dejavu-core unzip clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 patch"
