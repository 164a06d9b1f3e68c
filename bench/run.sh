#!/usr/bin/env bash
# Ticket-creation benchmark (SPEC §7: 300 tickets/s through the API, p95 < 100 ms, 2 cores).
# (Record search on 10 million applications: bench/run_search.sh.)
#
#   make bench            or    bash bench/run.sh
#
# Starts a private PostgreSQL 15 + Redis (scripts/services.sh, own state dir and ports,
# stopped again on exit), creates a fresh database hotline_bench, migrates, seeds the
# demo users and a month of history, serves the app with gunicorn on 127.0.0.1:8765
# (DEBUG=false) and runs bench/ticket_create.py against it. Loopback only; bounded
# (about 2 minutes in all). Results: bench/results/*.json (git-ignored).
#
# Knobs (environment), defaults are the best configuration measured on 2 cores:
#   BENCH_WORKERS=4 BENCH_WORKER_CLASS=sync BENCH_THREADS=1   gunicorn processes
#   BENCH_CLIENTS=20 BENCH_RATE=300 BENCH_WARMUP=5 BENCH_DURATION=30 BENCH_PHASES=max,paced
#   BENCH_SEED_DAYS=30 BENCH_SEED_PER_DAY=300                 history seeded before the run
#   BENCH_KEEP_DB=1                                           reuse an already seeded DB
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export HOTLINE_STATE_DIR=/tmp/hs-bench
export PG_PORT=55531
export REDIS_PORT=56531
DB=hotline_bench
HOST=127.0.0.1
PORT=8765
PSQL=(/usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U postgres)

WORKERS="${BENCH_WORKERS:-4}"
WORKER_CLASS="${BENCH_WORKER_CLASS:-sync}"
THREADS="${BENCH_THREADS:-1}"
CLIENTS="${BENCH_CLIENTS:-20}"
RATE="${BENCH_RATE:-300}"
WARMUP="${BENCH_WARMUP:-5}"
DURATION="${BENCH_DURATION:-30}"
PHASES="${BENCH_PHASES:-max,paced}"
SEED_DAYS="${BENCH_SEED_DAYS:-30}"
SEED_PER_DAY="${BENCH_SEED_PER_DAY:-300}"

PY="$ROOT/.venv/bin/python"
GUNICORN="$ROOT/.venv/bin/gunicorn"
LOG_DIR="$HOTLINE_STATE_DIR/bench"
GUNICORN_PID=""

log() { echo "bench: $*" >&2; }

cleanup() {
    local rc=$?
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        log "stopping gunicorn (pid $GUNICORN_PID)"
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$GUNICORN_PID" 2>/dev/null || true
    fi
    scripts/services.sh stop || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$PY" ] && [ -x "$GUNICORN" ] || { log "no .venv: run 'make venv' (or 'make bench')"; exit 1; }

scripts/services.sh start
mkdir -p "$LOG_DIR"

# The app under test: production settings, plain HTTP on loopback.
export DATABASE_URL="postgres://postgres@$HOST:$PG_PORT/$DB"
export REDIS_URL="redis://$HOST:$REDIS_PORT/0"
export DEBUG=false
export SECURE_SSL_REDIRECT=false
export SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdefghij"
export ALLOWED_HOSTS=127.0.0.1
export LOG_LEVEL=WARNING
export DJANGO_SETTINGS_MODULE=callcenter.settings

db_exists() { [ "$("${PSQL[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ]; }

if [ "${BENCH_KEEP_DB:-0}" = 1 ] && db_exists; then
    log "reusing database $DB (BENCH_KEEP_DB=1)"
else
    log "fresh database $DB"
    PGOPTIONS="-c client_min_messages=warning" "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
    PGOPTIONS="-c client_min_messages=warning" "${PSQL[@]}" -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS unaccent" \
        -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"
    log "migrate"
    "$PY" manage.py migrate --noinput >"$LOG_DIR/migrate.log" 2>&1 ||
        { tail -n 30 "$LOG_DIR/migrate.log" >&2; exit 1; }
    log "seed_demo --days $SEED_DAYS --per-day $SEED_PER_DAY"
    "$PY" manage.py seed_demo --days "$SEED_DAYS" --per-day "$SEED_PER_DAY" >"$LOG_DIR/seed.log" 2>&1 ||
        { tail -n 30 "$LOG_DIR/seed.log" >&2; exit 1; }
    tail -n 1 "$LOG_DIR/seed.log" >&2
    "${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE"
fi
"${PSQL[@]}" -d "$DB" -tAc "SELECT 'bench: tickets before the run: ' || count(*) FROM tickets_ticket" >&2

if curl -s -o /dev/null "http://$HOST:$PORT/" 2>/dev/null; then
    log "port $PORT already in use: stop whatever listens there first"; exit 1
fi

GUNICORN_ARGS=(callcenter.wsgi:application --bind "$HOST:$PORT" --workers "$WORKERS"
    --worker-class "$WORKER_CLASS" --log-level warning --timeout 30 --graceful-timeout 5
    --keep-alive 5 --backlog 512 --pid "$LOG_DIR/gunicorn.pid")
CONFIG="gunicorn --worker-class $WORKER_CLASS --workers $WORKERS"
if [ "$WORKER_CLASS" = gthread ]; then
    GUNICORN_ARGS+=(--threads "$THREADS")
    CONFIG+=" --threads $THREADS"
fi
log "starting $CONFIG on $HOST:$PORT"
"$GUNICORN" "${GUNICORN_ARGS[@]}" >"$LOG_DIR/gunicorn.log" 2>&1 &
GUNICORN_PID=$!

for i in $(seq 1 120); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$PORT/healthz" || true)"
    [ "$code" = 200 ] && break
    kill -0 "$GUNICORN_PID" 2>/dev/null || { tail -n 30 "$LOG_DIR/gunicorn.log" >&2; log "gunicorn died"; exit 1; }
    [ "$i" -eq 120 ] && { tail -n 30 "$LOG_DIR/gunicorn.log" >&2; log "no 200 from /healthz (last: $code)"; exit 1; }
    sleep 0.5
done

# Process trees whose CPU time the client measures per request.
PG_PID="$(head -n 1 "$HOTLINE_STATE_DIR/postgres/data/postmaster.pid" 2>/dev/null || echo 0)"
REDIS_PID="$(cat "$HOTLINE_STATE_DIR/redis/redis.pid" 2>/dev/null || echo 0)"

rc=0
"$PY" bench/ticket_create.py --base-url "http://$HOST:$PORT" --clients "$CLIENTS" \
    --phases "$PHASES" --rate "$RATE" --warmup "$WARMUP" --duration "$DURATION" \
    --gunicorn-pid "$GUNICORN_PID" --postgres-pid "$PG_PID" --redis-pid "$REDIS_PID" \
    --label "$CONFIG; $(nproc) CPUs; PostgreSQL 15 fsync=off" || rc=$?

if grep -qiE "error|exception|traceback" "$LOG_DIR/gunicorn.log"; then
    log "gunicorn log has errors ($LOG_DIR/gunicorn.log):"
    grep -iE "error|exception" "$LOG_DIR/gunicorn.log" | head -n 10 >&2
fi
exit "$rc"
