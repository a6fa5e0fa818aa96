# factcheck: the two commands are `make run` and `make test`; everything else serves them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The first Python >= 3.12 on the machine: PATH first, then pyenv's installs.
FIND_PYTHON := for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.13*/bin/python $$HOME/.pyenv/versions/3.12*/bin/python; do \
	  c=$$(command -v $$p 2>/dev/null) || continue; \
	  $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$c; break; }; \
	done
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/factcheck
# Two workers (pytest-xdist): the machine has two cores. Work stealing: an idle worker takes
# tests queued on the other, so neither waits alone on the slow end of the suite.
PYTEST_ARGS ?= -n 2 --dist worksteal
# `make run PORT=8001` when 8000 is taken. The demo's address is also its SITE_URL, so the
# printed logins, feed links and ClaimReview URLs point where the server really listens.
PORT ?= 8000
DEMO_URL = http://127.0.0.1:$(PORT)

.PHONY: help setup run serve seed test test-postgres test-faults lint format lock clean browser-deps messages

help:
	@echo "make run            set up, migrate, load the seed chain and serve on $(DEMO_URL)/ (or PORT=8001)"
	@echo "make test           set up and run the test suite on SQLite"
	@echo "make test-postgres  the same suite on PostgreSQL (DATABASE_URL=$(POSTGRES_URL))"
	@echo "make serve          production serving with gunicorn + WhiteNoise (settings from the environment)"
	@echo "make lint           ruff check and format check"
	@echo "make lock           re-pin requirements.lock from pyproject.toml"
	@echo "make messages       collect new interface strings into locale/uk and compile the catalogue"

setup: $(STAMP)

$(STAMP): requirements.lock
	@py=$$($(FIND_PYTHON)); \
	if [ -z "$$py" ]; then echo "factcheck needs Python >= 3.12 (python3.12, python3.13 or pyenv)"; exit 1; fi; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$py"; $$py -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $(STAMP)

run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed
	SITE_URL=$(DEMO_URL) $(PY) manage.py demo_accounts
	@# The task worker (imports, feed polling) runs beside the server and stops with it.
	export SITE_URL=$(DEMO_URL); \
	$(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production serving: gunicorn (threads) + WhiteNoise; settings come from the environment
# (DEBUG=false needs SECRET_KEY and ALLOWED_HOSTS; add ?pool=true to DATABASE_URL for the pool).
serve: setup
	$(PY) manage.py collectstatic --no-input -v0
	$(PY) manage.py migrate --no-input
	$(VENV)/bin/gunicorn factcheck.wsgi --bind $${BIND:-127.0.0.1:8000} \
	  --workers $${WEB_CONCURRENCY:-2} --worker-class gthread --threads $${THREADS:-4} \
	  --access-logfile - --max-requests 5000 --max-requests-jitter 500

seed: setup
	$(PY) manage.py seed

test: setup browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: setup browser-deps
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(PY) -m pytest $(PYTEST_ARGS)

# Fault injection: restarts a throwaway PostgreSQL cluster of its own (port 5433).
test-faults: setup
	$(PY) -m pytest -m fault tests/faults -s

# Browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Could not install chromium: run apt-get install chromium as root"; exit 1; }; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --loglevel=error

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The Ukrainian catalogue: new marked strings are merged into locale/uk/LC_MESSAGES/django.po
# (translate every new msgid there, then run it again), and django.mo is compiled. Both are
# committed; tests/test_i18n.py fails while any msgid is untranslated or fuzzy.
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench \
	--ignore=staticfiles --ignore=static
messages: setup
	$(PY) manage.py makemessages -l uk --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages -l uk $(MESSAGES_IGNORE)
	@msgfmt --statistics -o /dev/null locale/uk/LC_MESSAGES/django.po

# Needs uv (pip install uv); pins runtime and dev dependencies with hashes.
lock:
	uv pip compile pyproject.toml --group dev --python-version 3.12 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# The reader benchmark (by hand, not CI): p50/p95 server time at 100k claims on both databases.
bench: setup
	$(PY) bench/reader.py --db sqlite --claims $${CLAIMS:-100000}
	$(PY) bench/reader.py --db postgres --claims $${CLAIMS:-100000}
