# The README's two commands: `make lab` (the main job) and `make test` (every test).
# Both set up a fresh machine first: a virtualenv with the package and its dev tools, the
# npm packages and the widget bundle, Debian's chromium for the browser tests, and Debian's
# PostgreSQL server for the Postgres tests (each test run starts its own, in a temporary folder).

VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup lab test lint bench clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

node_modules/.package-lock.json: package.json package-lock.json
	# `npm ci` refuses this machine's lock files (npm here leaves other platforms' optional
	# packages out of them); `npm install` keeps the locked versions all the same.
	npm install --no-fund --no-audit

JS_SOURCES := $(shell find js -name '*.ts' -o -name '*.css')

hitl_widgets/static/widget.js: node_modules/.package-lock.json $(JS_SOURCES)
	npm run build

$(STAMP): $(PY) pyproject.toml hitl_widgets/static/widget.js
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null

PG_INITDB := /usr/lib/postgresql/15/bin/initdb

$(PG_INITDB):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null

setup: $(STAMP) hitl_widgets/static/widget.js /usr/bin/chromium $(PG_INITDB)

# Jupyter refuses to run as root unless told; fresh machines and containers are often root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

lint: setup
	$(BIN)/ruff check hitl_widgets tests benchmarks
	$(BIN)/ruff format --check hitl_widgets tests benchmarks
	$(BIN)/mypy
	npm run --silent typecheck
	npm run --silent lint

test: lint
	npm test --silent
	$(BIN)/pytest -n 2 --dist loadgroup

bench: setup
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) node_modules hitl_widgets/static
