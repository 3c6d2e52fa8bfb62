#!/usr/bin/env bash
# PostgreSQL's server binaries for the store tests, from Debian's packages: the tests run initdb
# and pg_ctl themselves, on a throwaway cluster in a temp folder and a free port, so the cluster
# Debian creates at install (port 5432) is neither needed nor in their way.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    exit 0
fi
exec "$(dirname "$0")/apt-install.sh" postgresql "the store tests"
