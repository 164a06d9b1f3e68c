#!/bin/bash
# The floor under the peer benchmark's figures (bench/README.md, "The floor"): the same
# driver and gunicorn settings (2 sync workers, concurrency 20 then 1, 5 s warm-up, 20 s)
# against (1) a bare WSGI app and (2) the product's cheapest token-authenticated request,
# a ticket look-up that finds nothing. Run after the peer bench's setup and seed:
#
#   PEER_BENCH=/tmp/peer-bench OURAPP=/tmp/perf-ourapp bash bench/peer_floor.sh [OUTDIR]
#
# Uses the harness's driver ($PEER_BENCH/driver) and ourapp_site/env.sh, its venv and
# cluster under $PEERBENCH (default /tmp/peerbench; the cluster is started if needed), and
# a private redis on :56999 as run_ourapp.sh does (started here if none answers, stopped
# on exit).
set -euo pipefail
HERE=$(cd "$(dirname "$0")/peer_floor" && pwd)
PEER_BENCH=${PEER_BENCH:-/tmp/peer-bench}
PEERBENCH=${PEERBENCH:-/tmp/peerbench}
OURAPP=${OURAPP:-/tmp/perf-ourapp}
OUT=${1:-$OURAPP/bench/results/peer-floor-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
LG() { "$PEERBENCH/venv/bin/python" "$PEER_BENCH/driver/loadgen.py" "$@"; }
"$PEER_BENCH/pg.sh" status 2>/dev/null | grep -q "server is running" || "$PEER_BENCH/pg.sh" start
pg=$(head -1 "$PEERBENCH/pg/data/postmaster.pid")
G="" R=""
trap '[ -n "$G" ] && kill "$G" 2>/dev/null; [ -n "$R" ] && kill "$R" 2>/dev/null; true' EXIT
if ! redis-cli -p 56999 ping >/dev/null 2>&1; then
  redis-server --port 56999 --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
  R=$!
  for _ in $(seq 1 20); do redis-cli -p 56999 ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
up() {  # URL: wait for it, or stop here
  for _ in $(seq 1 60); do curl -fs -o /dev/null "$1" && return; sleep 0.5; done
  echo "no answer from $1" >&2; exit 1
}

# (1) the bare WSGI app on :8033
(cd "$HERE" && exec "$OURAPP/.venv/bin/gunicorn" hello:app -b 127.0.0.1:8033 -w 2 -k sync \
  --no-control-socket --log-level warning) &
G=$!
up http://127.0.0.1:8033/
for c in 20 1; do
  LG "$HERE/hello.json" --watch-pid server=$G --workloads hello --concurrency $c \
    --warmup 5 --duration 20 --label "bare WSGI, concurrency $c" --out "$OUT/hello-c$c.json"
done
kill $G; wait $G 2>/dev/null || true; G=""

# (2) the product on :8032, as run_ourapp.sh serves it
(source "$PEER_BENCH/ourapp_site/env.sh"; cd "$OURAPP"
  exec .venv/bin/gunicorn callcenter.wsgi:application -b 127.0.0.1:8032 -w 2 -k sync \
  --timeout 600 --no-control-socket --log-level warning) &
G=$!
up http://127.0.0.1:8032/accounts/login/
for c in 20 1; do
  OURAPP_PASSWORD=${OURAPP_PASSWORD:-hotline-demo} OURAPP_ROLE=agent LG "$HERE/token_404.json" \
    --watch-pid server=$G --watch-pid postgres=$pg --workloads token_404 --concurrency $c \
    --warmup 5 --duration 20 --label "token 404, concurrency $c" --out "$OUT/token404-c$c.json"
done
echo "results in $OUT"
