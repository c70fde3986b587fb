# Sourced by the benchmark scripts that start bin/boxagnts and CPU hogs: a private work directory ($work) with an
# access token ($token, also in $work/token, mode 0600), and a trap that stops the hogs ($hogs) and removes $work
# however the script ends.
work=$(mktemp -d)
hogs=()
cleanup() {
  for h in "${hogs[@]:-}"; do [ -n "$h" ] && kill "$h" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'); (umask 077; echo "$token" >"$work/token")
