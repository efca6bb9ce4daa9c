#!/usr/bin/env bash
# `make bench`: the benchmarks built by the release preset. Figures and how to read
# them: docs/performance.md. Edge-vs-nginx benchmarks arrive with the performance issue.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/release}

echo "== access log: a burst of 100,000 authentications (docs/performance.md#access-log)"
"$BUILD_DIR/bench/access_log_burst" --records 100000
