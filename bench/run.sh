#!/bin/sh
# One command for the whole benchmark (see docs/benchmarks.md). Needs PostgreSQL at
# BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench, created if missing),
# and Debian's wrk, nginx and redis-server.
set -eu
cd "$(dirname "$0")/.."
for tool in wrk nginx redis-server; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench needs $tool (apt-get install -y wrk nginx redis-server)"; exit 1; }
done
if [ -z "${BENCH_DATABASE_URL:-}" ]; then
    createdb -h 127.0.0.1 -U postgres bench 2>/dev/null || true
fi
exec .venv/bin/python -m bench.run "$@"
