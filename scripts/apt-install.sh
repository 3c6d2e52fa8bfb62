#!/usr/bin/env bash
# One of Debian's packages, with apt, as root or through sudo:  apt-install.sh PACKAGE "what it is for"
# The install-*.sh scripts call it when their program is missing.
set -euo pipefail
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing Debian's $1 for $2 (needs apt)..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$1" >/dev/null
