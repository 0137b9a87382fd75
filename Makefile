# The two commands a newcomer needs:  `make demo`  and  `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Optic for scripts/api-diff (and its tests) and Redocly CLI for `make redocly`: pinned by
# package-lock.json, in ./node_modules.
OPTIC_STAMP := node_modules/.installed

.PHONY: demo test chromium check spec redocly drift unasync-check lint types regenerate unasync bench cassettes api-diff check-docs

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: $(STAMP)  ## the main job: import scores into a local emulator, export them, report
	$(VENV)/bin/respan-evals demo

# .pyc files are written even where the environment says not to: the suite starts dozens of
# Python processes (xdist workers, the generator, the CLI, senders), which then compile it once.
test: $(STAMP) $(OPTIC_STAMP) chromium  ## the whole test suite, offline
	env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/pytest

# Headless Chromium for the HTML report's screenshot test: Debian's package, installed once where
# apt-get can (as root); elsewhere install Chromium yourself, as `chromium` on PATH.
chromium:
	@command -v chromium >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
		&& apt-get update -q && apt-get install -y -q chromium; } \
		|| { echo "make: the HTML report's screenshot test needs Chromium, as \`chromium\` on PATH (Debian: apt-get install chromium)" >&2; exit 1; }

check: spec redocly drift unasync-check lint types  ## what CI checks before the tests

spec: $(STAMP)
	$(VENV)/bin/openapi-spec-validator openapi.yaml

redocly: $(OPTIC_STAMP)  ## Redocly lint of openapi.yaml (redocly.yaml): any error or warning fails
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true node_modules/.bin/redocly lint openapi.yaml

drift: $(STAMP)  ## generated/ is what openapi.yaml makes
	$(PY) scripts/regenerate --check

unasync-check: $(STAMP)  ## facade/respan_evals/_sync/ is what _async/ makes
	$(PY) scripts/unasync --check

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP)
	$(VENV)/bin/mypy

regenerate: $(STAMP)  ## generated/ from openapi.yaml (client, facts, resources)
	$(PY) scripts/regenerate

unasync: $(STAMP)  ## facade/respan_evals/_sync/ from _async/ (after editing an async module)
	$(PY) scripts/unasync

cassettes: $(STAMP)  ## re-record tests/contract/cassettes (the emulator; the real API with RESPAN_API_KEY)
	$(PY) scripts/record-cassettes

bench: $(STAMP)  ## benchmarks (install the official SDK first: pip install -e '.[bench]')
	$(PY) benchmarks/run.py

$(OPTIC_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: Optic (api-diff) and Redocly (check) need node ^20.19 or >= 22.12, and npm" >&2; exit 1; }
	npm ci
	touch $@

api-diff: $(OPTIC_STAMP)  ## changelog of openapi.yaml since BASE (default HEAD), breaking changes marked
	scripts/api-diff $(or $(BASE),HEAD)

check-docs: $(STAMP)  ## openapi.yaml against Respan's published reference pages (PAGES=DIR: saved ones)
	$(PY) scripts/check-docs $(if $(PAGES),--pages $(PAGES))
