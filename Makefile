# Hotline 1900 0368 — developer tasks.
#   make run     SQLite + in-process tasks on http://127.0.0.1:$PORT (default 8000)
#   make test    PostgreSQL + Redis (scripts/services.sh), ruff, migrations check, pytest
#                (extra pytest arguments: make test PYTEST_ARGS='-k tickets -x')

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: venv run test lint worker beat bench clean

venv: $(VENV)/.installed

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[dev]'
	touch $@

# The embedded defaults: SQLite and Celery tasks run in-process, whatever the shell has set.
run: venv
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py migrate --noinput
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py seed_demo --if-empty
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py runserver 127.0.0.1:$${PORT:-8000}

test: venv
	scripts/test.sh $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

worker: venv
	@test -n "$$REDIS_URL" || { echo "worker needs REDIS_URL (e.g. eval \"\$$(scripts/services.sh env)\")" >&2; exit 1; }
	$(VENV)/bin/celery -A callcenter worker -l info

beat: venv
	@test -n "$$REDIS_URL" || { echo "beat needs REDIS_URL (e.g. eval \"\$$(scripts/services.sh env)\")" >&2; exit 1; }
	$(VENV)/bin/celery -A callcenter beat -l info -s /tmp/hotline-celerybeat-schedule

bench: venv
	@if [ -f bench/run.sh ]; then bash bench/run.sh; else echo "bench/run.sh not found: nothing to run"; fi

clean:
	rm -rf $(VENV) db.sqlite3
