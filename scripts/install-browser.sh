#!/usr/bin/env bash
# Headless Chromium for the browser tests, from Debian's packages: Playwright drives it through
# its executable path, so no browser is ever downloaded by a test tool.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
exec "$(dirname "$0")/apt-install.sh" chromium "the browser tests"
