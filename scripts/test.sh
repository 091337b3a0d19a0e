#!/usr/bin/env bash
# Installs whatever is missing, then runs every test layer and ends with one summary line.
# The README's test command and CI's .ci/run both call exactly this.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
set +e

export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export SCANLENS_FIXTURES=${SCANLENS_FIXTURES:-$(cd .. && pwd)/shared/fixtures}
[ -d "$SCANLENS_FIXTURES" ] || die "fixtures not found at $SCANLENS_FIXTURES (set SCANLENS_FIXTURES)"

passed=0
failed=()
layer() {
  local name=$1
  shift
  say "$name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    printf '    %s: ok (%ss)\n' "$name" $((SECONDS - start))
  else
    failed+=("$name")
    printf '    %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
  fi
}

layer "cargo fmt" cargo fmt --all --check
clippy() {
  cargo clippy --workspace --all-targets --locked -- -D warnings \
    && cargo clippy --locked --target wasm32-unknown-unknown -p scanlens --bins --tests -- -D warnings
}
# Native and wasm32: the page, the worker and the in-browser tests only build for wasm32.
layer "clippy (native and wasm32)" clippy
layer "supply chain (cargo deny: licenses, bans, sources)" cargo deny --offline check licenses bans sources
layer "native tests" cargo test --workspace --locked
layer "browser unit tests (wasm-bindgen-test)" \
  cargo test --locked --target wasm32-unknown-unknown -p scanlens --test web
if layer "release build (trunk)" trunk build --release; then
  layer "bundle size" node scripts/bundle-size.mjs dist
  layer "end-to-end tests (playwright-core, chromium)" node --test --test-concurrency=1 tests/e2e/
else
  failed+=("bundle size (no build)" "end-to-end tests (no build)")
fi

echo
[ ${#failed[@]} -eq 0 ] || printf 'failed layers: %s\n' "$(IFS=,; echo "${failed[*]}")"
echo "layers: $passed passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
