#!/bin/sh
# Runs every case of src/test/cases/ (NAME.json: the request; NAME.expected.json: the answer) through
# `boxagnts tool run`, with src/test/workspace/ as the workspace, as BoxAgnts would run the tool, and compares.
set -eu
home=$1 jar=$2
[ -x "$home/bin/boxagnts" ] || { echo "test.sh: no BoxAgnts at $home (set -Dboxagnts.home=DIR)" >&2; exit 1; }
failed=0
for request in src/test/cases/*.json; do
  case $request in *.expected.json) continue ;; esac
  expected=${request%.json}.expected.json
  status=0
  actual=$("$home/bin/boxagnts" tool run "$jar" --dir src/test/workspace <"$request") || status=$?
  if [ "$status" != 0 ] || [ "$actual" != "$(cat "$expected")" ]; then
    echo "test.sh: $request: exit status $status; expected $(cat "$expected"), got $actual" >&2
    failed=$((failed + 1))
  else
    echo "test.sh: $request passed"
  fi
done
[ "$failed" = 0 ] || { echo "test.sh: $failed case(s) failed" >&2; exit 1; }
