# Charcot developer commands. `make run` and `make test` work on a fresh machine with
# Python 3.12+ and make; they create .venv and install the locked dependencies.

VENV    := .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
# The first Python 3.12+ on PATH (pyenv's shim honours .python-version).
PYTHON  ?= $(shell for p in python3.14 python3.13 python3.12 python3 python; do \
             command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
             && { echo $$p; break; }; done)
PYTEST_ARGS ?=
# Every app's templates and the project's own (a new app's folder joins by itself).
TEMPLATE_DIRS := templates $(filter-out node_modules/%,$(wildcard */templates))

.DEFAULT_GOAL := help
.PHONY: help run test test-postgres e2e lint format check-migrations lock install install-dev serve clean bench

## help: list these commands with what each does
help:
	@sed -n 's/^## \([a-z0-9-]*\): /\1\t/p' $(MAKEFILE_LIST) | awk -F '\t' '{ printf "  make %-17s %s\n", $$1, $$2 }'

$(PY):
	@test -n "$(PYTHON)" || { echo "Charcot needs Python 3.12 or newer on PATH."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(PY)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

## install: create .venv with the site's locked dependencies
install: $(VENV)/.installed
## install-dev: the same plus the test, lint and lock tools
install-dev: $(VENV)/.installed-dev

## run: set up, migrate, seed the demo and serve http://127.0.0.1:8000/ on SQLite
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	$(PY) manage.py runserver 127.0.0.1:8000

## serve: serve without reseeding
serve: install
	$(PY) manage.py runserver 127.0.0.1:8000

## test: the whole suite on SQLite (browser tests are skipped when no Chromium is installed)
test: install-dev
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

## test-postgres: the suite against PostgreSQL at DATABASE_URL
test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n auto $(PYTEST_ARGS)

VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

# The Nu HTML Checker, pinned in package-lock.json; it runs on the machine's Java, so the
# package's install script (which would fetch a JDK) is not run.
$(VNU_JAR): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

## e2e: only the browser and HTML-validity tests (needs Debian's chromium, Java 17+ and npm)
e2e: install-dev $(VNU_JAR)
	$(BIN)/pytest -n auto -m e2e $(PYTEST_ARGS)

## bench: seed a 5,000-post, 510,000-comment site on PostgreSQL and print the benchmark table
##        (after the Markdown CPU bound with 500 adversarial examples per profile, and one
##        post's mail queued and sent to 10,000 subscribers)
bench: install-dev
	$(PY) bench/markdown_cpu.py 500
	BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_subscriptions $(PY) bench/subscriptions.py
	bench/run.sh $(BENCH_ARGS)

## lint: ruff, the templates' indentation (djhtml) and the import layers (import-linter); changes nothing
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $(TEMPLATE_DIRS)
	$(BIN)/lint-imports

## format: fix what lint finds that can be fixed by machine
format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $(TEMPLATE_DIRS)

## check-migrations: fail if a model changed without a migration
check-migrations: install-dev
	$(PY) manage.py makemigrations --check --dry-run

# uv (pinned in pyproject.toml) resolves for the oldest Python we support, whichever one runs it.
UV_COMPILE := $(BIN)/uv pip compile --quiet --python-version 3.12 --custom-compile-command "make lock"

## lock: re-resolve requirements*.txt from the pins in pyproject.toml
lock: install-dev
	$(UV_COMPILE) --output-file requirements.txt pyproject.toml
	$(UV_COMPILE) --extra dev --output-file requirements-dev.txt pyproject.toml

## clean: remove .venv, collected static files and test uploads
clean:
	rm -rf $(VENV) staticfiles .test-media
