#!/usr/bin/env bash
# Runs each libFuzzer target of build/fuzz (cmake --preset fuzz) for FUZZ_TIME seconds,
# one after the other, and prints per target the executions, the coverage and whether
# it found anything (docs/fuzzing.md). Exits 1 if any target crashed, with the path of
# the saved input (reproduce: build/fuzz/tests/fuzz/fuzz_<target> <file>).
#
#   scripts/fuzz.sh [target...]   default: every tests/fuzz/<target>/ that was built
#   FUZZ_TIME=300                 seconds per target
#
# Each target fuzzes a copy of its seeds in build/fuzz/corpus/<target> (kept between
# runs, so later runs start from what earlier ones found); the source tree is only
# read. Crash inputs go to build/fuzz/artifacts/<target>/, logs to build/fuzz/logs/.
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
fuzz_time=${FUZZ_TIME:-300}
bin_dir="$here/build/fuzz/tests/fuzz"
work="$here/build/fuzz"

# Inputs larger than the parser's own bounds only slow the search down.
declare -A max_len=(
  [credentials]=4096 [jwt]=9000 [json_body]=4096 [duration]=128 [request_head]=8192 [canonical_path]=4096
)

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in "$here"/tests/fuzz/*/; do
    t=$(basename "$d")
    [ -x "$bin_dir/fuzz_$t" ] && targets+=("$t")
  done
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no targets in $bin_dir (cmake --preset fuzz && cmake --build --preset fuzz)" >&2
  exit 2
fi

# Symbolized stacks in reports; abort on the first UBSan finding too.
symbolizer=/usr/lib/llvm-15/bin/llvm-symbolizer
[ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

failed=0
summary=()
for t in "${targets[@]}"; do
  exe="$bin_dir/fuzz_$t"
  if [ ! -x "$exe" ]; then
    echo "fuzz: $exe is not built" >&2
    failed=1
    continue
  fi
  corpus="$work/corpus/$t"
  artifacts="$work/artifacts/$t"
  log="$work/logs/$t.log"
  mkdir -p "$corpus" "$artifacts" "$work/logs"
  cp -n "$here/tests/fuzz/$t/corpus/"* "$corpus/" 2>/dev/null || true
  before=$(find "$corpus" -type f | wc -l)
  stamp=$(mktemp)
  echo "fuzz: $t for ${fuzz_time}s (corpus $corpus, $before inputs)" >&2
  start=$(date +%s)
  "$exe" -max_total_time="$fuzz_time" -max_len="${max_len[$t]:-4096}" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
  rc=$?
  elapsed=$(( $(date +%s) - start ))
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -n1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -n1)
  # The last status line: "#N  REDUCE cov: C ft: F corp: K/..."
  status=$(grep -E '^#[0-9]+' "$log" | tail -n1)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$status")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$status")
  after=$(find "$corpus" -type f | wc -l)
  found=$(find "$artifacts" -type f -newer "$stamp" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | head -n1)
  rm -f "$stamp"
  if [ $rc -ne 0 ] || [ -n "$found" ]; then
    failed=1
    result="FOUND: ${found:-exit $rc, see $log}"
    echo "---- $t: last lines of $log" >&2
    tail -n 40 "$log" >&2
  else
    result="nothing found"
  fi
  summary+=("$(printf '%-15s %5ss %12s execs %8s/s  cov %6s  ft %6s  corpus %5s -> %-5s  %s' \
    "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$before" "$after" "$result")")
done

echo
echo "fuzz summary (FUZZ_TIME=${fuzz_time}s per target)"
printf '%s\n' "${summary[@]}"
exit $failed
