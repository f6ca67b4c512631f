# Two commands: `make run` serves the API on SQLite, `make test` passes the whole suite.
# Both set everything up on a fresh machine: the virtualenv and the project with its extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint run clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check domain workflows projections api tests

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check domain workflows projections api tests
	$(BIN)/pytest

run: $(STAMP)
	$(BIN)/okr serve --demo --host 127.0.0.1 --port 8000

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
