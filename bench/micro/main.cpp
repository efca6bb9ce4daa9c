// micro_bench: Google Benchmark's own main (filters, repetitions, JSON output), e.g.
//   micro_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
