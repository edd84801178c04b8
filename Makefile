# Newsroom: `make run` serves the site, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Root installs Debian packages directly; anyone else goes through sudo.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test system-test-deps node-test-deps lint check-django pytest clean

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

## system-test-deps: Debian packages the browser tests need (Chromium, a Java runtime for the HTML checker)
system-test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
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

## test: install what the tests need and run every check
test: lint check-django pytest

clean:
	rm -rf $(VENV) staticfiles node_modules .pytest_cache .ruff_cache
