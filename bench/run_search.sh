#!/usr/bin/env bash
# Record-search benchmark (SPEC §7: 10 million applications seeded in under 5 minutes;
# look-up by CCCD number p95 < 5 ms and by name + date of birth < 20 ms at the database,
# < 50 ms end to end through the API).
#
#   bash bench/run_search.sh                      full run: about 12 minutes on 2 cores
#   BENCH_RECORDS=1000000 bash bench/run_search.sh   smaller table
#   BENCH_KEEP_DB=1 bash bench/run_search.sh      reuse an already seeded hotline_search
#
# Starts a private PostgreSQL 15 + Redis (scripts/services.sh, own state dir and ports,
# stopped again on exit). Database hotline_search: reused when BENCH_KEEP_DB=1 and it
# already holds >= BENCH_RECORDS applications; otherwise dropped, created, migrated and
# seeded with `manage.py seed_records --count $BENCH_RECORDS` under /usr/bin/time (that
# is the seeding-time measurement), then VACUUM ANALYZE (timed apart). Demo users come
# from `seed_demo --days 1 --per-day 10 --records 0`. Then bench/search.py db (in-process
# timings through citizens/search.py) and, with gunicorn on 127.0.0.1:8766 (DEBUG=false),
# bench/search.py api. Loopback only; every phase bounded. Results: bench/results/*.json.
#
# Knobs (environment):
#   BENCH_RECORDS=10000000  BENCH_KEEP_DB=0  BENCH_SEED_WORKERS=$(nproc)
#   BENCH_COUNT=300 (look-ups per kind)  BENCH_WARMUP=30  BENCH_CLIENTS=10
#   BENCH_RATE=40   the concurrent clients once more, paced at this total rate/s (0: skip)
#   BENCH_WORKERS=4 BENCH_WORKER_CLASS=sync   gunicorn
#   BENCH_MODES=db,api                        which parts of search.py to run
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export HOTLINE_STATE_DIR=/tmp/hs-search
export PG_PORT=55571
export REDIS_PORT=56571
DB=hotline_search
HOST=127.0.0.1
PORT=8766
PSQL=(/usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U postgres)

RECORDS="${BENCH_RECORDS:-10000000}"
SEED_WORKERS="${BENCH_SEED_WORKERS:-$(nproc)}"
COUNT="${BENCH_COUNT:-300}"
WARMUP="${BENCH_WARMUP:-30}"
CLIENTS="${BENCH_CLIENTS:-10}"
RATE="${BENCH_RATE:-40}"
WORKERS="${BENCH_WORKERS:-4}"
WORKER_CLASS="${BENCH_WORKER_CLASS:-sync}"
MODES="${BENCH_MODES:-db,api}"

PY="$ROOT/.venv/bin/python"
GUNICORN="$ROOT/.venv/bin/gunicorn"
LOG_DIR="$HOTLINE_STATE_DIR/bench"
RESULTS="$ROOT/bench/results"
GUNICORN_PID=""

log() { echo "bench-search: $*" >&2; }

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

[ -x "$PY" ] && [ -x "$GUNICORN" ] || { log "no .venv: run 'make venv'"; exit 1; }
[ -x /usr/bin/time ] || { log "/usr/bin/time missing (apt-get install time)"; exit 1; }

scripts/services.sh start
mkdir -p "$LOG_DIR" "$RESULTS"

# The app under test: production settings, plain HTTP on loopback.
export DATABASE_URL="postgres://postgres@$HOST:$PG_PORT/$DB"
export REDIS_URL="redis://$HOST:$REDIS_PORT/0"
export DEBUG=false
export SECURE_SSL_REDIRECT=false
export SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdefghij"
export ALLOWED_HOSTS=127.0.0.1
export LOG_LEVEL=WARNING
# The benchmark's officer logs in with a password only (no second factor).
export REQUIRE_2FA=false
export DJANGO_SETTINGS_MODULE=callcenter.settings

PG_PID="$(head -n 1 "$HOTLINE_STATE_DIR/postgres/data/postmaster.pid" 2>/dev/null || echo 0)"
REDIS_PID="$(cat "$HOTLINE_STATE_DIR/redis/redis.pid" 2>/dev/null || echo 0)"

# CPU seconds of the PostgreSQL process tree and busy/total jiffies of the machine, to
# tell how much of the seeding's wall time other processes on the machine took.
cpu_snapshot() {
    "$PY" -c 'import json, sys; sys.path.insert(0, "bench"); import ticket_create as t
table = t._proc_table()
print(json.dumps({"pg_s": t._tree_ticks(table, int(sys.argv[1])) / t.CLK_TCK,
                  "machine": t._machine_ticks()}))' "$PG_PID"
}

db_exists() { [ "$("${PSQL[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ]; }
records_in_db() {
    "${PSQL[@]}" -d "$DB" -tAc "SELECT count(*) FROM citizens_cardapplication" 2>/dev/null || echo 0
}

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
if [ "${BENCH_KEEP_DB:-0}" = 1 ] && db_exists && [ "$(records_in_db)" -ge "$RECORDS" ]; then
    log "reusing database $DB ($(records_in_db) applications, BENCH_KEEP_DB=1); migrate"
    "$PY" manage.py migrate --noinput >"$LOG_DIR/migrate.log" 2>&1 ||
        { tail -n 30 "$LOG_DIR/migrate.log" >&2; exit 1; }
else
    log "fresh database $DB"
    PGOPTIONS="-c client_min_messages=warning" "${PSQL[@]}" -d postgres \
        -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
    log "migrate"
    "$PY" manage.py migrate --noinput >"$LOG_DIR/migrate.log" 2>&1 ||
        { tail -n 30 "$LOG_DIR/migrate.log" >&2; exit 1; }
    log "seed_records --count $RECORDS --workers $SEED_WORKERS (timed)"
    cpu_snapshot >"$LOG_DIR/seed.cpu0"
    /usr/bin/time -o "$LOG_DIR/seed.time" -f '%e %U %S %M' \
        "$PY" manage.py seed_records --count "$RECORDS" --workers "$SEED_WORKERS" \
        >"$LOG_DIR/seed.log" 2>&1 || { tail -n 30 "$LOG_DIR/seed.log" >&2; exit 1; }
    cpu_snapshot >"$LOG_DIR/seed.cpu1"
    read -r WALL USER_S SYS_S MAXRSS <"$LOG_DIR/seed.time"
    BREAKDOWN="$(tail -n 1 "$LOG_DIR/seed.log")"
    log "seeding: ${WALL} s wall (python user ${USER_S} s, sys ${SYS_S} s) — $BREAKDOWN"
    started=$(date +%s%N)
    "${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE citizens_cardapplication"
    VACUUM_MS=$(( ($(date +%s%N) - started) / 1000000 ))
    log "VACUUM ANALYZE citizens_cardapplication: $((VACUUM_MS / 1000)) s (not part of the seeding time)"
    SIZE="$("${PSQL[@]}" -d "$DB" -tAc "SELECT pg_size_pretty(pg_table_size('citizens_cardapplication')) || ' table, ' || pg_size_pretty(pg_indexes_size('citizens_cardapplication')) || ' indexes'")"
    "$PY" - "$RESULTS/search-seed-$STAMP.json" "$BREAKDOWN" "$SIZE" "$LOG_DIR" <<EOF
import json, os, sys
a, b = (json.load(open(f"{sys.argv[4]}/seed.cpu{i}")) for i in (0, 1))
busy = b["machine"][0] - a["machine"][0]
total = b["machine"][1] - a["machine"][1]
busy_cores = os.cpu_count() * busy / total if total else 0
pg_s = b["pg_s"] - a["pg_s"]
ours = ($USER_S + $SYS_S + pg_s) / $WALL
json.dump({
    "benchmark": "search_seed", "records": $RECORDS, "workers": $SEED_WORKERS,
    "wall_s": $WALL, "python_user_s": $USER_S, "python_sys_s": $SYS_S, "max_rss_kb": $MAXRSS,
    "command_output": sys.argv[2], "vacuum_analyze_s": round($VACUUM_MS / 1000, 1),
    "postgres_cpu_s": round(pg_s, 1), "machine_busy_cores": round(busy_cores, 2),
    "seeding_cores": round(ours, 2), "other_processes_cores": round(max(0, busy_cores - ours), 2),
    "size": sys.argv[3], "cpus": os.cpu_count(), "spec_target_s": 300, "meets_spec": $WALL < 300,
}, open(sys.argv[1], "w"), indent=2, ensure_ascii=False)
EOF
    log "size: $SIZE; results: $RESULTS/search-seed-$STAMP.json"
    grep -E '"(postgres_cpu_s|seeding_cores|other_processes_cores)"' "$RESULTS/search-seed-$STAMP.json" >&2
fi

log "seed_demo --if-empty --days 1 --per-day 10 --records 0 (demo users)"
"$PY" manage.py seed_demo --if-empty --days 1 --per-day 10 --records 0 >"$LOG_DIR/demo.log" 2>&1 ||
    { tail -n 30 "$LOG_DIR/demo.log" >&2; exit 1; }

LABEL="$(nproc) CPUs; PostgreSQL 15 fsync=off; $(records_in_db) applications"
rc=0

if [[ ",$MODES," == *",db,"* ]]; then
    log "search.py db"
    "$PY" bench/search.py db --count "$COUNT" --warmup "$WARMUP" --postgres-pid "$PG_PID" \
        --label "$LABEL" || rc=$?
fi

if [[ ",$MODES," == *",api,"* ]]; then
    if curl -s -o /dev/null "http://$HOST:$PORT/" 2>/dev/null; then
        log "port $PORT already in use: stop whatever listens there first"; exit 1
    fi
    CONFIG="gunicorn --worker-class $WORKER_CLASS --workers $WORKERS"
    log "starting $CONFIG on $HOST:$PORT"
    "$GUNICORN" callcenter.wsgi:application --bind "$HOST:$PORT" --workers "$WORKERS" \
        --worker-class "$WORKER_CLASS" --log-level warning --timeout 30 --graceful-timeout 5 \
        --keep-alive 5 --backlog 512 --pid "$LOG_DIR/gunicorn.pid" >"$LOG_DIR/gunicorn.log" 2>&1 &
    GUNICORN_PID=$!
    for i in $(seq 1 120); do
        code="$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$PORT/healthz" || true)"
        [ "$code" = 200 ] && break
        kill -0 "$GUNICORN_PID" 2>/dev/null || { tail -n 30 "$LOG_DIR/gunicorn.log" >&2; log "gunicorn died"; exit 1; }
        [ "$i" -eq 120 ] && { tail -n 30 "$LOG_DIR/gunicorn.log" >&2; log "no 200 from /healthz (last: $code)"; exit 1; }
        sleep 0.5
    done
    log "search.py api"
    "$PY" bench/search.py api --base-url "http://$HOST:$PORT" --clients "$CLIENTS" --rate "$RATE" \
        --count "$COUNT" --warmup "$WARMUP" --gunicorn-pid "$GUNICORN_PID" \
        --postgres-pid "$PG_PID" --redis-pid "$REDIS_PID" --label "$CONFIG; $LABEL" || rc=$?
    if grep -qiE "error|exception|traceback" "$LOG_DIR/gunicorn.log"; then
        log "gunicorn log has errors ($LOG_DIR/gunicorn.log):"
        grep -iE "error|exception" "$LOG_DIR/gunicorn.log" | head -n 10 >&2
    fi
fi
exit "$rc"
