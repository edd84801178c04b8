# Newsroom: `make run` serves the site, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Root installs Debian packages directly; anyone else goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Waits for another package manager (say, unattended upgrades) to finish
# rather than failing on dpkg's lock.
APT_GET := apt-get -o DPkg::Lock::Timeout=600

.PHONY: run test install install-test system-test-deps node-test-deps lint check-django pytest \
	postgres-test-server pytest-postgres clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## run: set up everything and serve the site on http://$(HOST):$(PORT)/
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_stories
	$(PY) manage.py runserver $(HOST):$(PORT)

.PHONY: serve backup restore

$(VENV)/.installed-server: pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[server]'
	touch $(VENV)/.installed $@

# A secret key made once for this checkout, kept in the virtualenv (which git
# ignores) and readable by its owner only. SECRET_KEY in the environment wins.
SECRET_KEY_FILE := $(VENV)/secret-key
$(SECRET_KEY_FILE): | $(PY)
	umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The processes share the page cache (files under CACHE_DIR, or Redis with REDIS_URL).
SERVE_WORKERS ?= 2
SERVE_THREADS ?= 8

## serve: the production server (gunicorn, DEBUG=0) on http://$(HOST):$(PORT)/, plain HTTP for local use
serve: $(VENV)/.installed-server $(SECRET_KEY_FILE)
	@export DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}" \
		SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0; \
	set -e; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	echo "Serving the production configuration on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"; \
	exec $(VENV)/bin/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) \
		--workers $(SERVE_WORKERS) --threads $(SERVE_THREADS) --no-control-socket \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

## backup: write backups/newsroom-YYYYMMDD-HHMMSS.tar.gz (database content and media files)
backup: install
	$(PY) manage.py backup_newsroom --output-dir backups

## restore: restore FILE=backups/….tar.gz into an empty database (migrated first)
restore: install
	@[ -n "$(FILE)" ] || { echo "Name the archive: make restore FILE=backups/newsroom-….tar.gz" >&2; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore_newsroom "$(FILE)"

## system-test-deps: Debian packages the browser tests need (Chromium, a Java runtime for the HTML checker)
system-test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
		$(SUDO) $(APT_GET) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq $$missing; \
	fi

## node-test-deps: the offline checkers from npm (Nu HTML Checker, axe-core), pinned by package-lock.json
node-test-deps: node_modules/.installed

# Install scripts are skipped: vnu-jar's would download a Java runtime, and the
# system one runs the checker.
node_modules/.installed: package-lock.json package.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-django: install-test
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py build_seed_fixture --check

pytest: install-test system-test-deps node-test-deps
	$(VENV)/bin/pytest

# The suite runs a second time on PostgreSQL, at PG_TEST_URL. When nothing answers
# there, Debian's postgresql is installed and its cluster started, with a role that
# may create the test database (pytest-django makes test_$(PG_TEST_DB) and drops it).
PG_TEST_USER ?= newsroom
PG_TEST_PASSWORD ?= newsroom
PG_TEST_DB ?= newsroom
PG_TEST_URL ?= postgres://$(PG_TEST_USER):$(PG_TEST_PASSWORD)@127.0.0.1:5432/$(PG_TEST_DB)
AS_POSTGRES := $(if $(SUDO),sudo -n -u postgres,runuser -u postgres --)
PSQL_AS_POSTGRES := $(AS_POSTGRES) psql -X -q -v ON_ERROR_STOP=1 -d postgres

## postgres-test-server: make sure PG_TEST_URL answers, setting up a local PostgreSQL if not
postgres-test-server: install-test
	@$(PY) -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()' \
		'$(PG_TEST_URL)' 2>/dev/null && exit 0; \
	set -e; cd /tmp; \
	if ! command -v pg_ctlcluster >/dev/null 2>&1; then \
		$(SUDO) $(APT_GET) update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) $(APT_GET) install -y -qq postgresql; \
	fi; \
	version=$$(ls /usr/lib/postgresql | sort -V | tail -n 1); \
	pg_lsclusters -h | grep -q "^$$version main " || $(SUDO) pg_createcluster $$version main; \
	$(SUDO) pg_ctlcluster $$version main status >/dev/null || $(SUDO) pg_ctlcluster $$version main start; \
	role=$$($(PSQL_AS_POSTGRES) -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$(PG_TEST_USER)'"); \
	[ "$$role" = 1 ] || $(PSQL_AS_POSTGRES) -c \
		"CREATE ROLE $(PG_TEST_USER) LOGIN CREATEDB PASSWORD '$(PG_TEST_PASSWORD)'"; \
	db=$$($(PSQL_AS_POSTGRES) -tAc "SELECT 1 FROM pg_database WHERE datname = '$(PG_TEST_DB)'"); \
	[ "$$db" = 1 ] || $(PSQL_AS_POSTGRES) -c "CREATE DATABASE $(PG_TEST_DB) OWNER $(PG_TEST_USER)"; \
	echo "PostgreSQL $$version is serving the tests at 127.0.0.1:5432"

## pytest-postgres: the whole suite again, on PostgreSQL
pytest-postgres: postgres-test-server system-test-deps node-test-deps
	DATABASE_URL='$(PG_TEST_URL)' $(VENV)/bin/pytest

## test: install what the tests need and run every check
# With everything installed first, the two databases' runs share nothing, so
# they run side by side, one per core; each one's output is printed whole when
# it ends.
test: lint check-django system-test-deps node-test-deps postgres-test-server
	$(MAKE) --no-print-directory --jobs=2 --output-sync=target pytest pytest-postgres

clean:
	rm -rf $(VENV) staticfiles node_modules .pytest_cache .ruff_cache
