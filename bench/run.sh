#!/usr/bin/env bash
# Benchmarks against nginx in the same run arrive with the performance issue; until
# then `make bench` says so instead of pretending to measure.
echo "bench: no benchmarks yet (see the performance issue); nothing measured" >&2
exit 0
