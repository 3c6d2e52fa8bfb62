#!/usr/bin/env bash
# Headless Chromium for the browser tests, from Debian's packages: Playwright drives it through
# its executable path, so no browser is ever downloaded by a test tool.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing Debian's chromium for the browser tests (needs apt)..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
