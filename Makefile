# Two commands: `make run` (demo site on 127.0.0.1:8000) and `make test` (the whole suite); `make worker` delivers
# publish webhooks to partners (docs/webhooks.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Local demo settings; every one can be overridden from the environment.
export DEBUG ?= false
export ALLOWED_HOSTS ?= 127.0.0.1,localhost
export SERVE_MEDIA ?= true
export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run worker test venv lint clean db-restart-check replica-check

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

var/secret_key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

run: venv var/secret_key
	export SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}"; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py load_demo && \
	$(BIN)/python manage.py collectstatic --noinput -v0 && \
	echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)" && \
	exec $(BIN)/gunicorn newsroom.wsgi --config gunicorn.conf.py --bind $(HOST):$(PORT)

# The task queue's worker, with its sweep (beat): posts stories to the endpoints registered in the admin. Its broker
# is Redis (CELERY_BROKER_URL); `make run` needs none: its saves leave deliveries in the database for the sweep.
worker: venv var/secret_key
	export SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}"; \
	export CELERY_BROKER_URL="$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/1}"; \
	exec $(BIN)/celery -A newsroom.celery worker --beat --schedule var/celerybeat-schedule --loglevel INFO

# axe-core for the accessibility browser test, pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

test: venv node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if [ -z "$$DATABASE_URL" ]; then \
	  if $(BIN)/python -c "import psycopg2; psycopg2.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3)" 2>/dev/null; then \
	    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom; \
	  else \
	    echo "PostgreSQL does not answer on 127.0.0.1:5432: running on SQLite, PostgreSQL-only tests are skipped."; \
	  fi; \
	fi; \
	echo "Test database: $${DATABASE_URL:-SQLite}"; \
	export SECRET_KEY="$${SECRET_KEY:-tests-only-not-a-secret}"; \
	$(BIN)/python manage.py makemigrations --check --dry-run -v1 && \
	$(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/hadolint Dockerfile

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache

# PostgreSQL restarted under load on a private cluster (ports overridable): 503 while down, 200 soon after.
db-restart-check: venv
	$(BIN)/python bench/db_restart.py $(DB_RESTART_ARGS)

# A streaming replica applying commits late, behind the app (bench/replica_run.py): no reader gets a stale page.
replica-check: venv
	$(BIN)/python bench/replica_run.py $(REPLICA_ARGS)
