#!/usr/bin/env bash
# Load test of a shift (issue 6): 20 agents logging calls, 20 officers working the queue
# and searching 10 million records, a supervisor's statistics — locust against gunicorn,
# PostgreSQL and a Celery worker on this machine. Scenario: bench/locustfile.py.
#
#   bash bench/run_load.sh                  full run (first time: ~5 min of seeding)
#   BENCH_KEEP_DB=1 bash bench/run_load.sh  reuse an already seeded hotline_load
#   BENCH_KEEP_DB=1 BENCH_SOAK=1 bash bench/run_load.sh   the soak run (issue 17): 30
#       minutes at a sustainable rate with beat too, Redis restarted at a third and the
#       worker killed (SIGKILL) at two thirds; memory of every process sampled every
#       30 s (bench/soak.py); failures per minute, memory and lost tickets reported
#
# Starts a private PostgreSQL 15 + Redis (scripts/services.sh, own state dir and ports,
# stopped again on exit). Database hotline_load: 10 million applications
# (seed_records), the demo users and 30 days of history (seed_demo), the statistics
# summary stored. Locust runs from its own venv (/tmp/hotline-locust-venv), headless,
# loopback only, for BENCH_DURATION. Results: bench/results/load-*_stats.csv and a
# table on stdout.
#
# Knobs: BENCH_RECORDS=10000000 BENCH_DURATION=120s BENCH_WORKERS=4 (gunicorn)
#        BENCH_WORKER_CLASS=sync BENCH_THREADS=1 (gthread: threads per worker, keep-alive)
#        BENCH_AGENT_RATE=15 BENCH_OFFICER_RATE=0.5 (see bench/locustfile.py)
#        BENCH_SOAK=0 BENCH_SOAK_MINUTES=30 (soak: BENCH_AGENT_RATE defaults to 2)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export HOTLINE_STATE_DIR=/tmp/hs-load
export PG_PORT=55581
export REDIS_PORT=56581
DB=hotline_load
HOST=127.0.0.1
PORT=8767
PSQL=(/usr/lib/postgresql/15/bin/psql -X -q -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U postgres)
RECORDS="${BENCH_RECORDS:-10000000}"
DURATION="${BENCH_DURATION:-120s}"
WORKERS="${BENCH_WORKERS:-4}"
WORKER_CLASS="${BENCH_WORKER_CLASS:-sync}"
THREADS="${BENCH_THREADS:-1}"
SOAK="${BENCH_SOAK:-0}"
if [ "$SOAK" = 1 ]; then
    SOAK_SECONDS=$(( ${BENCH_SOAK_MINUTES:-30} * 60 ))
    DURATION="${SOAK_SECONDS}s"
    export BENCH_AGENT_RATE="${BENCH_AGENT_RATE:-2}"
fi
PY="$ROOT/.venv/bin/python"
LOCUST_VENV=/tmp/hotline-locust-venv
LOG_DIR="$HOTLINE_STATE_DIR/bench"
RESULTS="$ROOT/bench/results"
PIDS=()

log() { echo "bench-load: $*" >&2; }

cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    scripts/services.sh stop || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$PY" ] || { log "no .venv: run 'make venv'"; exit 1; }
if ! "$LOCUST_VENV/bin/locust" --version >/dev/null 2>&1; then
    log "installing locust into $LOCUST_VENV"
    python3 -m venv "$LOCUST_VENV" && "$LOCUST_VENV/bin/pip" install -q 'locust==2.47.*'
fi

scripts/services.sh start
mkdir -p "$LOG_DIR" "$RESULTS"

export DATABASE_URL="postgres://postgres@$HOST:$PG_PORT/$DB"
export REDIS_URL="redis://$HOST:$REDIS_PORT/0"
export DEBUG=false
export SECURE_SSL_REDIRECT=false
export REQUIRE_2FA=false  # officers and the supervisor log in with a password (locustfile.py)
export SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdefghij"
export ALLOWED_HOSTS=127.0.0.1
export LOG_LEVEL=WARNING
export DJANGO_SETTINGS_MODULE=callcenter.settings

db_exists() { [ "$("${PSQL[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ]; }
records_in_db() { "${PSQL[@]}" -d "$DB" -tAc "SELECT count(*) FROM citizens_cardapplication" 2>/dev/null || echo 0; }

if [ "${BENCH_KEEP_DB:-0}" = 1 ] && db_exists && [ "$(records_in_db)" -ge "$RECORDS" ]; then
    log "reusing $DB ($(records_in_db) applications); migrate"
    "$PY" manage.py migrate --noinput >"$LOG_DIR/migrate.log" 2>&1
else
    log "fresh database $DB: migrate, $RECORDS records, demo users and 30 days of history"
    PGOPTIONS="-c client_min_messages=warning" "${PSQL[@]}" -d postgres \
        -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
    "$PY" manage.py migrate --noinput >"$LOG_DIR/migrate.log" 2>&1
    "$PY" manage.py seed_records --count "$RECORDS" >"$LOG_DIR/seed.log" 2>&1
    "$PY" manage.py seed_demo --records 0 --days 30 --per-day 3000 >>"$LOG_DIR/seed.log" 2>&1
    "${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE"
fi
log "storing the statistics summary"
"$PY" manage.py shell -c "from reporting import summary; print(summary.refresh(), 'days')" >&2
# Records that exist, for the officers' look-ups (Bernoulli sample, no full scan order).
SAMPLE="$LOG_DIR/sample.csv"
"${PSQL[@]}" -d "$DB" -c "\\copy (SELECT cccd_number, full_name, date_of_birth FROM citizens_cardapplication TABLESAMPLE SYSTEM (0.05) WHERE cccd_number <> '' LIMIT 3000) TO '$SAMPLE' WITH CSV HEADER"
export BENCH_SAMPLE="$SAMPLE"

log "gunicorn ($WORKERS $WORKER_CLASS workers, $THREADS threads each) and a Celery worker"
"$ROOT/.venv/bin/gunicorn" callcenter.wsgi:application --bind "$HOST:$PORT" \
    --workers "$WORKERS" --worker-class "$WORKER_CLASS" --threads "$THREADS" \
    --log-level warning >"$LOG_DIR/gunicorn.log" 2>&1 &
PIDS+=($!)
start_worker() {  # in a session of its own, so that the soak can kill all of it
    setsid "$ROOT/.venv/bin/celery" -A callcenter worker -l warning --concurrency 1 \
        >>"$LOG_DIR/worker.log" 2>&1 &
    WORKER_PID=$!
    PIDS+=("$WORKER_PID")
}
start_worker
BEAT_PID=""
if [ "$SOAK" = 1 ]; then
    rm -f "$LOG_DIR"/beat-schedule*
    "$ROOT/.venv/bin/celery" -A callcenter beat -l warning -s "$LOG_DIR/beat-schedule" \
        >"$LOG_DIR/beat.log" 2>&1 &
    BEAT_PID=$!
    PIDS+=("$BEAT_PID")
fi
for _ in $(seq 1 60); do  # up once healthz answers 200 (the worker's heartbeat is in)
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$PORT/healthz")" = 200 ] && break
    sleep 0.5
done

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RUN_START="$("${PSQL[@]}" -d "$DB" -tAc "SELECT now()")"
export BENCH_REFERENCES="$LOG_DIR/answered-$STAMP.txt"
: >"$BENCH_REFERENCES"
log "locust: 41 users for $DURATION"
python3 bench/cpu_split.py >"$LOG_DIR/cpu0.json"
"$LOCUST_VENV/bin/locust" -f bench/locustfile.py --headless --host "http://$HOST:$PORT" \
    -u 41 -r 41 -t "$DURATION" --stop-timeout 10 --only-summary \
    --csv "$RESULTS/load-$STAMP" >"$LOG_DIR/locust.log" 2>&1 &
LOCUST_PID=$!
PIDS+=("$LOCUST_PID")
MEMORY="$RESULTS/soak-$STAMP-memory.csv"
FAULTS="$LOG_DIR/faults-$STAMP.txt"
: >"$FAULTS"
sample_memory() {
    "$PY" bench/soak.py memory "$MEMORY" "gunicorn=$GUNICORN_PID" "worker=$WORKER_PID" \
        "beat=$BEAT_PID" "postgres=$(head -1 "$HOTLINE_STATE_DIR/postgres/data/postmaster.pid")" \
        "redis=$(cat "$HOTLINE_STATE_DIR/redis/redis.pid" 2>/dev/null)" || log "memory sample failed"
}
GUNICORN_PID="${PIDS[0]}"
T0=$(date +%s)
REDIS_DONE=0
WORKER_DONE=0
NEXT_SAMPLE=0
# CPU per part, sampled while locust still runs (its own share included); in the soak,
# memory every 30 s and the two faults.
while kill -0 "$LOCUST_PID" 2>/dev/null; do
    python3 bench/cpu_split.py "$LOG_DIR/cpu0.json" >"$LOG_DIR/cpu.tmp" && mv "$LOG_DIR/cpu.tmp" "$LOG_DIR/cpu.json"
    if [ "$SOAK" = 1 ]; then
        now=$(date +%s)
        if [ "$now" -ge "$NEXT_SAMPLE" ]; then sample_memory; NEXT_SAMPLE=$((now + 30)); fi
        if [ "$REDIS_DONE" = 0 ] && [ $((now - T0)) -ge $((SOAK_SECONDS / 3)) ]; then
            log "fault: Redis restarted (down 15 s, its data lost)"
            redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
            sleep 15
            scripts/services.sh start >/dev/null 2>&1
            echo "$now $(date +%s) redis restarted" >>"$FAULTS"
            REDIS_DONE=1
        fi
        if [ "$WORKER_DONE" = 0 ] && [ $((now - T0)) -ge $((2 * SOAK_SECONDS / 3)) ]; then
            log "fault: the worker killed (SIGKILL), started again after 15 s"
            kill -KILL -- "-$WORKER_PID" 2>/dev/null || true
            sleep 15
            start_worker
            echo "$now $(date +%s) worker killed" >>"$FAULTS"
            WORKER_DONE=1
        fi
    fi
    sleep 2
done
wait "$LOCUST_PID" || true
log "CPU seconds per part during the run: $(cat "$LOG_DIR/cpu.json")"
tail -n 40 "$LOG_DIR/locust.log" >&2

python3 - "$RESULTS/load-${STAMP}_stats.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("| action | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['Name'] if r['Name'] != 'Aggregated' else '**all**'} | {r['Request Count']} | "
          f"{r['Failure Count']} | {float(r['Requests/s']):.1f} | {r['50%']} | {r['95%']} | {r['99%']} |")
PY
if [ "$SOAK" = 1 ]; then
    sample_memory
    STORED="$LOG_DIR/stored-$STAMP.txt"
    "${PSQL[@]}" -d "$DB" -tAc "SELECT reference FROM tickets_ticket WHERE created_at >= '$RUN_START'" >"$STORED"
    "$PY" bench/soak.py report --history "$RESULTS/load-${STAMP}_stats_history.csv" --memory "$MEMORY" \
        --faults "$FAULTS" --answered "$BENCH_REFERENCES" --stored "$STORED"
fi
