# Two commands: `make run` serves the API on SQLite, `make test` passes the whole suite.
# Both set everything up on a fresh machine: the virtualenv and the project with its extras.
# `make bench` / `make bench-quick` run benchmarks/ (issue 6) on SQLite and PostgreSQL (row 2 with wrk); pass
# more options with BENCH_ARGS, e.g. `make bench BENCH_ARGS="--rows 1 --stores sqlite"`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
BENCH_ARGS ?=

.PHONY: install test lint run clean bench bench-quick postgres wrk chromium screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check domain workflows integrity projections stream web api tests benchmarks devtools tools
	$(BIN)/mypy

test: lint wrk chromium
	$(BIN)/pytest

run: $(STAMP)
	$(BIN)/okr serve --demo --host 127.0.0.1 --port 8000

# wrk drives row 2 (and the benchmark harness test runs row 2): Debian's package, installed when
# missing (as root, as CI runs).
wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && export DEBIAN_FRONTEND=noninteractive && \
	  { apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }; } || \
	  { echo "wrk is missing and cannot be installed here: run 'apt-get install wrk' as root" >&2; exit 1; }

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`,
# which downloads a browser): installed when missing, as root, as CI runs.
chromium:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && export DEBIAN_FRONTEND=noninteractive && \
	  { apt-get install -y -q chromium >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; }; } || \
	  { echo "chromium is missing and cannot be installed here: run 'apt-get install chromium' as root" >&2; exit 1; }

# docs/screenshots/*.png: each page at 1400 px, from the browser tests (commit them when they change).
screenshots: $(STAMP) chromium
	OKR_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/web -q

postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql)" main start; \
	  for _ in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; }

bench: $(BENCH_STAMP) postgres wrk
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

bench-quick: $(BENCH_STAMP) postgres wrk
	$(BIN)/python -m benchmarks --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
