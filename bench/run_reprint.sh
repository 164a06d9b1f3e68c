#!/usr/bin/env bash
# Reprint batch benchmark (SPEC §7: a batch of 100,000 items built and exported < 30 s).
#   bash bench/run_reprint.sh            (BENCH_ITEMS=100000 by default)
# Private PostgreSQL + Redis via scripts/services.sh (own state dir and ports), a fresh
# database hotline_reprint, then bench/reprint_batch.py. Stops what it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export HOTLINE_STATE_DIR=/tmp/hs-reprint-bench PG_PORT=55601 REDIS_PORT=56601
trap 'scripts/services.sh stop || true' EXIT
scripts/services.sh start
PSQL=(/usr/lib/postgresql/15/bin/psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS hotline_reprint" -c "CREATE DATABASE hotline_reprint"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/hotline_reprint" LOG_LEVEL=WARNING
.venv/bin/python manage.py migrate -v0
.venv/bin/python bench/reprint_batch.py --items "${BENCH_ITEMS:-100000}"
