#!/usr/bin/env bash
# Runs every fuzz target for a bounded time: FUZZ_SECONDS each (default 60), corpora seeded
# from ../shared/fixtures and the repository's own fixtures. Not part of `make test`.
# Crashes land in fuzz/artifacts/<target>/; keep each as a regression test in
# crates/core/tests/fixtures/fuzz/ (tests/fuzz_regressions.rs reads them all).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
seconds=${FUZZ_SECONDS:-60}
fixtures=${SCANLENS_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (cargo install)"
  cargo install --locked cargo-fuzz
fi
# cargo-fuzz asks rustc for nightly-only flags; this toolchain is stable, and
# RUSTC_BOOTSTRAP lets it accept them for this build only.
export RUSTC_BOOTSTRAP=1
python3 scripts/fuzz-seed.py "$fixtures"
mkdir -p fuzz/logs
printf '%-20s %12s %10s\n' target executions crashes > fuzz/logs/summary.txt
status=0
for target in $(cargo fuzz list); do
  say "fuzzing $target for ${seconds}s"
  if cargo fuzz run "$target" "fuzz/corpus/$target" -- -max_total_time="$seconds" -max_len=262144 \
      -rss_limit_mb=4096 -timeout=10 > "fuzz/logs/$target.log" 2>&1; then
    crashes=0
  else
    crashes=1
    status=1
  fi
  runs=$(grep -oE 'Done [0-9]+ runs' "fuzz/logs/$target.log" | tail -1 | grep -oE '[0-9]+' || echo "?")
  printf '%-20s %12s %10s\n' "$target" "$runs" "$crashes" >> fuzz/logs/summary.txt
done
cat fuzz/logs/summary.txt
exit $status
