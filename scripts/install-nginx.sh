#!/usr/bin/env bash
# nginx for the replica tests and deploy/run-class.sh, from Debian's packages. They run their own
# nginx as the current user with a configuration in a temporary folder: the system service that
# the package sets up is never needed, and is not started here.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    exit 0
fi
# Installing may also start the system service on port 80; nothing here uses it.
exec "$(dirname "$0")/apt-install.sh" nginx "the replica tests"
