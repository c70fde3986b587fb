#!/bin/sh
# What the web UI costs on top of the API: one streamed turn of N text deltas (a model server that answers at once),
# read by a plain HTTP client (the reference) and shown by the UI in headless Chromium (send -> "Done" on screen), in
# the same run, as a ratio; and the time to open a session of 20 such turns. Prints a Markdown table.
# Needs the distribution (./boxagnts --version) and Debian's chromium + chromium-driver (./run-tests installs them).
# Usage: benchmarks/ui-stream.sh [words=2000] [runs=7]
set -eu
exec "$(dirname "$0")/java-main.sh" io.boxagnts.ui.UiStreamBenchmark "${1:-2000}" "${2:-7}"
