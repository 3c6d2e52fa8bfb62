#!/usr/bin/env bash
# A class on this machine: app replicas on one database behind nginx; Ctrl-C stops it all.
#   deploy/run-class.sh [--replicas 2] [--port 8080] [--host 0.0.0.0] [--db FILE | --db postgresql://...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
if [ ! -x "$python" ]; then
    echo "No Python with the app at $python: run make first, or set PYTHON=/path/to/venv/bin/python." >&2
    exit 1
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    echo "nginx is missing: run scripts/install-nginx.sh first." >&2
    exit 1
fi
exec "$python" "$root/deploy/class_set.py" start "$@"
