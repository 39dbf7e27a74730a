# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint format translations bench clean upgrade-fixture

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Run the app on http://127.0.0.1:5000 with the embedded SQLite database and the demo event.
run: $(STAMP)
	$(BIN)/gelar db upgrade
	$(BIN)/gelar demo --if-empty
	$(BIN)/gelar run --host 127.0.0.1 --port 5000

## Run the whole suite (PostgreSQL too when GELAR_TEST_DATABASE_URL is set).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Re-extract and compile the message catalogues (core and each plugin).
translations: $(STAMP)
	$(BIN)/python -m core.i18n_tools

## Rebuild tests/fixtures/upgrade from the previous release (renew at each release).
RELEASE ?= d826f83
FIXTURE_POSTGRES ?= postgresql+psycopg://postgres@127.0.0.1:5432/gelar_fixture
upgrade-fixture: $(STAMP)
	$(BIN)/python tools/upgrade_fixture.py $(RELEASE) --postgres $(FIXTURE_POSTGRES)

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
