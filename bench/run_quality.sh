#!/usr/bin/env bash
# Data-quality build and partial-name searches on the record-search benchmark's
# database (issue 15; SPEC §10: 10 million rows in under 2 minutes).
#
#   bash bench/run_search.sh                    seed hotline_search first (BENCH_RECORDS)
#   bash bench/run_quality.sh                   then this, on the same database
#
# Starts run_search.sh's private PostgreSQL 15 + Redis (its state dir and ports; the
# seeded database stays there between runs), migrates, runs bench/quality.py (one
# quality_report_build, BENCH_PARTIAL partial-name searches per kind at the database)
# and stops the servers again. Results: bench/results/quality-*.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export HOTLINE_STATE_DIR=/tmp/hs-search PG_PORT=55571 REDIS_PORT=56571
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/hotline_search"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export DEBUG=false SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdefghij"
export LOG_LEVEL=WARNING DJANGO_SETTINGS_MODULE=callcenter.settings

trap 'scripts/services.sh stop || true' EXIT
scripts/services.sh start
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python bench/quality.py --partial "${BENCH_PARTIAL:-200}"
