#!/usr/bin/env bash
# Installs whatever is missing, then serves the app on http://127.0.0.1:${PORT:-8080}.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
port=${PORT:-8080}
echo "scanlens: http://127.0.0.1:$port/"
echo "          http://127.0.0.1:$port/?demo opens the built-in demo (Acme Shop, six builds)"
# Its own dist: a `trunk serve` build must never be mistaken for the tested release build.
# No autoreload: its inline script would (rightly) be blocked by the page's CSP.
exec trunk serve --address 127.0.0.1 --port "$port" --dist target/serve-dist --no-autoreload
