#!/usr/bin/env bash
# Installs every Debian package (and the test-only npm packages) that Gatehouse's
# build, run and tests need. Idempotent and quick when everything is present;
# works as root without sudo, and with sudo otherwise.
#
#   scripts/install-deps.sh          build + run + test dependencies
#   scripts/install-deps.sh --build  build + run dependencies only
#   scripts/install-deps.sh --bench  build + run + benchmark dependencies (make bench)
#   scripts/install-deps.sh --fuzz   build dependencies + clang-15 for libFuzzer (make fuzz)
set -euo pipefail

want_tests=1
want_bench=0
want_fuzz=0
case "${1:-}" in
  --build) want_tests=0 ;;
  --bench) want_tests=0; want_bench=1 ;;
  --fuzz) want_tests=0; want_fuzz=1 ;;
esac

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libcurl4-openssl-dev
  libcli11-dev libtomlplusplus-dev
  libgoogle-perftools-dev  # tcmalloc for the server binary (src/CMakeLists.txt)
  curl ca-certificates
)
test_pkgs=(
  libgtest-dev libgmock-dev python3 sqlite3 openssl nginx-light python3-jwt python3-cryptography
  python3-aiosmtpd
  chromium
  libbenchmark-dev  # micro_bench is compiled by the test build too, so it cannot rot
)
# make bench: wrk and nginx for the side-by-side runs, Google Benchmark, perf and
# valgrind for profiles (docs/performance.md).
bench_pkgs=(
  wrk nginx-light python3 libbenchmark-dev util-linux linux-perf valgrind
)
# make fuzz: clang-15 brings libclang-common-15-dev, which holds libFuzzer and the
# sanitizer runtimes on Debian 12 (there is no separate libclang-rt-15-dev there);
# llvm-15 for llvm-symbolizer, so that crash reports have file:line stacks.
fuzz_pkgs=(clang-15 llvm-15)

pkgs=("${build_pkgs[@]}")
[ $want_tests = 1 ] && pkgs+=("${test_pkgs[@]}")
[ $want_bench = 1 ] && pkgs+=("${bench_pkgs[@]}")
[ $want_fuzz = 1 ] && pkgs+=("${fuzz_pkgs[@]}")
# Node.js may come from Debian (nodejs + npm) or from a vendor package that
# bundles npm and conflicts with Debian's npm: ask only for what is absent.
if [ $want_tests = 1 ]; then
  command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
  if ! command -v npm >/dev/null 2>&1 && ! dpkg-query -W nodejs 2>/dev/null | grep -q nodesource; then
    pkgs+=(npm)
  fi
fi

missing=()
for p in "${pkgs[@]}"; do
  # dpkg-query is fast; only call apt when something is really missing.
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in *"install ok installed"*) ;; *) missing+=("$p");; esac
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists when they are missing or older than a day.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
    "${SUDO[@]}" apt-get update -qq
  fi
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ $want_tests = 1 ]; then
  here=$(cd "$(dirname "$0")/.." && pwd)
  # Test-only npm packages (the official cloudflare SDK, jose); lockfile without
  # download addresses, installed only when the lockfile changed.
  if [ -f "$here/tests/package.json" ]; then
    stamp="$here/tests/node_modules/.installed-stamp"
    if [ ! -f "$stamp" ] || [ "$here/tests/package-lock.json" -nt "$stamp" ]; then
      echo "install-deps: npm ci in tests/" >&2
      (cd "$here/tests" && npm ci --no-audit --no-fund --omit-lockfile-registry-resolved >/dev/null)
      touch "$stamp"
    fi
  fi
fi
