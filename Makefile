# The two commands of the README: `make run` and `make test`. Both install what is
# missing first (scripts/install-deps.sh), so a fresh Debian 12 machine needs nothing else.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
DATA_DIR ?= gatehouse-data
# ccache: hits across clones of the repository (CI builds a fresh clone each time).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
ADMIN_LISTEN ?= 127.0.0.1:9000
EDGE_LISTEN ?= 0.0.0.0:8080

FUZZ_TIME ?= 300

.PHONY: run test build build-server build-debug deps deps-build deps-bench deps-fuzz bench bench-quick fuzz clean

deps-build:
	@scripts/install-deps.sh --build

deps:
	@scripts/install-deps.sh

deps-bench:
	@scripts/install-deps.sh --bench

deps-fuzz:
	@scripts/install-deps.sh --fuzz

build: deps-build
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-debug: deps
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j $(JOBS)

# Only the server binary: the tests are built by `make test`.
build-server: deps-build
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target gatehouse

# Starts Gatehouse with the embedded SQLite store in ./$(DATA_DIR) and the demo app.
run: build-server
	@exec ./build/release/src/gatehouse serve --data-dir $(DATA_DIR) \
	  --admin-listen $(ADMIN_LISTEN) --edge-listen $(EDGE_LISTEN) --demo

# Every test: unit (GoogleTest), integration (real server over HTTP), compatibility
# (the official cloudflare SDK), built with AddressSanitizer + UBSan.
test: build-debug
	@ctest --preset debug -j $(JOBS)

# Gatehouse beside nginx on this machine (wrk, pinned CPUs), the micro-benchmarks and the
# access-log burst; prints the tables recorded in docs/performance.md. ~12 minutes.
bench: deps-bench
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target gatehouse micro_bench access_log_burst
	@bench/run.sh

# The same, short: one repetition of each scenario and 100,000 tokens instead of 1,000,000.
bench-quick: deps-bench
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target gatehouse micro_bench access_log_burst
	@BENCH_QUICK=1 bench/run.sh

# libFuzzer with clang-15 (ASan + UBSan): every tests/fuzz/ target for FUZZ_TIME seconds
# each on a copy of its seeds in build/fuzz/corpus/; fails if one found a crash
# (docs/fuzzing.md). `make test` replays the seeds without libFuzzer.
fuzz: deps-fuzz
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@FUZZ_TIME=$(FUZZ_TIME) scripts/fuzz.sh

clean:
	rm -rf build
