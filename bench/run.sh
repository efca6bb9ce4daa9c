#!/usr/bin/env bash
# `make bench`: Gatehouse beside nginx in one run, then the micro-benchmarks and the
# access-log burst. Figures, machine and how to read them: docs/performance.md.
#   BENCH_QUICK=1   one repetition, 5 s runs, 100,000 tokens (a smoke run, not figures)
#   BENCH_OUT=DIR   keep the JSON results and the micro-benchmark output there
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/release}
OUT=${BENCH_OUT:-build/bench}
mkdir -p "$OUT"

if [ "$(nproc)" -lt 2 ]; then
  echo "bench: needs 2 CPUs (Gatehouse and nginx on one, wrk and the origin on the other)" >&2
  exit 2
fi
args=()
if [ -n "${BENCH_QUICK:-}" ]; then args=(-r 1 -d 5 -w 1 --tokens 100000 --create-seconds 5); fi

echo "== Gatehouse vs nginx (bench/edge_bench.py; docs/performance.md#gatehouse-vs-nginx)"
python3 bench/edge_bench.py --binary "$BUILD_DIR/src/gatehouse" --json "$OUT/edge.json" "${args[@]}"

echo
echo "== micro-benchmarks (bench/micro; docs/performance.md#micro-benchmarks)"
micro=("$BUILD_DIR/bench/micro/micro_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
[ -n "${BENCH_QUICK:-}" ] && micro=("$BUILD_DIR/bench/micro/micro_bench" --benchmark_min_time=0.05)
"${micro[@]}" | tee "$OUT/micro.txt"

echo
echo "== access log: a burst of 100,000 authentications (docs/performance.md#access-log)"
"$BUILD_DIR/bench/access_log_burst" --records 100000
