#!/usr/bin/env bash
# Local PostgreSQL 15 + Redis for the test suite (Debian 12, run as root or a normal user).
#
#   scripts/services.sh start   install what is missing (root only), start both, wait for them
#   scripts/services.sh stop    stop what `start` started; nothing is removed
#   scripts/services.sh env     print the export lines for DATABASE_URL and REDIS_URL
#
# Settings (environment):
#   HOTLINE_STATE_DIR  data, sockets, logs and pid files (default /tmp/hotline-test-services)
#   PG_PORT            PostgreSQL port on 127.0.0.1 (default 55432)
#   REDIS_PORT         Redis port on 127.0.0.1 (default 56379)
#
# The servers are tuned for tests (fsync off, no persistence): never point them at real data.
set -euo pipefail

STATE_DIR="${HOTLINE_STATE_DIR:-/tmp/hotline-test-services}"
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
PG_DB=hotline
PG_BIN=/usr/lib/postgresql/15/bin

PG_HOME="$STATE_DIR/postgres"       # owned by the user that runs the server
PG_DATA="$PG_HOME/data"
PG_LOG="$PG_HOME/postgres.log"
PG_MARK="$STATE_DIR/postgres.started-by-us"
REDIS_DIR="$STATE_DIR/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"
REDIS_MARK="$STATE_DIR/redis.started-by-us"

log() { echo "services: $*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# pg_ctl and initdb refuse to run as root: as root, run them as the postgres user.
as_pg() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

psql_q() {
    # psql_q DB SQL... ; trust auth over TCP on loopback
    local db="$1"; shift
    PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"
}

install_missing() {
    local missing=()
    [ -x "$PG_BIN/initdb" ] || missing+=("$PG_BIN/initdb")
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v redis-cli >/dev/null 2>&1 || missing+=(redis-cli)
    [ -x /usr/bin/chromium ] || missing+=(/usr/bin/chromium)
    [ -x /usr/bin/chromedriver ] || missing+=(/usr/bin/chromedriver)
    command -v msgfmt >/dev/null 2>&1 || missing+=(msgfmt)
    [ "${#missing[@]}" -eq 0 ] && return 0

    log "missing: ${missing[*]}; installing Debian packages"
    is_root || die "not root: install postgresql postgresql-contrib redis-server chromium chromium-driver gettext first"
    export DEBIAN_FRONTEND=noninteractive
    local apt_log="$STATE_DIR/apt.log"
    if ! { apt-get -o DPkg::Lock::Timeout=600 -q update &&
           apt-get -o DPkg::Lock::Timeout=600 -q install -y \
               postgresql postgresql-contrib redis-server chromium chromium-driver gettext; \
         } >"$apt_log" 2>&1; then
        tail -n 40 "$apt_log" >&2
        die "apt-get failed (full log: $apt_log)"
    fi
    [ -x "$PG_BIN/initdb" ] || die "$PG_BIN/initdb still missing after install"
    command -v redis-server >/dev/null 2>&1 || die "redis-server still missing after install"
    log "packages installed"
}

pg_running() {
    [ -f "$PG_DATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

pg_ready() {
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres >/dev/null 2>&1
}

start_postgres() {
    mkdir -p "$PG_HOME"
    if is_root; then
        chown postgres:postgres "$PG_HOME"
        runuser -u postgres -- test -w "$PG_HOME" ||
            die "user postgres cannot write $PG_HOME (is a parent of HOTLINE_STATE_DIR private?)"
    fi
    chmod 700 "$PG_HOME"

    if pg_running; then
        log "postgres already running (data dir $PG_DATA), reusing it"
    elif pg_ready; then
        log "something already answers on 127.0.0.1:$PG_PORT; reusing it (not ours: stop leaves it)"
    else
        if [ ! -f "$PG_DATA/PG_VERSION" ]; then
            log "initdb $PG_DATA"
            as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 \
                --locale=C.UTF-8 >"$PG_HOME/initdb.log" 2>&1 ||
                { cat "$PG_HOME/initdb.log" >&2; die "initdb failed"; }
        fi
        log "starting postgres on 127.0.0.1:$PG_PORT"
        # Settings go on the command line, so PG_PORT may change between runs.
        local opts="-p $PG_PORT -k $PG_HOME -c listen_addresses=127.0.0.1"
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        opts+=" -c max_connections=200 -c shared_buffers=256MB"
        if ! as_pg "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 120 -o "$opts" >/dev/null; then
            tail -n 30 "$PG_LOG" >&2 || true
            die "postgres did not start"
        fi
        touch "$PG_MARK"
    fi

    local i
    for i in $(seq 1 120); do
        pg_ready && break
        [ "$i" -eq 120 ] && die "postgres does not answer on 127.0.0.1:$PG_PORT"
        sleep 0.5
    done

    # Extensions in template1 too, so every database created later (pytest-django's
    # test database among them) has them.
    local ext="CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm;"
    psql_q template1 -c "$ext"
    if [ "$(psql_q postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
        psql_q postgres -c "CREATE DATABASE $PG_DB"
    fi
    psql_q "$PG_DB" -c "$ext"
}

redis_ready() {
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

start_redis() {
    mkdir -p "$REDIS_DIR"
    if redis_ready; then
        log "redis already answers on 127.0.0.1:$REDIS_PORT, reusing it"
    else
        log "starting redis on 127.0.0.1:$REDIS_PORT"
        redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
            --daemonize yes --dir "$REDIS_DIR" --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" \
            >/dev/null || die "redis-server failed to start (log: $REDIS_LOG)"
        touch "$REDIS_MARK"
    fi
    local i
    for i in $(seq 1 120); do
        redis_ready && return 0
        sleep 0.5
    done
    tail -n 30 "$REDIS_LOG" >&2 || true
    die "redis does not answer on 127.0.0.1:$REDIS_PORT"
}

cmd_start() {
    mkdir -p "$STATE_DIR"
    chmod 755 "$STATE_DIR"
    install_missing
    start_postgres
    start_redis
    log "ready: postgres 127.0.0.1:$PG_PORT (db $PG_DB), redis 127.0.0.1:$REDIS_PORT"
}

cmd_stop() {
    local rc=0
    if [ -f "$PG_MARK" ]; then
        if pg_running; then
            log "stopping postgres"
            as_pg "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 >/dev/null || rc=1
        fi
        [ "$rc" -eq 0 ] && rm -f "$PG_MARK"
    else
        log "postgres not started by this script (or already stopped); leaving it"
    fi
    if [ -f "$REDIS_MARK" ]; then
        if redis_ready; then
            log "stopping redis"
            redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
            local i
            for i in $(seq 1 40); do
                redis_ready || break
                sleep 0.25
            done
            redis_ready && rc=1
        fi
        redis_ready || rm -f "$REDIS_MARK"
    else
        log "redis not started by this script (or already stopped); leaving it"
    fi
    return "$rc"
}

cmd_env() {
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
    echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    env) cmd_env ;;
    *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
