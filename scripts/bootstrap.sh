#!/usr/bin/env bash
# Installs whatever scanlens needs and is missing; every step is skipped when already
# satisfied, so a second run only checks. Sourced by serve.sh and test.sh.
#
#   Debian chromium + chromium-driver   (apt-get; needs root or passwordless sudo)
#   wasm32-unknown-unknown              (rustup)
#   trunk 0.21.14                       (cargo install --locked; ~8 min the first time)
#   wasm-bindgen-cli = Cargo.lock's     (cargo install; ~2 min the first time)
#   cargo-deny 0.20.2                   (cargo install --locked; ~5 min the first time)
#   playwright-core, binaryen 132       (npm ci from package-lock.json)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.21.14
CARGO_DENY_VERSION=0.20.2
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# SCANLENS_NO_BROWSER=1 (release builds, e.g. the Pages workflow) skips the browser.
missing=()
if [ -z "${SCANLENS_NO_BROWSER:-}" ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    die "the browser tests need Debian's ${missing[*]}; as root run: apt-get install -y ${missing[*]}"
  fi
  say "installing ${missing[*]} (apt-get)"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}"
fi

command -v cargo >/dev/null || die "no cargo on PATH: install Rust with rustup first"
command -v npm >/dev/null || die "no npm on PATH: install Node.js 20 or newer first"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (cargo install, about 8 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
  say "installing cargo-deny $CARGO_DENY_VERSION (cargo install, about 5 minutes)"
  cargo install --locked cargo-deny --version "$CARGO_DENY_VERSION"
fi

# The CLI must equal the wasm-bindgen crate in Cargo.lock, or Trunk tries to download one.
# No --locked: its own lockfile names a webpki-roots release the registry here lacks.
wasm_bindgen=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$wasm_bindgen" ] || die "Cargo.lock names no wasm-bindgen version"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wasm_bindgen" ]; then
  say "installing wasm-bindgen-cli $wasm_bindgen (cargo install, about 2 minutes)"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen"
fi

# npm ci only when node_modules does not match package-lock.json.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.scanlens-lock 2>/dev/null)" != "$lock_sum" ]; then
  say "installing npm dev dependencies (npm ci)"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.scanlens-lock
fi

[ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" = 132 ] \
  || die "wasm-opt on PATH is not binaryen 132 (node_modules/.bin must come first)"
