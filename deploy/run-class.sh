#!/usr/bin/env bash
# A class on this machine: app replicas on one database behind nginx; Ctrl-C stops it all.
#   deploy/run-class.sh [--replicas 2] [--port 8080] [--host 0.0.0.0] [--db FILE | --db postgresql://...]
#   deploy/run-class.sh users add NAME [--role coach]     (accounts on the class's database)
#   deploy/run-class.sh nginx-conf --upstream HOST:PORT ...  (nginx for replicas on other machines)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
if [ ! -x "$python" ]; then
    echo "No Python with the app at $python: run make first, or set PYTHON=/path/to/venv/bin/python." >&2
    exit 1
fi
case "${1:-}" in
    start|users|nginx-conf) ;;
    *) set -- start "$@" ;;
esac
if [ "$1" = start ] && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    echo "nginx is missing: run scripts/install-nginx.sh first." >&2
    exit 1
fi
PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}" exec "$python" -m deploy.class_set "$@"
