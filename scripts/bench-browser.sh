#!/usr/bin/env bash
# Installs what is missing (like the two set-up commands), builds the release app, then runs
# the browser benchmark (scripts/bench-browser.mjs). Not part of `make test`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
trunk build --release
exec node scripts/bench-browser.mjs "$@"
