# The two commands a newcomer needs:  `make demo`  and  `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test check spec drift lint types regenerate bench cassettes

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: $(STAMP)  ## the main job: import scores into a local emulator, export them, report
	$(VENV)/bin/respan-evals demo

test: $(STAMP)  ## the whole test suite, offline
	$(VENV)/bin/pytest

check: spec drift lint types  ## what CI checks before the tests

spec: $(STAMP)
	$(VENV)/bin/openapi-spec-validator openapi.yaml

drift: $(STAMP)
	$(PY) scripts/regenerate --check

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP)
	$(VENV)/bin/mypy

regenerate: $(STAMP)
	$(PY) scripts/regenerate

cassettes: $(STAMP)  ## re-record tests/contract/cassettes (the emulator; the real API with RESPAN_API_KEY)
	$(PY) scripts/record-cassettes

bench: $(STAMP)  ## benchmarks (install the official SDK first: pip install -e '.[bench]')
	$(PY) benchmarks/run.py
